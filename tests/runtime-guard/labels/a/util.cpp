// A spawn site at line 4 of a file named util.cpp, as in folder a/.
#include "spawnguard/guard.hpp"
namespace labels_a {
spawnguard::Site site_here(spawnguard::Guard &guard) { return guard.here(); }
} // namespace labels_a

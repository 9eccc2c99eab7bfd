// A spawn site at line 4 of a file named util.cpp, as in folder b/.
#include "spawnguard/guard.hpp"
namespace labels_b {
spawnguard::Site site_here(spawnguard::Guard &guard) { return guard.here(); }
} // namespace labels_b

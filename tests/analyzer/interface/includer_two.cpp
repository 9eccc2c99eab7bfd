// Second includer of shared_header.hpp.
#include "shared_header.hpp"
void second() {}

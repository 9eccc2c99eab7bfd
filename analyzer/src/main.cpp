// spawnguard-lint's entry point; everything happens in the driver.
#include "driver/Driver.hpp"

int main(int argc, const char **argv) { return spawnguard::runDriver(argc, argv); }

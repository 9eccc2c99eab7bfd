// Reading and checking spawnguard-lint's command line before anything is
// read or parsed: response files, unknown options, --help, --version,
// --list-checks, and flag values or combinations that are refused.
#pragma once

#include <optional>

namespace spawnguard {

// An exit status when the run ends here (--help, --version, --list-checks,
// a refused flag); nothing when it goes on.
std::optional<int> parseCommandLine(int argc, const char **argv);

} // namespace spawnguard

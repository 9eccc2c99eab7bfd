// A spawnguard check's clang-tidy CheckOptions read into the configuration
// spawnguard-lint reads from .spawnguard.yaml: the same lists (';'-separated,
// as clang-tidy writes lists), every name checked, every misspelt option named.
#pragma once

#include "config/Config.hpp"

#include <clang-tidy/ClangTidyOptions.h>

#include <string>
#include <vector>

namespace spawnguard::tidy {

struct CheckConfiguration {
  ConfigFile Config;                  // the lists and strict mode, as .spawnguard.yaml would give them
  std::vector<std::string> Values;    // each option's value as written, in optionNames() order
  std::vector<std::string> Errors;    // each names the option and says what to write instead
};

// The options a check takes, by their check-local names ("SpawnFunctions").
std::vector<std::string> optionNames(llvm::StringRef check);

// Reads CHECK's options from OPTIONS, each the check's own
// ("spawnguard-unbounded-spawn.SpawnFunctions") or else the global one
// ("SpawnFunctions"), as clang-tidy's getLocalOrGlobal chooses between them.
CheckConfiguration readCheckOptions(llvm::StringRef check, const clang::tidy::ClangTidyOptions::OptionMap &options);

} // namespace spawnguard::tidy

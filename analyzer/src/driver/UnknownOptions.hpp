// Refuses a command-line option that is not one of the lint's, by its whole
// name, before llvm::cl parses the command line.
#pragma once

#include <llvm/ADT/ArrayRef.h>

#include <optional>
#include <string>

namespace spawnguard {

// The first argument (after the program name) that spells no registered
// option exactly, or none. llvm::cl alone would read a one-letter option as
// the start of a group ("--header-filter" as "-h" plus "eader-filter", so the
// help and exit 0); here a name is an option's whole name or it is unknown.
std::optional<std::string> firstUnknownOption(llvm::ArrayRef<const char *> args);

} // namespace spawnguard

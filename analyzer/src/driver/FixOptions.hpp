// The fix-it options of spawnguard-lint, in the lint's option category.
#pragma once

#include <llvm/Support/CommandLine.h>

#include <optional>
#include <string>

namespace spawnguard::options {

extern llvm::cl::opt<bool> Fix;
extern llvm::cl::opt<std::string> ExportFixes;

// Why the fix options cannot go with the others given, or none: fixes are
// made while units are parsed, so a shard (--summaries-dir) or a --merge has none.
std::optional<std::string> fixOptionsConflict(bool merging, bool writingSummaries);

} // namespace spawnguard::options

// --fix: the findings' fixes applied to the source files in place.
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/Error.h>

#include <vector>

namespace spawnguard {

struct AppliedFixes {
  size_t Edits = 0;
  size_t Files = 0;
  size_t Skipped = 0; // edits that overlapped an earlier one (a second run applies what is left)
};

// Applies every fix's edits (each once) with clang::tooling::applyAllReplacements,
// rewriting each changed file whole or not at all.
llvm::Expected<AppliedFixes> applyFixes(const std::vector<Finding> &findings);

} // namespace spawnguard

// What a reporting run does with its findings' fixes: --export-fixes writes
// them, --fix applies them. The findings are reported as they were found.
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/Error.h>

#include <vector>

namespace spawnguard {

llvm::Error exportAndApplyFixes(const std::vector<Finding> &findings);

} // namespace spawnguard

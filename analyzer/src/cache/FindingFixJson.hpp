// The JSON shape of a fix-it, for cache entries (summary files carry none:
// --fix and --export-fixes run on whole runs only). toJSON / fromJSON pairs,
// found by argument-dependent lookup.
#pragma once

#include "findings/FindingFix.hpp"

#include <llvm/Support/JSON.h>

namespace spawnguard {

llvm::json::Value toJSON(const FixEdit &edit);
llvm::json::Value toJSON(const FindingFix &fix);

bool fromJSON(const llvm::json::Value &value, FixEdit &edit, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, FindingFix &fix, llvm::json::Path path);

} // namespace spawnguard

// A finding's fix as SARIF 2.1.0's `fixes` array (§3.55 fix, §3.56
// artifactChange, §3.57 replacement): deletedRegion and insertedContent.
#pragma once

#include "findings/FindingFix.hpp"

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/JSON.h>

#include <string>

namespace spawnguard {

// artifactLocation: the SARIF artifactLocation of a file, as the writer spells it.
llvm::json::Array sarifFixes(const FindingFix &fix,
                             llvm::function_ref<llvm::json::Object(const std::string &file)> artifactLocation);

} // namespace spawnguard

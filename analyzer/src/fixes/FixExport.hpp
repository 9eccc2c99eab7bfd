// --export-fixes: the findings' fixes as clang-apply-replacements YAML, the
// format clang-tidy's --export-fixes writes (clang::tooling's
// TranslationUnitDiagnostics and its YAML traits).
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace spawnguard {

// One diagnostic per finding with a fix. An edit two fixes share (the
// runtime's #include for two spawns in one file) is written once, with the
// first: clang-apply-replacements would insert it twice.
llvm::Error exportFixes(const std::vector<Finding> &findings, const std::string &path);

// The edits of all fixes, each once, in order: what --fix applies.
std::vector<FixEdit> distinctEdits(const std::vector<Finding> &findings);

} // namespace spawnguard

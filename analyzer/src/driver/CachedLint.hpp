// Linting a translation unit through --cache-dir: its key from what the lint
// would run (the compile commands with --extra-arg and --extra-arg-before,
// the settings of its configuration, the main file), a hit turned back into
// the unit's result, and a fresh result stored unless the unit failed.
#pragma once

#include "driver/TranslationUnitLint.hpp"

#include <llvm/ADT/STLFunctionalExtras.h>

namespace spawnguard {

// lint: the unit linted for real, on a miss. settings.Cache must be set.
TranslationUnitResult lintThroughCache(const clang::tooling::CompilationDatabase &database, const std::string &file,
                                       const LintSettings &settings,
                                       llvm::function_ref<TranslationUnitResult()> lint);

} // namespace spawnguard

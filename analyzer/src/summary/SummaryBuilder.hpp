// Building a translation unit's summary from its AST and facts, after the
// checks ran: USRs for the functions, and what this unit knows about each
// call site and spawn (repeated here? bounded from the function's entry?).
#pragma once

#include "analysis/TranslationUnitAnalyses.hpp"
#include "analysis/TranslationUnitFacts.hpp"
#include "summary/TranslationUnitSummary.hpp"

namespace spawnguard {

// EnabledChecks is left to the caller, which has them.
// analyses: the ones the checks used, so nothing is computed twice.
TranslationUnitSummary buildSummary(clang::ASTContext &context, const TranslationUnitFacts &facts,
                                    TranslationUnitAnalyses &analyses);

} // namespace spawnguard

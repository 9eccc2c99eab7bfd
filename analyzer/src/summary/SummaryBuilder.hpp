// Building a translation unit's summary from its AST and facts, after the
// checks ran: USRs for the functions, and what this unit knows about each
// call site and spawn (repeated here? bounded from the function's entry?).
#pragma once

#include "analysis/TranslationUnitFacts.hpp"
#include "summary/TranslationUnitSummary.hpp"

namespace spawnguard {

// Findings and EnabledChecks are left to the caller, which has them.
TranslationUnitSummary buildSummary(clang::ASTContext &context, const RecogniserNames &names,
                                    const TranslationUnitFacts &facts, bool strict);

} // namespace spawnguard

// The merge over the summaries of a whole compilation database: one call
// graph keyed by USR, repetition carried across translation units from the
// call sites each unit knows are repeated to the functions other units
// define, and the findings only that step can see.
#pragma once

#include "summary/TranslationUnitSummary.hpp"

#include <vector>

namespace spawnguard {

// The findings that need more than one translation unit, not yet rendered
// and not yet filtered by NOLINT (Rendered is empty). Deterministic: the same
// summaries in any order give the same findings.
std::vector<Finding> crossTranslationUnitFindings(const std::vector<TranslationUnitSummary> &summaries);

} // namespace spawnguard

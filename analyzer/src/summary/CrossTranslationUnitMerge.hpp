// The merge over the summaries of a whole compilation database: the findings
// only a view across translation units shows, for spawnguard-unbounded-spawn
// (a spawn in a function another unit calls from a repeated place) and
// spawnguard-missing-deadline (a wait in work a repeated spawn starts,
// followed through calls and spawned work into other units).
#pragma once

#include "summary/TranslationUnitSummary.hpp"

#include <vector>

namespace spawnguard {

// The findings that need more than one translation unit, not yet rendered
// and not yet filtered by NOLINT (Rendered is empty); some may repeat what a
// unit reported itself (the caller drops those). Deterministic: the same
// summaries in any order give the same findings.
std::vector<Finding> crossTranslationUnitFindings(const std::vector<TranslationUnitSummary> &summaries);

} // namespace spawnguard

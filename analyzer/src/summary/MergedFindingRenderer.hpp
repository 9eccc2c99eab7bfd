// Findings of the cross-translation-unit merge have no AST behind them: this
// opens their files in a fresh clang SourceManager so they are suppressed by
// NOLINT and rendered by the same printer, in the same shape, as the findings
// of one translation unit.
#pragma once

#include "output/Finding.hpp"

#include <vector>

namespace spawnguard {

// Drops the findings NOLINT suppresses and fills Rendered / RenderedInColour
// for the rest.
std::vector<Finding> renderMergedFindings(std::vector<Finding> findings);

} // namespace spawnguard

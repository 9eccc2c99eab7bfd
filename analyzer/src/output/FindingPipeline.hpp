// The one way from the checks' findings to the output, in this order:
//   1. skip paths and NOLINT (keepFinding): applied by the lint's unit stage
//      while the AST is alive, before fix-its are made, and here to the
//      findings made across units, whose files are read for their comments;
//   2. the join: each unit's findings, then the cross-unit ones no unit
//      reported at the same place;
//   3. de-duplication (deduplicate), then the driver's --header-filter;
//   4. the baseline (output/Baseline.hpp), fix-its exported or applied;
//   5. rendering, once, when the output is written (output/FindingWriters.hpp).
#pragma once

#include "config/Config.hpp"
#include "findings/Finding.hpp"
#include "output/SourceFiles.hpp"

#include <llvm/ADT/StringRef.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace spawnguard {

// Step 1 for one finding: false when its file is under the configuration's
// skip paths (relative to root) or a NOLINT comment in fileText covers it.
bool keepFinding(const Finding &finding, llvm::StringRef fileText, const ConfigFile &config, const std::string &root);

// Steps 1 (for cross-unit findings) and 2.
class FindingJoin {
public:
  // A unit's findings, past step 1 already.
  void addUnitFindings(const std::vector<Finding> &findings);
  // Findings the cross-unit half of the checks made: NOLINT applied here (a
  // unit's skip paths were applied to its summary); dropped when a unit
  // reported the same check at the same place.
  void addCrossUnitFindings(std::vector<Finding> findings);
  std::vector<Finding> take() { return std::move(Findings); }

private:
  std::vector<Finding> Findings;
  std::set<std::tuple<std::string, std::string, unsigned, unsigned>> ReportedByUnits;
  SourceFiles Files;
};

// Step 3: one finding per check and source location (a header line reached
// through two template instantiations or two units is reported once: the
// first in sorted order, so the choice does not depend on parse order).
void deduplicate(std::vector<Finding> &findings);

} // namespace spawnguard

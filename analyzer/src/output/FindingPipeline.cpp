// Skip paths, NOLINT, the join of units' and cross-unit findings, de-duplication.
#include "output/FindingPipeline.hpp"

#include "files/RepoPaths.hpp"
#include "output/NolintFilter.hpp"

#include <algorithm>

namespace spawnguard {

bool keepFinding(const Finding &finding, llvm::StringRef fileText, const ConfigFile &config, const std::string &root) {
  return !config.skips(relativeToRoot(root, finding.Where.File)) &&
         !isSuppressedByNolint(fileText, finding.Where.Line, finding.Check);
}

void FindingJoin::addUnitFindings(const std::vector<Finding> &findings) {
  for (const Finding &finding : findings) {
    ReportedByUnits.emplace(finding.Check, finding.Where.File, finding.Where.Line, finding.Where.Column);
    Findings.push_back(finding);
  }
}

void FindingJoin::addCrossUnitFindings(std::vector<Finding> findings) {
  for (Finding &finding : findings) {
    if (isSuppressedByNolint(Files.text(finding.Where.File), finding.Where.Line, finding.Check)) {
      continue;
    }
    if (!ReportedByUnits.count({finding.Check, finding.Where.File, finding.Where.Line, finding.Where.Column})) {
      Findings.push_back(std::move(finding));
    }
  }
}

void deduplicate(std::vector<Finding> &findings) {
  std::sort(findings.begin(), findings.end());
  auto same = [](const Finding &a, const Finding &b) {
    return a.Check == b.Check && a.Where.key() == b.Where.key();
  };
  findings.erase(std::unique(findings.begin(), findings.end(), same), findings.end());
}

} // namespace spawnguard

// Clang-style text: each kept finding rendered, one after another; and the
// choice of format.
#include "output/Baseline.hpp"
#include "output/ClangStyleRenderer.hpp"
#include "output/FindingWriters.hpp"

#include <map>

namespace spawnguard {

void writeText(llvm::raw_ostream &out, const std::vector<Finding> &findings, bool colour,
               const std::set<std::string> &errorChecks) {
  SourceFiles files;
  for (const Finding &finding : findings) {
    out << renderClangStyle(files, finding, colour, errorChecks.count(finding.Check) > 0);
  }
}

void writeFindings(llvm::raw_ostream &out, const std::vector<Finding> &findings, const OutputSettings &settings,
                   const std::vector<std::string> &failedUnits) {
  switch (settings.Format) {
  case OutputFormat::Text:
    writeText(out, findings, settings.Colour, settings.ErrorChecks);
    break;
  case OutputFormat::Sarif:
    writeSarif(out, findings, settings, failedUnits);
    break;
  case OutputFormat::JsonLines:
    writeJsonLines(out, findings, settings.Root);
    break;
  }
}

std::vector<std::string> fingerprints(const std::vector<Finding> &findings, const std::string &root) {
  std::map<BaselineKey, size_t> seen;
  std::vector<std::string> result;
  for (const Finding &finding : findings) {
    BaselineKey key = baselineKey(finding, root);
    result.push_back(fingerprint(key, seen[key]++));
  }
  return result;
}

} // namespace spawnguard

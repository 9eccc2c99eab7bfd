// Clang-style text: the rendered diagnostics, one after another.
#include "output/Baseline.hpp"
#include "output/FindingWriters.hpp"

#include <map>

namespace spawnguard {

void writeText(llvm::raw_ostream &out, const std::vector<Finding> &findings, bool colour) {
  for (const Finding &finding : findings) {
    out << (colour ? finding.RenderedInColour : finding.Rendered);
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

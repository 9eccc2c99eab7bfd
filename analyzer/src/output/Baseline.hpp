// Baselines: today's findings recorded by line-independent keys (check, file,
// enclosing function, spawned callee), so an edit above a finding does not
// re-raise it, and a new finding in the same function with another callee does.
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/Error.h>

#include <map>
#include <string>
#include <vector>

namespace spawnguard {

struct BaselineKey {
  std::string Check;
  std::string File; // repo-relative
  std::string Function;
  std::string Callee;
  auto operator<=>(const BaselineKey &) const = default;
};

BaselineKey baselineKey(const Finding &finding, const std::string &root);

class Baseline {
public:
  static llvm::Expected<Baseline> read(const std::string &path);
  static llvm::Error write(const std::string &path, const std::vector<Finding> &findings, const std::string &root);

  // Removes the findings the baseline accounts for (each recorded key covers
  // as many findings as it was recorded for); returns how many were removed.
  size_t removeKnown(std::vector<Finding> &findings, const std::string &root) const;

  bool empty() const { return Counts.empty(); }
  // Whether an entry names one of files (repo-relative, as the keys are).
  bool namesAnyOf(const std::vector<std::string> &files) const;

private:
  std::map<BaselineKey, size_t> Counts;
};

// A stable fingerprint for SARIF's partialFingerprints: the baseline key plus
// the finding's rank among findings with the same key.
std::string fingerprint(const BaselineKey &key, size_t occurrence);

} // namespace spawnguard

// The driver stage that turns a translation unit's findings into fix-its:
// for each finding about a spawn or a wait, the mechanical fix its check has
// (docs/fixes.md), made while the AST is still there. Nothing else is rewritten.
#pragma once

#include "analysis/TranslationUnitFacts.hpp"
#include "checks/Check.hpp"
#include "config/Config.hpp"
#include "findings/FindingFix.hpp"

#include <clang/AST/ASTContext.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace spawnguard {

class FixCollector {
public:
  FixCollector(clang::ASTContext &context, const TranslationUnitFacts &facts, const ConfigFile &config);

  // The fix for finding, when one is offered. A spawn's fix adds a note to
  // the finding saying what it changes (call it before rendering).
  std::optional<FindingFix> fixFor(PendingFinding &finding);

private:
  std::optional<FindingFix> fixOf(PendingFinding &finding);
  std::optional<FindingFix> spawnFix(PendingFinding &finding, const SpawnCall &spawn);
  std::optional<FindingFix> deadlineFix(const WaitCall &wait);
  // A site name not yet given to another spawn of this unit.
  std::string uniqueSite(const std::string &base);

  clang::ASTContext &Context;
  const TranslationUnitFacts &Facts;
  const ConfigFile &Config;
  std::map<std::string, unsigned> SitesGiven;
  // Deadline insertions by place: a second, different insertion at the same
  // place (two streams waited in one statement) would conflict with the first.
  std::map<std::pair<std::string, unsigned>, std::string> InsertionsAt;
};

} // namespace spawnguard

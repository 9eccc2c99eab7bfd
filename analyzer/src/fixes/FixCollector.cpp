// Choosing, per finding, the fix its check offers.
#include "fixes/FixCollector.hpp"

#include "checks/MissingDeadlineCheck.hpp"
#include "checks/UnboundedSpawnCheck.hpp"
#include "fixes/DeadlineFix.hpp"
#include "fixes/SpawnInstrumentFix.hpp"

namespace spawnguard {

FixCollector::FixCollector(clang::ASTContext &context, const TranslationUnitFacts &facts, const ConfigFile &config)
    : Context(context), Facts(facts), Config(config) {}

std::optional<FindingFix> FixCollector::fixFor(PendingFinding &finding) {
  std::optional<FindingFix> fix = fixOf(finding);
  if (fix) {
    const clang::SourceManager &sources = Context.getSourceManager();
    fix->Offset = sources.getFileOffset(sources.getFileLoc(finding.Location));
  }
  return fix;
}

std::optional<FindingFix> FixCollector::fixOf(PendingFinding &finding) {
  if (finding.Subject == nullptr) {
    return std::nullopt;
  }
  if (finding.Check == UnboundedSpawnCheck::Name && Config.FixSpawnThrough == SpawnFixTarget::Spawnguard) {
    for (const SpawnCall &spawn : Facts.Spawns) {
      if (spawn.Anchor == finding.Subject) {
        return spawnFix(finding, spawn);
      }
    }
  }
  if (finding.Check == MissingDeadlineCheck::Name) {
    for (const WaitSite &site : Facts.Waits) {
      if (site.Wait.Call == finding.Subject) {
        return deadlineFix(site.Wait);
      }
    }
  }
  return std::nullopt;
}

std::string FixCollector::uniqueSite(const std::string &base) {
  unsigned given = ++SitesGiven[base];
  return given == 1 ? base : base + "#" + std::to_string(given);
}

std::optional<FindingFix> FixCollector::spawnFix(PendingFinding &finding, const SpawnCall &spawn) {
  std::string base = siteNameFor(finding.Function);
  if (base.empty()) {
    return std::nullopt;
  }
  std::string site = uniqueSite(base);
  std::optional<FindingFix> fix = instrumentSpawn(Context, spawn, site);
  if (!fix) {
    --SitesGiven[base];
    return std::nullopt;
  }
  finding.Notes.push_back({spawn.Location, "fix available (--fix): spawn through spawnguard at site '" + site +
                                               "'; it is counted, not limited, until a limit is set for the site "
                                               "(SPAWNGUARD_LIMITS='" + site + "=N' or Site::set_limit)"});
  return fix;
}

std::optional<FindingFix> FixCollector::deadlineFix(const WaitCall &wait) {
  std::optional<FindingFix> fix = deadlineBeforeWait(Context, wait, Config.FixDeadlineSeconds.Value);
  if (!fix) {
    return std::nullopt;
  }
  const FixEdit &insertion = fix->Edits.front();
  auto [known, inserted] = InsertionsAt.emplace(std::make_pair(insertion.File, insertion.Offset), insertion.Text);
  if (!inserted && known->second != insertion.Text) {
    return std::nullopt; // another stream's deadline goes there; a second --fix run adds this one
  }
  return fix;
}

} // namespace spawnguard

// The table of checks, selecting and creating them, and running both halves.
#include "checks/CheckRegistry.hpp"

#include "checks/DetachedThreadCheck.hpp"
#include "checks/MissingDeadlineCheck.hpp"
#include "checks/UnboundedQueueCheck.hpp"
#include "checks/UnboundedSpawnCheck.hpp"

#include <llvm/Support/GlobPattern.h>

#include <algorithm>

namespace spawnguard {
namespace {

constexpr WeaknessTag ResourcesWithoutLimits{"CWE-770", "Allocation of Resources Without Limits or Throttling"};
constexpr WeaknessTag UncontrolledConsumption{"CWE-400", "Uncontrolled Resource Consumption"};

} // namespace

// Ratings: a service that a peer's load can exhaust is a denial of service
// (CVSS AV:N/AC:L/PR:N/UI:N/A:H, 7.5) for spawns and stalled tasks; a queue
// and a detached thread need more to go wrong. Precision is the shared
// corpus's (docs/real-world.md): spawns 1.00, deadlines 0.73, queues 0.67.
const std::vector<CheckInfo> &allChecks() {
  static const std::vector<CheckInfo> checks = {
      registerCheck<UnboundedSpawnCheck>(
          "a spawn repeated once per outside event (accept, read, endless loop, re-armed handler) with no permit or "
          "limit check bounding it",
          {ResourcesWithoutLimits}, {"7.5", "high", "warning"}),
      registerCheck<MissingDeadlineCheck>(
          "a wait on the network or a database with no deadline, inside a task that a repeated spawn starts (a task "
          "leak: one stalled peer or slow query strands the task and all it holds)",
          {ResourcesWithoutLimits}, {"7.5", "medium", "warning"}),
      registerCheck<DetachedThreadCheck>("std::thread::detach(): the thread can no longer be counted, joined or "
                                         "stopped",
                                         {ResourcesWithoutLimits}, {"3.7", "high", "recommendation"}),
      registerCheck<UnboundedQueueCheck>("a push onto a queue that a repeated context feeds and another function "
                                         "drains, with nothing capping its size (the spawn may be bounded while the "
                                         "work it queues is not)",
                                         {ResourcesWithoutLimits, UncontrolledConsumption},
                                         {"5.3", "medium", "warning"}),
  };
  return checks;
}

std::vector<CheckListKey> checkListKeys() {
  std::vector<CheckListKey> keys;
  for (const CheckInfo &info : allChecks()) {
    keys.insert(keys.end(), info.ListKeys.begin(), info.ListKeys.end());
  }
  return keys;
}

const CheckInfo *findCheck(llvm::StringRef name) {
  for (const CheckInfo &info : allChecks()) {
    if (name == info.Name) {
      return &info;
    }
  }
  return nullptr;
}

bool CrossUnitContext::enables(const TranslationUnitSummary &unit, llvm::StringRef check) {
  return std::find(unit.EnabledChecks.begin(), unit.EnabledChecks.end(), check) != unit.EnabledChecks.end();
}

std::vector<std::string> splitCheckGlobs(llvm::StringRef commaSeparated) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  commaSeparated.split(parts, ',', -1, false);
  std::vector<std::string> globs;
  for (llvm::StringRef glob : parts) {
    globs.push_back(glob.trim().str());
  }
  return globs;
}

llvm::Expected<std::vector<std::string>> enabledChecks(const std::vector<std::string> &globs,
                                                       std::vector<size_t> *unmatched) {
  std::vector<std::string> enabled;
  for (const CheckInfo &info : allChecks()) {
    enabled.emplace_back(info.Name);
  }
  for (size_t index = 0; index < globs.size(); ++index) {
    const std::string &entry = globs[index];
    llvm::StringRef text(entry);
    bool disable = text.consume_front("-");
    llvm::Expected<llvm::GlobPattern> pattern = llvm::GlobPattern::create(text.trim());
    if (!pattern) {
      return pattern.takeError();
    }
    bool matchedAny = false;
    for (const CheckInfo &info : allChecks()) {
      if (!pattern->match(info.Name)) {
        continue;
      }
      matchedAny = true;
      auto position = std::find(enabled.begin(), enabled.end(), info.Name);
      if (disable && position != enabled.end()) {
        enabled.erase(position);
      } else if (!disable && position == enabled.end()) {
        enabled.emplace_back(info.Name);
      }
    }
    if (!matchedAny && text.trim() != "*" && unmatched) {
      unmatched->push_back(index);
    } else if (!matchedAny && text.trim() != "*") {
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "'%s' names no check (see --list-checks)", entry.c_str());
    }
  }
  return enabled;
}

std::vector<std::unique_ptr<Check>> createChecks(const std::vector<std::string> &names, CheckContext &context) {
  std::vector<std::unique_ptr<Check>> checks;
  for (const std::string &name : names) {
    if (const CheckInfo *info = findCheck(name)) {
      checks.push_back(info->Create(context));
    }
  }
  return checks;
}

std::vector<PendingFinding> runChecks(const std::vector<std::string> &names, clang::ASTContext &context,
                                      const ConfigFile &config, const RecogniserNames &recognised,
                                      const TranslationUnitFacts &facts, TranslationUnitAnalyses &analyses,
                                      bool strict) {
  CheckContext checkContext{context, config, recognised, facts, analyses, strict, {}};
  std::vector<std::unique_ptr<Check>> checks = createChecks(names, checkContext);
  clang::ast_matchers::MatchFinder finder;
  for (const std::unique_ptr<Check> &check : checks) {
    check->registerMatchers(finder);
  }
  finder.matchAST(context);
  for (const std::unique_ptr<Check> &check : checks) {
    check->finishTranslationUnit();
  }
  return std::move(checkContext.Found);
}

std::vector<Finding> runChecksAcrossUnits(const std::vector<const TranslationUnitSummary *> &summaries) {
  std::vector<const TranslationUnitSummary *> units = summaries;
  std::sort(units.begin(), units.end(),
            [](const TranslationUnitSummary *a, const TranslationUnitSummary *b) { return a->File < b->File; });
  GlobalCallGraph graph(units);
  graph.propagate(RepetitionKind::Unbounded);
  graph.propagate(RepetitionKind::Task);
  CrossUnitContext context{units, graph};
  std::vector<Finding> findings;
  for (const CheckInfo &info : allChecks()) {
    if (info.ReportAcrossUnits != nullptr) {
      info.ReportAcrossUnits(context, findings);
    }
  }
  return findings;
}

} // namespace spawnguard

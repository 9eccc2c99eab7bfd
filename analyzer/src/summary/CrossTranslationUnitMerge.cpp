// Reporting, over the global call graph, the unbounded spawns and the waits
// without a deadline that no single translation unit could see.
#include "summary/CrossTranslationUnitMerge.hpp"

#include "checks/MissingDeadlineCheck.hpp"
#include "checks/UnboundedSpawnCheck.hpp"
#include "analysis/TaskWalk.hpp"
#include "summary/GlobalCallGraph.hpp"

#include <algorithm>
#include <set>

namespace spawnguard {
namespace {

using Place = std::tuple<std::string, unsigned, unsigned>;

Place placeOf(const FindingLocation &where) { return {where.File, where.Line, where.Column}; }

bool enables(const TranslationUnitSummary &unit, llvm::StringRef check) {
  return std::find(unit.EnabledChecks.begin(), unit.EnabledChecks.end(), check) != unit.EnabledChecks.end();
}

void addSteps(Finding &finding, const std::vector<SummaryStep> &steps) {
  for (const SummaryStep &step : steps) {
    finding.Notes.push_back({step.Where, step.Note});
  }
}

// Spawns in functions repeated across units, that their own unit did not
// decide and no bound covers from the function's entry.
void reportUnboundedSpawns(const std::vector<const TranslationUnitSummary *> &units, const GlobalCallGraph &graph,
                           std::vector<Finding> &findings) {
  std::set<Place> reported;
  for (const TranslationUnitSummary *unit : units) {
    if (!enables(*unit, UnboundedSpawnCheck::Name)) {
      continue;
    }
    for (const SummarySpawn &spawn : unit->Spawns) {
      const CrossRepetition *repetition = graph.repetitionOf(RepetitionKind::Unbounded, spawn.Function);
      if (repetition == nullptr || spawn.RepeatedHere || spawn.BoundedFromEntry ||
          !reported.insert(placeOf(spawn.Where)).second) {
        continue;
      }
      Finding finding;
      finding.Check = UnboundedSpawnCheck::Name;
      finding.Message = UnboundedSpawnCheck::message(spawn.Callee, repetition->PerWhat);
      finding.Where = spawn.Where;
      addSteps(finding, repetition->Steps);
      finding.Notes.push_back({spawn.Where, UnboundedSpawnCheck::BoundItNote});
      finding.Function = graph.nameOf(spawn.Function);
      finding.Callee = spawn.Callee;
      findings.push_back(std::move(finding));
    }
  }
}

// The work of a spawn that repeats, in its own unit or across units.
struct TaskStart {
  const SummarySpawn *Spawn = nullptr;
  std::string PerWhat;
  std::vector<SummaryStep> Steps; // what repeats the spawn
};

class TaskFollower {
public:
  TaskFollower(const GlobalCallGraph &graph, std::vector<Finding> &findings) : Graph(graph), Findings(findings) {}

  // Breadth-first through calls, completion handlers and spawned work,
  // carrying whether a deadline set on the way covers what is reached; each
  // uncovered wait is reported once, for the first task that reaches it.
  void follow(const TaskStart &task) {
    using Walk = TaskWalk<std::string, FindingLocation>;
    Walk walk(task.Spawn->Work);
    while (!walk.done()) {
      Walk::Visit current = walk.next();
      if (!current.second) {
        for (const InUnit<SummaryWait> &wait : Graph.waitsIn(current.first)) {
          if (enables(*wait.Unit, MissingDeadlineCheck::Name) && Reported.insert(placeOf(wait.Summarised->Where)).second) {
            std::vector<SummaryStep> reached;
            for (const Walk::Step &step : walk.pathTo(current)) {
              reached.push_back({step.Where, step.Note});
            }
            report(*wait.Summarised, task, reached);
          }
        }
      }
      for (const SummaryCall *call : Graph.callsFrom(current.first)) {
        walk.reach(current, call->Callee, call->DeadlineBefore, call->Where,
                   call->Kind == EdgeKind::Handler    ? "the task runs this operation's completion handler"
                   : call->Kind == EdgeKind::Dispatch ? "the virtual call may run this override"
                                                      : "the task calls this");
      }
      for (const InUnit<SummarySpawn> &spawn : Graph.spawnsIn(current.first)) {
        if (!spawn.Summarised->Work.empty()) {
          walk.reach(current, spawn.Summarised->Work, spawn.Summarised->DeadlineBefore, spawn.Summarised->Where,
                     "the task starts this work too");
        }
      }
    }
  }

private:
  void report(const SummaryWait &wait, const TaskStart &task, const std::vector<SummaryStep> &reached) {
    WaitKind kind = wait.Database ? WaitKind::Database : WaitKind::Network;
    Finding finding;
    finding.Check = MissingDeadlineCheck::Name;
    finding.Message = MissingDeadlineCheck::message(wait.Callee, kind, wait.TurnedOffAt.has_value(), task.PerWhat);
    finding.Where = wait.Where;
    if (wait.TurnedOffAt) {
      finding.Notes.push_back({*wait.TurnedOffAt, "the deadline is turned off here"});
    }
    addSteps(finding, reached);
    finding.Notes.push_back({task.Spawn->Where, "the task is started here ('" + task.Spawn->Callee + "')"});
    addSteps(finding, task.Steps);
    finding.Notes.push_back({wait.Where, MissingDeadlineCheck::fixNote(kind)});
    finding.Function = Graph.nameOf(wait.Function);
    finding.Callee = wait.Callee;
    Findings.push_back(std::move(finding));
  }

  const GlobalCallGraph &Graph;
  std::vector<Finding> &Findings;
  std::set<Place> Reported;
};

void reportWaitsWithoutDeadline(const std::vector<const TranslationUnitSummary *> &units,
                                const GlobalCallGraph &graph, std::vector<Finding> &findings) {
  TaskFollower follower(graph, findings);
  for (const TranslationUnitSummary *unit : units) {
    for (const SummarySpawn &spawn : unit->Spawns) {
      if (spawn.Work.empty()) {
        continue;
      }
      if (spawn.TaskRepeated) {
        follower.follow({&spawn, spawn.TaskRepeated->PerWhat, spawn.TaskRepeated->Steps});
      } else if (const CrossRepetition *repetition = graph.repetitionOf(RepetitionKind::Task, spawn.Function)) {
        follower.follow({&spawn, repetition->PerWhat, repetition->Steps});
      }
    }
  }
}

} // namespace

std::vector<Finding> crossTranslationUnitFindings(const std::vector<TranslationUnitSummary> &summaries) {
  std::vector<const TranslationUnitSummary *> units;
  for (const TranslationUnitSummary &summary : summaries) {
    units.push_back(&summary);
  }
  std::sort(units.begin(), units.end(),
            [](const TranslationUnitSummary *a, const TranslationUnitSummary *b) { return a->File < b->File; });
  GlobalCallGraph graph(units);
  graph.propagate(RepetitionKind::Unbounded);
  graph.propagate(RepetitionKind::Task);
  std::vector<Finding> findings;
  reportUnboundedSpawns(units, graph, findings);
  reportWaitsWithoutDeadline(units, graph, findings);
  return findings;
}

} // namespace spawnguard

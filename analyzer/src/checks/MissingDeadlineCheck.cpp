// Reporting waits without a deadline inside repeated tasks, with the way from
// the task's start to the wait and what repeats the task as notes: in one
// unit, and over the global call graph for tasks only the joined view shows.
#include "checks/MissingDeadlineCheck.hpp"

#include "analysis/TaskWalk.hpp"
#include "analysis/Tasks.hpp"
#include "ast/AstNavigation.hpp"

#include <set>
#include <tuple>

namespace spawnguard {
namespace {

void addSteps(Finding &finding, const std::vector<SummaryStep> &steps) {
  for (const SummaryStep &step : steps) {
    finding.Notes.push_back({step.Where, step.Note});
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
          if (CrossUnitContext::enables(*wait.Unit, MissingDeadlineCheck::Name) &&
              Reported.insert(wait.Summarised->Where.key()).second) {
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
  std::set<std::tuple<std::string, unsigned, unsigned>> Reported;
};

} // namespace


std::string MissingDeadlineCheck::message(const std::string &callee, WaitKind kind, bool turnedOff,
                                          const std::string &perWhat) {
  std::string what = kind == WaitKind::Database ? "the database" : "the network";
  std::string task = perWhat.empty() ? std::string("in a task started once (reported because of --strict)")
                                     : "in a task started once per " + perWhat;
  return "missing deadline: '" + callee + "' waits on " + what +
         (turnedOff ? " after expires_never turned its deadline off, " : " with no deadline, ") + task;
}

const char *MissingDeadlineCheck::fixNote(WaitKind kind) {
  if (kind == WaitKind::Database) {
    return "give it a deadline: race the query with a timer (co_await (query || timer.async_wait(...))), have a "
           "timer interrupt it (sqlite3_interrupt, PQcancel), or list the project's timeout wrapper under "
           "deadline-functions";
  }
  return "give it a deadline: race it with a timer (co_await (op || timer.async_wait(...))), call expires_after on "
         "the Beast stream first, or bind a cancellation slot a timer emits";
}

void MissingDeadlineCheck::finishTranslationUnit() {
  const TranslationUnitFacts &facts = Context.Facts;
  if (facts.Waits.empty() || facts.Spawns.empty()) {
    return;
  }
  TaskAnalysis tasks(facts, Context.Analyses.taskRepetition(), Context.Analyses.deadlines(), Context.Strict);
  for (const WaitWithoutDeadline &found : tasks.waitsWithoutDeadline()) {
    const WaitCall &wait = found.Wait->Wait;
    PendingFinding finding;
    finding.Check = Name;
    finding.Location = wait.Location;
    bool turnedOff = found.Deadline.State == DeadlineState::TurnedOff;
    finding.Message = message(wait.Callee, wait.Kind, turnedOff,
                              found.Task->Repeated ? found.Task->Repeated->PerWhat : std::string());
    if (turnedOff) {
      finding.Notes.push_back({found.Deadline.TurnedOffAt, "the deadline is turned off here"});
    }
    for (const WitnessStep &step : found.Reached) {
      finding.Notes.push_back({step.Location, step.Note});
    }
    const SpawnCall &spawn = *found.Task->Spawn;
    finding.Notes.push_back({spawn.Location, "the task is started here ('" + spawn.Callee + "')"});
    if (found.Task->Repeated) {
      for (const WitnessStep &step : found.Task->Repeated->Steps) {
        finding.Notes.push_back({step.Location, step.Note});
      }
    }
    finding.Notes.push_back({wait.Location, fixNote(wait.Kind)});
    finding.Function = describeFunction(found.Wait->Function);
    finding.Callee = wait.Callee;
    finding.Subject = wait.Call;
    Context.report(std::move(finding));
  }
}

void MissingDeadlineCheck::reportAcrossUnits(const CrossUnitContext &context, std::vector<Finding> &findings) {
  TaskFollower follower(context.Graph, findings);
  for (const TranslationUnitSummary *unit : context.Units) {
    for (const SummarySpawn &spawn : unit->Spawns) {
      if (spawn.Work.empty()) {
        continue;
      }
      if (spawn.TaskRepeated) {
        follower.follow({&spawn, spawn.TaskRepeated->PerWhat, spawn.TaskRepeated->Steps});
      } else if (const CrossRepetition *repetition =
                     context.Graph.repetitionOf(RepetitionKind::Task, spawn.Function)) {
        follower.follow({&spawn, repetition->PerWhat, repetition->Steps});
      }
    }
  }
}

} // namespace spawnguard

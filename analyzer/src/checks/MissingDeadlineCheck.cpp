// Reporting waits without a deadline inside repeated tasks, with the way from
// the task's start to the wait and what repeats the task as notes.
#include "checks/MissingDeadlineCheck.hpp"

#include "analysis/AstNavigation.hpp"
#include "analysis/Tasks.hpp"

namespace spawnguard {

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

void MissingDeadlineCheck::onEndOfTranslationUnit() {
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
    Context.Report(std::move(finding));
  }
}

} // namespace spawnguard

// Following a task's work breadth-first, carrying whether a deadline set on
// the way (before the call, the operation or the spawn) already covers it.
#include "analysis/Tasks.hpp"

#include "analysis/TaskWalk.hpp"

namespace spawnguard {

TaskAnalysis::TaskAnalysis(const TranslationUnitFacts &facts, RepetitionAnalysis &repetition,
                           DeadlinesOnPaths &deadlines, bool strict)
    : Facts(facts), Deadlines(deadlines) {
  for (const WaitSite &wait : Facts.Waits) {
    WaitsIn[wait.Function].push_back(&wait);
  }
  for (const HandlerUse &use : Facts.Handlers) {
    HandlersArmedIn[use.ArmedIn].push_back(&use);
  }
  for (const SpawnCall &spawn : Facts.Spawns) {
    if (spawn.Work == nullptr) {
      continue;
    }
    SpawnsIn[spawn.Context].push_back(&spawn);
    std::optional<Repetition> repeated = repetition.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work);
    if (repeated || strict) {
      Tasks.push_back({&spawn, std::move(repeated)});
    }
  }
}

std::vector<WaitWithoutDeadline> TaskAnalysis::waitsWithoutDeadline() {
  std::vector<WaitWithoutDeadline> out;
  llvm::DenseSet<const clang::CallExpr *> reported;
  for (const TaskStart &task : Tasks) {
    follow(task, reported, out);
  }
  return out;
}

void TaskAnalysis::follow(const TaskStart &task, llvm::DenseSet<const clang::CallExpr *> &reported,
                          std::vector<WaitWithoutDeadline> &out) {
  using Walk = TaskWalk<const clang::FunctionDecl *, clang::SourceLocation>;
  Walk walk(task.Spawn->Work);
  auto reach = [&](const Walk::Visit &from, const clang::FunctionDecl *function, const clang::Expr *site,
                   const char *note, bool inherit = true) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(site);
    bool deadline = (call != nullptr && Deadlines.carriesOwnDeadline(call)) ||
                    Deadlines.at(from.first, site).State == DeadlineState::Set;
    walk.reach(from, function, deadline, site->getExprLoc(), note, inherit);
  };
  while (!walk.done()) {
    Walk::Visit current = walk.next();
    if (!current.second) {
      for (const WaitSite *wait : WaitsIn.lookup(current.first)) {
        if (reported.contains(wait->Wait.Call) || Deadlines.carriesOwnDeadline(wait->Wait.Call)) {
          continue;
        }
        DeadlineOnPath deadline = Deadlines.at(current.first, wait->Wait.Call, wait->Wait.Object);
        if (deadline.State == DeadlineState::Set) {
          continue;
        }
        reported.insert(wait->Wait.Call);
        WaitWithoutDeadline finding{wait, &task, deadline, {}};
        for (const Walk::Step &step : walk.pathTo(current)) {
          finding.Reached.push_back({step.Where, step.Note});
        }
        out.push_back(std::move(finding));
      }
    }
    auto calls = Facts.CallsFrom.find(current.first);
    if (calls != Facts.CallsFrom.end()) {
      for (size_t index : calls->second) {
        const CallEdge &edge = Facts.Calls[index];
        reach(current, edge.Callee, edge.Call, "the task calls this");
      }
    }
    for (const HandlerUse *use : HandlersArmedIn.lookup(current.first)) {
      reach(current, use->Handler, use->Operation, "the task runs this operation's completion handler");
    }
    // A task whose work is a virtual method runs whichever override the object has.
    for (const clang::FunctionDecl *overrider : Facts.Overriders.lookup(current.first)) {
      walk.reach(current, overrider, false, overrider->getLocation(), "the virtual call may run this override");
    }
    for (const SpawnCall *spawn : SpawnsIn.lookup(current.first)) {
      // A session is a new task of its own: its waits need deadlines of their own.
      reach(current, spawn->Work, spawn->Anchor, "the task starts this work too", spawn->Kind != SpawnKind::Session);
    }
  }
}

} // namespace spawnguard

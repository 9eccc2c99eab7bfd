// The work a repeated spawn starts, followed through calls, completion
// handlers and the spawns it makes itself, and the waits in it that no
// deadline stops: what spawnguard-missing-deadline reports.
#pragma once

#include "analysis/DeadlinesOnPaths.hpp"
#include "analysis/Repetition.hpp"
#include "analysis/TranslationUnitFacts.hpp"

#include <vector>

namespace spawnguard {

// A spawn whose work is a task of which many may exist.
struct TaskStart {
  const SpawnCall *Spawn = nullptr;
  std::optional<Repetition> Repeated; // empty for a task started once (--strict)
};

struct WaitWithoutDeadline {
  const WaitSite *Wait = nullptr;
  const TaskStart *Task = nullptr;
  DeadlineOnPath Deadline;          // None or TurnedOff
  std::vector<WitnessStep> Reached; // from the wait outwards to the task's start
};

class TaskAnalysis {
public:
  TaskAnalysis(const TranslationUnitFacts &facts, RepetitionAnalysis &repetition, DeadlinesOnPaths &deadlines,
               bool strict);

  const std::vector<TaskStart> &tasks() const { return Tasks; }
  // Every wait reached from some task with no deadline on the way, once each.
  std::vector<WaitWithoutDeadline> waitsWithoutDeadline();

private:
  void follow(const TaskStart &task, llvm::DenseSet<const clang::CallExpr *> &reported,
              std::vector<WaitWithoutDeadline> &out);

  const TranslationUnitFacts &Facts;
  DeadlinesOnPaths &Deadlines;
  std::vector<TaskStart> Tasks;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const WaitSite *, 4>> WaitsIn;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const HandlerUse *, 4>> HandlersArmedIn;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const SpawnCall *, 4>> SpawnsIn;
};

} // namespace spawnguard

// The path and repetition analyses of one translation unit, built once and
// shared by every check and by the cross-TU summary: one CFG per function,
// and each repetition fixed point computed at most once per TU.
#pragma once

#include "analysis/BoundsOnPaths.hpp"
#include "analysis/DeadlinesOnPaths.hpp"
#include "analysis/Repetition.hpp"
#include "recognisers/BoundRecogniser.hpp"
#include "recognisers/WaitRecogniser.hpp"

#include <optional>

namespace spawnguard {

class TranslationUnitAnalyses {
public:
  TranslationUnitAnalyses(clang::ASTContext &context, const RecogniserNames &names, const TranslationUnitFacts &facts,
                          bool strict)
      : Context(context), Facts(facts), Strict(strict), Graphs(context), Bounds(context, names, facts.Awaited),
        Paths(context, Bounds, Graphs), Waits(names), Deadlines(context, Waits, Graphs) {}

  BoundsOnPaths &paths() { return Paths; }
  DeadlinesOnPaths &deadlines() { return Deadlines; }

  // Repetition that stops at bounds (what spawnguard-unbounded-spawn reports).
  RepetitionAnalysis &repetition() {
    if (!Repeats) {
      Repeats.emplace(Context, Facts, Paths, Strict);
    }
    return *Repeats;
  }

  // Repetition through bounds (what makes a task, however many run at once).
  RepetitionAnalysis &taskRepetition() {
    if (!TaskRepeats) {
      TaskRepeats.emplace(Context, Facts, Paths, Strict, /*throughBounds=*/true);
    }
    return *TaskRepeats;
  }

private:
  clang::ASTContext &Context;
  const TranslationUnitFacts &Facts;
  bool Strict;
  FunctionGraphs Graphs; // one CFG per function body, for both path analyses
  BoundRecogniser Bounds;
  BoundsOnPaths Paths;
  WaitRecogniser Waits;
  DeadlinesOnPaths Deadlines;
  std::optional<RepetitionAnalysis> Repeats;
  std::optional<RepetitionAnalysis> TaskRepeats;
};

} // namespace spawnguard

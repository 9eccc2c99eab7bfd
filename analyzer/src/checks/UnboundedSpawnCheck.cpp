// Reporting repeated, unbounded spawns with the chain that repeats them.
#include "checks/UnboundedSpawnCheck.hpp"

#include "analysis/AstNavigation.hpp"
#include "analysis/BoundsOnPaths.hpp"
#include "analysis/Repetition.hpp"
#include "recognisers/BoundRecogniser.hpp"

namespace spawnguard {

void UnboundedSpawnCheck::onEndOfTranslationUnit() {
  const TranslationUnitFacts &facts = Context.Facts;
  if (facts.Spawns.empty()) {
    return;
  }
  BoundRecogniser bounds(Context.AST, Context.Names, facts.Awaited);
  BoundsOnPaths paths(Context.AST, bounds);
  RepetitionAnalysis repetition(Context.AST, facts, paths, Context.Strict);
  for (const SpawnCall &spawn : facts.Spawns) {
    std::optional<Repetition> repeated = repetition.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work);
    if (!repeated || repeated->Bounded) {
      continue;
    }
    PendingFinding finding;
    finding.Check = Name;
    finding.Location = spawn.Location;
    finding.Message = "unbounded spawn: '" + spawn.Callee + "' runs once per " + repeated->PerWhat +
                      " and nothing limits how many run at once";
    for (const WitnessStep &step : repeated->Steps) {
      finding.Notes.push_back({step.Location, step.Note});
    }
    finding.Notes.push_back({spawn.Location, "bound it: acquire a semaphore before spawning, feed a bounded channel "
                                             "to a fixed pool of workers, or spawn through spawnguard with a site "
                                             "limit"});
    finding.Function = describeFunction(spawn.Context);
    finding.Callee = spawn.Callee;
    Context.Report(std::move(finding));
  }
}

} // namespace spawnguard

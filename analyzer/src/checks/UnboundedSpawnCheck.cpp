// Reporting repeated, unbounded spawns with the chain that repeats them, in
// one unit and across units.
#include "checks/UnboundedSpawnCheck.hpp"

#include "ast/AstNavigation.hpp"

#include <set>
#include <tuple>

namespace spawnguard {

std::string UnboundedSpawnCheck::message(const std::string &callee, const std::string &perWhat) {
  if (llvm::StringRef(callee).starts_with("spawnguard::")) {
    return "unbounded spawn: '" + callee + "' runs once per " + perWhat +
           "; counted by spawnguard but not limited: set a limit in code or with SPAWNGUARD_LIMITS=<site>=N";
  }
  return "unbounded spawn: '" + callee + "' runs once per " + perWhat + " and nothing limits how many run at once";
}

void UnboundedSpawnCheck::finishTranslationUnit() {
  const TranslationUnitFacts &facts = Context.Facts;
  if (facts.Spawns.empty()) {
    return;
  }
  RepetitionAnalysis &repetition = Context.Analyses.repetition();
  for (const SpawnCall &spawn : facts.Spawns) {
    std::optional<Repetition> repeated = repetition.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work);
    if (!repeated || repeated->Bounded || spawn.Guarded == GuardedSpawn::Limited) {
      continue;
    }
    PendingFinding finding;
    finding.Check = Name;
    finding.Location = spawn.Location;
    finding.Message = message(spawn.Callee, repeated->PerWhat);
    for (const WitnessStep &step : repeated->Steps) {
      finding.Notes.push_back({step.Location, step.Note});
    }
    finding.Notes.push_back({spawn.Location, BoundItNote});
    finding.Function = describeFunction(spawn.Context);
    finding.Callee = spawn.Callee;
    finding.Subject = spawn.Anchor;
    Context.report(std::move(finding));
  }
}

void UnboundedSpawnCheck::reportAcrossUnits(const CrossUnitContext &context, std::vector<Finding> &findings) {
  std::set<std::tuple<std::string, unsigned, unsigned>> reported;
  for (const TranslationUnitSummary *unit : context.Units) {
    if (!CrossUnitContext::enables(*unit, Name)) {
      continue;
    }
    for (const SummarySpawn &spawn : unit->Spawns) {
      const CrossRepetition *repetition = context.Graph.repetitionOf(RepetitionKind::Unbounded, spawn.Function);
      if (repetition == nullptr || spawn.RepeatedHere || spawn.BoundedFromEntry ||
          !reported.insert(spawn.Where.key()).second) {
        continue;
      }
      Finding finding;
      finding.Check = Name;
      finding.Message = message(spawn.Callee, repetition->PerWhat);
      finding.Where = spawn.Where;
      for (const SummaryStep &step : repetition->Steps) {
        finding.Notes.push_back({step.Where, step.Note});
      }
      finding.Notes.push_back({spawn.Where, BoundItNote});
      finding.Function = context.Graph.nameOf(spawn.Function);
      finding.Callee = spawn.Callee;
      findings.push_back(std::move(finding));
    }
  }
}

} // namespace spawnguard

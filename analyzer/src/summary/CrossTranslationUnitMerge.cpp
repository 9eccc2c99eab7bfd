// Propagating repetition over the global call graph to a fixed point, one
// witness chain per function, then reporting what no single unit could.
#include "summary/CrossTranslationUnitMerge.hpp"

#include "checks/UnboundedSpawnCheck.hpp"

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringSet.h>

#include <algorithm>
#include <deque>
#include <set>

namespace spawnguard {
namespace {

// Why a function runs once per outside event, seen across translation units.
struct CrossRepetition {
  std::string PerWhat;
  std::vector<SummaryStep> Steps; // from the function's caller outwards to the root
};

SummaryStep stepAt(const SummaryCall &call) {
  return {call.Where, call.Kind == EdgeKind::Handler ? "completion handler of an operation started here"
                                                     : "called from here, in a repeated context"};
}

class CallGraph {
public:
  explicit CallGraph(const std::vector<const TranslationUnitSummary *> &units) : Units(units) {
    std::set<std::tuple<std::string, std::string, std::string, unsigned, unsigned>> seen;
    for (const TranslationUnitSummary *unit : Units) {
      for (const SummaryFunction &function : unit->Functions) {
        Names.try_emplace(function.Usr, function.Name);
      }
      // A function defined in a header is summarised by every unit that
      // includes it: its calls are kept once.
      for (const SummaryCall &call : unit->Calls) {
        if (seen.emplace(call.Caller, call.Callee, call.Where.File, call.Where.Line, call.Where.Column).second) {
          CallsFrom[call.Caller].push_back(&call);
        }
      }
    }
  }

  // Seeds: call sites repeated, unbounded, in their own unit, whose callee
  // that unit does not define; then unbounded calls out of repeated
  // functions, until nothing changes. The first chain found for a function wins.
  void propagate() {
    std::deque<std::string> work;
    for (const TranslationUnitSummary *unit : Units) {
      llvm::StringSet<> defined;
      for (const SummaryFunction &function : unit->Functions) {
        defined.insert(function.Usr);
      }
      for (const SummaryCall &call : unit->Calls) {
        if (!call.Repeated || call.Repeated->Bounded || defined.contains(call.Callee) ||
            Repeated.contains(call.Callee)) {
          continue;
        }
        CrossRepetition repetition{call.Repeated->PerWhat, {stepAt(call)}};
        repetition.Steps.insert(repetition.Steps.end(), call.Repeated->Steps.begin(), call.Repeated->Steps.end());
        Repeated.try_emplace(call.Callee, std::move(repetition));
        work.push_back(call.Callee);
      }
    }
    while (!work.empty()) {
      std::string function = work.front();
      work.pop_front();
      auto out = CallsFrom.find(function);
      if (out == CallsFrom.end()) {
        continue;
      }
      for (const SummaryCall *call : out->second) {
        // A call the unit saw repeated is decided there (or is a seed above).
        if (call->Repeated || call->BoundedFromEntry || Repeated.contains(call->Callee)) {
          continue;
        }
        CrossRepetition repetition = Repeated.find(function)->second;
        repetition.Steps.insert(repetition.Steps.begin(), stepAt(*call));
        Repeated.try_emplace(call->Callee, std::move(repetition));
        work.push_back(call->Callee);
      }
    }
  }

  const CrossRepetition *repetitionOf(const std::string &usr) const {
    auto found = Repeated.find(usr);
    return found == Repeated.end() ? nullptr : &found->second;
  }

  std::string nameOf(const std::string &usr) const { return Names.lookup(usr); }

private:
  const std::vector<const TranslationUnitSummary *> &Units;
  llvm::StringMap<std::string> Names;
  llvm::StringMap<std::vector<const SummaryCall *>> CallsFrom;
  llvm::StringMap<CrossRepetition> Repeated;
};

bool enables(const TranslationUnitSummary &unit, llvm::StringRef check) {
  return std::find(unit.EnabledChecks.begin(), unit.EnabledChecks.end(), check) != unit.EnabledChecks.end();
}

} // namespace

std::vector<Finding> crossTranslationUnitFindings(const std::vector<TranslationUnitSummary> &summaries) {
  std::vector<const TranslationUnitSummary *> units;
  for (const TranslationUnitSummary &summary : summaries) {
    units.push_back(&summary);
  }
  std::sort(units.begin(), units.end(),
            [](const TranslationUnitSummary *a, const TranslationUnitSummary *b) { return a->File < b->File; });
  CallGraph graph(units);
  graph.propagate();

  std::vector<Finding> findings;
  std::set<std::tuple<std::string, unsigned, unsigned>> reported;
  for (const TranslationUnitSummary *unit : units) {
    if (!enables(*unit, UnboundedSpawnCheck::Name)) {
      continue;
    }
    for (const SummarySpawn &spawn : unit->Spawns) {
      const CrossRepetition *repetition = graph.repetitionOf(spawn.Function);
      if (repetition == nullptr || spawn.RepeatedHere || spawn.BoundedFromEntry ||
          !reported.emplace(spawn.Where.File, spawn.Where.Line, spawn.Where.Column).second) {
        continue;
      }
      Finding finding;
      finding.Check = UnboundedSpawnCheck::Name;
      finding.Message = UnboundedSpawnCheck::message(spawn.Callee, repetition->PerWhat);
      finding.Where = spawn.Where;
      for (const SummaryStep &step : repetition->Steps) {
        finding.Notes.push_back({step.Where, step.Note});
      }
      finding.Notes.push_back({spawn.Where, UnboundedSpawnCheck::BoundItNote});
      finding.Function = graph.nameOf(spawn.Function);
      finding.Callee = spawn.Callee;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

} // namespace spawnguard

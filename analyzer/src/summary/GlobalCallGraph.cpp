// Joining the summaries and propagating repetition to a fixed point, one
// witness chain per function.
#include "summary/GlobalCallGraph.hpp"

#include <llvm/ADT/StringSet.h>

#include <deque>
#include <set>
#include <tuple>

namespace spawnguard {
namespace {

using Place = std::tuple<std::string, unsigned, unsigned>;

Place placeOf(const FindingLocation &where) { return {where.File, where.Line, where.Column}; }

SummaryStep stepAt(const SummaryCall &call) {
  switch (call.Kind) {
  case EdgeKind::Handler:
    return {call.Where, "completion handler of an operation started here"};
  case EdgeKind::Dispatch:
    return {call.Where, "an override the virtual call may run"};
  case EdgeKind::Call:
    break;
  }
  return {call.Where, "called from here, in a repeated context"};
}

// How the call's own unit saw it repeat, as kind counts repetition.
const std::optional<LocalRepetition> &localRepetition(const SummaryCall &call, RepetitionKind kind) {
  return kind == RepetitionKind::Unbounded ? call.Repeated : call.TaskRepeated;
}

} // namespace

GlobalCallGraph::GlobalCallGraph(const std::vector<const TranslationUnitSummary *> &units) : Units(units) {
  // A function defined in a header is summarised by every unit that includes
  // it: its calls, spawns and waits are kept once.
  std::set<std::tuple<std::string, std::string, Place>> calls;
  std::set<Place> spawns;
  std::set<Place> waits;
  for (const TranslationUnitSummary *unit : Units) {
    for (const SummaryFunction &function : unit->Functions) {
      Names.try_emplace(function.Usr, function.Name);
    }
    for (const SummaryCall &call : unit->Calls) {
      if (calls.emplace(call.Caller, call.Callee, placeOf(call.Where)).second) {
        CallsFrom[call.Caller].push_back(&call);
      }
    }
    for (const SummarySpawn &spawn : unit->Spawns) {
      if (spawns.insert(placeOf(spawn.Where)).second) {
        SpawnsIn[spawn.Function].push_back({&spawn, unit});
      }
    }
    for (const SummaryWait &wait : unit->Waits) {
      if (waits.insert(placeOf(wait.Where)).second) {
        WaitsIn[wait.Function].push_back({&wait, unit});
      }
    }
  }
}

void GlobalCallGraph::propagate(RepetitionKind kind) {
  llvm::StringMap<CrossRepetition> &repeated = Repeated[static_cast<int>(kind)];
  std::deque<std::string> work;
  for (const TranslationUnitSummary *unit : Units) {
    llvm::StringSet<> defined;
    for (const SummaryFunction &function : unit->Functions) {
      defined.insert(function.Usr);
    }
    for (const SummaryCall &call : unit->Calls) {
      const std::optional<LocalRepetition> &local = localRepetition(call, kind);
      bool stops = !local || (kind == RepetitionKind::Unbounded && local->Bounded);
      if (stops || defined.contains(call.Callee) || repeated.contains(call.Callee)) {
        continue;
      }
      CrossRepetition repetition{local->PerWhat, {stepAt(call)}};
      repetition.Steps.insert(repetition.Steps.end(), local->Steps.begin(), local->Steps.end());
      repeated.try_emplace(call.Callee, std::move(repetition));
      work.push_back(call.Callee);
    }
  }
  while (!work.empty()) {
    std::string function = work.front();
    work.pop_front();
    for (const SummaryCall *call : callsFrom(function)) {
      // A call its unit saw repeated is decided there (or is a seed above).
      if (localRepetition(*call, kind) || (kind == RepetitionKind::Unbounded && call->BoundedFromEntry) ||
          repeated.contains(call->Callee)) {
        continue;
      }
      CrossRepetition repetition = repeated.find(function)->second;
      repetition.Steps.insert(repetition.Steps.begin(), stepAt(*call));
      repeated.try_emplace(call->Callee, std::move(repetition));
      work.push_back(call->Callee);
    }
  }
}

const CrossRepetition *GlobalCallGraph::repetitionOf(RepetitionKind kind, llvm::StringRef usr) const {
  const llvm::StringMap<CrossRepetition> &repeated = Repeated[static_cast<int>(kind)];
  auto found = repeated.find(usr);
  return found == repeated.end() ? nullptr : &found->second;
}

const std::vector<const SummaryCall *> &GlobalCallGraph::callsFrom(llvm::StringRef usr) const {
  static const std::vector<const SummaryCall *> none;
  auto found = CallsFrom.find(usr);
  return found == CallsFrom.end() ? none : found->second;
}

const std::vector<InUnit<SummarySpawn>> &GlobalCallGraph::spawnsIn(llvm::StringRef usr) const {
  static const std::vector<InUnit<SummarySpawn>> none;
  auto found = SpawnsIn.find(usr);
  return found == SpawnsIn.end() ? none : found->second;
}

const std::vector<InUnit<SummaryWait>> &GlobalCallGraph::waitsIn(llvm::StringRef usr) const {
  static const std::vector<InUnit<SummaryWait>> none;
  auto found = WaitsIn.find(usr);
  return found == WaitsIn.end() ? none : found->second;
}

} // namespace spawnguard

// The call graph of the whole program, joined by USR over every translation
// unit's summary, and repetition carried across it from the call sites each
// unit knows are repeated to the functions other units define.
#pragma once

#include "summary/TranslationUnitSummary.hpp"

#include <llvm/ADT/StringMap.h>

#include <vector>

namespace spawnguard {

// Why a function runs once per outside event, seen across translation units.
struct CrossRepetition {
  std::string PerWhat;
  std::vector<SummaryStep> Steps; // from the function's caller outwards to the root
};

enum class RepetitionKind {
  Unbounded, // spawnguard-unbounded-spawn: stops at calls a permit or limit check covers
  Task,      // spawnguard-missing-deadline: a task is a task however many run at once
};

// A summarised item and the unit that holds it (whose enabled checks apply).
template <typename Item> struct InUnit {
  const Item *Summarised = nullptr;
  const TranslationUnitSummary *Unit = nullptr;
};

class GlobalCallGraph {
public:
  // units in a fixed order (by file): the first chain found for a function wins.
  explicit GlobalCallGraph(const std::vector<const TranslationUnitSummary *> &units);

  // Seeds: call sites repeated (as kind counts it) in their own unit, whose
  // callee that unit does not define; then calls out of repeated functions
  // that their unit did not decide, until nothing changes.
  void propagate(RepetitionKind kind);
  const CrossRepetition *repetitionOf(RepetitionKind kind, llvm::StringRef usr) const;

  const std::vector<const SummaryCall *> &callsFrom(llvm::StringRef usr) const;
  const std::vector<InUnit<SummarySpawn>> &spawnsIn(llvm::StringRef usr) const;
  const std::vector<InUnit<SummaryWait>> &waitsIn(llvm::StringRef usr) const;
  std::string nameOf(llvm::StringRef usr) const { return Names.lookup(usr); }

private:
  const std::vector<const TranslationUnitSummary *> &Units;
  llvm::StringMap<std::string> Names;
  llvm::StringMap<std::vector<const SummaryCall *>> CallsFrom;
  llvm::StringMap<std::vector<InUnit<SummarySpawn>>> SpawnsIn;
  llvm::StringMap<std::vector<InUnit<SummaryWait>>> WaitsIn;
  llvm::StringMap<CrossRepetition> Repeated[2];
};

} // namespace spawnguard

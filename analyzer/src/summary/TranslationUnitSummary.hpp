// What one translation unit tells the cross-translation-unit merge: the user
// functions that spawn or call across the unit's edge (keyed by USR), their
// call edges and spawns with what this unit already knows about repetition
// and bounds. Plain data, written as JSON. The unit's findings are not in it:
// they go straight to the output (findings/Finding.hpp).
#pragma once

#include "findings/Finding.hpp"

#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

// Bumped whenever the meaning or the shape of a summary changes.
inline constexpr int SummaryFormatVersion = 5;

struct SummaryFunction {
  std::string Usr;
  std::string Name; // "session::start", "lambda in listener"
  FindingLocation Where;
};

struct SummaryStep {
  FindingLocation Where;
  std::string Note;
};

// How a call site repeats inside its own translation unit.
struct LocalRepetition {
  std::string PerWhat;
  std::vector<SummaryStep> Steps; // from the call outwards to the root
  bool Bounded = false;
};

// Call: a plain call. Handler: an operation's completion handler. Dispatch: a
// virtual method (Caller) to an override of it (Callee), from the unit that
// defines the override; a call of the first may run the second.
enum class EdgeKind { Call, Handler, Dispatch };

struct SummaryCall {
  std::string Caller; // USR
  std::string Callee; // USR
  EdgeKind Kind = EdgeKind::Call;
  FindingLocation Where;
  // A permit or limit check covers the call on every path from the caller's
  // entry (computed only when Repeated is empty: the merge reads it only then).
  bool BoundedFromEntry = false;
  std::optional<LocalRepetition> Repeated;
  // How the call repeats counting bounded repetition too (a task is a task
  // however many run at once): what spawnguard-missing-deadline follows.
  std::optional<LocalRepetition> TaskRepeated;
  // A deadline set before the call (on every path from the caller's entry,
  // or carried by the call itself) covers what the callee waits on.
  bool DeadlineBefore = false;
};

struct SummarySpawn {
  std::string Function; // USR of the function holding it
  std::string Callee;   // "boost::asio::co_spawn"
  std::string Work;     // USR of the spawned function or lambda, "" when unknown
  FindingLocation Where;
  bool BoundedFromEntry = false;
  bool RepeatedHere = false; // this unit already decided it (reported or bounded)
  // The spawn repeats in this unit, bounded or not: its work is a task.
  std::optional<LocalRepetition> TaskRepeated;
  bool DeadlineBefore = false; // a deadline set before the spawn covers the work
};

// A wait on the network or a database that nothing inside its own function
// gives a deadline; whether one set by a caller covers it is the merge's question.
struct SummaryWait {
  std::string Function; // USR
  std::string Callee;   // "boost::asio::basic_stream_socket::async_read_some"
  bool Database = false; // a configured database wait, else the network
  FindingLocation Where;
  std::optional<FindingLocation> TurnedOffAt; // expires_never on some path before it
};

struct TranslationUnitSummary {
  std::string File; // the main file, absolute
  std::vector<std::string> EnabledChecks;
  std::vector<SummaryFunction> Functions; // defined in this unit
  std::vector<SummaryCall> Calls;
  std::vector<SummarySpawn> Spawns;
  std::vector<SummaryWait> Waits;
};

} // namespace spawnguard

// "Does a deadline stop this wait?": the wait carries its own (raced with a
// timer, a cancellation slot in its token, wrapped by a deadline function), or
// every path from the start of its function to it passes one (Beast's
// expires_after / expires_at, a timer armed to cancel or close, a configured
// deadline function) — unless expires_never turned it off again.
#pragma once

#include "analysis/FunctionGraphs.hpp"
#include "recognisers/WaitRecogniser.hpp"

namespace spawnguard {

enum class DeadlineState {
  Set,       // every path passes a deadline
  None,      // some path reaches the site with no deadline
  TurnedOff, // some path reaches it only after expires_never
};

struct DeadlineOnPath {
  DeadlineState State = DeadlineState::None;
  clang::SourceLocation TurnedOffAt; // the expires_never call, for TurnedOff
};

class DeadlinesOnPaths {
public:
  // graphs: the TU's CFG cache, shared with the other path analyses.
  DeadlinesOnPaths(clang::ASTContext &context, const WaitRecogniser &waits, FunctionGraphs &graphs)
      : Context(context), Waits(waits), Graphs(graphs) {}

  // Whether a deadline is in force at site (a wait, or a call or spawn that
  // leads to one) on every path from the start of function.
  // object: the socket or stream the site waits on, when known; a deadline
  // about another named object does not count.
  DeadlineOnPath at(const clang::FunctionDecl *function, const clang::Expr *site,
                    const clang::ValueDecl *object = nullptr);

  // Whether the site (a wait, or a call leading to one) brings its own
  // deadline: an awaitable-operator race with a timer (op ||
  // timer.async_wait(...)) or with a watchdog coroutine (one that waits on a
  // timer; under && one that also throws), a deadline call in its arguments
  // (bind_cancellation_slot, cancel_after), or a deadline call around it.
  bool carriesOwnDeadline(const clang::CallExpr *site) const;

private:
  // Whether the other side of an awaitable operator ends the site's wait.
  bool endsTheOtherSide(const clang::Expr *side, bool bothMustSucceed) const;
  bool isDeadlineEvent(const clang::Stmt *stmt, const clang::ValueDecl *object = nullptr) const;

  clang::ASTContext &Context;
  const WaitRecogniser &Waits;
  FunctionGraphs &Graphs;
};

} // namespace spawnguard

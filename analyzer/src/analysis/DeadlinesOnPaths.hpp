// "Does a deadline stop this wait?": the wait carries its own (raced with a
// timer, a cancellation slot in its token, wrapped by a deadline function), or
// every path from the start of its function to it passes one (Beast's
// expires_after / expires_at, a timer armed to cancel or close, a configured
// deadline function) — unless expires_never turned it off again.
#pragma once

#include "analysis/FunctionGraphs.hpp"
#include "recognisers/WaitRecogniser.hpp"

#include <map>
#include <utility>

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
  // Whether the site starts an operation without waiting for it (an async_*
  // call not co_awaited, or a callback-style helper that starts one): a
  // deadline armed right after it, before the function returns, is in time.
  bool startsWithoutWaiting(const clang::Expr *site) const;
  // In a stackless coroutine (BOOST_ASIO_CORO_REENTER), whether a deadline for
  // object is set above the site: an earlier resumption ran it.
  bool setInEarlierResumption(const clang::Stmt *body, const clang::Expr *site, const clang::ValueDecl *object) const;
  bool coveredAfter(const clang::CFG *graph, const clang::CFGBlock *block,
                    const llvm::DenseSet<const clang::Stmt *> &chain, const clang::Expr *site,
                    const clang::ValueDecl *object) const;
  // Whether the other side of an awaitable operator ends the site's wait.
  bool endsTheOtherSide(const clang::Expr *side, bool bothMustSucceed) const;
  // depth: how many levels of the project's own functions may arm it (a
  // wrapper that arms a timer, a wrapper of that wrapper, ...).
  bool isDeadlineEvent(const clang::Stmt *stmt, const clang::ValueDecl *object = nullptr,
                       int depth = MaxWrapperDepth) const;
  bool isDeadlineEventUncached(const clang::Stmt *stmt, const clang::ValueDecl *object, int depth) const;
  // Whether outer is a stream layered over inner (built from it, moved in):
  // inner's Beast expiry is outer's.
  static bool layeredOver(const clang::ValueDecl *outer, const clang::ValueDecl *inner);
  // Whether calling function arms a deadline for object: it does one of the
  // things above, itself or through the functions it calls.
  bool armsDeadline(const clang::FunctionDecl *function, const clang::ValueDecl *object, int depth) const;

  static constexpr int MaxWrapperDepth = 3;

  clang::ASTContext &Context;
  const WaitRecogniser &Waits;
  FunctionGraphs &Graphs;
  mutable std::map<std::pair<const clang::FunctionDecl *, const clang::ValueDecl *>, bool> Wrappers;
  mutable llvm::DenseMap<const clang::Stmt *, bool> Stackless; // by function body
  mutable llvm::DenseMap<std::pair<const clang::Stmt *, const clang::ValueDecl *>, bool> DeadlineEvents;
};

} // namespace spawnguard

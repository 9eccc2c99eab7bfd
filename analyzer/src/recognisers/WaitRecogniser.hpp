// "Is this a wait on something outside the process?" and "does this put a
// deadline on it?": the lists spawnguard-missing-deadline reads.
#pragma once

#include "recognisers/RecogniserNames.hpp"

#include <clang/AST/Expr.h>

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace spawnguard {

enum class WaitKind {
  Network,  // sockets and streams, async and blocking forms
  Database, // the wait list's query functions (libpq, sqlite3, the project's own)
};

struct WaitCall {
  const clang::CallExpr *Call = nullptr;
  clang::SourceLocation Location; // the callee's name
  std::string Callee;             // "boost::beast::http::async_read"
  WaitKind Kind = WaitKind::Network;
  const clang::ValueDecl *Object = nullptr; // the socket or stream waited on, when it can be named
};

// The variable or member an object expression names, through Beast's and
// Asio's layer accessors (get_lowest_layer(ws), ws.next_layer(), *ptr).
// Null when it names none.
const clang::ValueDecl *objectNamedBy(const clang::Expr *expr);

class WaitRecogniser {
public:
  explicit WaitRecogniser(const RecogniserNames &names) : Names(names) {}

  // Socket and stream waits (async and blocking forms) and configured waits.
  std::optional<WaitCall> recognise(const clang::CallExpr *call) const;
  // sock.non_blocking(true): the socket named (null when it names none) is
  // set to return would_block instead of waiting; sets `is` when call does that.
  const clang::ValueDecl *putsNonBlocking(const clang::CallExpr *call, bool &is) const;
  // A synchronous network wait (read_some, write, receive, ...): on a
  // non-blocking socket it returns at once instead of waiting.
  static bool isSynchronous(const WaitCall &wait);
  // Configured deadline functions, Beast's expires_after / expires_at,
  // cancellation slots and cancel_after / cancel_at.
  bool isDeadline(const clang::CallExpr *call) const;
  // A deadline call that is about one object (stream.expires_after, ws.set_option):
  // that object; null for the others (configured functions, cancellation slots).
  const clang::ValueDecl *deadlineObject(const clang::CallExpr *call) const;
  // Beast's expires_never: a deadline explicitly turned off.
  bool turnsDeadlineOff(const clang::CallExpr *call) const;
  // timer.async_wait(...) on an Asio timer.
  bool isTimerWait(const clang::CallExpr *call) const;
  // timer.async_wait(handler) whose handler cancels or closes something: a
  // watchdog that ends the waits on that object when the timer fires.
  // object: when set, the handler must end waits on that object (or on one it cannot name).
  bool armsCancellingTimer(const clang::CallExpr *call, const clang::ValueDecl *object = nullptr) const;
  // scheduler.schedule([self] { self->socket_.close(); }) on a project class
  // that keeps an Asio timer: a callback run later that ends waits on object.
  bool schedulesEndingCallback(const clang::CallExpr *call, const clang::ValueDecl *object = nullptr) const;
  // timer_.expires_after(10s) on a member timer that a watchdog of its class
  // waits on and then ends waits on object (a sibling coroutine looping on
  // the timer and closing the socket, or a handler doing it): moving the
  // watchdog's expiry is the deadline.
  bool movesWatchdogExpiry(const clang::CallExpr *call, const clang::ValueDecl *object = nullptr) const;

  // A WebSocket stream member whose class sets its timeout option somewhere
  // (ws_.set_option(stream_base::timeout::suggested(role)) in the method that
  // accepts): the option stays on the stream for its life, so every wait on
  // it has a deadline, whichever task makes the wait.
  bool keepsTimeoutOption(const clang::ValueDecl *object) const;

private:
  // Whether some code of the timer's class waits on it and then ends waits on object.
  bool isWatchdogTimer(const clang::FieldDecl *timer, const clang::ValueDecl *object) const;

  const RecogniserNames &Names;
  mutable std::map<std::pair<const clang::FieldDecl *, const clang::ValueDecl *>, bool> Watchdogs;
  mutable std::map<const clang::FieldDecl *, bool> TimeoutOptions;
};

} // namespace spawnguard

// What spawnguard-unbounded-queue looks at: a queue (a standard container
// that outlives the iteration: a member or a variable of static storage), the
// calls that push onto it or drain it, and the size checks that cap it.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>

#include <optional>
#include <string>

namespace spawnguard {

enum class QueueOperation { Push, Drain };

struct QueueCall {
  const clang::Expr *Call = nullptr;
  const clang::ValueDecl *Queue = nullptr;          // the member or static variable
  const clang::FunctionDecl *Function = nullptr;    // canonical: where the call is made
  QueueOperation Operation = QueueOperation::Push;
};

// The call's operation on a queue, if it is one: push_back, emplace, insert,
// a map's operator[] (a push); pop*, erase, extract, std::erase(_if) (a drain).
// clear() is not a drain: a buffer reset, not a consumer.
std::optional<QueueCall> queueCall(clang::ASTContext &context, const clang::Expr *call);

// "std::deque", "std::unordered_map", ... for a queue's declared type.
std::string queueKind(const clang::ValueDecl *queue);

// Whether a queue holds (pointers to) self-owning sessions: a table of live
// connections grows with the sessions, which spawnguard-unbounded-spawn bounds.
bool holdsSessions(const clang::ValueDecl *queue);

// Whether the expression reads the queue's size: q.size(), std::size(q),
// or a local variable initialised from one.
bool readsSizeOf(const clang::Stmt *expr, const clang::ValueDecl *queue);

// A wait whose predicate reads the queue's size: cv.wait(lock, [&] { return q.size() < max; }).
bool waitsOnSizeOf(const clang::Stmt *stmt, const clang::ValueDecl *queue);

// A trim in function: a condition or loop reading the queue's size whose body drains it
// (while (q.size() > max) q.pop_front();).
const clang::Stmt *trimIn(const clang::FunctionDecl *function, const clang::ValueDecl *queue);

} // namespace spawnguard

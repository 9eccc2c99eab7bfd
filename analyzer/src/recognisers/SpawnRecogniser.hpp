// "Is this a spawn?": a call or construction that starts concurrent work whose
// lifetime is not tied to the code that started it (analyzer.md, "What is a spawn").
#pragma once

#include "recognisers/RecogniserNames.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <llvm/ADT/DenseSet.h>

#include <optional>
#include <string>

namespace spawnguard {

enum class SpawnKind {
  Call,              // co_spawn, spawn, post, dispatch, defer, pthread_create, configured
  Thread,            // std::thread / std::jthread detached or moved away
  ThreadInContainer, // threads.emplace_back(fn)
  Async,             // std::async(std::launch::async, ...) whose future is kept
  Session,           // a fresh object's method that starts work keeping it alive (analysis/SessionStarts)
};

// A spawn through spawnguard's wrappers: limited (an admission taken first, or
// a site whose limit the code sets) or only counted.
enum class GuardedSpawn { No, Counted, Limited };

struct SpawnCall {
  const clang::Expr *Anchor = nullptr;       // the expression the finding is about
  clang::SourceLocation Location;            // where the finding points
  std::string Callee;                        // "boost::asio::co_spawn", "std::thread", "session::start"
  SpawnKind Kind = SpawnKind::Call;
  const clang::FunctionDecl *Context = nullptr; // the function (or lambda) holding the spawn
  const clang::FunctionDecl *Work = nullptr;    // the spawned function or lambda, when known
  const clang::Expr *WorkExpr = nullptr;        // the expression naming the work (not a plain call)
  GuardedSpawn Guarded = GuardedSpawn::No;
  const clang::ValueDecl *GuardSite = nullptr; // the spawnguard::Site variable or member it spawns at
};

class SpawnRecogniser {
public:
  // awaited: expressions that are the operand of a co_await (see TranslationUnitFacts).
  SpawnRecogniser(clang::ASTContext &context, const RecogniserNames &names,
                  const llvm::DenseSet<const clang::Expr *> &awaited);

  std::optional<SpawnCall> recognise(const clang::Expr *expr) const;

  // The user-written function or lambda an argument starts (a lambda, a call
  // to a coroutine, a function reference, &Class::method inside a bind).
  const clang::FunctionDecl *spawnedWork(const clang::Expr *argument, const clang::Expr *&workExpr) const;

private:
  std::optional<SpawnCall> recogniseCall(const clang::CallExpr *call) const;
  std::optional<SpawnCall> recogniseThread(const clang::CXXConstructExpr *construct) const;
  std::optional<SpawnCall> recogniseThreadInContainer(const clang::CXXMemberCallExpr *call) const;
  std::optional<SpawnCall> recogniseAsync(const clang::CallExpr *call) const;
  bool resultOutlivesStatement(const clang::Expr *expr, bool detachCounts) const;
  // t.join() (or timed_join, try_join_for, ...) on the thread variable.
  static bool isJoinOf(const clang::Stmt *node, const clang::VarDecl *thread);
  bool joinedInSameIteration(const clang::CallExpr *call) const;
  bool isThreadType(clang::QualType type) const;
  // spawnguard::co_spawn(admission | site | executor, ...): sets the spawn's
  // Guarded and GuardSite; true when the first argument is a site or admission.
  bool guardWith(const clang::CallExpr *call, SpawnCall &spawn) const;

  clang::ASTContext &Context;
  const RecogniserNames &Names;
  const llvm::DenseSet<const clang::Expr *> &Awaited;
};

} // namespace spawnguard

// "Is this a bound?": a permit taken before a spawn, or a condition that
// decides whether the spawn happens by checking a limit (analyzer.md, "bounded").
#pragma once

#include "recognisers/RecogniserNames.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>

namespace spawnguard {

class BoundRecogniser {
public:
  BoundRecogniser(clang::ASTContext &context, const RecogniserNames &names,
                  const llvm::DenseSet<const clang::Expr *> &awaited);

  // A statement that takes a permit: a semaphore or limiter acquire, an awaited
  // send on a channel used as a token bucket, a configured bound function.
  bool takesPermit(const clang::Stmt *stmt) const;

  // A condition that can decide a spawn: try_acquire*, or a comparison of a
  // counter that the iteration (iterationRoot) or the spawned work changes.
  bool isLimitCondition(const clang::Expr *condition, const clang::Stmt *iterationRoot,
                        const clang::FunctionDecl *work) const;

private:
  bool changedIn(const clang::ValueDecl *counter, const clang::Stmt *root, int callDepth) const;
  bool changedByWork(const clang::ValueDecl *counter, const clang::FunctionDecl *work) const;
  // The variables and members changed in root, through callDepth levels of calls.
  const llvm::DenseSet<const clang::ValueDecl *> &changedDecls(const clang::Stmt *root, int callDepth) const;

  clang::ASTContext &Context;
  const RecogniserNames &Names;
  const llvm::DenseSet<const clang::Expr *> &Awaited;
  mutable llvm::DenseMap<std::pair<const clang::Stmt *, int>, llvm::DenseSet<const clang::ValueDecl *>> ChangedInRoot;
};

} // namespace spawnguard

// "Does this member call start a session?": a call on an object made for the
// purpose (make_shared, new, a factory, or a variable, member or container
// such a value was stored into) of a method that starts asynchronous work
// keeping that object alive: a handler or coroutine that captures
// shared_from_this(), or a completion path that ends in `delete this`. Decided
// by what the method does, whatever its name; a virtual method by every
// override this unit defines. Run once the unit's facts are collected: the
// starts become spawns, and their calls stop being plain calls.
#pragma once

#include "analysis/TranslationUnitFacts.hpp"

#include <clang/AST/StmtCXX.h>

namespace spawnguard {

class SessionStarts {
public:
  SessionStarts(clang::ASTContext &context, const RecogniserNames &names, TranslationUnitFacts &facts);

  void recognise();

private:
  enum class Verdict { No, Yes, Unknown };

  // Whether the method (or an override of it) starts work that keeps its object alive.
  Verdict startsSelfOwningWork(const clang::CXXMethodDecl *method);
  bool bodyStartsSelfOwningWork(const clang::FunctionDecl *function);
  // With no body in sight: a void, non-const method of a class deriving from
  // enable_shared_from_this (the body is in another unit).
  bool looksLikeSessionStart(const clang::CXXMethodDecl *method) const;

  // Whether an expression's value is an object made right there or stored
  // from one (depth bounds chains of variables).
  bool isFresh(const clang::Expr *expr, unsigned depth);
  bool isFreshDecl(const clang::ValueDecl *decl, bool inContainer, unsigned depth);
  bool isFreshParameter(const clang::ParmVarDecl *parameter, unsigned depth);
  bool returnsFresh(const clang::FunctionDecl *function, unsigned depth);
  const clang::CXXForRangeStmt *rangeLoopOf(const clang::VarDecl *variable) const;

  // Whether an argument of an asynchronous operation or spawn holds the
  // object alive: shared_from_this() in it, or a capture of a variable made from it.
  bool keepsAlive(const clang::Expr *argument) const;

  clang::ASTContext &Context;
  const RecogniserNames &Names;
  TranslationUnitFacts &Facts;
  llvm::DenseMap<const clang::FunctionDecl *, bool> BodyVerdicts;
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<const Assignment *, 2>> AssignmentsTo;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const HandlerUse *, 2>> HandlersArmedIn;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const SpawnCall *, 2>> SpawnsIn;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const clang::FunctionDecl *, 4>> Callees;
};

} // namespace spawnguard

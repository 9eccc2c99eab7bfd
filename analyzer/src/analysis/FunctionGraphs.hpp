// The control-flow graphs path reasoning walks: one clang CFG per function
// body (built once, cached), and the set of CFG statements that evaluate a
// given expression.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/Analysis/CFG.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>

#include <memory>

namespace spawnguard {

class FunctionGraphs {
public:
  explicit FunctionGraphs(clang::ASTContext &context) : Context(context) {}

  // The CFG of a function's whole body (a coroutine's written body); body is
  // set to the analysed statement. Null when the function has no body here.
  const clang::CFG *graphOf(const clang::FunctionDecl *function, const clang::Stmt *&body);

private:
  clang::ASTContext &Context;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<clang::CFG>> Graphs;
};

// The target and every statement above it up to root: a CFG element that is
// one of them evaluates the target (a lambda holding it counts too).
llvm::DenseSet<const clang::Stmt *> targetAndAncestors(clang::ASTContext &context, const clang::Expr *target,
                                                      const clang::Stmt *root);

} // namespace spawnguard

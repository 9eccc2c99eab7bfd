// "Is this spawn bounded on every path?": control-flow reasoning over the CFG
// of one iteration (a loop body, or a function body that runs once per event).
#pragma once

#include "analysis/FunctionGraphs.hpp"
#include "recognisers/BoundRecogniser.hpp"

#include <clang/Analysis/CFG.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/STLFunctionalExtras.h>

#include <memory>

namespace spawnguard {

class BoundsOnPaths {
public:
  // graphs: the TU's CFG cache, shared with the other path analyses.
  BoundsOnPaths(clang::ASTContext &context, const BoundRecogniser &bounds, FunctionGraphs &graphs)
      : Context(context), Bounds(bounds), Graphs(graphs) {}

  // Whether every path from the start of an iteration of loop to target takes
  // a permit or passes a limit check that decides whether target runs.
  bool boundedInLoop(const clang::Stmt *loop, const clang::Expr *target, const clang::FunctionDecl *function,
                     const clang::FunctionDecl *work);
  // The same, from the entry of function's body.
  bool boundedInFunction(const clang::FunctionDecl *function, const clang::Expr *target,
                         const clang::FunctionDecl *work);

  // What else gates a target (spawnguard-unbounded-queue: a size check on the
  // queue): a statement after which the path is gated (a wait whose predicate
  // checks the size), a condition that gates the target when it decides it,
  // and a limit check that does not (it compares another container's size).
  struct Gate {
    llvm::function_ref<bool(const clang::Stmt *)> Stops;
    llvm::function_ref<bool(const clang::Expr *)> Decides;
    llvm::function_ref<bool(const clang::Expr *)> Ignores;
  };
  // Whether every path from the start of the iteration around target (its
  // innermost loop in function, else the function's entry) to target takes a
  // permit, passes a limit check deciding it, or passes one of gate's.
  bool gatedOnAllPaths(const clang::FunctionDecl *function, const clang::Expr *target, const Gate &gate);

  // Whether one path through function's body runs both a and b (in either
  // order): a spawn in a completion handler repeats only on paths that re-arm.
  bool onCommonPath(const clang::FunctionDecl *function, const clang::Expr *a, const clang::Expr *b);

private:
  struct Iteration {
    const clang::CFG *Graph = nullptr;
    const clang::CFGBlock *Start = nullptr;
    const clang::CFGBlock *Boundary = nullptr; // the loop header: reaching it ends the iteration
    const clang::Stmt *Root = nullptr;
  };

  bool boundedOnAllPaths(const Iteration &iteration, const clang::Expr *target, const clang::FunctionDecl *work,
                         const Gate *gate = nullptr);
  bool reachesTarget(const Iteration &iteration, const clang::CFGBlock *from, const clang::CFGBlock *avoid,
                     const llvm::DenseSet<const clang::Stmt *> &targetAndAncestors) const;
  bool decidesTarget(const Iteration &iteration, const clang::CFGBlock *block,
                     const llvm::DenseSet<const clang::Stmt *> &targetAndAncestors) const;

  clang::ASTContext &Context;
  const BoundRecogniser &Bounds;
  FunctionGraphs &Graphs;
};

} // namespace spawnguard

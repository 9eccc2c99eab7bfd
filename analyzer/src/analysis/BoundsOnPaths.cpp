// Path reasoning over clang's CFG: a breadth-first walk from the start of an
// iteration that stops at permits and at limit checks deciding the spawn, and
// asks whether the spawn is still reachable.
#include "analysis/BoundsOnPaths.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <deque>

namespace spawnguard {
namespace {

bool leavesTheTask(const clang::Stmt *stmt) { return llvm::isa<clang::CoreturnStmt>(stmt); }

} // namespace

bool BoundsOnPaths::boundedInLoop(const clang::Stmt *loop, const clang::Expr *target,
                                  const clang::FunctionDecl *function, const clang::FunctionDecl *work) {
  // The CFG of the whole function, not of the loop alone: a loop body may hold
  // case labels of a switch outside it (Asio's stackless coroutines), which a
  // CFG rooted at the loop cannot represent.
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return false;
  }
  Iteration iteration{graph, nullptr, nullptr, loop};
  for (const clang::CFGBlock *block : *graph) {
    if (block->getTerminatorStmt() == loop) {
      iteration.Boundary = block;
      // Every loop's first successor is the body (a do-while's header too).
      iteration.Start = block->succ_empty() ? nullptr : block->succ_begin()->getReachableBlock();
    }
  }
  if (iteration.Start == nullptr) {
    return false;
  }
  return boundedOnAllPaths(iteration, target, work);
}

bool BoundsOnPaths::boundedInFunction(const clang::FunctionDecl *function, const clang::Expr *target,
                                      const clang::FunctionDecl *work) {
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return false;
  }
  return boundedOnAllPaths({graph, &graph->getEntry(), nullptr, body}, target, work);
}

bool BoundsOnPaths::gatedOnAllPaths(const clang::FunctionDecl *function, const clang::Expr *target,
                                    const Gate &gate) {
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return false;
  }
  Iteration iteration{graph, &graph->getEntry(), nullptr, body};
  llvm::SmallVector<const clang::Stmt *, 4> loops = enclosingLoops(Context, target);
  if (!loops.empty()) {
    for (const clang::CFGBlock *block : *graph) {
      if (block->getTerminatorStmt() == loops.front() && !block->succ_empty()) {
        iteration = {graph, block->succ_begin()->getReachableBlock(), block, loops.front()};
      }
    }
  }
  return boundedOnAllPaths(iteration, target, nullptr, &gate);
}

bool BoundsOnPaths::onCommonPath(const clang::FunctionDecl *function, const clang::Expr *a,
                                 const clang::Expr *b) {
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return true; // cannot tell: assume they can run together
  }
  llvm::DenseSet<const clang::Stmt *> chainA = targetAndAncestors(Context, a, body);
  llvm::DenseSet<const clang::Stmt *> chainB = targetAndAncestors(Context, b, body);
  Iteration whole{graph, nullptr, nullptr, body};
  for (const clang::CFGBlock *block : *graph) {
    for (const clang::CFGElement &element : *block) {
      std::optional<clang::CFGStmt> statement = element.getAs<clang::CFGStmt>();
      if (statement && chainA.contains(statement->getStmt()) && reachesTarget(whole, block, nullptr, chainB)) {
        return true;
      }
      if (statement && chainB.contains(statement->getStmt()) && reachesTarget(whole, block, nullptr, chainA)) {
        return true;
      }
    }
  }
  return false;
}

bool BoundsOnPaths::boundedOnAllPaths(const Iteration &iteration, const clang::Expr *target,
                                      const clang::FunctionDecl *work, const Gate *gate) {
  llvm::DenseSet<const clang::Stmt *> chain = targetAndAncestors(Context, target, iteration.Root);
  llvm::DenseSet<const clang::CFGBlock *> seen;
  std::deque<const clang::CFGBlock *> queue{iteration.Start};
  while (!queue.empty()) {
    const clang::CFGBlock *block = queue.front();
    queue.pop_front();
    if (block == nullptr || block == iteration.Boundary || !seen.insert(block).second) {
      continue;
    }
    bool pathEnds = false;
    for (const clang::CFGElement &element : *block) {
      std::optional<clang::CFGStmt> statement = element.getAs<clang::CFGStmt>();
      if (!statement) {
        continue;
      }
      const clang::Stmt *stmt = statement->getStmt();
      if (chain.contains(stmt)) {
        return false; // reached the spawn with no permit and no deciding check
      }
      if (Bounds.takesPermit(stmt) || leavesTheTask(stmt) || (gate != nullptr && gate->Stops(stmt))) {
        pathEnds = true;
        break;
      }
    }
    if (pathEnds) {
      continue;
    }
    const auto *condition = llvm::dyn_cast_or_null<clang::Expr>(block->getTerminatorCondition());
    if (condition != nullptr &&
        ((Bounds.isLimitCondition(condition, iteration.Root, work) && (gate == nullptr || !gate->Ignores(condition))) ||
         (gate != nullptr && gate->Decides(condition))) &&
        decidesTarget(iteration, block, chain)) {
      continue;
    }
    for (const clang::CFGBlock::AdjacentBlock &next : block->succs()) {
      queue.push_back(next.getReachableBlock());
    }
  }
  return true;
}

bool BoundsOnPaths::reachesTarget(const Iteration &iteration, const clang::CFGBlock *from,
                                  const clang::CFGBlock *avoid,
                                  const llvm::DenseSet<const clang::Stmt *> &chain) const {
  llvm::DenseSet<const clang::CFGBlock *> seen;
  std::deque<const clang::CFGBlock *> queue{from};
  while (!queue.empty()) {
    const clang::CFGBlock *block = queue.front();
    queue.pop_front();
    if (block == nullptr || block == avoid || block == iteration.Boundary || !seen.insert(block).second) {
      continue;
    }
    for (const clang::CFGElement &element : *block) {
      std::optional<clang::CFGStmt> statement = element.getAs<clang::CFGStmt>();
      if (statement && chain.contains(statement->getStmt())) {
        return true;
      }
    }
    for (const clang::CFGBlock::AdjacentBlock &next : block->succs()) {
      queue.push_back(next.getReachableBlock());
    }
  }
  return false;
}

// A limit check decides the spawn when one of its sides cannot reach the spawn
// without passing the check again: that side leaves the iteration, or waits
// and re-checks (while (active >= limit) co_await timer...).
bool BoundsOnPaths::decidesTarget(const Iteration &iteration, const clang::CFGBlock *block,
                                  const llvm::DenseSet<const clang::Stmt *> &chain) const {
  bool someSideReaches = false;
  bool someSideDoesNot = false;
  for (const clang::CFGBlock::AdjacentBlock &next : block->succs()) {
    const clang::CFGBlock *side = next.getReachableBlock();
    if (side == nullptr) {
      continue;
    }
    (reachesTarget(iteration, side, block, chain) ? someSideReaches : someSideDoesNot) = true;
  }
  return someSideDoesNot || !someSideReaches;
}

} // namespace spawnguard

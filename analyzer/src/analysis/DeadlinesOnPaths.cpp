// Path reasoning for deadlines: a breadth-first walk over the function's CFG
// from its entry that carries the deadline state of each path (none, set,
// turned off by expires_never) to the site.
#include "analysis/DeadlinesOnPaths.hpp"

#include "analysis/AstNavigation.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>

#include <deque>
#include <set>
#include <utility>

namespace spawnguard {

bool DeadlinesOnPaths::isDeadlineEvent(const clang::Stmt *stmt, const clang::ValueDecl *object) const {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt);
  if (call == nullptr) {
    return false;
  }
  if (Waits.isDeadline(call)) {
    const clang::ValueDecl *about = object != nullptr ? Waits.deadlineObject(call) : nullptr;
    return about == nullptr || about == object;
  }
  return Waits.armsCancellingTimer(call, object);
}

DeadlineOnPath DeadlinesOnPaths::at(const clang::FunctionDecl *function, const clang::Expr *site,
                                    const clang::ValueDecl *object) {
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return {};
  }
  llvm::DenseSet<const clang::Stmt *> chain = targetAndAncestors(Context, site, body);
  DeadlineOnPath result{DeadlineState::Set, {}};
  // A path is a block plus the deadline state its walk has reached there.
  using PathState = std::pair<const clang::CFGBlock *, DeadlineState>;
  std::set<PathState> seen;
  std::deque<PathState> queue{{&graph->getEntry(), DeadlineState::None}};
  while (!queue.empty()) {
    auto [block, state] = queue.front();
    queue.pop_front();
    if (block == nullptr || !seen.insert({block, state}).second) {
      continue;
    }
    bool reached = false;
    for (const clang::CFGElement &element : *block) {
      std::optional<clang::CFGStmt> statement = element.getAs<clang::CFGStmt>();
      if (!statement) {
        continue;
      }
      const clang::Stmt *stmt = statement->getStmt();
      if (chain.contains(stmt)) {
        reached = true;
        break;
      }
      if (isDeadlineEvent(stmt, object)) {
        state = DeadlineState::Set;
      } else if (const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt); call && Waits.turnsDeadlineOff(call)) {
        state = DeadlineState::TurnedOff;
        result.TurnedOffAt = calleeNameLocation(call);
      }
    }
    if (reached) {
      if (state == DeadlineState::None) {
        return {DeadlineState::None, {}};
      }
      if (state == DeadlineState::TurnedOff) {
        result.State = DeadlineState::TurnedOff;
      }
      continue;
    }
    for (const clang::CFGBlock::AdjacentBlock &next : block->succs()) {
      queue.push_back({next.getReachableBlock(), state});
    }
  }
  return result;
}

bool DeadlinesOnPaths::endsTheOtherSide(const clang::Expr *side, bool bothMustSucceed) const {
  return anyNode(side, true, [&](const clang::Stmt *node) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
    if (call == nullptr) {
      return false;
    }
    if (Waits.isTimerWait(call)) {
      return !bothMustSucceed; // a && b waits for the timer and the operation both
    }
    // A watchdog coroutine: waits on a timer; under && it must also fail (throw) to cancel the other side.
    const clang::FunctionDecl *callee = call->getDirectCallee();
    const clang::FunctionDecl *definition = callee != nullptr ? callee->getDefinition() : nullptr;
    const clang::Stmt *body = definition != nullptr ? analysableBody(definition) : nullptr;
    if (body == nullptr || inSystemHeader(Context.getSourceManager(), definition->getLocation())) {
      return false;
    }
    bool waitsOnTimer = anyNode(body, true, [this](const clang::Stmt *inner) {
      const auto *innerCall = llvm::dyn_cast<clang::CallExpr>(inner);
      return innerCall != nullptr && Waits.isTimerWait(innerCall);
    });
    return waitsOnTimer && (!bothMustSucceed || anyNode(body, true, [](const clang::Stmt *inner) {
                              return llvm::isa<clang::CXXThrowExpr>(inner);
                            }));
  });
}

bool DeadlinesOnPaths::carriesOwnDeadline(const clang::CallExpr *site) const {
  bool inArguments = false;
  for (const clang::Expr *argument : site->arguments()) {
    inArguments = inArguments || anyNode(argument, true, [this](const clang::Stmt *node) {
      return isDeadlineEvent(node);
    });
  }
  if (inArguments) {
    return true;
  }
  // Up through the expression that holds the site: a race with a timer, or a deadline function around it.
  const clang::Stmt *child = site;
  clang::DynTypedNode parent = meaningfulParent(Context, site);
  while (const auto *expr = parent.get<clang::Expr>()) {
    if (llvm::isa<clang::LambdaExpr>(expr)) {
      break;
    }
    if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(expr);
        op != nullptr && (op->getOperator() == clang::OO_PipePipe || op->getOperator() == clang::OO_AmpAmp)) {
      for (const clang::Expr *side : op->arguments()) {
        bool holdsSite = anyNode(side, true, [child](const clang::Stmt *node) { return node == child; });
        if (!holdsSite && endsTheOtherSide(side, op->getOperator() == clang::OO_AmpAmp)) {
          return true;
        }
      }
    }
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(expr); call != nullptr && isDeadlineEvent(call)) {
      return true;
    }
    child = expr;
    parent = meaningfulParent(Context, expr);
  }
  return false;
}

} // namespace spawnguard

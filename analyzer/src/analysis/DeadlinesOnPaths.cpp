// Path reasoning for deadlines: a breadth-first walk over the function's CFG
// from its entry that carries the deadline state of each path (none, set,
// turned off by expires_never) to the site.
#include "analysis/DeadlinesOnPaths.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>

#include <deque>
#include <utility>

namespace spawnguard {

bool DeadlinesOnPaths::isDeadlineEvent(const clang::Stmt *stmt, const clang::ValueDecl *object, int depth) const {
  if (depth < MaxWrapperDepth) {
    return isDeadlineEventUncached(stmt, object, depth); // inside a wrapper's walk, whose own answer is cached
  }
  // Every path walk asks this of every statement it passes: once per
  // (statement, object) keeps a function's walks linear in its size.
  auto [known, inserted] = DeadlineEvents.try_emplace({stmt, object}, false);
  if (inserted) {
    bool event = isDeadlineEventUncached(stmt, object, depth);
    DeadlineEvents[{stmt, object}] = event; // the map may have grown meanwhile
    return event;
  }
  return known->second;
}

bool DeadlinesOnPaths::isDeadlineEventUncached(const clang::Stmt *stmt, const clang::ValueDecl *object,
                                               int depth) const {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt);
  if (call == nullptr) {
    return false;
  }
  if (Waits.isDeadline(call)) {
    const clang::ValueDecl *about = object != nullptr ? Waits.deadlineObject(call) : nullptr;
    return about == nullptr || about == object || layeredOver(object, about);
  }
  if (Waits.armsCancellingTimer(call, object) || Waits.schedulesEndingCallback(call, object) ||
      Waits.movesWatchdogExpiry(call, object)) {
    return true;
  }
  return depth > 0 && armsDeadline(call->getDirectCallee(), object, depth - 1);
}

bool DeadlinesOnPaths::layeredOver(const clang::ValueDecl *outer, const clang::ValueDecl *inner) {
  // ssl_stream<tcp_stream> tls{std::move(stream), ctx}: Beast keeps the expiry in the
  // stream's state, which moves into the layer built over it.
  const auto *variable = llvm::dyn_cast<clang::VarDecl>(outer);
  const clang::Expr *init = variable != nullptr ? variable->getInit() : nullptr;
  return init != nullptr && anyNode(init, true, [inner](const clang::Stmt *node) {
           const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node);
           return ref != nullptr && ref->getDecl() == inner;
         });
}

bool DeadlinesOnPaths::armsDeadline(const clang::FunctionDecl *function, const clang::ValueDecl *object,
                                    int depth) const {
  const clang::FunctionDecl *definition = function != nullptr ? function->getDefinition() : nullptr;
  if (definition == nullptr || definition->getBody() == nullptr ||
      inSystemHeader(Context.getSourceManager(), definition->getLocation())) {
    return false;
  }
  auto key = std::make_pair(definition, object);
  auto known = Wrappers.find(key);
  if (known != Wrappers.end()) {
    return known->second;
  }
  Wrappers[key] = false; // a wrapper reached again through its own calls
  bool arms = anyNode(definition->getBody(), true,
                      [&](const clang::Stmt *node) { return isDeadlineEvent(node, object, depth); });
  Wrappers[key] = arms;
  return arms;
}

DeadlineOnPath DeadlinesOnPaths::at(const clang::FunctionDecl *function, const clang::Expr *site,
                                    const clang::ValueDecl *object) {
  if (object != nullptr && Waits.keepsTimeoutOption(object)) {
    return {DeadlineState::Set, {}};
  }
  const clang::Stmt *body = nullptr;
  const clang::CFG *graph = Graphs.graphOf(function, body);
  if (graph == nullptr) {
    return {};
  }
  llvm::DenseSet<const clang::Stmt *> chain = targetAndAncestors(Context, site, body);
  DeadlineOnPath result{DeadlineState::Set, {}};
  // A path is a block plus the deadline state its walk has reached there.
  using PathState = std::pair<const clang::CFGBlock *, DeadlineState>;
  llvm::DenseSet<PathState> seen;
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
      if (state == DeadlineState::None && !coveredAfter(graph, block, chain, site, object) &&
          !setInEarlierResumption(body, site, object)) {
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

bool DeadlinesOnPaths::setInEarlierResumption(const clang::Stmt *body, const clang::Expr *site,
                                              const clang::ValueDecl *object) const {
  // A stackless coroutine (BOOST_ASIO_CORO_REENTER): a switch on asio's coroutine_ref.
  auto [known, inserted] = Stackless.try_emplace(body, false);
  if (inserted) {
    known->second = anyNode(body, true, [](const clang::Stmt *node) {
      const auto *dispatch = llvm::dyn_cast<clang::SwitchStmt>(node);
      const clang::VarDecl *state = dispatch != nullptr ? dispatch->getConditionVariable() : nullptr;
      return state != nullptr && identifierOf(recordOf(state->getType())) == "coroutine_ref";
    });
  }
  if (!known->second) {
    return false;
  }
  // Each resumption jumps past what earlier ones ran: a deadline set above the
  // wait in the coroutine's text was set before it, on the run that got here.
  const clang::SourceManager &sources = Context.getSourceManager();
  clang::SourceLocation at = sources.getExpansionLoc(site->getBeginLoc());
  return anyNode(body, true, [&](const clang::Stmt *node) {
    return isDeadlineEvent(node, object) &&
           sources.isBeforeInTranslationUnit(sources.getExpansionLoc(node->getBeginLoc()), at);
  });
}

bool DeadlinesOnPaths::startsWithoutWaiting(const clang::Expr *site) const {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(site);
  const clang::FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || !callee->getDeclName().isIdentifier()) {
    return false;
  }
  for (clang::DynTypedNode parent = meaningfulParent(Context, site); const auto *expr = parent.get<clang::Expr>();
       parent = meaningfulParent(Context, expr)) {
    if (llvm::isa<clang::CoawaitExpr, clang::CoyieldExpr>(expr)) {
      return false; // the coroutine waits for it right there
    }
    if (llvm::isa<clang::LambdaExpr>(expr)) {
      break;
    }
  }
  if (call->getNumArgs() > 0) {
    const clang::CXXRecordDecl *token = recordOf(call->getArg(call->getNumArgs() - 1)->getType());
    if (token != nullptr && token->getDeclName().isIdentifier() &&
        (token->getName().contains("yield_context") || token->getName() == "use_future_t")) {
      return false; // a stackful coroutine's yield, or a future: the caller waits
    }
  }
  if (callee->getName().starts_with("async_")) {
    return true;
  }
  // A callback-style helper of the project that starts an operation and returns.
  const clang::FunctionDecl *definition = callee->getDefinition();
  if (definition == nullptr || llvm::isa_and_nonnull<clang::CoroutineBodyStmt>(definition->getBody()) ||
      inSystemHeader(Context.getSourceManager(), definition->getLocation())) {
    return false;
  }
  return anyNode(definition->getBody(), true, [](const clang::Stmt *node) {
    const auto *inner = llvm::dyn_cast<clang::CallExpr>(node);
    const clang::FunctionDecl *operation = inner != nullptr ? inner->getDirectCallee() : nullptr;
    return operation != nullptr && operation->getDeclName().isIdentifier() &&
           operation->getName().starts_with("async_");
  });
}

bool DeadlinesOnPaths::coveredAfter(const clang::CFG *graph, const clang::CFGBlock *block,
                                    const llvm::DenseSet<const clang::Stmt *> &chain, const clang::Expr *site,
                                    const clang::ValueDecl *object) const {
  if (!startsWithoutWaiting(site)) {
    return false;
  }
  // Every path from just after the site to the function's exit arms a deadline.
  std::deque<std::pair<const clang::CFGBlock *, bool>> queue{{block, true}};
  llvm::DenseSet<const clang::CFGBlock *> seen;
  while (!queue.empty()) {
    auto [current, skipUntilSite] = queue.front();
    queue.pop_front();
    if (current == nullptr || (!skipUntilSite && !seen.insert(current).second)) {
      continue;
    }
    bool armed = false;
    bool passedSite = !skipUntilSite;
    for (const clang::CFGElement &element : *current) {
      std::optional<clang::CFGStmt> statement = element.getAs<clang::CFGStmt>();
      if (!statement) {
        continue;
      }
      if (!passedSite) {
        passedSite = chain.contains(statement->getStmt());
        continue;
      }
      if (!skipUntilSite && chain.contains(statement->getStmt())) {
        return false; // round a loop to the site again, with nothing armed
      }
      if (!chain.contains(statement->getStmt()) && isDeadlineEvent(statement->getStmt(), object)) {
        armed = true;
        break;
      }
    }
    if (armed) {
      continue;
    }
    if (current == &graph->getExit()) {
      return false;
    }
    for (const clang::CFGBlock::AdjacentBlock &next : current->succs()) {
      queue.push_back({next.getReachableBlock(), false});
    }
  }
  return true;
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

// Recognising permits and limit checks.
#include "recognisers/BoundRecogniser.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

namespace spawnguard {
namespace {

bool nameSaysLimiter(const clang::CXXRecordDecl *record) {
  if (record == nullptr || !record->getDeclName().isIdentifier()) {
    return false;
  }
  std::string name = record->getName().lower();
  return name.find("semaphore") != std::string::npos || name.find("limiter") != std::string::npos;
}

// The variable or member a counter operand names (through implicit
// conversions such as std::atomic's operator T, and load()/size() calls).
const clang::ValueDecl *counterIn(const clang::Expr *operand) {
  const clang::Expr *stripped = operand->IgnoreParenImpCasts();
  if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(stripped)) {
    stripped = call->getImplicitObjectArgument() != nullptr
                   ? call->getImplicitObjectArgument()->IgnoreParenImpCasts()
                   : stripped;
  }
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(stripped)) {
    const auto *variable = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (variable != nullptr && !variable->getType().isConstQualified() && !variable->isConstexpr()) {
      return variable;
    }
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(stripped)) {
    const auto *field = llvm::dyn_cast<clang::FieldDecl>(member->getMemberDecl());
    if (field != nullptr && !field->getType().isConstQualified()) {
      return field;
    }
  }
  return nullptr;
}

// BOOST_ASIO_CORO_REENTER's `coroutine_ref _coro_value` and asio::coroutine's own state.
bool isCoroutineState(const clang::ValueDecl *counter) {
  const clang::CXXRecordDecl *record = recordOf(counter->getType());
  if (record == nullptr || !record->getDeclName().isIdentifier()) {
    return false;
  }
  std::string name = NameList::qualifiedName(record);
  return name == "boost::asio::detail::coroutine_ref" || name == "asio::detail::coroutine_ref" ||
         name == "boost::asio::coroutine" || name == "asio::coroutine";
}

bool isComparison(const clang::Stmt *node, const clang::Expr *&lhs, const clang::Expr *&rhs) {
  if (const auto *binary = llvm::dyn_cast<clang::BinaryOperator>(node); binary && binary->isComparisonOp()) {
    lhs = binary->getLHS();
    rhs = binary->getRHS();
    return true;
  }
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(node);
      op && op->getNumArgs() == 2 &&
      (op->getOperator() == clang::OO_Less || op->getOperator() == clang::OO_LessEqual ||
       op->getOperator() == clang::OO_Greater || op->getOperator() == clang::OO_GreaterEqual ||
       op->getOperator() == clang::OO_EqualEqual || op->getOperator() == clang::OO_ExclaimEqual)) {
    lhs = op->getArg(0);
    rhs = op->getArg(1);
    return true;
  }
  return false;
}

// The variable or member node changes, if any: the operand of ++/--, the
// left side of an assignment, the object of a non-const member call.
const clang::ValueDecl *changedBy(const clang::Stmt *node) {
  const clang::Expr *target = nullptr;
  if (const auto *unary = llvm::dyn_cast<clang::UnaryOperator>(node); unary && unary->isIncrementDecrementOp()) {
    target = unary->getSubExpr();
  } else if (const auto *binary = llvm::dyn_cast<clang::BinaryOperator>(node); binary && binary->isAssignmentOp()) {
    target = binary->getLHS();
  } else if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(node); op && op->getNumArgs() >= 1) {
    const clang::OverloadedOperatorKind kind = op->getOperator();
    bool mutating = kind == clang::OO_PlusPlus || kind == clang::OO_MinusMinus || kind == clang::OO_Equal ||
                    kind == clang::OO_PlusEqual || kind == clang::OO_MinusEqual;
    target = mutating ? op->getArg(0) : nullptr;
  } else if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node)) {
    const clang::CXXMethodDecl *method = call->getMethodDecl();
    target = method != nullptr && !method->isConst() ? call->getImplicitObjectArgument() : nullptr;
  }
  if (target == nullptr) {
    return nullptr;
  }
  const clang::Expr *stripped = target->IgnoreParenImpCasts();
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(stripped)) {
    return ref->getDecl();
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(stripped)) {
    return member->getMemberDecl();
  }
  return nullptr;
}

} // namespace

BoundRecogniser::BoundRecogniser(clang::ASTContext &context, const RecogniserNames &names,
                                 const llvm::DenseSet<const clang::Expr *> &awaited)
    : Context(context), Names(names), Awaited(awaited) {}

bool BoundRecogniser::takesPermit(const clang::Stmt *stmt) const {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt);
  if (call == nullptr) {
    return false;
  }
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) {
    return false;
  }
  if (Names.BoundFunctions.contains(callee)) {
    return true;
  }
  const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
  if (member == nullptr) {
    return false;
  }
  llvm::StringRef name = identifierOf(callee);
  const clang::CXXRecordDecl *object = recordOf(member->getImplicitObjectArgument()->IgnoreParenImpCasts()->getType());
  if ((name == "acquire" || name == "async_acquire") && nameSaysLimiter(object)) {
    return true;
  }
  return name == "async_send" && object != nullptr && Names.ChannelTypes.contains(object) &&
         Awaited.contains(call);
}

bool BoundRecogniser::isLimitCondition(const clang::Expr *condition, const clang::Stmt *iterationRoot,
                                       const clang::FunctionDecl *work) const {
  return anyNode(condition, true, [&](const clang::Stmt *node) {
    if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node)) {
      if (identifierOf(call->getMethodDecl()).starts_with("try_acquire")) {
        return true;
      }
    }
    const clang::Expr *lhs = nullptr;
    const clang::Expr *rhs = nullptr;
    if (!isComparison(node, lhs, rhs)) {
      return false;
    }
    for (const clang::Expr *operand : {lhs, rhs}) {
      // A count is a number: an iterator compared with end() bounds nothing, and
      // neither does a stackless coroutine's resume point (asio's coroutine_ref).
      const clang::ValueDecl *counter = operand->getType()->isArithmeticType() ? counterIn(operand) : nullptr;
      if (counter != nullptr && isCoroutineState(counter)) {
        counter = nullptr;
      }
      if (counter != nullptr && (changedIn(counter, iterationRoot, 1) || changedByWork(counter, work))) {
        return true;
      }
    }
    return false;
  });
}

bool BoundRecogniser::changedIn(const clang::ValueDecl *counter, const clang::Stmt *root, int callDepth) const {
  return root != nullptr && changedDecls(root, callDepth).contains(counter);
}

// One walk per (root, call depth) for every counter asked about: asking
// "is this counter changed here?" by walking the root again for each limit
// check on each path made an else-if chain of spawns cubic in its length.
const llvm::DenseSet<const clang::ValueDecl *> &BoundRecogniser::changedDecls(const clang::Stmt *root,
                                                                              int callDepth) const {
  auto known = ChangedInRoot.find({root, callDepth});
  if (known != ChangedInRoot.end()) {
    return known->second;
  }
  llvm::DenseSet<const clang::ValueDecl *> changed;
  anyNode(root, false, [&](const clang::Stmt *node) {
    if (const clang::ValueDecl *decl = changedBy(node)) {
      changed.insert(decl);
    }
    // One level of calls: a helper such as on_session_done() that decrements.
    const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
    const clang::FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
    if (callDepth > 0 && callee != nullptr && callee->hasBody() &&
        !inSystemHeader(Context.getSourceManager(), callee->getLocation())) {
      const llvm::DenseSet<const clang::ValueDecl *> &inCallee = changedDecls(callee->getBody(), callDepth - 1);
      changed.insert(inCallee.begin(), inCallee.end());
    }
    return false;
  });
  return ChangedInRoot.try_emplace({root, callDepth}, std::move(changed)).first->second;
}

bool BoundRecogniser::changedByWork(const clang::ValueDecl *counter, const clang::FunctionDecl *work) const {
  if (work == nullptr) {
    return false;
  }
  const clang::FunctionDecl *definition = work->getDefinition();
  if (definition != nullptr && changedIn(counter, definition->getBody(), 1)) {
    return true;
  }
  // A session object: its destructor or any member may give the slot back.
  const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(work);
  if (method == nullptr || method->getParent()->isLambda()) {
    return false;
  }
  for (const clang::CXXMethodDecl *member : method->getParent()->methods()) {
    if (member->hasBody() && changedIn(counter, member->getBody(), 0)) {
      return true;
    }
  }
  return false;
}

} // namespace spawnguard

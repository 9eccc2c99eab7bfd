// Recognising permits and limit checks.
#include "recognisers/BoundRecogniser.hpp"

#include "analysis/AstNavigation.hpp"

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

// Whether node changes counter: ++/--, assignment, or a non-const member call on it.
bool changes(const clang::Stmt *node, const clang::ValueDecl *counter) {
  if (const auto *unary = llvm::dyn_cast<clang::UnaryOperator>(node); unary && unary->isIncrementDecrementOp()) {
    return refersTo(unary->getSubExpr(), counter);
  }
  if (const auto *binary = llvm::dyn_cast<clang::BinaryOperator>(node); binary && binary->isAssignmentOp()) {
    return refersTo(binary->getLHS(), counter);
  }
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(node); op && op->getNumArgs() >= 1) {
    const clang::OverloadedOperatorKind kind = op->getOperator();
    bool mutating = kind == clang::OO_PlusPlus || kind == clang::OO_MinusMinus || kind == clang::OO_Equal ||
                    kind == clang::OO_PlusEqual || kind == clang::OO_MinusEqual;
    return mutating && refersTo(op->getArg(0), counter);
  }
  if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node)) {
    const clang::CXXMethodDecl *method = call->getMethodDecl();
    return method != nullptr && !method->isConst() && refersTo(call->getImplicitObjectArgument(), counter);
  }
  return false;
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
  return anyNode(root, false, [&](const clang::Stmt *node) {
    if (changes(node, counter)) {
      return true;
    }
    // One level of calls: a helper such as on_session_done() that decrements.
    const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
    const clang::FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
    if (callDepth > 0 && callee != nullptr && callee->hasBody() &&
        !inSystemHeader(Context.getSourceManager(), callee->getLocation())) {
      return changedIn(counter, callee->getBody(), callDepth - 1);
    }
    return false;
  });
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

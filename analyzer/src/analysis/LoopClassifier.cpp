// Classifying loops by what makes them iterate.
#include "analysis/LoopClassifier.hpp"

#include "ast/AstNavigation.hpp"
#include "recognisers/NameList.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {
namespace {

// The event one call waits for, or "" when it waits for none.
llvm::StringRef eventOf(const clang::CallExpr *call) {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr || !callee->getDeclName().isIdentifier()) {
    return "";
  }
  return llvm::StringSwitch<llvm::StringRef>(callee->getName())
      .Cases("accept", "async_accept", "accept4", "accepted connection")
      .Cases("read", "read_some", "async_read", "async_read_some", "read")
      .Cases("read_until", "async_read_until", "recv", "recvfrom", "read")
      .Cases("receive", "receive_from", "async_receive", "async_receive_from", "received message")
      .Cases("pop", "pop_front", "try_pop", "wait_dequeue", "wait_pop", "queue pop")
      .Default("");
}

} // namespace

bool LoopClassifier::isFlag(const clang::Expr *condition) const {
  const clang::Expr *stripped = condition->IgnoreParenImpCasts();
  if (const auto *negation = llvm::dyn_cast<clang::UnaryOperator>(stripped);
      negation && negation->getOpcode() == clang::UO_LNot) {
    stripped = negation->getSubExpr()->IgnoreParenImpCasts();
  }
  // std::atomic<bool>: operator bool() or load().
  if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(stripped)) {
    const clang::CXXMethodDecl *method = call->getMethodDecl();
    if (method != nullptr && (llvm::isa<clang::CXXConversionDecl>(method) ||
                              (method->getDeclName().isIdentifier() && method->getName() == "load"))) {
      stripped = call->getImplicitObjectArgument()->IgnoreParenImpCasts();
    }
  }
  if (!llvm::isa<clang::DeclRefExpr, clang::MemberExpr>(stripped)) {
    return false;
  }
  return stripped->getType()->isBooleanType() || recordOf(stripped->getType()) != nullptr;
}

bool LoopClassifier::isConstantBound(const clang::Expr *condition) const {
  const auto *comparison = llvm::dyn_cast<clang::BinaryOperator>(condition->IgnoreParenImpCasts());
  if (comparison == nullptr || !comparison->isComparisonOp()) {
    return false;
  }
  auto constant = [this](const clang::Expr *side) { return !side->isValueDependent() && side->isEvaluatable(Context); };
  return constant(comparison->getRHS()) || constant(comparison->getLHS());
}

LoopClass LoopClassifier::classify(const clang::Stmt *loop) const {
  // Asked once per spawn in the loop: the body is walked once.
  if (auto known = Classes.find(loop); known != Classes.end()) {
    return known->second;
  }
  LoopClass result = classifyUncached(loop);
  Classes[loop] = result;
  return result;
}

LoopClass LoopClassifier::classifyUncached(const clang::Stmt *loop) const {
  // A body that waits for accept, read, receive or a queue pop runs once per event.
  llvm::StringRef event;
  anyNode(loopBody(loop), true, [&](const clang::Stmt *node) {
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(node)) {
      event = eventOf(call);
    }
    return !event.empty();
  });
  if (!event.empty()) {
    return {LoopDriver::OutsideEvents, event.str()};
  }

  const clang::Expr *condition = nullptr;
  if (const auto *forLoop = llvm::dyn_cast<clang::ForStmt>(loop)) {
    condition = forLoop->getCond();
    if (condition == nullptr) {
      return {LoopDriver::OutsideEvents, "iteration of an endless loop"};
    }
  } else if (const auto *whileLoop = llvm::dyn_cast<clang::WhileStmt>(loop)) {
    condition = whileLoop->getCond();
  } else if (const auto *doLoop = llvm::dyn_cast<clang::DoStmt>(loop)) {
    condition = doLoop->getCond();
  } else if (const auto *rangeLoop = llvm::dyn_cast<clang::CXXForRangeStmt>(loop)) {
    const clang::Type *range = rangeLoop->getRangeInit()->getType()->getUnqualifiedDesugaredType();
    return {range->isConstantArrayType() ? LoopDriver::FixedCount : LoopDriver::InputSized, "item of the range"};
  }
  if (condition == nullptr || condition->isValueDependent()) {
    return {};
  }
  bool alwaysTrue = false;
  if (condition->EvaluateAsBooleanCondition(alwaysTrue, Context) && alwaysTrue) {
    return {LoopDriver::OutsideEvents, "iteration of an endless loop"};
  }
  if (isFlag(condition)) {
    return {LoopDriver::OutsideEvents, "iteration of a loop that only a flag stops"};
  }
  if (llvm::isa<clang::ForStmt>(loop)) {
    return {isConstantBound(condition) ? LoopDriver::FixedCount : LoopDriver::InputSized, "iteration of the count"};
  }
  return {};
}

} // namespace spawnguard

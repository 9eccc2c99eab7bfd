// Walking up and across the AST of one translation unit.
#include "ast/AstNavigation.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {
namespace {

bool isImplicitWrapper(const clang::Stmt *node) {
  if (llvm::isa<clang::ImplicitCastExpr, clang::MaterializeTemporaryExpr, clang::CXXBindTemporaryExpr,
                clang::ParenExpr, clang::ExprWithCleanups, clang::CXXFunctionalCastExpr>(node)) {
    return true;
  }
  if (const auto *construct = llvm::dyn_cast<clang::CXXConstructExpr>(node)) {
    return construct->isElidable() || (construct->getNumArgs() == 1 && construct->getConstructor() != nullptr &&
                                       (construct->getConstructor()->isCopyOrMoveConstructor()));
  }
  return false;
}

clang::DynTypedNode firstParent(clang::ASTContext &context, const clang::DynTypedNode &node) {
  auto parents = context.getParents(node);
  return parents.empty() ? clang::DynTypedNode() : parents[0];
}

} // namespace

const clang::Stmt *outermostWrapper(clang::ASTContext &context, const clang::Stmt *node) {
  const clang::Stmt *current = node;
  while (true) {
    clang::DynTypedNode parent = firstParent(context, clang::DynTypedNode::create(*current));
    const auto *stmt = parent.get<clang::Stmt>();
    if (stmt == nullptr || !isImplicitWrapper(stmt)) {
      return current;
    }
    current = stmt;
  }
}

clang::DynTypedNode meaningfulParent(clang::ASTContext &context, const clang::Stmt *node) {
  return firstParent(context, clang::DynTypedNode::create(*outermostWrapper(context, node)));
}

const clang::FunctionDecl *enclosingFunction(clang::ASTContext &context, const clang::Stmt *node) {
  clang::DynTypedNode current = clang::DynTypedNode::create(*node);
  while (true) {
    current = firstParent(context, current);
    if (current.getNodeKind().isNone()) {
      return nullptr;
    }
    if (const auto *lambda = current.get<clang::LambdaExpr>()) {
      return lambda->getCallOperator();
    }
    if (const auto *function = current.get<clang::FunctionDecl>()) {
      return function;
    }
  }
}

llvm::SmallVector<const clang::Stmt *, 4> enclosingLoops(clang::ASTContext &context, const clang::Stmt *node) {
  llvm::SmallVector<const clang::Stmt *, 4> loops;
  clang::DynTypedNode current = clang::DynTypedNode::create(*node);
  const clang::Stmt *child = node;
  while (true) {
    current = firstParent(context, current);
    if (const auto *variable = current.get<clang::VarDecl>(); variable && !llvm::isa<clang::ParmVarDecl>(variable)) {
      continue; // from an initialiser up to its DeclStmt
    }
    const auto *stmt = current.get<clang::Stmt>();
    if (stmt == nullptr || llvm::isa<clang::LambdaExpr>(stmt)) {
      return loops;
    }
    // Only the body repeats: a spawn in a loop's init, condition or range is not per iteration.
    if (llvm::isa<clang::ForStmt, clang::WhileStmt, clang::DoStmt, clang::CXXForRangeStmt>(stmt) &&
        loopBody(stmt) == child) {
      loops.push_back(stmt);
    }
    child = stmt;
  }
}

const clang::Stmt *analysableBody(const clang::FunctionDecl *function) {
  const clang::Stmt *body = function->getBody();
  if (const auto *coroutine = llvm::dyn_cast_or_null<clang::CoroutineBodyStmt>(body)) {
    return coroutine->getBody();
  }
  return body;
}

const clang::Stmt *loopBody(const clang::Stmt *loop) {
  if (const auto *forLoop = llvm::dyn_cast<clang::ForStmt>(loop)) {
    return forLoop->getBody();
  }
  if (const auto *whileLoop = llvm::dyn_cast<clang::WhileStmt>(loop)) {
    return whileLoop->getBody();
  }
  if (const auto *doLoop = llvm::dyn_cast<clang::DoStmt>(loop)) {
    return doLoop->getBody();
  }
  if (const auto *rangeLoop = llvm::dyn_cast<clang::CXXForRangeStmt>(loop)) {
    return rangeLoop->getBody();
  }
  return nullptr;
}

bool anyNode(const clang::Stmt *root, bool skipLambdas, const std::function<bool(const clang::Stmt *)> &fn) {
  if (root == nullptr) {
    return false;
  }
  if (fn(root)) {
    return true;
  }
  if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(root)) {
    return !skipLambdas && anyNode(lambda->getBody(), skipLambdas, fn);
  }
  for (const clang::Stmt *child : root->children()) {
    if (anyNode(child, skipLambdas, fn)) {
      return true;
    }
  }
  return false;
}

const clang::Expr *withoutImplicit(const clang::Expr *expr) {
  const clang::Expr *current = expr;
  for (const clang::Expr *next = current->IgnoreParens()->IgnoreImplicit(); next != current;
       next = current->IgnoreParens()->IgnoreImplicit()) {
    current = next;
  }
  return current;
}

llvm::StringRef identifierOf(const clang::NamedDecl *decl) {
  return decl != nullptr && decl->getDeclName().isIdentifier() ? decl->getName() : llvm::StringRef();
}

bool isContainerInsertion(llvm::StringRef name) {
  return llvm::StringSwitch<bool>(name)
      .Cases("emplace_back", "emplace_front", "emplace", "emplace_hint", "try_emplace", true)
      .Cases("push_back", "push_front", "insert", true)
      .Default(false);
}

const clang::ValueDecl *namedDecl(const clang::Expr *expr) {
  const clang::Expr *current = withoutImplicit(expr);
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(current)) {
    return ref->getDecl();
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(current)) {
    return member->getMemberDecl();
  }
  return nullptr;
}

bool refersTo(const clang::Expr *expr, const clang::ValueDecl *decl) {
  if (expr == nullptr) {
    return false;
  }
  const clang::Expr *stripped = expr->IgnoreParenImpCasts();
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(stripped)) {
    return ref->getDecl() == decl;
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(stripped)) {
    return member->getMemberDecl() == decl;
  }
  return false;
}

std::string describeFunction(const clang::FunctionDecl *function) {
  if (function == nullptr) {
    return "";
  }
  if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(function); method && method->getParent()->isLambda()) {
    const clang::DeclContext *outer = method->getParent()->getDeclContext();
    while (outer != nullptr && !llvm::isa<clang::FunctionDecl>(outer)) {
      outer = outer->getParent();
    }
    const auto *outerFunction = llvm::dyn_cast_or_null<clang::FunctionDecl>(outer);
    return outerFunction != nullptr ? "lambda in " + describeFunction(outerFunction) : "lambda";
  }
  return function->getQualifiedNameAsString();
}

clang::SourceLocation calleeNameLocation(const clang::CallExpr *call) {
  const clang::Expr *callee = call->getCallee()->IgnoreParenImpCasts();
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(callee)) {
    return ref->getLocation();
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(callee)) {
    return member->getMemberLoc();
  }
  return call->getExprLoc();
}

bool inSystemHeader(const clang::SourceManager &sources, clang::SourceLocation location) {
  return location.isValid() && sources.isInSystemHeader(sources.getExpansionLoc(location));
}

} // namespace spawnguard

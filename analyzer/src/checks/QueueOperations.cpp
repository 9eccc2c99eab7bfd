// Recognising queues, their pushes and drains, and the size checks on them.
#include "checks/QueueOperations.hpp"

#include "ast/AstNavigation.hpp"
#include "recognisers/NameList.hpp"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {
namespace {

enum class ContainerKind { NotAQueue, Sequence, Map };

// The standard containers a queue is made of. Sets are not: a set of
// participants is a table of sessions, bounded by how many are accepted.
ContainerKind containerKind(const clang::CXXRecordDecl *record) {
  if (record == nullptr) {
    return ContainerKind::NotAQueue;
  }
  std::string name = NameList::qualifiedName(record);
  return llvm::StringSwitch<ContainerKind>(name)
      .Cases("std::deque", "std::queue", "std::list", "std::vector", "std::priority_queue", ContainerKind::Sequence)
      .Case("std::forward_list", ContainerKind::Sequence)
      .Cases("std::map", "std::unordered_map", "std::multimap", "std::unordered_multimap", ContainerKind::Map)
      .Default(ContainerKind::NotAQueue);
}

// A queue outlives the iteration that pushes onto it: a member, or a variable
// of static storage. Locals (and references to somebody's queue) are not followed.
const clang::ValueDecl *queueDecl(const clang::Expr *object) {
  const clang::ValueDecl *decl = namedDecl(object);
  if (decl == nullptr) {
    return nullptr;
  }
  if (const auto *variable = llvm::dyn_cast<clang::VarDecl>(decl)) {
    if (!variable->hasGlobalStorage() || variable->getType()->isReferenceType()) {
      return nullptr;
    }
  } else if (!llvm::isa<clang::FieldDecl>(decl) || decl->getType()->isReferenceType()) {
    return nullptr;
  }
  if (containerKind(recordOf(decl->getType())) == ContainerKind::NotAQueue) {
    return nullptr;
  }
  return llvm::cast<clang::ValueDecl>(decl->getCanonicalDecl());
}

bool isPushName(llvm::StringRef name) {
  return isContainerInsertion(name) || name == "insert_or_assign";
}

bool isDrainName(llvm::StringRef name) {
  return llvm::StringSwitch<bool>(name).Cases("pop", "pop_front", "pop_back", "erase", "extract", true).Default(false);
}

const clang::Expr *sizeOperand(const clang::Stmt *node) {
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(node)) {
    if (const clang::CXXMethodDecl *method = member->getMethodDecl()) {
      llvm::StringRef name = identifierOf(method);
      if (name == "size" || name == "length") {
        return member->getImplicitObjectArgument();
      }
    }
  }
  if (const auto *call = llvm::dyn_cast<clang::CallExpr>(node)) {
    const clang::FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && call->getNumArgs() == 1 && NameList::qualifiedName(callee) == "std::size") {
      return call->getArg(0);
    }
  }
  return nullptr;
}

} // namespace

std::optional<QueueCall> queueCall(clang::ASTContext &context, const clang::Expr *expr) {
  const clang::Expr *object = nullptr;
  std::optional<QueueOperation> operation;
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(expr)) {
    const clang::CXXMethodDecl *method = member->getMethodDecl();
    if (method == nullptr) {
      return std::nullopt;
    }
    llvm::StringRef name = identifierOf(method);
    object = member->getImplicitObjectArgument();
    if (isPushName(name)) {
      operation = QueueOperation::Push;
    } else if (isDrainName(name)) {
      operation = QueueOperation::Drain;
    }
  } else if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(expr)) {
    if (op->getOperator() == clang::OO_Subscript && op->getNumArgs() == 2 &&
        containerKind(recordOf(op->getArg(0)->getType())) == ContainerKind::Map) {
      object = op->getArg(0);
      operation = QueueOperation::Push; // a map's operator[] makes the entry
    }
  } else if (const auto *call = llvm::dyn_cast<clang::CallExpr>(expr)) {
    const clang::FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && call->getNumArgs() == 2) {
      std::string name = NameList::qualifiedName(callee);
      if (name == "std::erase" || name == "std::erase_if") {
        object = call->getArg(0);
        operation = QueueOperation::Drain;
      }
    }
  }
  if (!operation || object == nullptr) {
    return std::nullopt;
  }
  const clang::ValueDecl *queue = queueDecl(object);
  const clang::FunctionDecl *function = enclosingFunction(context, expr);
  if (queue == nullptr || function == nullptr) {
    return std::nullopt;
  }
  return QueueCall{expr, queue, function->getCanonicalDecl(), *operation};
}

std::string queueKind(const clang::ValueDecl *queue) {
  const clang::CXXRecordDecl *record = recordOf(queue->getType());
  return record == nullptr ? std::string() : NameList::qualifiedName(record);
}

bool holdsSessions(const clang::ValueDecl *queue) {
  const auto *container =
      llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(recordOf(queue->getType()));
  if (container == nullptr) {
    return false;
  }
  const clang::TemplateArgumentList &arguments = container->getTemplateArgs();
  unsigned element = containerKind(container) == ContainerKind::Map ? 1 : 0;
  if (arguments.size() <= element || arguments[element].getKind() != clang::TemplateArgument::Type) {
    return false;
  }
  clang::QualType type = arguments[element].getAsType();
  if (type->isPointerType()) {
    type = type->getPointeeType();
  } else if (const auto *pointer = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(recordOf(type))) {
    std::string name = NameList::qualifiedName(pointer);
    if ((name == "std::shared_ptr" || name == "std::weak_ptr" || name == "std::unique_ptr") &&
        pointer->getTemplateArgs().size() > 0 &&
        pointer->getTemplateArgs()[0].getKind() == clang::TemplateArgument::Type) {
      type = pointer->getTemplateArgs()[0].getAsType();
    }
  }
  const clang::CXXRecordDecl *held = recordOf(type);
  if (held == nullptr || !held->hasDefinition()) {
    return false;
  }
  held = held->getDefinition();
  bool ownsItself = false;
  held->forallBases([&](const clang::CXXRecordDecl *base) {
    if (NameList::qualifiedName(base) == "std::enable_shared_from_this") {
      ownsItself = true;
    }
    return true;
  });
  return ownsItself;
}

bool readsSizeOf(const clang::Stmt *expr, const clang::ValueDecl *queue) {
  return anyNode(expr, /*skipLambdas=*/false, [&](const clang::Stmt *node) {
    if (const clang::Expr *operand = sizeOperand(node)) {
      return refersTo(operand, queue);
    }
    // auto pending = q.size(); if (pending >= max) ...
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node)) {
      const auto *local = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      return local != nullptr && local->isLocalVarDecl() && local->getInit() != nullptr &&
             anyNode(local->getInit(), false, [&](const clang::Stmt *inner) {
               const clang::Expr *operand = sizeOperand(inner);
               return operand != nullptr && refersTo(operand, queue);
             });
    }
    return false;
  });
}

bool waitsOnSizeOf(const clang::Stmt *stmt, const clang::ValueDecl *queue) {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt);
  if (call == nullptr) {
    return false;
  }
  for (const clang::Expr *argument : call->arguments()) {
    if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(withoutImplicit(argument))) {
      if (readsSizeOf(lambda->getBody(), queue)) {
        return true;
      }
    }
  }
  return false;
}

const clang::Stmt *trimIn(const clang::FunctionDecl *function, const clang::ValueDecl *queue) {
  const clang::Stmt *body = function->getBody();
  const clang::Stmt *found = nullptr;
  auto drains = [&](const clang::Stmt *root) {
    return anyNode(root, /*skipLambdas=*/true, [&](const clang::Stmt *node) {
      const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(node);
      return member != nullptr && member->getMethodDecl() != nullptr &&
             isDrainName(identifierOf(member->getMethodDecl())) &&
             refersTo(member->getImplicitObjectArgument(), queue);
    });
  };
  anyNode(body, /*skipLambdas=*/true, [&](const clang::Stmt *node) {
    const clang::Expr *condition = nullptr;
    const clang::Stmt *then = nullptr;
    if (const auto *branch = llvm::dyn_cast<clang::IfStmt>(node)) {
      condition = branch->getCond();
      then = branch->getThen();
    } else if (const auto *loop = llvm::dyn_cast<clang::WhileStmt>(node)) {
      condition = loop->getCond();
      then = loop->getBody();
    } else if (const auto *loop = llvm::dyn_cast<clang::ForStmt>(node)) {
      condition = loop->getCond();
      then = loop->getBody();
    } else if (const auto *loop = llvm::dyn_cast<clang::DoStmt>(node)) {
      condition = loop->getCond();
      then = loop->getBody();
    }
    if (condition != nullptr && then != nullptr && readsSizeOf(condition, queue) && drains(then)) {
      found = node;
      return true;
    }
    return false;
  });
  return found;
}

} // namespace spawnguard

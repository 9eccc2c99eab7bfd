// Recognising waits and deadlines by configured names and Asio's wait verbs.
#include "recognisers/WaitRecogniser.hpp"

#include "analysis/AstNavigation.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {
namespace {

bool isAsioWaitVerb(llvm::StringRef name) {
  return llvm::StringSwitch<bool>(name)
      .Cases("async_read", "async_read_some", "async_read_until", "async_write", "async_write_some", true)
      .Cases("async_connect", "async_receive", "async_receive_from", "read_some", "read", "read_until", true)
      .Cases("write", "write_some", "connect", "receive", "receive_from", true)
      .Default(false);
}

bool inAsioNamespace(const clang::NamedDecl *decl) {
  std::string name = NameList::qualifiedName(decl);
  llvm::StringRef qualified(name);
  return qualified.starts_with("boost::asio::") || qualified.starts_with("asio::") ||
         qualified.starts_with("boost::beast::");
}

llvm::StringRef identifierOf(const clang::NamedDecl *decl) {
  return decl != nullptr && decl->getDeclName().isIdentifier() ? decl->getName() : llvm::StringRef();
}

bool isTimerType(clang::QualType type) {
  const clang::CXXRecordDecl *record = recordOf(type);
  return record != nullptr && inAsioNamespace(record) && identifierOf(record).contains("timer");
}

// The object a member call is made on, or null for a free function.
const clang::Expr *objectOf(const clang::CallExpr *call) {
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
    return member->getImplicitObjectArgument();
  }
  return nullptr;
}

// Calls that end a database wait from another thread or handler.
bool interruptsQuery(const clang::CallExpr *call) {
  llvm::StringRef name = identifierOf(call->getDirectCallee());
  return name == "sqlite3_interrupt" || name == "PQcancel" || name == "PQrequestCancel";
}

// Whether a timer handler ends waits on object (any object when null): it
// cancels, closes or shuts down something that is not a timer, or interrupts a query.
bool endsWaitsOn(const clang::Stmt *handlerBody, const clang::ValueDecl *object) {
  return anyNode(handlerBody, false, [object](const clang::Stmt *node) {
    if (const auto *free = llvm::dyn_cast<clang::CallExpr>(node); free != nullptr && interruptsQuery(free)) {
      return true;
    }
    const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node);
    if (call == nullptr || call->getMethodDecl() == nullptr) {
      return false;
    }
    llvm::StringRef name = identifierOf(call->getMethodDecl());
    bool ends = name == "cancel" || name == "close" || name == "shutdown";
    const clang::Expr *target = call->getImplicitObjectArgument();
    if (!ends || isTimerType(target->getType())) {
      return false;
    }
    const clang::ValueDecl *ended = objectNamedBy(target);
    return object == nullptr || ended == nullptr || ended == object;
  });
}

} // namespace

const clang::ValueDecl *objectNamedBy(const clang::Expr *expr) {
  const clang::Expr *current = expr;
  while (current != nullptr) {
    current = current->IgnoreParenImpCasts();
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(current)) {
      return ref->getDecl();
    }
    if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(current)) {
      return member->getMemberDecl();
    }
    if (const auto *deref = llvm::dyn_cast<clang::UnaryOperator>(current); deref && deref->getOpcode() == clang::UO_Deref) {
      current = deref->getSubExpr();
      continue;
    }
    const auto *call = llvm::dyn_cast<clang::CallExpr>(current);
    llvm::StringRef name = call != nullptr ? identifierOf(call->getDirectCallee()) : llvm::StringRef();
    if (name == "get_lowest_layer" || name == "lowest_layer" || name == "next_layer" || name == "socket") {
      current = objectOf(call) != nullptr ? objectOf(call) : (call->getNumArgs() > 0 ? call->getArg(0) : nullptr);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

std::optional<WaitCall> WaitRecogniser::recognise(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) {
    return std::nullopt;
  }
  WaitCall wait{call, calleeNameLocation(call), NameList::qualifiedName(callee), WaitKind::Network, nullptr};
  const clang::Expr *waited = objectOf(call) != nullptr ? objectOf(call) : (call->getNumArgs() > 0 ? call->getArg(0) : nullptr);
  wait.Object = waited != nullptr ? objectNamedBy(waited) : nullptr;
  if (Names.WaitFunctions.contains(callee)) {
    wait.Kind = WaitKind::Database;
    return wait;
  }
  // A channel's async_receive waits inside the process, on another task, not outside it.
  const clang::Expr *object = objectOf(call);
  bool onChannel = object != nullptr && Names.ChannelTypes.contains(recordOf(object->getType()));
  if (isAsioWaitVerb(identifierOf(callee)) && inAsioNamespace(callee) && !onChannel) {
    return wait;
  }
  return std::nullopt;
}

bool WaitRecogniser::isDeadline(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) {
    return false;
  }
  if (Names.DeadlineFunctions.contains(callee)) {
    return true;
  }
  // Beast's stream timeouts, whichever layer (tcp_stream, ssl_stream's lowest layer) declares them,
  // and a websocket stream's timeout option (idle timeout with pings).
  llvm::StringRef name = identifierOf(callee);
  if (name == "set_option" && call->getNumArgs() > 0 && inAsioNamespace(callee)) {
    const clang::CXXRecordDecl *option = recordOf(call->getArg(call->getNumArgs() - 1)->getType());
    return option != nullptr && NameList::qualifiedName(option) == "boost::beast::websocket::stream_base::timeout";
  }
  return (name == "expires_after" || name == "expires_at") && inAsioNamespace(callee) &&
         !isTimerType(objectOf(call) != nullptr ? objectOf(call)->getType() : clang::QualType());
}

bool WaitRecogniser::turnsDeadlineOff(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  return callee != nullptr && identifierOf(callee) == "expires_never" && inAsioNamespace(callee);
}

bool WaitRecogniser::isTimerWait(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  const clang::Expr *object = objectOf(call);
  return callee != nullptr && object != nullptr && identifierOf(callee) == "async_wait" &&
         isTimerType(object->getType());
}

const clang::ValueDecl *WaitRecogniser::deadlineObject(const clang::CallExpr *call) const {
  llvm::StringRef name = identifierOf(call->getDirectCallee());
  bool aboutItsObject = name == "expires_after" || name == "expires_at" || name == "set_option";
  return aboutItsObject && objectOf(call) != nullptr ? objectNamedBy(objectOf(call)) : nullptr;
}

bool WaitRecogniser::armsCancellingTimer(const clang::CallExpr *call, const clang::ValueDecl *object) const {
  if (!isTimerWait(call) || call->getNumArgs() == 0) {
    return false;
  }
  const clang::Expr *handler = call->getArg(call->getNumArgs() - 1)->IgnoreUnlessSpelledInSource();
  if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(handler)) {
    return endsWaitsOn(lambda->getBody(), object);
  }
  return false;
}

} // namespace spawnguard

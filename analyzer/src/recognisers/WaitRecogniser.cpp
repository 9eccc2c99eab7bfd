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

bool endsWaitsOnSomething(const clang::Stmt *handlerBody) {
  return anyNode(handlerBody, false, [](const clang::Stmt *node) {
    if (const auto *free = llvm::dyn_cast<clang::CallExpr>(node); free != nullptr && interruptsQuery(free)) {
      return true;
    }
    const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node);
    if (call == nullptr || call->getMethodDecl() == nullptr) {
      return false;
    }
    llvm::StringRef name = identifierOf(call->getMethodDecl());
    bool ends = name == "cancel" || name == "close" || name == "shutdown";
    return ends && !isTimerType(call->getImplicitObjectArgument()->getType());
  });
}

} // namespace

std::optional<WaitCall> WaitRecogniser::recognise(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) {
    return std::nullopt;
  }
  WaitCall wait{call, calleeNameLocation(call), NameList::qualifiedName(callee), WaitKind::Network};
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

bool WaitRecogniser::armsCancellingTimer(const clang::CallExpr *call) const {
  if (!isTimerWait(call) || call->getNumArgs() == 0) {
    return false;
  }
  const clang::Expr *handler = call->getArg(call->getNumArgs() - 1)->IgnoreUnlessSpelledInSource();
  if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(handler)) {
    return endsWaitsOnSomething(lambda->getBody());
  }
  return false;
}

} // namespace spawnguard

// Recognising waits and deadlines by configured names and Asio's wait verbs.
#include "recognisers/WaitRecogniser.hpp"

#include "ast/AstNavigation.hpp"

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

// Waits on a peer that only some objects make: TLS and WebSocket handshakes
// and TLS shutdown, DNS resolution, a WebSocket server's accept, a socket's
// readiness wait (not a timer's, a signal set's or an acceptor's).
bool isPeerWaitVerb(llvm::StringRef verb, const clang::Expr *object) {
  if (verb == "async_handshake" || verb == "handshake" || verb == "async_shutdown" || verb == "async_resolve" ||
      verb == "resolve") {
    return true;
  }
  const clang::CXXRecordDecl *record = object != nullptr ? recordOf(object->getType()) : nullptr;
  std::string type = record != nullptr ? NameList::qualifiedName(record) : "";
  llvm::StringRef qualified(type);
  bool tls = qualified.contains("ssl");
  bool websocket = qualified.starts_with("boost::beast::websocket::");
  if (verb == "shutdown") {
    return tls; // a TLS close_notify exchange; a TCP socket's shutdown does not wait
  }
  if (verb == "async_accept" || verb == "accept") {
    return websocket; // the upgrade handshake, not an acceptor's wait for a connection
  }
  if (verb == "async_wait") {
    return qualified.contains("socket");
  }
  return false;
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

// ws.set_option(websocket::stream_base::timeout::suggested(...)): a WebSocket
// stream's timeout option (handshake and idle timeouts, kept by the stream).
bool setsTimeoutOption(const clang::CallExpr *call) {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr || identifierOf(callee) != "set_option" || call->getNumArgs() == 0 ||
      !inAsioNamespace(callee)) {
    return false;
  }
  const clang::CXXRecordDecl *option = recordOf(call->getArg(call->getNumArgs() - 1)->getType());
  return option != nullptr && NameList::qualifiedName(option) == "boost::beast::websocket::stream_base::timeout";
}

// Calls that end a database wait from another thread or handler.
bool interruptsQuery(const clang::CallExpr *call) {
  llvm::StringRef name = identifierOf(call->getDirectCallee());
  return name == "sqlite3_interrupt" || name == "PQcancel" || name == "PQrequestCancel";
}

// A project function whose body the deduction may read: defined, and not Asio's, Beast's or the library's.
const clang::FunctionDecl *projectDefinition(const clang::FunctionDecl *callee) {
  const clang::FunctionDecl *definition = callee != nullptr ? callee->getDefinition() : nullptr;
  if (definition == nullptr || definition->getBody() == nullptr || inAsioNamespace(definition)) {
    return nullptr;
  }
  llvm::StringRef name = identifierOf(definition);
  std::string qualified = NameList::qualifiedName(definition);
  return llvm::StringRef(qualified).starts_with("std::") || name.empty() ? nullptr : definition;
}

// Whether a timer handler ends waits on object (any object when null): it
// cancels, closes or shuts down something that is not a timer, or interrupts
// a query, itself or through the project's functions it calls (destroy(),
// stop()), `depth` levels down.
bool endsWaitsOn(const clang::Stmt *handlerBody, const clang::ValueDecl *object, int depth = 3) {
  return anyNode(handlerBody, false, [object, depth](const clang::Stmt *node) {
    if (const auto *free = llvm::dyn_cast<clang::CallExpr>(node); free != nullptr && interruptsQuery(free)) {
      return true;
    }
    const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
    if (call == nullptr) {
      return false;
    }
    const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
    if (member != nullptr && member->getMethodDecl() != nullptr) {
      llvm::StringRef name = identifierOf(member->getMethodDecl());
      const clang::Expr *target = member->getImplicitObjectArgument();
      bool ends = name == "cancel" || name == "close" || name.starts_with("shutdown");
      if (ends && !isTimerType(target->getType())) {
        const clang::ValueDecl *ended = objectNamedBy(target);
        if (object == nullptr || ended == nullptr || ended == object) {
          return true;
        }
      }
    }
    const clang::FunctionDecl *helper = depth > 0 ? projectDefinition(call->getDirectCallee()) : nullptr;
    return helper != nullptr && endsWaitsOn(helper->getBody(), object, depth - 1);
  });
}

// Whether a class keeps an Asio timer (a project's timer wrapper or scheduler).
bool holdsTimer(const clang::CXXRecordDecl *record) {
  if (record == nullptr || !record->hasDefinition()) {
    return false;
  }
  return llvm::any_of(record->fields(), [](const clang::FieldDecl *field) { return isTimerType(field->getType()); });
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
  if (!inAsioNamespace(callee) || onChannel) {
    return std::nullopt;
  }
  llvm::StringRef verb = identifierOf(callee);
  if (isAsioWaitVerb(verb) || isPeerWaitVerb(verb, object)) {
    return wait;
  }
  return std::nullopt;
}

const clang::ValueDecl *WaitRecogniser::putsNonBlocking(const clang::CallExpr *call, bool &is) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  const clang::Expr *socket = objectOf(call);
  is = false;
  if (callee == nullptr || socket == nullptr || identifierOf(callee) != "non_blocking" || call->getNumArgs() == 0 ||
      !inAsioNamespace(callee)) {
    return nullptr;
  }
  const auto *on = llvm::dyn_cast<clang::CXXBoolLiteralExpr>(call->getArg(0)->IgnoreParenImpCasts());
  is = on != nullptr && on->getValue();
  return is ? objectNamedBy(socket) : nullptr;
}

bool WaitRecogniser::isSynchronous(const WaitCall &wait) {
  const clang::FunctionDecl *callee = wait.Call->getDirectCallee();
  return wait.Kind == WaitKind::Network && callee != nullptr && !identifierOf(callee).starts_with("async_");
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
  if (name == "set_option") {
    return setsTimeoutOption(call);
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
  // A lambda kept in a variable first: auto on_timeout = [this] { ... }; timer.async_wait(on_timeout).
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(handler)) {
    const auto *variable = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (variable != nullptr && variable->getInit() != nullptr) {
      handler = variable->getInit()->IgnoreUnlessSpelledInSource();
    }
  }
  if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(handler)) {
    return endsWaitsOn(lambda->getBody(), object);
  }
  // A handler bound from a member or named function: bind(&session::on_timeout, ...).
  bool ends = false;
  anyNode(handler, true, [&](const clang::Stmt *node) {
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node);
    const clang::FunctionDecl *bound = ref != nullptr ? projectDefinition(llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl()))
                                                      : nullptr;
    ends = bound != nullptr && endsWaitsOn(bound->getBody(), object);
    return ends;
  });
  return ends;
}

bool WaitRecogniser::schedulesEndingCallback(const clang::CallExpr *call, const clang::ValueDecl *object) const {
  const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
  const clang::CXXMethodDecl *method = member != nullptr ? member->getMethodDecl() : nullptr;
  if (method == nullptr || inAsioNamespace(method) || !holdsTimer(method->getParent())) {
    return false;
  }
  return llvm::any_of(call->arguments(), [object](const clang::Expr *argument) {
    const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(argument->IgnoreUnlessSpelledInSource());
    return lambda != nullptr && endsWaitsOn(lambda->getBody(), object);
  });
}

bool WaitRecogniser::movesWatchdogExpiry(const clang::CallExpr *call, const clang::ValueDecl *object) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  const clang::Expr *target = objectOf(call);
  llvm::StringRef name = callee != nullptr ? identifierOf(callee) : llvm::StringRef();
  bool movesExpiry = name == "expires_after" || name == "expires_at" || name == "expires_from_now";
  if (!movesExpiry || target == nullptr || !isTimerType(target->getType()) || !inAsioNamespace(callee)) {
    return false;
  }
  const auto *timer = llvm::dyn_cast_or_null<clang::FieldDecl>(objectNamedBy(target));
  return timer != nullptr && isWatchdogTimer(timer, object);
}

bool WaitRecogniser::isWatchdogTimer(const clang::FieldDecl *timer, const clang::ValueDecl *object) const {
  auto [known, inserted] = Watchdogs.try_emplace({timer, object}, false);
  if (!inserted) {
    return known->second;
  }
  const auto *owner = llvm::dyn_cast<clang::CXXRecordDecl>(timer->getParent());
  if (owner == nullptr) {
    return false;
  }
  // One scope (a method's body or a lambda's) that waits on the timer and ends the waits:
  // after the wait in a coroutine, or in the wait's handler.
  auto watches = [&](const clang::Stmt *scope) {
    return anyNode(scope, true, [&](const clang::Stmt *node) {
      const auto *wait = llvm::dyn_cast<clang::CallExpr>(node);
      if (wait == nullptr || !isTimerWait(wait) || objectNamedBy(objectOf(wait)) != timer) {
        return false;
      }
      return armsCancellingTimer(wait, object) || endsWaitsOn(scope, object);
    });
  };
  bool watched = false;
  for (const clang::CXXMethodDecl *method : owner->methods()) {
    const clang::FunctionDecl *definition = projectDefinition(method);
    if (definition == nullptr) {
      continue;
    }
    watched = watches(definition->getBody()) || anyNode(definition->getBody(), false, [&](const clang::Stmt *node) {
                const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(node);
                return lambda != nullptr && watches(lambda->getBody());
              });
    if (watched) {
      break;
    }
  }
  known->second = watched;
  return watched;
}

bool WaitRecogniser::keepsTimeoutOption(const clang::ValueDecl *object) const {
  const auto *stream = llvm::dyn_cast_or_null<clang::FieldDecl>(object);
  const auto *owner = stream != nullptr ? llvm::dyn_cast<clang::CXXRecordDecl>(stream->getParent()) : nullptr;
  if (owner == nullptr) {
    return false;
  }
  auto [known, inserted] = TimeoutOptions.try_emplace(stream, false);
  if (!inserted) {
    return known->second;
  }
  auto sets = [&](const clang::FunctionDecl *method) {
    const clang::FunctionDecl *definition = projectDefinition(method);
    return definition != nullptr && definition->getBody() != nullptr &&
           anyNode(definition->getBody(), false, [&](const clang::Stmt *node) {
             const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
             return call != nullptr && setsTimeoutOption(call) && deadlineObject(call) == stream;
           });
  };
  // Every method, member function templates included (run(http::request<Body, Allocator>)
  // accepting an upgrade): their instantiations are resolved calls, their patterns may be.
  bool keeps = false;
  for (const clang::Decl *member : owner->decls()) {
    if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(member)) {
      keeps = sets(method);
    } else if (const auto *pattern = llvm::dyn_cast<clang::FunctionTemplateDecl>(member)) {
      keeps = sets(pattern->getTemplatedDecl()) ||
              llvm::any_of(pattern->specializations(), [&](const clang::FunctionDecl *made) { return sets(made); });
    }
    if (keeps) {
      break;
    }
  }
  known->second = keeps;
  return keeps;
}

} // namespace spawnguard

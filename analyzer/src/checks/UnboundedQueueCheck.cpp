// Reporting pushes onto queues that grow once per event with no cap.
#include "checks/UnboundedQueueCheck.hpp"

#include "ast/AstNavigation.hpp"
#include "recognisers/NameList.hpp"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {

using namespace clang::ast_matchers;

namespace {

// Queues, their pushes and drains, and the size checks that cap them.

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
  return isContainerInsertion(name) || name == "push" || name == "insert_or_assign";
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

// The call's operation on a queue, if it is one: push_back, emplace, insert,
// a map's operator[] (a push); pop*, erase, extract, std::erase(_if) (a drain).
// clear() is not a drain: a buffer reset, not a consumer.
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

// "std::deque", "std::unordered_map", ... for a queue's declared type.
std::string queueKind(const clang::ValueDecl *queue) {
  const clang::CXXRecordDecl *record = recordOf(queue->getType());
  return record == nullptr ? std::string() : NameList::qualifiedName(record);
}

// Whether a queue holds (pointers to) self-owning sessions: a table of live
// connections grows with the sessions, which spawnguard-unbounded-spawn bounds.
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

// Whether the expression reads the queue's size: q.size(), std::size(q),
// or a local variable initialised from one.
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

// Whether the expression orders a call's result against something
// (outbox::pending() < max_pending): how a configured push function, whose
// queue is out of sight, has its size read through the project's own API.
bool comparesACallResult(const clang::Stmt *expr) {
  return anyNode(expr, /*skipLambdas=*/false, [](const clang::Stmt *node) {
    const clang::Expr *sides[2] = {nullptr, nullptr};
    if (const auto *binary = llvm::dyn_cast<clang::BinaryOperator>(node); binary && binary->isRelationalOp()) {
      sides[0] = binary->getLHS();
      sides[1] = binary->getRHS();
    } else if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(node);
               op && op->getNumArgs() == 2 &&
               (op->getOperator() == clang::OO_Less || op->getOperator() == clang::OO_LessEqual ||
                op->getOperator() == clang::OO_Greater || op->getOperator() == clang::OO_GreaterEqual)) {
      sides[0] = op->getArg(0);
      sides[1] = op->getArg(1);
    }
    return llvm::any_of(sides, [](const clang::Expr *side) {
      return side != nullptr && llvm::isa<clang::CallExpr>(side->IgnoreParenImpCasts());
    });
  });
}

// Whether the expression asks whether the queue is empty: a push only into
// an empty queue keeps at most one entry (if (q.empty()) q.push_back(beat)).
bool readsEmptinessOf(const clang::Stmt *expr, const clang::ValueDecl *queue) {
  return anyNode(expr, /*skipLambdas=*/false, [&](const clang::Stmt *node) {
    const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(node);
    const clang::CXXMethodDecl *method = member != nullptr ? member->getMethodDecl() : nullptr;
    return method != nullptr && identifierOf(method) == "empty" && refersTo(member->getImplicitObjectArgument(), queue);
  });
}

// Whether the expression reads the size of a container other than queue, and not queue's.
bool readsSizeOfAnother(const clang::Stmt *expr, const clang::ValueDecl *queue) {
  if (readsSizeOf(expr, queue)) {
    return false;
  }
  return anyNode(expr, /*skipLambdas=*/false, [&](const clang::Stmt *node) {
    const clang::Expr *operand = sizeOperand(node);
    return operand != nullptr && recordOf(operand->getType()) != nullptr &&
           containerKind(recordOf(operand->getType())) != ContainerKind::NotAQueue;
  });
}

// A wait whose predicate reads the queue's size: cv.wait(lock, [&] { return q.size() < max; }).
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

// A trim in function: a condition or loop reading the queue's size whose body drains it
// (while (q.size() > max) q.pop_front();).
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
    } else if (const auto *forLoop = llvm::dyn_cast<clang::ForStmt>(node)) {
      condition = forLoop->getCond();
      then = forLoop->getBody();
    } else if (const auto *doLoop = llvm::dyn_cast<clang::DoStmt>(node)) {
      condition = doLoop->getCond();
      then = doLoop->getBody();
    }
    if (condition != nullptr && then != nullptr && readsSizeOf(condition, queue) && drains(then)) {
      found = node;
      return true;
    }
    return false;
  });
  return found;
}

constexpr const char *CapItNote =
    "cap the queue: compare its size() with a limit before the push and drop or reject over it (or trim it right "
    "after the push), block the producer on a bounded channel (asio::experimental::channel with a capacity), or stop "
    "reading until it drains (backpressure)";

} // namespace

UnboundedQueueCheck::UnboundedQueueCheck(CheckContext &context) : Check(context) {
  PushFunctions.addAll(context.Config.checkList(ListKeys[0].Key));
}

void UnboundedQueueCheck::registerMatchers(MatchFinder &finder) {
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName(
                                          "push_back", "push_front", "emplace_back", "emplace_front", "push",
                                          "emplace", "insert", "emplace_hint", "try_emplace", "insert_or_assign",
                                          "pop", "pop_front", "pop_back", "erase", "extract"))),
                                      unless(isExpansionInSystemHeader()))
                        .bind("call"),
                    this);
  finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("[]"), unless(isExpansionInSystemHeader()))
                        .bind("call"),
                    this);
  finder.addMatcher(callExpr(callee(functionDecl(matchers::isListedIn(&PushFunctions))),
                             unless(isExpansionInSystemHeader()))
                        .bind("configured"),
                    this);
  finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::std::erase", "::std::erase_if"))),
                             unless(isExpansionInSystemHeader()))
                        .bind("call"),
                    this);
}

void UnboundedQueueCheck::check(const MatchFinder::MatchResult &result) {
  if (const auto *configured = result.Nodes.getNodeAs<clang::CallExpr>("configured")) {
    ConfiguredPushes.push_back(configured);
    return;
  }
  if (std::optional<QueueCall> call = queueCall(Context.AST, result.Nodes.getNodeAs<clang::Expr>("call"))) {
    Calls.push_back(*call);
  }
}

std::optional<Repetition> UnboundedQueueCheck::repetitionOf(const QueueCall &push) {
  // Whether the pushes are bounded by a permit on the way does not matter: a
  // permit on the spawn bounds the tasks, not what they queue.
  RepetitionAnalysis &repetition = Context.Analyses.taskRepetition();
  if (std::optional<Repetition> repeated = repetition.repetitionOf(push.Call, push.Function, nullptr)) {
    return repeated;
  }
  // Work posted (or co_spawned) once per event runs once per event: a push in it repeats too.
  for (const SpawnCall &spawn : Context.Facts.Spawns) {
    if (spawn.Work == nullptr || spawn.Kind == SpawnKind::Session || spawn.Kind == SpawnKind::Thread ||
        spawn.Kind == SpawnKind::ThreadInContainer) {
      continue;
    }
    const clang::FunctionDecl *work = spawn.Work->getCanonicalDecl();
    if (work != push.Function && !Context.Facts.reaches(work, push.Function)) {
      continue;
    }
    if (std::optional<Repetition> repeated = repetition.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work)) {
      repeated->Steps.insert(repeated->Steps.begin(),
                             {spawn.Location, "the work that pushes is started here, once per " + repeated->PerWhat});
      return repeated;
    }
  }
  return std::nullopt;
}

bool UnboundedQueueCheck::boundedBefore(const Repetition &repeated, const QueueCall &push) {
  // Inside a loop of the push's own function the repetition's bound check
  // cannot tell a wait for room from a trim of another queue
  // (while (history_.size() > max) history_.pop_front()): capped() decides there.
  return repeated.Bounded && enclosingLoops(Context.AST, push.Call).empty();
}

bool UnboundedQueueCheck::cappedIn(const clang::FunctionDecl *function, const clang::Expr *target,
                                   const clang::ValueDecl *queue) {
  if (queue != nullptr && trimIn(function, queue) != nullptr) {
    return true;
  }
  // A path that waits for room, or drains the queue before the push (cancel
  // the old entry, schedule the new one: one out for each one in), is capped.
  auto stops = [this, queue](const clang::Stmt *stmt) {
    if (queue == nullptr) {
      return false;
    }
    if (waitsOnSizeOf(stmt, queue)) {
      return true;
    }
    const auto *call = llvm::dyn_cast<clang::CallExpr>(stmt);
    if (call == nullptr) {
      return false;
    }
    if (std::optional<QueueCall> drain = queueCall(Context.AST, call)) {
      return drain->Operation == QueueOperation::Drain && drain->Queue == queue;
    }
    const clang::FunctionDecl *callee = call->getDirectCallee();
    auto draining = DrainingFunctions.find(queue);
    return callee != nullptr && draining != DrainingFunctions.end() &&
           draining->second.contains(callee->getCanonicalDecl());
  };
  auto decides = [queue](const clang::Expr *condition) {
    return queue != nullptr ? readsSizeOf(condition, queue) || readsEmptinessOf(condition, queue)
                            : comparesACallResult(condition);
  };
  // history_.size() > 100 trims another queue: no cap on this one.
  auto ignores = [queue](const clang::Expr *condition) {
    return queue != nullptr && readsSizeOfAnother(condition, queue);
  };
  return Context.Analyses.paths().gatedOnAllPaths(function, target, {stops, decides, ignores});
}

// Backpressure: the handler whose re-arming repeats the push re-arms only
// while the queue has room (if (queue_.size() < limit) do_read();), so the
// producer stops reading until the consumer drains it.
bool UnboundedQueueCheck::backpressured(const Repetition &repeated, const QueueCall &push) {
  const clang::FunctionDecl *handler = repeated.RearmedBy;
  return handler != nullptr && push.Queue != nullptr && !repeated.RearmedThrough.empty() &&
         llvm::all_of(repeated.RearmedThrough,
                      [&](const clang::Expr *rearm) { return cappedIn(handler, rearm, push.Queue); });
}

bool UnboundedQueueCheck::capped(const QueueCall &push) {
  if (cappedIn(push.Function, push.Call, push.Queue)) {
    return true;
  }
  // Or capped by every caller: if (q.size() >= max) return; enqueue(x);
  auto calls = Context.Facts.CallsTo.find(push.Function);
  if (push.Queue == nullptr || calls == Context.Facts.CallsTo.end() || calls->second.empty()) {
    return false;
  }
  return llvm::all_of(calls->second, [&](size_t index) {
    const CallEdge &edge = Context.Facts.Calls[index];
    return edge.Caller != push.Function && cappedIn(edge.Caller, edge.Call, push.Queue);
  });
}

// A constant a key is written as: "views", 42, an enumerator.
bool isConstantKey(const clang::Expr *key) {
  const clang::Expr *written = key->IgnoreUnlessSpelledInSource();
  if (llvm::isa<clang::StringLiteral, clang::IntegerLiteral, clang::CharacterLiteral, clang::CXXBoolLiteralExpr>(
          written)) {
    return true;
  }
  const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(written);
  return ref != nullptr && llvm::isa<clang::EnumConstantDecl>(ref->getDecl());
}

// The key of a map insertion: m[key], m.try_emplace(key, ...),
// m.insert_or_assign(key, v), m.emplace(key, v); none for other pushes.
const clang::Expr *mapKeyOf(const QueueCall &push) {
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(push.Call)) {
    return op->getOperator() == clang::OO_Subscript && op->getNumArgs() == 2 ? op->getArg(1) : nullptr;
  }
  const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(push.Call);
  const clang::CXXMethodDecl *method = member != nullptr ? member->getMethodDecl() : nullptr;
  if (method == nullptr || member->getNumArgs() < 2 ||
      containerKind(recordOf(member->getImplicitObjectArgument()->getType())) != ContainerKind::Map) {
    return nullptr;
  }
  llvm::StringRef name = identifierOf(method);
  return name == "try_emplace" || name == "insert_or_assign" || name == "emplace" ? member->getArg(0) : nullptr;
}

// A map written under a fixed key adds nothing after the first write: the
// key is a constant, or a parameter every caller passes a constant
// (session.apply("views", ...)).
bool UnboundedQueueCheck::fixedKey(const QueueCall &push) {
  const clang::Expr *key = mapKeyOf(push);
  if (key == nullptr) {
    return false;
  }
  if (isConstantKey(key)) {
    return true;
  }
  const auto *parameter = llvm::dyn_cast_or_null<clang::ParmVarDecl>(namedDecl(key));
  auto calls = Context.Facts.CallsTo.find(push.Function);
  if (parameter == nullptr || calls == Context.Facts.CallsTo.end() || calls->second.empty()) {
    return false;
  }
  unsigned index = parameter->getFunctionScopeIndex();
  return llvm::all_of(calls->second, [&](size_t edge) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(Context.Facts.Calls[edge].Call);
    if (call == nullptr) {
      return false;
    }
    unsigned offset = llvm::isa<clang::CXXOperatorCallExpr>(call) && llvm::isa<clang::CXXMethodDecl>(push.Function)
                          ? 1
                          : 0;
    return index + offset < call->getNumArgs() && isConstantKey(call->getArg(index + offset));
  });
}

// A configured push function: the project says it queues, so no drain need be
// seen; reported when its call repeats with nothing gating it.
void UnboundedQueueCheck::reportConfigured(const clang::CallExpr *call) {
  const clang::FunctionDecl *function = enclosingFunction(Context.AST, call);
  if (function == nullptr) {
    return;
  }
  QueueCall push{call, nullptr, function->getCanonicalDecl(), QueueOperation::Push};
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
    push.Queue = namedDecl(member->getImplicitObjectArgument());
  }
  std::optional<Repetition> repeated = repetitionOf(push);
  if (!repeated || boundedBefore(*repeated, push) || capped(push)) {
    return;
  }
  std::string callee = NameList::qualifiedName(call->getDirectCallee());
  PendingFinding finding;
  finding.Check = Name;
  finding.Location = calleeNameLocation(call);
  finding.Message = "unbounded queue: '" + callee + "' (configured in " + std::string(ListKeys[0].Key) +
                    ") queues once per " + repeated->PerWhat + " and nothing caps its size";
  for (const WitnessStep &step : repeated->Steps) {
    finding.Notes.push_back({step.Location, step.Note});
  }
  finding.Notes.push_back({finding.Location, CapItNote});
  finding.Function = describeFunction(function);
  finding.Callee = callee;
  finding.Subject = call;
  Context.report(std::move(finding));
}

void UnboundedQueueCheck::finishTranslationUnit() {
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<const QueueCall *, 2>> drains;
  for (const QueueCall &call : Calls) {
    if (call.Operation == QueueOperation::Drain) {
      drains[call.Queue].push_back(&call);
      DrainingFunctions[call.Queue].insert(call.Function);
    }
  }
  for (const clang::CallExpr *call : ConfiguredPushes) {
    reportConfigured(call);
  }
  llvm::DenseSet<const clang::Expr *> reported;
  for (const QueueCall &push : Calls) {
    if (push.Operation != QueueOperation::Push || !reported.insert(push.Call).second) {
      continue;
    }
    // Drained in another function: a consumer. Filled and drained in one
    // function is a batch, not a queue between two parties.
    const QueueCall *drain = nullptr;
    for (const QueueCall *candidate : drains.lookup(push.Queue)) {
      if (candidate->Function != push.Function) {
        drain = candidate;
        break;
      }
    }
    if (drain == nullptr || holdsSessions(push.Queue)) {
      continue;
    }
    std::optional<Repetition> repeated = repetitionOf(push);
    if (!repeated || boundedBefore(*repeated, push) || capped(push) || backpressured(*repeated, push) ||
        fixedKey(push)) {
      continue;
    }
    std::string queue = NameList::qualifiedName(push.Queue);
    PendingFinding finding;
    finding.Check = Name;
    const auto *call = llvm::dyn_cast<clang::CallExpr>(push.Call);
    // At the member name (push_back), or at the start of pending_[id].
    finding.Location = llvm::isa<clang::CXXMemberCallExpr>(push.Call) ? calleeNameLocation(call)
                                                                     : push.Call->getBeginLoc();
    finding.Message = "unbounded queue: '" + queue + "' (" + queueKind(push.Queue) + ") grows once per " +
                      repeated->PerWhat + " and nothing caps its size";
    for (const WitnessStep &step : repeated->Steps) {
      finding.Notes.push_back({step.Location, step.Note});
    }
    finding.Notes.push_back({drain->Call->getExprLoc(), "drained here, in '" + describeFunction(drain->Function) +
                                                            "': a consumer slower than the producer leaves it growing"});
    finding.Notes.push_back({finding.Location, CapItNote});
    finding.Function = describeFunction(push.Function);
    finding.Callee = queue;
    finding.Subject = push.Call;
    Context.report(std::move(finding));
  }
}

} // namespace spawnguard

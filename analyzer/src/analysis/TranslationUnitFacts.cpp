// One RecursiveASTVisitor pass over user code that records spawns, waits,
// calls, completion handlers and awaited expressions.
#include "analysis/TranslationUnitFacts.hpp"

#include "analysis/SessionStarts.hpp"
#include "ast/AstNavigation.hpp"
#include "recognisers/DefaultNames.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <deque>

namespace spawnguard {
namespace {

// Every method, at every level above, that `method` overrides.
void addOverridden(const clang::CXXMethodDecl *method, const clang::CXXMethodDecl *overrider,
                   TranslationUnitFacts &facts, unsigned depth = 0) {
  if (depth > 16) {
    return;
  }
  for (const clang::CXXMethodDecl *overridden : method->overridden_methods()) {
    auto &list = facts.Overriders[overridden->getCanonicalDecl()];
    const clang::FunctionDecl *canonical = overrider->getCanonicalDecl();
    if (std::find(list.begin(), list.end(), canonical) == list.end()) {
      list.push_back(canonical);
    }
    addOverridden(overridden, overrider, facts, depth + 1);
  }
}

bool isAsyncOperation(const clang::FunctionDecl *callee) {
  return callee != nullptr && callee->getDeclName().isIdentifier() && callee->getName().starts_with("async_");
}

class FactsCollector : public clang::RecursiveASTVisitor<FactsCollector> {
  using Base = clang::RecursiveASTVisitor<FactsCollector>;

public:
  FactsCollector(clang::ASTContext &context, const RecogniserNames &names, TranslationUnitFacts &facts)
      : Sources(context.getSourceManager()), Facts(facts),
        Spawns(context, names, facts.Awaited), Waits(names) {}

  // Instantiations too: a call through a template parameter (handler_->handle(),
  // conn->start()) names its callee only there. Findings at the same line
  // from the pattern and its instantiations are reported once.
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(clang::Decl *decl) {
    auto *function = llvm::dyn_cast_or_null<clang::FunctionDecl>(decl);
    if (function == nullptr || !function->doesThisDeclarationHaveABody()) {
      return Base::TraverseDecl(decl);
    }
    Functions.push_back(function->getCanonicalDecl());
    if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(function); method && method->isVirtual()) {
      addOverridden(method, method, Facts);
    }
    bool keepGoing = Base::TraverseDecl(decl);
    Functions.pop_back();
    return keepGoing;
  }

  bool TraverseLambdaExpr(clang::LambdaExpr *lambda) {
    Functions.push_back(lambda->getCallOperator()->getCanonicalDecl());
    bool keepGoing = Base::TraverseLambdaExpr(lambda);
    Functions.pop_back();
    return keepGoing;
  }

  bool VisitCoawaitExpr(clang::CoawaitExpr *await) {
    markAwaited(await->getOperand());
    return true;
  }

  bool VisitVarDecl(clang::VarDecl *variable) {
    if (variable->getInit() != nullptr && !llvm::isa<clang::ParmVarDecl>(variable)) {
      storeCallable(variable, variable->getInit());
    }
    return true;
  }

  bool VisitFieldDecl(clang::FieldDecl *field) {
    if (field->hasInClassInitializer() && field->getInClassInitializer() != nullptr) {
      storeCallable(field, field->getInClassInitializer());
    }
    return true;
  }

  bool TraverseConstructorInitializer(clang::CXXCtorInitializer *init) {
    if (init->getMember() != nullptr && init->getInit() != nullptr) {
      storeCallable(init->getMember(), init->getInit());
    }
    return Base::TraverseConstructorInitializer(init);
  }

  // A struct of callbacks filled in order: http_parser_settings s{on_begin, on_url, ...}.
  bool VisitInitListExpr(clang::InitListExpr *list) {
    // The visitor sees the written (syntactic) form; the semantic one lines the values up with the fields.
    if (list->isSemanticForm() && list->getSyntacticForm() != nullptr) {
      return true;
    }
    const clang::InitListExpr *semantic = list->isSemanticForm() ? list : list->getSemanticForm();
    const clang::RecordDecl *record = semantic != nullptr ? semantic->getType()->getAsRecordDecl() : nullptr;
    if (record == nullptr) {
      return true;
    }
    unsigned index = 0;
    for (const clang::FieldDecl *field : record->fields()) {
      if (index >= semantic->getNumInits()) {
        break;
      }
      storeCallable(field, semantic->getInit(index++));
    }
    return true;
  }

  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr *erase) {
    if (!Functions.empty() && llvm::isa<clang::CXXThisExpr>(erase->getArgument()->IgnoreParenImpCasts())) {
      Facts.DeletesThis.insert(Functions.back());
    }
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator *op) {
    if (!Functions.empty() && op->getOpcode() == clang::BO_Assign) {
      if (const clang::ValueDecl *target = namedDecl(op->getLHS())) {
        Facts.Assignments.push_back({target, op->getRHS(), false});
        storeCallable(target, op->getRHS());
      }
    }
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr *construct) {
    if (Functions.empty()) {
      return true;
    }
    recordSpawn(construct);
    const clang::CXXConstructorDecl *constructor = construct->getConstructor();
    if (constructor != nullptr && !inSystemHeader(Sources, constructor->getLocation())) {
      addEdge(constructor, construct);
    }
    return true;
  }

  bool VisitCallExpr(clang::CallExpr *call) {
    if (Functions.empty() || NotCalls.contains(call)) {
      return true;
    }
    recordSpawn(call);
    if (std::optional<WaitCall> wait = Waits.recognise(call); wait && !inSystemHeader(Sources, wait->Location)) {
      Facts.Waits.push_back({*wait, Functions.back()});
    }
    bool nonBlocking = false;
    const clang::ValueDecl *socket = Waits.putsNonBlocking(call, nonBlocking);
    if (nonBlocking && socket != nullptr) {
      NonBlocking.insert(socket);
      NonBlockingTypes.insert(recordOf(socket->getType()));
    }
    const clang::FunctionDecl *callee = call->getDirectCallee();
    recordAssignment(call, callee);
    recordIndirectCall(call, callee);
    passCallables(call, callee);
    if (callee != nullptr && !inSystemHeader(Sources, callee->getLocation())) {
      addEdge(callee, call);
      recordMemberCall(call);
    }
    bool asyncOperation = isAsyncOperation(callee);
    bool callsItsCallable = callee != nullptr && CallingAlgorithms.contains(callee);
    for (const clang::Expr *argument : call->arguments()) {
      const clang::Expr *written = argument->IgnoreUnlessSpelledInSource();
      if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(written); lambda && !asyncOperation &&
                                                                             !NotCalls.contains(lambda)) {
        addEdge(lambda->getCallOperator(), call); // a callback the callee runs
      }
      if (callsItsCallable && !NotCalls.contains(written)) {
        if (const clang::FunctionDecl *bound = boundFunction(written)) {
          addEdge(bound, call); // std::for_each(b, e, bind(&participant::deliver, _1, msg))
        }
      }
      if (asyncOperation) {
        if (const clang::FunctionDecl *handler = handlerIn(argument)) {
          Facts.Handlers.push_back({handler->getCanonicalDecl(), Functions.back(), call});
        }
      }
    }
    return true;
  }

private:
  // `x = v` through an overloaded operator, `x.reset(v)`, `x.push_back(v)`.
  void recordAssignment(const clang::CallExpr *call, const clang::FunctionDecl *callee) {
    if (callee == nullptr || !callee->getDeclName().isIdentifier()) {
      if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
          op && op->getOperator() == clang::OO_Equal && op->getNumArgs() == 2) {
        if (const clang::ValueDecl *target = namedDecl(op->getArg(0))) {
          Facts.Assignments.push_back({target, op->getArg(1), false});
          storeCallable(target, op->getArg(1));
        }
      }
      return;
    }
    const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
    llvm::StringRef name = callee->getName();
    if (member != nullptr && name == "set_limit") {
      if (const clang::ValueDecl *site = namedDecl(member->getImplicitObjectArgument())) {
        Facts.LimitedSites.insert(site);
      }
    }
    if (member == nullptr || call->getNumArgs() == 0 || (name != "reset" && !isContainerInsertion(name))) {
      return;
    }
    if (const clang::ValueDecl *target = namedDecl(member->getImplicitObjectArgument())) {
      Facts.Assignments.push_back({target, call->getArg(call->getNumArgs() - 1), name != "reset"});
    }
  }

  // The user function or lambda a stored value names: f, &f, [..]{...}, std::move of one.
  const clang::FunctionDecl *callableIn(const clang::Expr *value) const {
    const clang::Expr *current = value->IgnoreUnlessSpelledInSource();
    if (const auto *address = llvm::dyn_cast<clang::UnaryOperator>(current);
        address && address->getOpcode() == clang::UO_AddrOf) {
      current = address->getSubExpr()->IgnoreUnlessSpelledInSource();
    }
    if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(current)) {
      return lambda->getCallOperator()->getCanonicalDecl();
    }
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(current)) {
      const auto *function = llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl());
      if (function != nullptr && !inSystemHeader(Sources, function->getLocation())) {
        return function->getCanonicalDecl();
      }
    }
    return nullptr;
  }

  // Whether a member or variable can hold a callable: a function pointer, or a class with operator().
  static bool holdsCallable(const clang::ValueDecl *slot) {
    clang::QualType type = slot->getType().getNonReferenceType();
    if (type->isFunctionPointerType() || type->isMemberFunctionPointerType()) {
      return true;
    }
    const clang::CXXRecordDecl *record = type->getAsCXXRecordDecl();
    if (record == nullptr || !record->hasDefinition()) {
      return false;
    }
    return llvm::any_of(record->methods(),
                        [](const clang::CXXMethodDecl *method) { return method->getOverloadedOperator() == clang::OO_Call; });
  }

  void storeCallable(const clang::ValueDecl *slot, const clang::Expr *value) {
    if (slot == nullptr || value == nullptr || !holdsCallable(slot)) {
      return;
    }
    if (const clang::FunctionDecl *target = callableIn(value)) {
      auto &targets = Facts.SlotTargets[slot];
      if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
        targets.push_back(target);
      }
    } else if (const clang::ValueDecl *source = slotIn(value); source != nullptr && source != slot) {
      SlotCopies.push_back({slot, source}); // handler_ = std::move(handler): what the parameter holds
    }
  }

  // The member, variable or parameter a value copies a callable from:
  // handler, std::move(handler), std::forward<F>(f), this->handler_.
  static const clang::ValueDecl *slotIn(const clang::Expr *value) {
    const clang::Expr *current = value->IgnoreUnlessSpelledInSource();
    for (int depth = 0; depth < 4; ++depth) {
      const auto *call = llvm::dyn_cast<clang::CallExpr>(current);
      const clang::FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
      if (const auto *construct = llvm::dyn_cast<clang::CXXConstructExpr>(current);
          construct != nullptr && construct->getNumArgs() == 1) {
        current = construct->getArg(0)->IgnoreUnlessSpelledInSource(); // std::function<...>(f)
      } else if (callee != nullptr && call->getNumArgs() == 1 && callee->getDeclName().isIdentifier() &&
                 (callee->getName() == "move" || callee->getName() == "forward") && callee->isInStdNamespace()) {
        current = call->getArg(0)->IgnoreUnlessSpelledInSource();
      } else {
        break;
      }
    }
    const clang::ValueDecl *decl = namedDecl(current);
    return decl != nullptr && holdsCallable(decl) ? decl : nullptr;
  }

  // A callable handed to a user function lands in its parameter: a
  // registration (route(handler), on_message(f)) that stores it for later
  // calls is followed from the parameter to where it is kept.
  void passCallables(const clang::CallExpr *call, const clang::FunctionDecl *callee) {
    if (callee == nullptr || inSystemHeader(Sources, callee->getLocation())) {
      return;
    }
    unsigned first = llvm::isa<clang::CXXOperatorCallExpr>(call) && llvm::isa<clang::CXXMethodDecl>(callee) ? 1 : 0;
    for (unsigned index = first; index < call->getNumArgs(); ++index) {
      unsigned parameter = index - first;
      if (parameter >= callee->getNumParams()) {
        break;
      }
      storeCallable(callee->getParamDecl(parameter), call->getArg(index));
    }
  }

  // settings->on_message_complete(parser), callback_(args), handler.operator()(...).
  void recordIndirectCall(const clang::CallExpr *call, const clang::FunctionDecl *callee) {
    const clang::ValueDecl *slot = nullptr;
    if (callee == nullptr) {
      slot = namedDecl(call->getCallee());
    } else if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
               op && op->getOperator() == clang::OO_Call && op->getNumArgs() > 0) {
      slot = namedDecl(op->getArg(0));
    }
    if (slot != nullptr && holdsCallable(slot)) {
      Facts.IndirectCalls.push_back({slot, call, Functions.back()});
    }
  }

  // A user method called on another object: maybe a session start.
  void recordMemberCall(const clang::CallExpr *call) {
    const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
    const clang::CXXMethodDecl *method = member != nullptr ? member->getMethodDecl() : nullptr;
    const clang::Expr *object = member != nullptr ? member->getImplicitObjectArgument() : nullptr;
    if (method == nullptr || object == nullptr || method->isStatic() ||
        llvm::isa<clang::CXXThisExpr>(object->IgnoreParenImpCasts())) {
      return;
    }
    Facts.MemberCalls.push_back({member, Functions.back()});
  }

  const SpawnCall *recordSpawn(const clang::Expr *expr) {
    std::optional<SpawnCall> spawn = Spawns.recognise(expr);
    if (!spawn || inSystemHeader(Sources, spawn->Location)) {
      return nullptr;
    }
    spawn->Context = Functions.back();
    if (spawn->WorkExpr != nullptr) {
      NotCalls.insert(spawn->WorkExpr); // starting work is not calling it
    }
    Facts.Spawns.push_back(std::move(*spawn));
    return &Facts.Spawns.back();
  }

  void addEdge(const clang::FunctionDecl *callee, const clang::Expr *call) {
    Facts.Calls.push_back({Functions.back(), callee->getCanonicalDecl(), call});
  }

  void markAwaited(const clang::Expr *operand) {
    const clang::Expr *stripped = withoutImplicit(operand);
    if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(stripped);
        op && (op->getOperator() == clang::OO_AmpAmp || op->getOperator() == clang::OO_PipePipe)) {
      for (const clang::Expr *argument : op->arguments()) {
        markAwaited(argument);
      }
    }
    Facts.Awaited.insert(stripped);
  }

  // The user function an algorithm's callable argument calls: f, &f, or the
  // function bound into a binder's result (bind(&C::m, _1, x), mem_fn(&C::m)).
  // A lambda argument has its edge already (VisitCallExpr).
  const clang::FunctionDecl *boundFunction(const clang::Expr *written) const {
    if (const auto *binder = llvm::dyn_cast<clang::CallExpr>(written)) {
      const clang::FunctionDecl *callee = binder->getDirectCallee();
      return callee != nullptr && binder->getNumArgs() > 0 && Binders.contains(callee) ? callableIn(binder->getArg(0))
                                                                                        : nullptr;
    }
    return llvm::isa<clang::LambdaExpr>(written) ? nullptr : callableIn(written);
  }

  // The completion handler an argument names: a lambda, a function, or
  // &Class::method inside bind / bind_front_handler.
  const clang::FunctionDecl *handlerIn(const clang::Expr *argument) const {
    const clang::FunctionDecl *handler = nullptr;
    anyNode(argument, true, [&](const clang::Stmt *node) {
      if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(node)) {
        handler = lambda->getCallOperator();
      } else if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node)) {
        const auto *function = llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl());
        if (function != nullptr && !inSystemHeader(Sources, function->getLocation())) {
          handler = function;
        }
      }
      return handler != nullptr;
    });
    return handler;
  }

  const clang::SourceManager &Sources;
  TranslationUnitFacts &Facts;
  SpawnRecogniser Spawns;
  WaitRecogniser Waits;
  NameList CallingAlgorithms{defaults::CallingAlgorithms};
  NameList Binders{defaults::BinderFunctions};
  std::vector<const clang::FunctionDecl *> Functions;
  llvm::DenseSet<const clang::Expr *> NotCalls;

public:
  // One slot copied into another (target, source): resolved once every
  // callable stored anywhere is known (copySlotTargets).
  std::vector<std::pair<const clang::ValueDecl *, const clang::ValueDecl *>> SlotCopies;
  // Sockets the unit puts in non-blocking mode, and their types.
  llvm::DenseSet<const clang::ValueDecl *> NonBlocking;
  llvm::DenseSet<const clang::CXXRecordDecl *> NonBlockingTypes;
};

// A synchronous read or write on a socket in non-blocking mode returns
// would_block at once instead of waiting (the readiness wait before it,
// socket.async_wait(wait_read), is the wait). The socket is the one made
// non-blocking, or a reference to one of its type (a library's `socket&`).
void dropNonBlockingWaits(TranslationUnitFacts &facts, const FactsCollector &collector) {
  if (collector.NonBlocking.empty()) {
    return;
  }
  llvm::erase_if(facts.Waits, [&](const WaitSite &site) {
    const clang::ValueDecl *socket = site.Wait.Object;
    if (!WaitRecogniser::isSynchronous(site.Wait) || socket == nullptr) {
      return false;
    }
    if (collector.NonBlocking.contains(socket)) {
      return true;
    }
    clang::QualType type = socket->getType();
    return type->isReferenceType() && collector.NonBlockingTypes.contains(recordOf(type));
  });
}

// A call of a virtual method may run every override this unit defines: one
// call edge to each (a qualified call, Base::method(), runs only the one named).
// So may a pointer to the method that an algorithm calls (std::for_each(b, e,
// bind(&participant::deliver, _1, m))): its edge is the algorithm's call.
void addDispatchEdges(TranslationUnitFacts &facts) {
  size_t calls = facts.Calls.size();
  for (size_t index = 0; index < calls; ++index) {
    auto overriders = facts.Overriders.find(facts.Calls[index].Callee);
    const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(facts.Calls[index].Call);
    const auto *callee = member != nullptr ? llvm::dyn_cast<clang::MemberExpr>(member->getCallee()->IgnoreParens())
                                           : nullptr;
    const bool throughPointer = member == nullptr && llvm::isa<clang::CallExpr>(facts.Calls[index].Call) &&
                                !llvm::isa<clang::CXXOperatorCallExpr>(facts.Calls[index].Call);
    if (overriders == facts.Overriders.end() || ((callee == nullptr || callee->hasQualifier()) && !throughPointer)) {
      continue;
    }
    for (const clang::FunctionDecl *overrider : overriders->second) {
      facts.Calls.push_back({facts.Calls[index].Caller, overrider, facts.Calls[index].Call});
    }
  }
}

// What a slot holds, it passes on to the slots copied from it (a parameter
// into a member, a member into a lambda's capture, that into a parameter of
// the function the lambda calls), until nothing changes.
void copySlotTargets(TranslationUnitFacts &facts, const FactsCollector &collector) {
  bool changed = !collector.SlotCopies.empty();
  for (unsigned round = 0; changed && round < 32; ++round) {
    changed = false;
    for (const auto &[target, source] : collector.SlotCopies) {
      auto from = facts.SlotTargets.find(source);
      if (from == facts.SlotTargets.end()) {
        continue;
      }
      llvm::SmallVector<const clang::FunctionDecl *, 2> adding(from->second.begin(), from->second.end());
      auto &into = facts.SlotTargets[target];
      for (const clang::FunctionDecl *function : adding) {
        if (std::find(into.begin(), into.end(), function) == into.end()) {
          into.push_back(function);
          changed = true;
        }
      }
    }
  }
}

// A call through a stored callable may run everything stored into it.
void addIndirectEdges(TranslationUnitFacts &facts) {
  for (const IndirectCall &indirect : facts.IndirectCalls) {
    for (const clang::FunctionDecl *target : facts.SlotTargets.lookup(indirect.Slot)) {
      facts.Calls.push_back({indirect.Caller, target, indirect.Call});
    }
  }
}

} // namespace

TranslationUnitFacts TranslationUnitFacts::collect(clang::ASTContext &context, const RecogniserNames &names) {
  TranslationUnitFacts facts;
  FactsCollector collector(context, names, facts);
  for (clang::Decl *decl : context.getTraversalScope()) {
    collector.TraverseDecl(decl);
  }
  dropNonBlockingWaits(facts, collector);
  for (SpawnCall &spawn : facts.Spawns) {
    if (spawn.Guarded == GuardedSpawn::Counted && spawn.GuardSite != nullptr &&
        facts.LimitedSites.contains(spawn.GuardSite)) {
      spawn.Guarded = GuardedSpawn::Limited;
    }
  }
  SessionStarts(context, names, facts).recognise();
  addDispatchEdges(facts);
  copySlotTargets(facts, collector);
  addIndirectEdges(facts);
  for (size_t index = 0; index < facts.Calls.size(); ++index) {
    facts.CallsTo[facts.Calls[index].Callee].push_back(index);
    facts.CallsFrom[facts.Calls[index].Caller].push_back(index);
  }
  return facts;
}

const clang::Expr *TranslationUnitFacts::firstCallTowards(const clang::FunctionDecl *from,
                                                          const clang::FunctionDecl *to) const {
  // Breadth-first over calls, remembering the first call taken out of `from`.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Expr *> firstCall;
  std::deque<const clang::FunctionDecl *> queue{from};
  firstCall[from] = nullptr;
  while (!queue.empty()) {
    const clang::FunctionDecl *current = queue.front();
    queue.pop_front();
    auto out = CallsFrom.find(current);
    if (out == CallsFrom.end()) {
      continue;
    }
    for (size_t index : out->second) {
      const CallEdge &edge = Calls[index];
      if (firstCall.contains(edge.Callee)) {
        if (edge.Callee == to && current == from) {
          return edge.Call;
        }
        continue;
      }
      const clang::Expr *first = current == from ? edge.Call : firstCall[current];
      if (edge.Callee == to) {
        return first;
      }
      firstCall[edge.Callee] = first;
      queue.push_back(edge.Callee);
    }
  }
  return nullptr;
}

const CallEdge *TranslationUnitFacts::lastCallTowards(const clang::FunctionDecl *from,
                                                     const clang::FunctionDecl *to) const {
  llvm::DenseSet<const clang::FunctionDecl *> seen{from};
  std::deque<const clang::FunctionDecl *> queue{from};
  while (!queue.empty()) {
    const clang::FunctionDecl *current = queue.front();
    queue.pop_front();
    auto out = CallsFrom.find(current);
    if (out == CallsFrom.end()) {
      continue;
    }
    for (size_t index : out->second) {
      const CallEdge &edge = Calls[index];
      if (edge.Callee == to) {
        return &edge;
      }
      if (seen.insert(edge.Callee).second) {
        queue.push_back(edge.Callee);
      }
    }
  }
  return nullptr;
}

bool TranslationUnitFacts::reaches(const clang::FunctionDecl *from, const clang::FunctionDecl *to) const {
  return firstCallTowards(from, to) != nullptr;
}

bool TranslationUnitFacts::reachesThroughHandlers(const clang::FunctionDecl *from,
                                                  const clang::FunctionDecl *to) const {
  llvm::DenseSet<const clang::FunctionDecl *> seen{from};
  std::deque<const clang::FunctionDecl *> queue{from};
  auto step = [&](const clang::FunctionDecl *next) {
    if (next == to) {
      return true;
    }
    if (seen.insert(next).second) {
      queue.push_back(next);
    }
    return false;
  };
  while (!queue.empty()) {
    const clang::FunctionDecl *current = queue.front();
    queue.pop_front();
    for (size_t index : CallsFrom.lookup(current)) {
      if (step(Calls[index].Callee)) {
        return true;
      }
    }
    for (const HandlerUse &use : Handlers) {
      if (use.ArmedIn == current && step(use.Handler)) {
        return true;
      }
    }
  }
  return false;
}

} // namespace spawnguard

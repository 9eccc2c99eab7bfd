// Finding what repeats, and why, for the notes of a finding.
#include "analysis/Repetition.hpp"

#include "ast/AstNavigation.hpp"

namespace spawnguard {
namespace {

// A type that carries a connection: an Asio or Beast socket or stream, a
// pointer to one, or a project class holding one (a socket adaptor).
bool carriesConnection(clang::QualType type, int depth = 1) {
  const clang::CXXRecordDecl *record = recordOf(type);
  if (record == nullptr || !record->hasDefinition()) {
    return false;
  }
  std::string name = NameList::qualifiedName(record);
  llvm::StringRef qualified(name);
  if (inAsioNamespace(record) && (qualified.contains("socket") || qualified.contains("stream"))) {
    return true;
  }
  if (const auto *specialization = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
      specialization != nullptr && (qualified.ends_with("unique_ptr") || qualified.ends_with("shared_ptr"))) {
    const clang::TemplateArgumentList &arguments = specialization->getTemplateArgs();
    return arguments.size() > 0 && arguments[0].getKind() == clang::TemplateArgument::Type &&
           carriesConnection(arguments[0].getAsType(), depth);
  }
  return depth > 0 && llvm::any_of(record->fields(), [depth](const clang::FieldDecl *field) {
           return carriesConnection(field->getType(), depth - 1);
         });
}

} // namespace

// A call that hands the object's own connection to someone else
// (handler->upgrade(std::move(socket_))): what it leads to runs once per
// connection, however often the code around it repeats.
bool RepetitionAnalysis::handsOverConnection(const clang::Expr *site) {
  const auto *call = llvm::dyn_cast<clang::CallExpr>(site);
  if (call == nullptr) {
    return false;
  }
  return llvm::any_of(call->arguments(), [](const clang::Expr *argument) {
    const auto *move = llvm::dyn_cast<clang::CallExpr>(argument->IgnoreUnlessSpelledInSource());
    const clang::FunctionDecl *callee = move != nullptr ? move->getDirectCallee() : nullptr;
    if (callee == nullptr || !callee->getDeclName().isIdentifier() || callee->getName() != "move" ||
        move->getNumArgs() != 1) {
      return false;
    }
    const auto *member = llvm::dyn_cast<clang::MemberExpr>(move->getArg(0)->IgnoreParenImpCasts());
    return member != nullptr && llvm::isa<clang::CXXThisExpr>(member->getBase()->IgnoreParenImpCasts()) &&
           carriesConnection(member->getType());
  });
}

RepetitionAnalysis::RepetitionAnalysis(clang::ASTContext &context, const TranslationUnitFacts &facts,
                                       BoundsOnPaths &bounds, bool strict, bool throughBounds)
    : Context(context), Facts(facts), Bounds(bounds), Loops(context), Strict(strict), ThroughBounds(throughBounds) {
  propagate();
}

std::optional<Repetition> RepetitionAnalysis::loopRepetition(const clang::Expr *site,
                                                             const clang::FunctionDecl *function,
                                                             const clang::FunctionDecl *work) {
  for (const clang::Stmt *loop : enclosingLoops(Context, site)) {
    LoopClass kind = Loops.classify(loop);
    if (kind.Driver == LoopDriver::OutsideEvents || (Strict && kind.Driver == LoopDriver::InputSized)) {
      Repetition repetition;
      repetition.PerWhat = kind.PerIteration;
      repetition.Steps.push_back({loop->getBeginLoc(), "repeated by this loop"});
      repetition.Bounded = Bounds.boundedInLoop(loop, site, function, work);
      return repetition;
    }
  }
  return std::nullopt;
}

std::optional<Repetition> RepetitionAnalysis::repetitionOf(const clang::Expr *site,
                                                           const clang::FunctionDecl *function,
                                                           const clang::FunctionDecl *work) {
  if (std::optional<Repetition> inLoop = loopRepetition(site, function, work)) {
    return inLoop;
  }
  auto repeated = Repeated.find(function);
  if (repeated == Repeated.end()) {
    return std::nullopt;
  }
  Repetition repetition = repeated->second;
  if (repetition.RearmingHandler == function) {
    bool rearmed = llvm::any_of(repetition.Rearms,
                                [&](const clang::Expr *rearm) { return Bounds.onCommonPath(function, site, rearm); });
    if (!rearmed) {
      return std::nullopt;
    }
    repetition.RearmedBy = repetition.RearmingHandler;
    repetition.RearmedThrough = std::move(repetition.Rearms);
    repetition.RearmingHandler = nullptr; // what it calls on such a path repeats as a whole
    repetition.Rearms.clear();
  }
  repetition.Bounded = Bounds.boundedInFunction(function, site, work);
  return repetition;
}

// A handler that starts its operation again through another operation's
// handler: the header read's handler starts the body read, whose handler
// starts the next header read. The re-arms are the calls and operations in
// the handler that lead back.
void RepetitionAnalysis::seedThroughHandlers(const HandlerUse &use) {
  Repetition repetition;
  repetition.PerWhat = "completion of an operation its handler re-arms";
  repetition.RearmingHandler = use.Handler;
  for (size_t index : Facts.CallsFrom.lookup(use.Handler)) {
    const CallEdge &edge = Facts.Calls[index];
    if (edge.Callee == use.ArmedIn || Facts.reachesThroughHandlers(edge.Callee, use.ArmedIn)) {
      repetition.Rearms.push_back(edge.Call);
    }
  }
  for (const HandlerUse &next : Facts.Handlers) {
    if (next.ArmedIn == use.Handler &&
        (next.Handler == use.ArmedIn || Facts.reachesThroughHandlers(next.Handler, use.ArmedIn))) {
      repetition.Rearms.push_back(next.Operation);
    }
  }
  if (repetition.Rearms.empty()) {
    return;
  }
  repetition.Steps.push_back({repetition.Rearms.front()->getExprLoc(),
                              "the completion handler re-arms its operation here (through the handler of another "
                              "operation, which starts '" + describeFunction(use.ArmedIn) + "' again)"});
  repetition.Steps.push_back({use.Operation->getExprLoc(), "repeated by this operation's completion handler"});
  Repeated[use.Handler] = std::move(repetition);
}

void RepetitionAnalysis::propagate() {
  // Seeds: completion handlers that re-arm the operation they complete.
  for (const HandlerUse &use : Facts.Handlers) {
    if (Repeated.contains(use.Handler)) {
      continue;
    }
    // A handler that starts its own operation again: async_accept(..., bind(&server::handle_accept, ...))
    // inside handle_accept.
    if (use.Handler == use.ArmedIn) {
      Repetition repetition;
      repetition.PerWhat = "completion of an operation its handler re-arms";
      repetition.RearmingHandler = use.Handler;
      repetition.Rearms.push_back(use.Operation);
      repetition.Steps.push_back({use.Operation->getExprLoc(), "the completion handler re-arms its operation here"});
      Repeated[use.Handler] = std::move(repetition);
      continue;
    }
    if (!Facts.reaches(use.Handler, use.ArmedIn)) {
      seedThroughHandlers(use);
      continue;
    }
    Repetition repetition;
    repetition.PerWhat = "completion of an operation its handler re-arms";
    if (const CallEdge *last = Facts.lastCallTowards(use.Handler, use.ArmedIn)) {
      repetition.RearmingHandler = last->Caller;
      for (size_t index : Facts.CallsFrom.lookup(last->Caller)) {
        const CallEdge &edge = Facts.Calls[index];
        if (edge.Callee == use.ArmedIn || Facts.reaches(edge.Callee, use.ArmedIn)) {
          repetition.Rearms.push_back(edge.Call);
        }
      }
    }
    if (const clang::Expr *rearm = Facts.firstCallTowards(use.Handler, use.ArmedIn)) {
      repetition.Steps.push_back(
          {rearm->getExprLoc(), "the completion handler re-arms its operation here (through '" +
                                    describeFunction(use.ArmedIn) + "')"});
    }
    repetition.Steps.push_back({use.Operation->getExprLoc(), "repeated by this operation's completion handler"});
    Repeated[use.Handler] = std::move(repetition);
  }
  // Then calls and handlers armed from repeated places, until nothing changes.
  // Calls that hand the connection away, decided once rather than on every round.
  llvm::DenseSet<const clang::Expr *> handOvers;
  for (const CallEdge &edge : Facts.Calls) {
    if (handsOverConnection(edge.Call)) {
      handOvers.insert(edge.Call);
    }
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (const CallEdge &edge : Facts.Calls) {
      if (Repeated.contains(edge.Callee) || handOvers.contains(edge.Call)) {
        continue;
      }
      std::optional<Repetition> caller = repetitionOf(edge.Call, edge.Caller, edge.Callee);
      if (!caller || (caller->Bounded && !ThroughBounds)) {
        continue;
      }
      caller->Steps.insert(caller->Steps.begin(), {edge.Call->getExprLoc(), "called from here, in a repeated context"});
      Repeated[edge.Callee] = std::move(*caller);
      changed = true;
    }
    for (const HandlerUse &use : Facts.Handlers) {
      if (Repeated.contains(use.Handler)) {
        continue;
      }
      std::optional<Repetition> armer = repetitionOf(use.Operation, use.ArmedIn, use.Handler);
      if (!armer || (armer->Bounded && !ThroughBounds)) {
        continue;
      }
      armer->Steps.insert(armer->Steps.begin(),
                          {use.Operation->getExprLoc(), "completion handler of an operation started here"});
      Repeated[use.Handler] = std::move(*armer);
      changed = true;
    }
  }
}

} // namespace spawnguard

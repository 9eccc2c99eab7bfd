// Finding what repeats, and why, for the notes of a finding.
#include "analysis/Repetition.hpp"

#include "analysis/AstNavigation.hpp"

namespace spawnguard {

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
    repetition.RearmingHandler = nullptr; // what it calls on such a path repeats as a whole
    repetition.Rearms.clear();
  }
  repetition.Bounded = Bounds.boundedInFunction(function, site, work);
  return repetition;
}

void RepetitionAnalysis::propagate() {
  // Seeds: completion handlers that re-arm the operation they complete.
  for (const HandlerUse &use : Facts.Handlers) {
    if (Repeated.contains(use.Handler) || !Facts.reaches(use.Handler, use.ArmedIn)) {
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
  bool changed = true;
  while (changed) {
    changed = false;
    for (const CallEdge &edge : Facts.Calls) {
      if (Repeated.contains(edge.Callee)) {
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

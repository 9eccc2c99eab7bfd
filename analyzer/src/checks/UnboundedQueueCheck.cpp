// Reporting pushes onto queues that grow once per event with no cap.
#include "checks/UnboundedQueueCheck.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/ASTMatchers/ASTMatchers.h>

namespace spawnguard {

using namespace clang::ast_matchers;

namespace {

constexpr const char *CapItNote =
    "cap the queue: compare its size() with a limit before the push and drop or reject over it (or trim it right "
    "after the push), block the producer on a bounded channel (asio::experimental::channel with a capacity), or stop "
    "reading until it drains (backpressure)";

} // namespace

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
  finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::std::erase", "::std::erase_if"))),
                             unless(isExpansionInSystemHeader()))
                        .bind("call"),
                    this);
}

void UnboundedQueueCheck::check(const MatchFinder::MatchResult &result) {
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

bool UnboundedQueueCheck::capped(const QueueCall &push) {
  if (trimIn(push.Function, push.Queue) != nullptr) {
    return true;
  }
  const clang::ValueDecl *queue = push.Queue;
  auto stops = [queue](const clang::Stmt *stmt) { return waitsOnSizeOf(stmt, queue); };
  auto decides = [queue](const clang::Expr *condition) { return readsSizeOf(condition, queue); };
  return Context.Analyses.paths().gatedOnAllPaths(push.Function, push.Call, {stops, decides});
}

void UnboundedQueueCheck::onEndOfTranslationUnit() {
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<const QueueCall *, 2>> drains;
  for (const QueueCall &call : Calls) {
    if (call.Operation == QueueOperation::Drain) {
      drains[call.Queue].push_back(&call);
    }
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
    if (!repeated || repeated->Bounded || capped(push)) {
      continue;
    }
    std::string queue = NameList::qualifiedName(push.Queue);
    PendingFinding finding;
    finding.Check = Name;
    const auto *call = llvm::dyn_cast<clang::CallExpr>(push.Call);
    finding.Location = llvm::isa<clang::CXXMemberCallExpr>(push.Call) ? calleeNameLocation(call)
                                                                     : push.Call->getExprLoc();
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

// Summarising one translation unit for the cross-translation-unit merge.
#include "summary/SummaryBuilder.hpp"

#include "ast/AstNavigation.hpp"
#include "ast/SourceLocate.hpp"

#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/StringSet.h>

#include <algorithm>
#include <map>

namespace spawnguard {
namespace {

class SummaryBuilder {
public:
  SummaryBuilder(clang::ASTContext &context, const TranslationUnitFacts &facts, TranslationUnitAnalyses &analyses)
      : Sources(context.getSourceManager()), Facts(facts), Paths(analyses.paths()),
        Repeats(analyses.repetition()), TaskRepeats(analyses.taskRepetition()), Deadlines(analyses.deadlines()) {}

  TranslationUnitSummary build() {
    TranslationUnitSummary summary;
    if (clang::OptionalFileEntryRef main = Sources.getFileEntryRefForID(Sources.getMainFileID())) {
      summary.File = main->getFileEntry().tryGetRealPathName().str();
    }
    for (const CallEdge &edge : Facts.Calls) {
      addEdge(summary, edge.Caller, edge.Callee, edge.Call, EdgeKind::Call);
    }
    for (const HandlerUse &use : Facts.Handlers) {
      addEdge(summary, use.ArmedIn, use.Handler, use.Operation, EdgeKind::Handler);
    }
    std::vector<std::pair<std::string, std::string>> dispatches; // in a fixed order, not the map's
    for (const auto &[method, overriders] : Facts.Overriders) {
      for (const clang::FunctionDecl *overrider : overriders) {
        dispatches.emplace_back(usrOf(method), usrOf(overrider));
        DispatchDecls[dispatches.back()] = {method, overrider};
      }
    }
    std::sort(dispatches.begin(), dispatches.end());
    for (const auto &dispatch : dispatches) {
      addDispatch(summary, DispatchDecls[dispatch].first, DispatchDecls[dispatch].second);
    }
    for (const SpawnCall &spawn : Facts.Spawns) {
      std::string function = usrOf(spawn.Context);
      if (function.empty()) {
        continue;
      }
      SummarySpawn summarised;
      summarised.Function = function;
      summarised.Callee = spawn.Callee;
      summarised.Work = spawn.Work != nullptr ? usrOf(spawn.Work->getCanonicalDecl()) : "";
      summarised.Where = locate(Sources, spawn.Location);
      summarised.BoundedFromEntry = spawn.Guarded == GuardedSpawn::Limited ||
                                    Paths.boundedInFunction(spawn.Context, spawn.Anchor, spawn.Work);
      summarised.RepeatedHere = Repeats.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work).has_value();
      summarised.TaskRepeated = asLocal(TaskRepeats.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work));
      summarised.DeadlineBefore = deadlineBefore(spawn.Context, spawn.Anchor);
      summary.Spawns.push_back(std::move(summarised));
      noteDefined(summary, spawn.Context);
    }
    for (const WaitSite &wait : Facts.Waits) {
      addWait(summary, wait);
    }
    return summary;
  }

private:
  void addEdge(TranslationUnitSummary &summary, const clang::FunctionDecl *caller,
               const clang::FunctionDecl *callee, const clang::Expr *site, EdgeKind kind) {
    SummaryCall call;
    call.Caller = usrOf(caller);
    call.Callee = usrOf(callee);
    if (call.Caller.empty() || call.Callee.empty()) {
      return;
    }
    call.Kind = kind;
    call.Where = locate(Sources, site->getExprLoc());
    call.Repeated = asLocal(Repeats.repetitionOf(site, caller, callee));
    if (kind == EdgeKind::Call && RepetitionAnalysis::handsOverConnection(site)) {
      call.Repeated.reset(); // runs once per connection: repetition stops here, in every unit
      call.BoundedFromEntry = true;
    } else if (!call.Repeated) {
      // Only read when the caller repeats as a whole (a CFG per caller, so
      // not built for calls this unit already decided).
      call.BoundedFromEntry = Paths.boundedInFunction(caller, site, callee);
    }
    call.TaskRepeated = asLocal(TaskRepeats.repetitionOf(site, caller, callee));
    call.DeadlineBefore = deadlineBefore(caller, site);
    summary.Calls.push_back(std::move(call));
    noteDefined(summary, caller);
    noteDefined(summary, callee);
  }

  // An override this unit defines, for calls of the virtual method in other units.
  void addDispatch(TranslationUnitSummary &summary, const clang::FunctionDecl *method,
                   const clang::FunctionDecl *overrider) {
    SummaryCall call;
    call.Caller = usrOf(method);
    call.Callee = usrOf(overrider);
    if (call.Caller.empty() || call.Callee.empty()) {
      return;
    }
    call.Kind = EdgeKind::Dispatch;
    call.Where = locate(Sources, overrider->getLocation());
    summary.Calls.push_back(std::move(call));
    noteDefined(summary, overrider);
  }

  // Waits a deadline inside their own function covers are left out.
  void addWait(TranslationUnitSummary &summary, const WaitSite &wait) {
    std::string function = usrOf(wait.Function);
    if (function.empty() || Deadlines.carriesOwnDeadline(wait.Wait.Call)) {
      return;
    }
    DeadlineOnPath deadline = Deadlines.at(wait.Function, wait.Wait.Call, wait.Wait.Object);
    if (deadline.State == DeadlineState::Set) {
      return;
    }
    SummaryWait summarised;
    summarised.Function = function;
    summarised.Callee = wait.Wait.Callee;
    summarised.Database = wait.Wait.Kind == WaitKind::Database;
    summarised.Where = locate(Sources, wait.Wait.Location);
    if (deadline.State == DeadlineState::TurnedOff) {
      summarised.TurnedOffAt = locate(Sources, deadline.TurnedOffAt);
    }
    summary.Waits.push_back(std::move(summarised));
    noteDefined(summary, wait.Function);
  }

  // As spawnguard-missing-deadline decides it when following a task.
  bool deadlineBefore(const clang::FunctionDecl *function, const clang::Expr *site) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(site);
    return (call != nullptr && Deadlines.carriesOwnDeadline(call)) ||
           Deadlines.at(function, site).State == DeadlineState::Set;
  }

  std::optional<LocalRepetition> asLocal(const std::optional<Repetition> &repeated) {
    if (!repeated) {
      return std::nullopt;
    }
    LocalRepetition result;
    result.PerWhat = repeated->PerWhat;
    result.Bounded = repeated->Bounded;
    for (const WitnessStep &step : repeated->Steps) {
      result.Steps.push_back({locate(Sources, step.Location), step.Note});
    }
    return result;
  }

  // Lists a function once, when its body is in this translation unit.
  void noteDefined(TranslationUnitSummary &summary, const clang::FunctionDecl *function) {
    const clang::FunctionDecl *definition = nullptr;
    if (!function->hasBody(definition) || definition == nullptr) {
      return;
    }
    std::string usr = usrOf(function);
    if (usr.empty() || !Listed.insert(usr).second) {
      return;
    }
    summary.Functions.push_back({usr, describeFunction(definition), locate(Sources, definition->getLocation())});
  }

  std::string usrOf(const clang::FunctionDecl *function) {
    auto known = Usrs.find(function);
    if (known != Usrs.end()) {
      return known->second;
    }
    llvm::SmallString<128> usr;
    // generateUSRForDecl returns true when it cannot name the declaration.
    std::string name = clang::index::generateUSRForDecl(function, usr) ? "" : std::string(usr);
    Usrs[function] = name;
    return name;
  }

  const clang::SourceManager &Sources;
  const TranslationUnitFacts &Facts;
  BoundsOnPaths &Paths;
  RepetitionAnalysis &Repeats;
  RepetitionAnalysis &TaskRepeats;
  DeadlinesOnPaths &Deadlines;
  llvm::DenseMap<const clang::FunctionDecl *, std::string> Usrs;
  std::map<std::pair<std::string, std::string>, std::pair<const clang::FunctionDecl *, const clang::FunctionDecl *>>
      DispatchDecls;
  llvm::StringSet<> Listed;
};

} // namespace

TranslationUnitSummary buildSummary(clang::ASTContext &context, const TranslationUnitFacts &facts,
                                    TranslationUnitAnalyses &analyses) {
  return SummaryBuilder(context, facts, analyses).build();
}

} // namespace spawnguard

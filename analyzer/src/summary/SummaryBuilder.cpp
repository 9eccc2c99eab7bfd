// Summarising one translation unit for the cross-translation-unit merge.
#include "summary/SummaryBuilder.hpp"

#include "analysis/AstNavigation.hpp"
#include "analysis/BoundsOnPaths.hpp"
#include "analysis/Repetition.hpp"
#include "output/SourceLocate.hpp"
#include "recognisers/BoundRecogniser.hpp"

#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/StringSet.h>

namespace spawnguard {
namespace {

class SummaryBuilder {
public:
  SummaryBuilder(clang::ASTContext &context, const RecogniserNames &names, const TranslationUnitFacts &facts,
                 bool strict)
      : Sources(context.getSourceManager()), Facts(facts),
        Bounds(context, names, facts.Awaited), Paths(context, Bounds), Repeats(context, facts, Paths, strict) {}

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
      summarised.BoundedFromEntry = Paths.boundedInFunction(spawn.Context, spawn.Anchor, spawn.Work);
      summarised.RepeatedHere = Repeats.repetitionOf(spawn.Anchor, spawn.Context, spawn.Work).has_value();
      summary.Spawns.push_back(std::move(summarised));
      noteDefined(summary, spawn.Context);
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
    if (std::optional<Repetition> repeated = Repeats.repetitionOf(site, caller, callee)) {
      LocalRepetition local;
      local.PerWhat = repeated->PerWhat;
      local.Bounded = repeated->Bounded;
      for (const WitnessStep &step : repeated->Steps) {
        local.Steps.push_back({locate(Sources, step.Location), step.Note});
      }
      call.Repeated = std::move(local);
    } else {
      // Only read when the caller repeats as a whole (a CFG per caller, so
      // not built for calls this unit already decided).
      call.BoundedFromEntry = Paths.boundedInFunction(caller, site, callee);
    }
    summary.Calls.push_back(std::move(call));
    noteDefined(summary, caller);
    noteDefined(summary, callee);
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
  BoundRecogniser Bounds;
  BoundsOnPaths Paths;
  RepetitionAnalysis Repeats;
  llvm::DenseMap<const clang::FunctionDecl *, std::string> Usrs;
  llvm::StringSet<> Listed;
};

} // namespace

TranslationUnitSummary buildSummary(clang::ASTContext &context, const RecogniserNames &names,
                                    const TranslationUnitFacts &facts, bool strict) {
  return SummaryBuilder(context, names, facts, strict).build();
}

} // namespace spawnguard

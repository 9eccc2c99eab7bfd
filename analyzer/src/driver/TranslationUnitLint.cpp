// The frontend action and AST consumer that run the checks on one TU.
#include "driver/TranslationUnitLint.hpp"

#include "analysis/TranslationUnitFacts.hpp"
#include "ast/AstNavigation.hpp"
#include "ast/SourceLocate.hpp"
#include "checks/CheckRegistry.hpp"
#include "driver/CachedLint.hpp"
#include "driver/CrashIsolation.hpp"
#include "files/RepoPaths.hpp"
#include "fixes/FixCollector.hpp"
#include "output/FindingPipeline.hpp"
#include "recognisers/ConfiguredNames.hpp"
#include "summary/SummaryBuilder.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>

namespace spawnguard {
namespace {

class LintConsumer : public clang::ASTConsumer {
public:
  LintConsumer(clang::CompilerInstance &compiler, const LintSettings &settings, TranslationUnitResult &result)
      : Compiler(compiler), Settings(settings), Result(result) {}

  bool HandleTopLevelDecl(clang::DeclGroupRef group) override {
    for (clang::Decl *decl : group) {
      if (!inSystemHeader(Compiler.getSourceManager(), decl->getLocation())) {
        UserDecls.push_back(decl);
      }
    }
    return true;
  }

  void HandleTranslationUnit(clang::ASTContext &context) override {
    if (Compiler.getDiagnostics().hasErrorOccurred()) {
      return;
    }
    // Only user code is traversed (matchers and parent maps included):
    // Boost's headers are most of a TU and hold nothing to report.
    if (Settings.Cache != nullptr) {
      std::vector<UnitInput> inputs = unitInputs(Compiler.getSourceManager());
      Result.Inputs.insert(Result.Inputs.end(), inputs.begin(), inputs.end());
    }
    context.setTraversalScope(UserDecls);
    RecogniserNames names = RecogniserNames::from(*Settings.Config);
    Result.DeclaredNames = declaredNames(context, configuredNames(*Settings.Config));
    TranslationUnitFacts facts = TranslationUnitFacts::collect(context, names);
    TranslationUnitAnalyses analyses(context, names, facts, Settings.Strict);
    FixCollector fixes(context, facts, *Settings.Config);
    for (PendingFinding &finding :
         runChecks(Settings.EnabledChecks, context, *Settings.Config, names, facts, analyses, Settings.Strict)) {
      keep(finding, fixes);
    }
    if (Settings.Summarise) {
      Result.Summary = buildSummary(context, facts, analyses);
      Result.Summary->EnabledChecks = Settings.EnabledChecks;
      // A spawn in a skipped file is never reported, whatever reaches it.
      std::erase_if(Result.Summary->Spawns, [&](const SummarySpawn &spawn) {
        return Settings.Config->skips(relativeToRoot(Settings.Root, spawn.Where.File));
      });
    }
  }

private:
  // Resolves a finding, keeps it unless a skip path or NOLINT hides it, and
  // gives it its fix-it (which may add a note, so before the notes are resolved).
  void keep(PendingFinding &pending, FixCollector &fixes) {
    clang::SourceManager &sources = Compiler.getSourceManager();
    if (pending.Location.isInvalid() || inSystemHeader(sources, pending.Location)) {
      return;
    }
    Finding finding;
    finding.Check = pending.Check;
    finding.Message = pending.Message;
    finding.Where = locate(sources, pending.Location);
    llvm::StringRef text = sources.getBufferData(sources.getFileID(sources.getFileLoc(pending.Location)));
    if (!keepFinding(finding, text, *Settings.Config, Settings.Root)) {
      return;
    }
    finding.Fix = fixes.fixFor(pending);
    for (const PendingNote &note : pending.Notes) {
      finding.Notes.push_back({locate(sources, note.Location), note.Message});
    }
    finding.Function = pending.Function;
    finding.Callee = pending.Callee;
    Result.Findings.push_back(std::move(finding));
  }

  clang::CompilerInstance &Compiler;
  const LintSettings &Settings;
  TranslationUnitResult &Result;
  std::vector<clang::Decl *> UserDecls;
};

class LintAction : public clang::ASTFrontendAction {
public:
  LintAction(const LintSettings &settings, TranslationUnitResult &result) : Settings(settings), Result(result) {}

protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &compiler,
                                                        llvm::StringRef /*file*/) override {
    return std::make_unique<LintConsumer>(compiler, Settings, Result);
  }

private:
  const LintSettings &Settings;
  TranslationUnitResult &Result;
};

class LintActionFactory : public clang::tooling::FrontendActionFactory {
public:
  LintActionFactory(const LintSettings &settings, TranslationUnitResult &result)
      : Settings(settings), Result(result) {}

  std::unique_ptr<clang::FrontendAction> create() override { return std::make_unique<LintAction>(Settings, Result); }

  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> invocation, clang::FileManager *files,
                     std::shared_ptr<clang::PCHContainerOperations> pchOperations,
                     clang::DiagnosticConsumer *diagnostics) override {
    invocation->getFrontendOpts().DisableFree = Settings.ProcessEndsAfter;
    return FrontendActionFactory::runInvocation(std::move(invocation), files, std::move(pchOperations),
                                                diagnostics);
  }

private:
  const LintSettings &Settings;
  TranslationUnitResult &Result;
};

TranslationUnitResult parseAndLint(const clang::tooling::CompilationDatabase &database, const std::string &file,
                                   const LintSettings &settings) {
  TranslationUnitResult result;
  result.File = file;
  // A physical file system of its own, whose working directory is the TU's
  // and not the process's: TUs parsed in parallel cannot move each other's.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> files(llvm::vfs::createPhysicalFileSystem().release());
  clang::tooling::ClangTool tool(database, {file}, std::make_shared<clang::PCHContainerOperations>(), files);
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      "-resource-dir=" SPAWNGUARD_CLANG_RESOURCE_DIR, clang::tooling::ArgumentInsertPosition::END));
  tool.appendArgumentsAdjuster(
      clang::tooling::getInsertArgumentAdjuster(settings.ExtraArgsBefore, clang::tooling::ArgumentInsertPosition::BEGIN));
  tool.appendArgumentsAdjuster(
      clang::tooling::getInsertArgumentAdjuster(settings.ExtraArgs, clang::tooling::ArgumentInsertPosition::END));
  llvm::raw_string_ostream errors(result.Errors);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> options(new clang::DiagnosticOptions());
  clang::TextDiagnosticPrinter printer(errors, options.get());
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);
  LintActionFactory factory(settings, result);
  // A crash on one TU (in clang or in the lint, a stack overflow included) is
  // reported for that file instead of taking the whole run down.
  result.Crashed = !runIsolated([&] { result.ParseFailed = tool.run(&factory) != 0; });
  errors.flush();
  return result;
}

} // namespace

TranslationUnitResult lintTranslationUnit(const clang::tooling::CompilationDatabase &database,
                                          const std::string &file, const LintSettings &settings) {
  if (settings.Cache == nullptr) {
    return parseAndLint(database, file, settings);
  }
  return lintThroughCache(database, file, settings, [&] { return parseAndLint(database, file, settings); });
}

} // namespace spawnguard

// Running an analyzer check inside clang-tidy and reporting what it finds.
#include "AnalyzerCheck.hpp"

#include "analysis/TranslationUnitAnalyses.hpp"
#include "ast/AstNavigation.hpp"
#include "checks/CheckRegistry.hpp"

#include <utility>

namespace spawnguard::tidy {
namespace {

// Narrows the AST's traversal scope to the top-level declarations of user
// code, as spawnguard-lint's consumer does (matchers, parent maps and the
// facts pass never walk Boost's headers), and gives clang-tidy its scope back.
class UserCodeScope {
public:
  explicit UserCodeScope(clang::ASTContext &unit) : Unit(unit), Previous(unit.getTraversalScope()) {
    std::vector<clang::Decl *> user;
    for (clang::Decl *decl : unit.getTranslationUnitDecl()->decls()) {
      if (!decl->isImplicit() && !inSystemHeader(unit.getSourceManager(), decl->getLocation())) {
        user.push_back(decl);
      }
    }
    unit.setTraversalScope(user);
  }
  ~UserCodeScope() { Unit.setTraversalScope(Previous); }
  UserCodeScope(const UserCodeScope &) = delete;
  UserCodeScope &operator=(const UserCodeScope &) = delete;

private:
  clang::ASTContext &Unit;
  std::vector<clang::Decl *> Previous;
};

} // namespace

AnalyzerCheck::AnalyzerCheck(llvm::StringRef name, clang::tidy::ClangTidyContext *context)
    : ClangTidyCheck(name, context), Name(name.str()),
      Configuration(readCheckOptions(name, context->getOptions().CheckOptions)) {
  for (const std::string &error : Configuration.Errors) {
    configurationDiag("%0", clang::DiagnosticIDs::Error) << error;
  }
}

void AnalyzerCheck::registerMatchers(clang::ast_matchers::MatchFinder *finder) {
  finder->addMatcher(clang::ast_matchers::translationUnitDecl().bind("unit"), this);
}

void AnalyzerCheck::check(const clang::ast_matchers::MatchFinder::MatchResult &result) { Unit = result.Context; }

void AnalyzerCheck::onEndOfTranslationUnit() {
  clang::ASTContext *unit = std::exchange(Unit, nullptr);
  // Like spawnguard-lint: nothing is said about a TU that did not parse, and
  // nothing under a configuration that is wrong (its errors are said instead).
  if (unit == nullptr || unit->getDiagnostics().hasUncompilableErrorOccurred() || !Configuration.Errors.empty()) {
    return;
  }
  UserCodeScope scope(*unit);
  bool strict = Configuration.Config.Strict.value_or(false);
  RecogniserNames names = RecogniserNames::from(Configuration.Config);
  TranslationUnitFacts facts = TranslationUnitFacts::collect(*unit, names);
  TranslationUnitAnalyses analyses(*unit, names, facts, strict);
  for (const PendingFinding &finding : runChecks({Name}, *unit, Configuration.Config, names, facts, analyses, strict)) {
    report(finding);
  }
}

void AnalyzerCheck::report(const PendingFinding &finding) {
  if (finding.Location.isInvalid()) {
    return;
  }
  diag(finding.Location, "%0") << finding.Message;
  for (const PendingNote &note : finding.Notes) {
    diag(note.Location, "%0", clang::DiagnosticIDs::Note) << note.Message;
  }
}

void AnalyzerCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &options) {
  std::vector<std::string> names = optionNames(Name);
  for (size_t index = 0; index < names.size(); ++index) {
    Options.store(options, names[index], Configuration.Values[index]);
  }
}

} // namespace spawnguard::tidy

// One of spawnguard-lint's checks as a clang-tidy check: the same check class,
// recognisers, facts and analyses (the spawnguard-checks library), run over
// the translation unit once clang-tidy has matched it, with the findings
// reported as clang-tidy diagnostics so that its NOLINT handling, header
// filter, --warnings-as-errors and --export-fixes apply.
#pragma once

#include "TidyCheckOptions.hpp"
#include "checks/Check.hpp"

#include <clang-tidy/ClangTidyCheck.h>

#include <string>

namespace spawnguard::tidy {

class AnalyzerCheck : public clang::tidy::ClangTidyCheck {
public:
  AnalyzerCheck(llvm::StringRef name, clang::tidy::ClangTidyContext *context);

  bool isLanguageVersionSupported(const clang::LangOptions &language) const override { return language.CPlusPlus; }
  // Matches the translation unit only, to be handed its ASTContext: the
  // analysis runs at its end, over user code, as spawnguard-lint runs it.
  void registerMatchers(clang::ast_matchers::MatchFinder *finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &options) override;

private:
  void report(const PendingFinding &finding);

  std::string Name;
  CheckConfiguration Configuration;
  clang::ASTContext *Unit = nullptr;
};

} // namespace spawnguard::tidy

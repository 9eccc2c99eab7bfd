// The shape every check has, like clang-tidy's: registerMatchers says what to
// look at, check says what to say about a match, and finishTranslationUnit
// reasons over the translation unit's facts once everything is seen. A check
// that also decides something once the summaries of all units are joined says
// it in a static reportAcrossUnits (see CheckRegistry.hpp).
#pragma once

#include "analysis/TranslationUnitAnalyses.hpp"
#include "analysis/TranslationUnitFacts.hpp"
#include "config/Config.hpp"
#include "findings/Finding.hpp"
#include "recognisers/RecogniserNames.hpp"
#include "summary/GlobalCallGraph.hpp"

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <string>
#include <vector>

namespace spawnguard {

struct PendingNote {
  clang::SourceLocation Location;
  std::string Message;
};

// A finding inside one translation unit, at AST positions: what the lint
// resolves to a Finding (and gives its fix-it), and the clang-tidy plugin
// reports as a diagnostic.
struct PendingFinding {
  std::string Check;
  clang::SourceLocation Location;
  std::string Message;
  std::vector<PendingNote> Notes;
  std::string Function; // the enclosing function, for line-independent baseline keys
  std::string Callee;   // the spawned (or detached) callee, likewise
  const clang::Expr *Subject = nullptr; // the spawn or wait the finding is about (for fix-its)
};

// What a check may read in one translation unit, and where its findings go.
struct CheckContext {
  clang::ASTContext &AST;
  const ConfigFile &Config; // a check's own keys: Config.checkList(key)
  const RecogniserNames &Names;
  const TranslationUnitFacts &Facts;
  TranslationUnitAnalyses &Analyses; // shared with the other checks and the summary
  bool Strict = false;
  std::vector<PendingFinding> Found;

  void report(PendingFinding finding) { Found.push_back(std::move(finding)); }
};

// What a check may read once the summaries of every unit are joined: the
// units (sorted by file) and the global call graph, repetition propagated.
struct CrossUnitContext {
  const std::vector<const TranslationUnitSummary *> &Units;
  const GlobalCallGraph &Graph;

  static bool enables(const TranslationUnitSummary &unit, llvm::StringRef check);
};

class Check : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  explicit Check(CheckContext &context) : Context(context) {}

  virtual void registerMatchers(clang::ast_matchers::MatchFinder & /*finder*/) {}
  virtual void check(const clang::ast_matchers::MatchFinder::MatchResult & /*result*/) {}
  // Called once by runChecks, whether or not the check registered a matcher.
  virtual void finishTranslationUnit() {}
  // MatchFinder calls this on each callback at the end of matchAST; a check
  // reasoning here as well reported each end-of-unit finding twice.
  void onEndOfTranslationUnit() final {}

  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) final { check(result); }

protected:
  CheckContext &Context;
};

} // namespace spawnguard

// The shape every check has, like clang-tidy's: registerMatchers says what to
// look at, check says what to say about a match, and onEndOfTranslationUnit
// reasons over the translation unit's facts once everything is seen.
#pragma once

#include "analysis/TranslationUnitAnalyses.hpp"
#include "analysis/TranslationUnitFacts.hpp"
#include "recognisers/RecogniserNames.hpp"

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <functional>
#include <string>
#include <vector>

namespace spawnguard {

struct PendingNote {
  clang::SourceLocation Location;
  std::string Message;
};

// A finding inside one translation unit, before suppression and rendering.
struct PendingFinding {
  std::string Check;
  clang::SourceLocation Location;
  std::string Message;
  std::vector<PendingNote> Notes;
  std::string Function; // the enclosing function, for line-independent baseline keys
  std::string Callee;   // the spawned (or detached) callee, likewise
  const clang::Expr *Subject = nullptr; // the spawn or wait the finding is about (for fix-its)
};

// What a check may read and where it reports.
struct CheckContext {
  clang::ASTContext &AST;
  const RecogniserNames &Names;
  const TranslationUnitFacts &Facts;
  TranslationUnitAnalyses &Analyses; // shared with the other checks and the summary
  bool Strict = false;
  std::function<void(PendingFinding)> Report;
};

class Check : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  explicit Check(CheckContext &context) : Context(context) {}

  virtual void registerMatchers(clang::ast_matchers::MatchFinder & /*finder*/) {}
  virtual void check(const clang::ast_matchers::MatchFinder::MatchResult & /*result*/) {}
  virtual void onEndOfTranslationUnit() {}

  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) final { check(result); }

protected:
  CheckContext &Context;
};

} // namespace spawnguard

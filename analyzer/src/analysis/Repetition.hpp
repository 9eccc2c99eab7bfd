// "Does this run once per outside event?": loops driven by events, completion
// handlers that re-arm their own operation, and functions called from such
// places, propagated over the translation unit's calls to a fixed point with
// one witness chain per function for the notes.
#pragma once

#include "analysis/BoundsOnPaths.hpp"
#include "analysis/LoopClassifier.hpp"
#include "analysis/TranslationUnitFacts.hpp"

#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

struct WitnessStep {
  clang::SourceLocation Location;
  std::string Note;
};

struct Repetition {
  std::string PerWhat;             // "accepted connection", "read", ...
  std::vector<WitnessStep> Steps;  // from the site outwards to the root of the repetition
  bool Bounded = false;            // a permit or limit check bounds it on every path
  // For a completion handler that re-arms its operation: the re-arming calls
  // (each call in the handler that leads back to the operation). Only what
  // shares a path with one of them repeats (an upgrade that hands the
  // connection over and returns without re-arming runs once).
  const clang::FunctionDecl *RearmingHandler = nullptr;
  llvm::SmallVector<const clang::Expr *, 2> Rearms;
  // The same, kept once the repetition has left the handler (what the handler
  // calls repeats as a whole): whether it re-arms only while there is room is
  // a question spawnguard-unbounded-queue asks (backpressure).
  const clang::FunctionDecl *RearmedBy = nullptr;
  llvm::SmallVector<const clang::Expr *, 2> RearmedThrough;
};

class RepetitionAnalysis {
public:
  // throughBounds: also propagate through calls a permit or limit check
  // bounds (how many tasks may run at once does not matter to whether each
  // one is repeated; spawnguard-missing-deadline asks that question).
  RepetitionAnalysis(clang::ASTContext &context, const TranslationUnitFacts &facts, BoundsOnPaths &bounds,
                     bool strict, bool throughBounds = false);

  // How an expression in function repeats, if it does: the innermost
  // event-driven loop around it, else its function's repetition. work is what
  // the expression starts or calls (a counter it changes is part of a limit check).
  std::optional<Repetition> repetitionOf(const clang::Expr *site, const clang::FunctionDecl *function,
                                         const clang::FunctionDecl *work);

  // A call that hands the object's own connection (a socket or stream member,
  // std::move'd) to someone else: what it leads to runs once per connection.
  static bool handsOverConnection(const clang::Expr *site);

private:
  void propagate();
  void seedThroughHandlers(const HandlerUse &use);
  std::optional<Repetition> loopRepetition(const clang::Expr *site, const clang::FunctionDecl *function,
                                           const clang::FunctionDecl *work);

  clang::ASTContext &Context;
  const TranslationUnitFacts &Facts;
  BoundsOnPaths &Bounds;
  LoopClassifier Loops;
  bool Strict;
  bool ThroughBounds;
  // Functions that run once per event with nothing bounding them on the way.
  llvm::DenseMap<const clang::FunctionDecl *, Repetition> Repeated;
};

} // namespace spawnguard

// spawnguard-unbounded-queue: a push onto a queue that a repeated context
// feeds and another function drains, with nothing gating the push on the
// queue's size: the spawn may be bounded while the work it queues is not.
// Reported at the push.
#pragma once

#include "checks/Check.hpp"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>

#include <optional>
#include <vector>

namespace spawnguard {

enum class QueueOperation { Push, Drain };

// A push onto a queue or a drain of it: a standard container that outlives
// the iteration (a member or a variable of static storage).
struct QueueCall {
  const clang::Expr *Call = nullptr;
  const clang::ValueDecl *Queue = nullptr;       // the member or static variable
  const clang::FunctionDecl *Function = nullptr; // canonical: where the call is made
  QueueOperation Operation = QueueOperation::Push;
};

class UnboundedQueueCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-unbounded-queue";
  // A project's own queues, by their push functions: none is built in.
  static constexpr CheckListKey ListKeys[] = {
      {"queue-push-functions", "QueuePushFunctions",
       "a project's own queues: calls that push onto one (the standard containers need none)"},
  };
  explicit UnboundedQueueCheck(CheckContext &context);
  void registerMatchers(clang::ast_matchers::MatchFinder &finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override;
  void finishTranslationUnit() override;

private:
  // How the push repeats: its own context, or the posted work it runs in.
  std::optional<Repetition> repetitionOf(const QueueCall &push);
  bool boundedBefore(const Repetition &repeated, const QueueCall &push);
  bool fixedKey(const QueueCall &push);
  bool capped(const QueueCall &push);
  bool backpressured(const Repetition &repeated, const QueueCall &push);
  bool cappedIn(const clang::FunctionDecl *function, const clang::Expr *target, const clang::ValueDecl *queue);
  void reportConfigured(const clang::CallExpr *call);

  NameList PushFunctions; // the configuration's queue-push-functions
  std::vector<QueueCall> Calls;
  std::vector<const clang::CallExpr *> ConfiguredPushes; // calls to the configuration's queue-push-functions
  // The functions that drain each queue (canonical).
  llvm::DenseMap<const clang::ValueDecl *, llvm::DenseSet<const clang::FunctionDecl *>> DrainingFunctions;
};

} // namespace spawnguard

// spawnguard-unbounded-queue: a push onto a queue that a repeated context
// feeds and another function drains, with nothing gating the push on the
// queue's size: the spawn may be bounded while the work it queues is not.
// Reported at the push.
#pragma once

#include "checks/Check.hpp"
#include "checks/QueueOperations.hpp"

#include <vector>

namespace spawnguard {

class UnboundedQueueCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-unbounded-queue";
  using Check::Check;
  void registerMatchers(clang::ast_matchers::MatchFinder &finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override;
  void onEndOfTranslationUnit() override;

private:
  // How the push repeats: its own context, or the posted work it runs in.
  std::optional<Repetition> repetitionOf(const QueueCall &push);
  bool capped(const QueueCall &push);

  std::vector<QueueCall> Calls;
};

} // namespace spawnguard

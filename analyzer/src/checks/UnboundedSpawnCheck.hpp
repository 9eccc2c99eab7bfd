// spawnguard-unbounded-spawn: a spawn repeated once per outside event with
// nothing bounding how many run at once, reported once at its root.
#pragma once

#include "checks/Check.hpp"

#include <string>

namespace spawnguard {

class UnboundedSpawnCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-unbounded-spawn";
  // The finding's words, the same in one unit and across units.
  static std::string message(const std::string &callee, const std::string &perWhat);
  static constexpr const char *BoundItNote = "bound it: acquire a semaphore before spawning, feed a bounded channel "
                                             "to a fixed pool of workers, or spawn through spawnguard with a site "
                                             "limit";
  using Check::Check;
  // Spawns come from the shared facts (missing-deadline reads them too), so
  // this check registers no matchers and reasons at the end of the TU.
  void finishTranslationUnit() override;
  // Spawns in functions repeated across units, that their own unit did not
  // decide and no bound covers from the function's entry.
  static void reportAcrossUnits(const CrossUnitContext &context, std::vector<Finding> &findings);
};

} // namespace spawnguard

// spawnguard-unbounded-spawn: a spawn repeated once per outside event with
// nothing bounding how many run at once, reported once at its root.
#pragma once

#include "checks/Check.hpp"

namespace spawnguard {

class UnboundedSpawnCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-unbounded-spawn";
  using Check::Check;
  // Spawns come from the shared facts (missing-deadline reads them too), so
  // this check registers no matchers and reasons at the end of the TU.
  void onEndOfTranslationUnit() override;
};

} // namespace spawnguard

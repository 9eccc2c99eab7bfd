// spawnguard-missing-deadline: a task of which many may exist waits on the
// network or a database with no deadline, so one stalled peer or slow query
// strands it and everything it holds. Reported at the wait.
#pragma once

#include "checks/Check.hpp"

namespace spawnguard {

class MissingDeadlineCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-missing-deadline";
  using Check::Check;
  void onEndOfTranslationUnit() override;
};

} // namespace spawnguard

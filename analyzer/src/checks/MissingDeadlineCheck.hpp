// spawnguard-missing-deadline: a task of which many may exist waits on the
// network or a database with no deadline, so one stalled peer or slow query
// strands it and everything it holds. Reported at the wait.
#pragma once

#include "checks/Check.hpp"
#include "recognisers/WaitRecogniser.hpp"

#include <string>

namespace spawnguard {

class MissingDeadlineCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-missing-deadline";
  // The finding's words, the same in one unit and across units.
  // perWhat is what repeats the task ("" for a task started once, --strict).
  static std::string message(const std::string &callee, WaitKind kind, bool turnedOff, const std::string &perWhat);
  static const char *fixNote(WaitKind kind);
  using Check::Check;
  void finishTranslationUnit() override;
  // Waits in the work of repeated spawns, followed through calls, completion
  // handlers and spawned work into other units, that no deadline covers.
  static void reportAcrossUnits(const CrossUnitContext &context, std::vector<Finding> &findings);
};

} // namespace spawnguard

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
  // The finding's words, shared with the cross-translation-unit merge.
  // perWhat is what repeats the task ("" for a task started once, --strict).
  static std::string message(const std::string &callee, WaitKind kind, bool turnedOff, const std::string &perWhat);
  static const char *fixNote(WaitKind kind);
  using Check::Check;
  void onEndOfTranslationUnit() override;
};

} // namespace spawnguard

// "Is this a wait on something outside the process?" and "does this put a
// deadline on it?": the lists spawnguard-missing-deadline reads.
#pragma once

#include "recognisers/RecogniserNames.hpp"

#include <clang/AST/Expr.h>

namespace spawnguard {

class WaitRecogniser {
public:
  explicit WaitRecogniser(const RecogniserNames &names) : Names(names) {}

  // Socket and stream waits (async and blocking forms) and configured waits.
  bool isWait(const clang::CallExpr *call) const;
  // Configured deadline functions and Beast's expires_after / expires_at.
  bool isDeadline(const clang::CallExpr *call) const;

private:
  const RecogniserNames &Names;
};

} // namespace spawnguard

// How the driver says it could not do the job: one "error:" line naming the
// thing, one "fix:" line, and exit status 2.
#pragma once

#include "driver/Driver.hpp"

#include <llvm/ADT/Twine.h>
#include <llvm/Support/raw_ostream.h>

namespace spawnguard {

inline int fail(const llvm::Twine &message, const llvm::Twine &fix = "") {
  llvm::errs() << "spawnguard-lint: error: " << message << "\n";
  if (!fix.isTriviallyEmpty()) {
    llvm::errs() << "  fix: " << fix << "\n";
  }
  return CouldNotRun;
}

} // namespace spawnguard

// Running one translation unit so that a crash in clang or in the lint, a
// stack overflow included, fails that unit and not the run: clang's
// CrashRecoveryContext on a thread with a large stack, as clang's driver
// runs cc1, with the recovery handler able to run when the stack is gone.
#pragma once

#include <llvm/ADT/STLFunctionalExtras.h>

namespace spawnguard {

// Once per process, before the first isolated run.
void enableCrashRecovery();

// Runs work on a fresh thread with a large stack; false when it crashed.
bool runIsolated(llvm::function_ref<void()> work);

} // namespace spawnguard

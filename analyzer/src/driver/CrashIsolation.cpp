// CrashRecoveryContext catches SIGSEGV and the like, but installs its handler
// without SA_ONSTACK: on a stack overflow the kernel cannot run it and kills
// the process. Each unit's thread gets an alternate signal stack and the
// handler is marked to use it.
#include "driver/CrashIsolation.hpp"

#include <clang/Basic/Stack.h>
#include <llvm/Support/CrashRecoveryContext.h>

#include <csignal>
#include <vector>

namespace spawnguard {
namespace {

// Deep enough for expressions clang's own 8 MiB would overflow on (a 200,000
// term sum); only the pages touched are ever committed.
constexpr unsigned UnitStackSize = 256u << 20;
constexpr size_t AlternateStackSize = 256u << 10;

// The alternate signal stack of the calling thread, for as long as it lives.
class AlternateSignalStack {
public:
  AlternateSignalStack() : Memory(AlternateStackSize) {
    stack_t stack{};
    stack.ss_sp = Memory.data();
    stack.ss_size = Memory.size();
    Installed = sigaltstack(&stack, &Previous) == 0;
  }
  ~AlternateSignalStack() {
    if (Installed) {
      sigaltstack(&Previous, nullptr);
    }
  }
  AlternateSignalStack(const AlternateSignalStack &) = delete;
  AlternateSignalStack &operator=(const AlternateSignalStack &) = delete;

private:
  std::vector<char> Memory;
  stack_t Previous{};
  bool Installed = false;
};

} // namespace

void enableCrashRecovery() {
  llvm::CrashRecoveryContext::Enable();
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP}) {
    struct sigaction action {};
    if (sigaction(signal, nullptr, &action) == 0) {
      action.sa_flags |= SA_ONSTACK;
      sigaction(signal, &action, nullptr);
    }
  }
}

bool runIsolated(llvm::function_ref<void()> work) {
  llvm::CrashRecoveryContext recovery;
  return recovery.RunSafelyOnThread(
      [&] {
        AlternateSignalStack signalStack;
        clang::noteBottomOfStack(); // lets clang's own deep-recursion guards see how much is left
        work();
      },
      UnitStackSize);
}

} // namespace spawnguard

// A tiny test-and-test-and-set lock for the few instructions that link or
// unlink a live task; cheaper than std::mutex when uncontended.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <atomic>
#include <thread>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SpinLock {
public:
  void lock() noexcept {
    for (unsigned spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins % 64 == 0) {
          std::this_thread::yield();
        } else {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
        }
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

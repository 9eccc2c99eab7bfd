// The coarse clock and the 10 ms ticker behind task start times.
#include "spawnguard/detail/task_clock.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <thread>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

std::int64_t coarse_now_ns() noexcept {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

std::atomic<std::uint64_t> ticker_ms{0};

namespace {

// Advances ticker_ms every 10 ms on its own thread; made once, never destroyed.
class TickerClock {
public:
  static constexpr auto period = std::chrono::milliseconds(10);
  static TickerClock &instance() {
    static TickerClock *const clock = new TickerClock; // its thread runs until exit
    return *clock;
  }
  void hold(bool held) {
    std::lock_guard lock(mutex_);
    held_ = held;
    if (!held) {
      ticker_ms.store(read(), std::memory_order_relaxed);
    }
  }
  void advance(std::uint64_t ms) {
    std::lock_guard lock(mutex_);
    ticker_ms.fetch_add(ms, std::memory_order_relaxed);
  }

private:
  TickerClock() {
    ticker_ms.store(read());
    std::thread([this] {
      for (;;) {
        std::this_thread::sleep_for(period);
        std::lock_guard lock(mutex_);
        if (!held_) {
          ticker_ms.store(read(), std::memory_order_relaxed);
        }
      }
    }).detach();
  }
  std::mutex mutex_; // the thread's store against hold() and advance()
  bool held_ = false;
  static std::uint64_t read() noexcept {
    return static_cast<std::uint64_t>(coarse_now_ns() / 1'000'000);
  }
};

} // namespace

void start_ticker() { TickerClock::instance(); }
void hold_ticker() { TickerClock::instance().hold(true); }
void advance_held_ticker(std::uint64_t ms) { TickerClock::instance().advance(ms); }
void release_ticker() { TickerClock::instance().hold(false); }

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

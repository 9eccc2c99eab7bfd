// The coarse clock and the 10 ms ticker behind task start times.
#include "spawnguard/detail/task_clock.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

namespace spawnguard::detail {

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

private:
  TickerClock() {
    ticker_ms.store(read());
    std::thread([] {
      for (;;) {
        std::this_thread::sleep_for(period);
        ticker_ms.store(read(), std::memory_order_relaxed);
      }
    }).detach();
  }
  static std::uint64_t read() noexcept {
    return static_cast<std::uint64_t>(coarse_now_ns() / 1'000'000);
  }
};

} // namespace

void start_ticker() { TickerClock::instance(); }

} // namespace spawnguard::detail

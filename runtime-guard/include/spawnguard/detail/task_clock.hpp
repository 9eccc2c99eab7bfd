// The clocks task ages are measured with: a coarse monotonic clock, and a
// ticker a background thread advances every 10 ms (as Seastar's lowres_clock),
// whose reading is a plain load where clock_gettime costs ~2% of a spawn.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <atomic>
#include <cstdint>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

// CLOCK_MONOTONIC_COARSE in nanoseconds.
std::int64_t coarse_now_ns() noexcept;
// The ticker's last reading of the coarse clock, in milliseconds; good to
// 10 ms once start_ticker() ran. Inline: it is read on every spawn.
extern std::atomic<std::uint64_t> ticker_ms;
inline std::uint64_t ticker_now_ms() noexcept { return ticker_ms.load(std::memory_order_relaxed); }
// Starts the ticker's thread (once per process; it runs until exit).
void start_ticker();
// Tests: stops the ticker at its current reading, moves it on by hand, and
// lets it run again, so task lifetimes are exact without sleeping.
void hold_ticker();
void advance_held_ticker(std::uint64_t ms);
void release_ticker();

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

// SiteLimit: how many tasks of one site may be live at once, and what a spawn
// does when that many already are.
#pragma once

#include <chrono>
#include <cstddef>
#include <limits>
#include <string_view>

namespace spawnguard {

enum class LimitPolicy {
  reject,  // the spawn does not happen; it completes with SpawnRejected(errc::limit_reached)
  wait,    // the spawn waits for a slot, at most max_waiters deep and wait_timeout long
  observe, // nothing changes; the site is counted and alerted on when over max_live
};

std::string_view to_string(LimitPolicy policy) noexcept;

struct SiteLimit {
  std::size_t max_live = std::numeric_limits<std::size_t>::max();
  LimitPolicy policy = LimitPolicy::observe;
  std::size_t max_waiters = 1024;
  std::chrono::milliseconds wait_timeout{5000};
};

} // namespace spawnguard

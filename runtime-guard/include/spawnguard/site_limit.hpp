// SiteLimit: how many tasks of one site may be live at once — a fixed number,
// or one the guard adapts to the site's completion times and to memory — and
// what a spawn does when that many already are.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <string_view>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

enum class LimitPolicy {
  reject,  // the spawn does not happen; it completes with SpawnRejected(errc::limit_reached)
  wait,    // the spawn waits for a slot, at most max_waiters deep and wait_timeout long
  observe, // nothing changes; the site is counted and alerted on when over max_live
};

std::string_view to_string(LimitPolicy policy) noexcept;

// An adaptive limit: the sampler moves the site's limit between min_live and
// SiteLimit::max_live — down while its tasks' recent completion time rises
// above their long-run baseline or memory is under pressure, up while neither
// holds (Config::adaptive_* tune it; docs/runtime-guard.md).
struct AdaptiveLimit {
  std::size_t min_live = 1;
  std::size_t initial_live = 16; // kept within [min_live, max_live]
};

struct SiteLimit {
  std::size_t max_live = std::numeric_limits<std::size_t>::max();
  LimitPolicy policy = LimitPolicy::observe;
  std::size_t max_waiters = 1024;
  std::chrono::milliseconds wait_timeout{5000};
  // Set: max_live is the ceiling of a limit the guard adapts; the policy
  // applies over the adapted limit.
  std::optional<AdaptiveLimit> adaptive{};
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

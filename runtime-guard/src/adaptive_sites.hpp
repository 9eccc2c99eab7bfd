// AdaptiveSites: the sampler's side of adaptive site limits — for each site
// with one, its AdaptiveLimiter, the counters at the last sample (to take the
// mean completion time of the tasks that ended since) and the rate limit of
// its change reports.
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/config.hpp"
#include "spawnguard/site_stats.hpp"
#include "adaptive_limiter.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SiteState;

// Why memory holds the adaptive limits down this sample (empty: it does not),
// and the graded overload scale: 1 up to warn, falling linearly to 0 at
// critical (the lower of the memory fraction's and the forecast's).
struct MemoryPressure {
  std::string reason{};
  double scale = 1.0;
  explicit operator bool() const noexcept { return !reason.empty(); }
};

class AdaptiveSites {
public:
  explicit AdaptiveSites(const Config &config);

  // One sample of `site`, whose stats (taken after reading `generation`) are
  // `stats`: moves its limit and appends a report when one is due. Returns
  // the limit in force. Sites without an adaptive limit are forgotten.
  std::optional<std::size_t> update(SiteState &site, std::uint64_t generation,
                                    const SiteStats &stats, const MemoryPressure &memory,
                                    std::chrono::steady_clock::time_point at,
                                    std::vector<LimitChange> &reports);

private:
  struct Tracked {
    std::uint64_t generation;
    std::size_t min_live;
    AdaptiveLimiter limiter;
    std::uint64_t ended;
    std::chrono::milliseconds run_time;
    std::size_t applied;
    std::size_t reported;
    std::optional<std::chrono::steady_clock::time_point> reported_at{};
    std::size_t changes = 0; // since the last report
    std::string cause{};     // of the last move
  };

  AdaptiveTuning tuning_;
  std::chrono::milliseconds report_interval_;
  std::map<const SiteState *, Tracked> sites_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

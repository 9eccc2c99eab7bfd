// AdaptiveSites: per-sample observations for each adaptive site, the limit
// set on its semaphore, and rate-limited reports of its moves.
#include "adaptive_sites.hpp"

#include "spawnguard/detail/site_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

std::size_t samples_in(std::chrono::milliseconds window, std::chrono::milliseconds period) {
  return static_cast<std::size_t>(
      std::max<std::int64_t>(1, window.count() / std::max<std::int64_t>(1, period.count())));
}

AdaptiveTuning tuning_of(const Config &config) {
  AdaptiveTuning tuning;
  tuning.recent_samples = samples_in(config.adaptive_recent_window, config.sample_period);
  tuning.baseline_samples =
      std::max(tuning.recent_samples + 1,
               samples_in(config.adaptive_baseline_window, config.sample_period));
  tuning.tolerance = config.adaptive_tolerance;
  tuning.memory_backoff = config.adaptive_memory_backoff;
  return tuning;
}

std::string cause_of(const AdaptiveLimiter &limiter, double tolerance,
                     const MemoryPressure &memory) {
  switch (limiter.last_cause()) {
  case LimitCause::memory_pressure:
    return "memory pressure: " + memory.reason;
  case LimitCause::completion_time: {
    const double recent = limiter.recent_seconds().value_or(0);
    const double baseline = limiter.baseline_seconds().value_or(0);
    return fmt::format("completion time {:.3f}s {} {} x baseline {:.3f}s", recent,
                       recent > tolerance * baseline ? ">" : "<=", tolerance, baseline);
  }
  case LimitCause::none:
    break;
  }
  return "unchanged";
}

} // namespace

AdaptiveSites::AdaptiveSites(const Config &config)
    : tuning_(tuning_of(config)), report_interval_(config.adaptive_log_interval) {}

std::optional<std::size_t>
AdaptiveSites::update(SiteState &site, std::uint64_t generation, const SiteStats &stats,
                      const MemoryPressure &memory, std::chrono::steady_clock::time_point at,
                      std::vector<LimitChange> &reports) {
  if (!stats.limit || !stats.limit->adaptive) {
    sites_.erase(&site);
    return stats.current_limit;
  }
  const std::uint64_t ended = stats.finished + stats.failed;
  auto it = sites_.find(&site);
  if (it == sites_.end() || it->second.generation != generation) {
    // A new or replaced limit: start from its initial value; the tasks that
    // ended before it say nothing about it.
    const auto &adaptive = *stats.limit->adaptive;
    const std::size_t initial = stats.current_limit.value_or(adaptive.initial_live);
    AdaptiveLimiter limiter(adaptive.min_live, stats.limit->max_live, initial, tuning_);
    sites_.insert_or_assign(&site, Tracked{generation, adaptive.min_live, limiter, ended,
                                           stats.run_time_total, limiter.limit(),
                                           limiter.limit()});
    return limiter.limit();
  }
  Tracked &tracked = it->second;

  AdaptiveObservation observation;
  observation.live = stats.live;
  observation.memory_pressure = static_cast<bool>(memory);
  if (ended > tracked.ended) {
    const auto run = stats.run_time_total - tracked.run_time;
    observation.completion_seconds =
        std::chrono::duration<double>(run).count() / static_cast<double>(ended - tracked.ended);
  } else if (const auto recent = tracked.limiter.recent_seconds(); recent && stats.live > 0) {
    // Nothing ended: the oldest live task has run this long at least, which
    // is news only when it is longer than the recent time (a stalled backend).
    const double oldest = std::chrono::duration<double>(stats.oldest_age).count();
    if (oldest > *recent) {
      observation.completion_seconds = oldest;
    }
  }
  tracked.ended = ended;
  tracked.run_time = stats.run_time_total;

  // Between warn and critical the limit in force is the estimate scaled down
  // by the overload scale (Envoy's scaled trigger); the estimate is kept.
  const auto estimate = static_cast<double>(tracked.limiter.update(observation));
  const auto limit = std::max(tracked.min_live,
                              static_cast<std::size_t>(std::llround(estimate * memory.scale)));
  if (limit != tracked.applied) {
    site.set_adapted_limit(limit, generation);
    tracked.applied = limit;
    tracked.cause = cause_of(tracked.limiter, tuning_.tolerance, memory);
    if (memory.scale < 1) {
      tracked.cause += fmt::format(", overload scale {:.2f}", memory.scale);
    }
    ++tracked.changes;
  }
  if (tracked.applied != tracked.reported &&
      (!tracked.reported_at || at - *tracked.reported_at >= report_interval_)) {
    reports.push_back({std::chrono::system_clock::now(), stats.label, tracked.applied,
                       tracked.reported, tracked.changes, tracked.limiter.recent_seconds(),
                       tracked.limiter.baseline_seconds(), tracked.cause});
    tracked.reported = tracked.applied;
    tracked.reported_at = at;
    tracked.changes = 0;
  }
  return tracked.applied;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

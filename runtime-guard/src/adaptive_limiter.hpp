// AdaptiveLimiter: one site's concurrency limit inferred from its own tasks'
// completion times, gradient-style after Netflix concurrency-limits' Gradient2,
// and cut multiplicatively while memory is under pressure. Arithmetic only:
// the sampler feeds it one observation per sample.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

struct AdaptiveTuning {
  std::size_t recent_samples = 10;    // EMA window of the recent completion time
  std::size_t baseline_samples = 600; // EMA window of the long-run baseline
  double tolerance = 1.5;             // recent may reach this x baseline before the limit shrinks
  double memory_backoff = 0.9;        // the limit's factor per sample under memory pressure
};

struct AdaptiveObservation {
  // Mean completion time of the tasks that ended since the last sample (or,
  // when none did, a lower bound: the age of the oldest live task).
  std::optional<double> completion_seconds{};
  std::int64_t live = 0;
  bool memory_pressure = false;
};

enum class LimitCause { none, completion_time, memory_pressure };

class AdaptiveLimiter {
public:
  // Gradient2's defaults: the limit moves a fifth of the way to its target per
  // sample; the target adds sqrt(limit) of headroom (the "queue size").
  static constexpr double smoothing = 0.2;
  static constexpr double min_gradient = 0.5;
  // A baseline this many times the recent time is stale (after a slow spell)
  // and decays by baseline_decay per sample until it is not.
  static constexpr double stale_baseline_ratio = 2.0;
  static constexpr double baseline_decay = 0.95;

  AdaptiveLimiter(std::size_t min_live, std::size_t max_live, std::size_t initial_live,
                  AdaptiveTuning tuning);

  // The limit after this sample, and what moved it (none: unchanged rule).
  std::size_t update(const AdaptiveObservation &observation);
  std::size_t limit() const noexcept;
  LimitCause last_cause() const noexcept { return cause_; }
  std::optional<double> recent_seconds() const noexcept { return recent_; }
  std::optional<double> baseline_seconds() const noexcept { return baseline_; }

private:
  void observe(double seconds);
  double clamped(double limit) const;

  double min_;
  double max_;
  double limit_;
  AdaptiveTuning tuning_;
  std::optional<double> recent_{};
  std::optional<double> baseline_{};
  LimitCause cause_ = LimitCause::none;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

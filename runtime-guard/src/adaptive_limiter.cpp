// AdaptiveLimiter: two exponential averages of completion time and the
// Gradient2 update between them; a multiplicative cut under memory pressure.
#include "adaptive_limiter.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

double ema_weight(std::size_t samples) { return 2.0 / (static_cast<double>(samples) + 1.0); }

} // namespace

AdaptiveLimiter::AdaptiveLimiter(std::size_t min_live, std::size_t max_live,
                                 std::size_t initial_live, AdaptiveTuning tuning)
    : min_(static_cast<double>(min_live)), max_(static_cast<double>(max_live)),
      limit_(static_cast<double>(std::clamp(initial_live, min_live, max_live))), tuning_(tuning) {
  assert(min_live >= 1 && min_live <= max_live);
  assert(tuning.memory_backoff > 0 && tuning.memory_backoff < 1);
}

std::size_t AdaptiveLimiter::limit() const noexcept {
  return static_cast<std::size_t>(std::llround(limit_));
}

double AdaptiveLimiter::clamped(double limit) const { return std::clamp(limit, min_, max_); }

void AdaptiveLimiter::observe(double seconds) {
  if (!recent_) {
    recent_ = baseline_ = seconds;
    return;
  }
  *recent_ += ema_weight(tuning_.recent_samples) * (seconds - *recent_);
  *baseline_ += ema_weight(tuning_.baseline_samples) * (seconds - *baseline_);
  if (*baseline_ > stale_baseline_ratio * *recent_) {
    *baseline_ *= baseline_decay;
  }
}

std::size_t AdaptiveLimiter::update(const AdaptiveObservation &observation) {
  cause_ = LimitCause::none;
  if (observation.completion_seconds) {
    observe(*observation.completion_seconds);
  }
  if (observation.memory_pressure) {
    limit_ = clamped(limit_ * tuning_.memory_backoff);
    cause_ = LimitCause::memory_pressure;
    return limit();
  }
  // Nothing measured yet, or the site uses under half its limit: the limit is
  // not what bounds it, so the times say nothing about it (Gradient2 waits too).
  if (!recent_ || static_cast<double>(observation.live) < limit_ / 2) {
    return limit();
  }
  // Times under the clock's 10 ms resolution average to 0: no slowdown.
  const double gradient =
      *recent_ > 0 ? std::clamp(tuning_.tolerance * *baseline_ / *recent_, min_gradient, 1.0)
                   : 1.0;
  const double target = limit_ * gradient + std::sqrt(limit_);
  limit_ = clamped(limit_ * (1 - smoothing) + target * smoothing);
  cause_ = LimitCause::completion_time;
  return limit();
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

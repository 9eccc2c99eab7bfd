// ExhaustionForecast: fits memory use over a sliding window with the
// Theil–Sen estimator (median of pairwise slopes, robust to spikes) and
// predicts the seconds left until the limit.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

class ExhaustionForecast {
public:
  // Keeps the last window_samples samples (at least 3).
  explicit ExhaustionForecast(std::size_t window_samples = 64);

  void add(double seconds, double used_bytes);
  void clear() noexcept;
  std::size_t size() const noexcept { return count_; }
  // Seconds between the oldest and the newest sample kept (0 with fewer than 2).
  double span() const noexcept;

  // Bytes per second; nullopt with fewer than 3 samples.
  std::optional<double> slope() const;
  // Seconds until the fitted trend reaches limit_bytes, counted from the last
  // sample; 0 when already there; nullopt when not rising or too few samples.
  std::optional<double> seconds_to(double limit_bytes) const;

private:
  struct Point {
    double t;
    double y;
  };
  std::vector<Point> ordered() const;

  std::vector<Point> ring_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

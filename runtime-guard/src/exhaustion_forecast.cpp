// ExhaustionForecast: Theil–Sen over a ring of samples.
#include "spawnguard/exhaustion_forecast.hpp"

#include <algorithm>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

double median(std::vector<double> &values) {
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) {
    return *mid;
  }
  const double upper = *mid;
  const double lower = *std::max_element(values.begin(), mid);
  return (lower + upper) / 2;
}

} // namespace

ExhaustionForecast::ExhaustionForecast(std::size_t window_samples)
    : ring_(std::max<std::size_t>(window_samples, 3)) {}

void ExhaustionForecast::add(double seconds, double used_bytes) {
  ring_[next_] = {seconds, used_bytes};
  next_ = (next_ + 1) % ring_.size();
  count_ = std::min(count_ + 1, ring_.size());
}

void ExhaustionForecast::clear() noexcept {
  next_ = 0;
  count_ = 0;
}

double ExhaustionForecast::span() const noexcept {
  if (count_ < 2) {
    return 0.0;
  }
  const std::size_t first = (next_ + ring_.size() - count_) % ring_.size();
  const std::size_t last = (next_ + ring_.size() - 1) % ring_.size();
  return ring_[last].t - ring_[first].t;
}

std::vector<ExhaustionForecast::Point> ExhaustionForecast::ordered() const {
  std::vector<Point> points;
  points.reserve(count_);
  const std::size_t first = (next_ + ring_.size() - count_) % ring_.size();
  for (std::size_t i = 0; i < count_; ++i) {
    points.push_back(ring_[(first + i) % ring_.size()]);
  }
  return points;
}

std::optional<double> ExhaustionForecast::slope() const {
  if (count_ < 3) {
    return std::nullopt;
  }
  const auto points = ordered();
  std::vector<double> slopes;
  slopes.reserve(points.size() * (points.size() - 1) / 2);
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const double dt = points[j].t - points[i].t;
      if (dt > 0) {
        slopes.push_back((points[j].y - points[i].y) / dt);
      }
    }
  }
  if (slopes.empty()) {
    return std::nullopt;
  }
  return median(slopes);
}

std::optional<double> ExhaustionForecast::seconds_to(double limit_bytes) const {
  const auto rate = slope();
  if (!rate) {
    return std::nullopt;
  }
  const auto points = ordered();
  // Theil–Sen intercept: the median of y - slope * t; the level now is the
  // fitted line at the last sample's time.
  std::vector<double> intercepts;
  intercepts.reserve(points.size());
  for (const auto &p : points) {
    intercepts.push_back(p.y - *rate * p.t);
  }
  const double now = median(intercepts) + *rate * points.back().t;
  if (now >= limit_bytes) {
    return 0.0;
  }
  if (*rate <= 0) {
    return std::nullopt;
  }
  return (limit_bytes - now) / *rate;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

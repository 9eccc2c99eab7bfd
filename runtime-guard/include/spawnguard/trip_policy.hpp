// TripPolicy: turns one sample (memory fraction, time to exhaustion, per-site
// signals) into a level ok/warn/critical, with hysteresis: a level is entered
// at its threshold, left only below threshold minus a margin and only after
// several samples in a row, so it does not flap at a boundary.
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/config.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

struct SiteSignal {
  std::string label{};
  std::int64_t live = 0;
  std::int64_t growth = 0;          // live now minus live one window ago
  std::int64_t unfinished = 0;      // spawned minus ended over the window
  std::chrono::nanoseconds oldest_age{0};
  std::optional<std::size_t> observe_limit{}; // an observe-policy SiteLimit's max_live
};

struct TripInput {
  std::optional<double> memory_fraction{};
  std::optional<double> eta_seconds{};
  std::vector<SiteSignal> sites{};
};

struct TripDecision {
  AlertLevel level = AlertLevel::ok;
  bool changed = false;
  std::vector<std::string> reasons{}; // why the level is what it is
  // What each condition is, without its numbers ("memory warn", "leak
  // <site>"): a new one at the same level is an alert too.
  std::vector<std::string> reason_keys{};
};

class TripPolicy {
public:
  explicit TripPolicy(const Config &config);
  TripDecision evaluate(const TripInput &input);
  AlertLevel level() const noexcept { return level_; }

private:
  AlertLevel raw_level(const TripInput &input, TripDecision &decision) const;

  Config config_;
  AlertLevel level_ = AlertLevel::ok;
  std::size_t calm_samples_ = 0;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

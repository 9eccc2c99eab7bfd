// GuardState: what a Guard owns — the site registry, the sampler's state
// (probe, forecast, trip policy, per-site history), the sinks and the alert ring.
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/config.hpp"
#include "spawnguard/exhaustion_forecast.hpp"
#include "spawnguard/memory_probe.hpp"
#include "spawnguard/trip_policy.hpp"
#include "adaptive_sites.hpp"
#include "site_registry.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SamplerLoop;

// The graded overload scale of a sample (1 up to warn, 0 at critical) and, in
// `reason`, the condition that set it; reported when it moves this much.
double overload_scale(const TripInput &input, const Config &config, std::string &reason);
inline constexpr double overload_report_step = 0.1;

// What one sample (or the sampler's start) tells the sinks: gathered under
// the monitor's lock, delivered after it is released, so that a sink may call
// back into the guard. `order` keeps one delivery's calls together.
struct SinkDeliveries {
  std::vector<std::shared_ptr<AlertSink>> sinks;
  std::optional<SampleProblems> problems;
  std::vector<LimitChange> limit_changes;
  std::optional<Alert> alert;
  std::vector<Cancellation> cancellations;
  std::optional<OverloadChange> overload;
  std::optional<SamplerStart> sampler_start;
  void deliver(std::recursive_mutex &order) const;
};

// One site's counters at one sample, for growth over the window.
struct SiteSample {
  std::int64_t live = 0;
  std::uint64_t spawned = 0;
  std::uint64_t ended = 0;
};

class GuardState {
public:
  static constexpr std::size_t alert_ring_size = 64;
  static constexpr std::size_t max_window_samples = 128;

  explicit GuardState(Config cfg);

  Config config;
  std::atomic<bool> shedding{false};
  std::atomic<int> level{0};
  SiteRegistry registry;
  MemoryProbe probe;
  std::size_t window_samples;

  mutable std::mutex monitor_mutex; // everything below
  ExhaustionForecast forecast;
  TripPolicy trip;
  std::optional<std::chrono::steady_clock::time_point> first_sample_at;
  std::map<const SiteState *, std::deque<SiteSample>> site_history;
  AdaptiveSites adaptive_sites;
  double overload_scale = 1;   // this sample's
  double reported_scale = 1;   // the last OverloadChange's
  std::uint64_t overload_changes = 0;
  std::vector<std::shared_ptr<AlertSink>> sinks;
  std::deque<Alert> recent;
  // The reason keys alerted on since the level last changed, and when the
  // last same-level alert went out (its rate limit).
  std::set<std::string> alerted_keys;
  std::optional<std::chrono::steady_clock::time_point> repeated_at;
  std::optional<Alert> last_state;
  std::optional<MemoryReading> last_reading;

  // Held while sinks are called (never with monitor_mutex): one delivery at
  // a time; recursive, so that a sink may take a sample itself.
  std::recursive_mutex sink_order;

  std::mutex sampler_mutex;
  std::shared_ptr<SamplerLoop> sampler;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

// Alerts: the level the guard is at, why, and which spawn sites are
// responsible; and the sinks that publish them (fmt log line, JSON lines,
// a callback).
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

enum class AlertLevel { ok = 0, warn = 1, critical = 2 };
std::string_view to_string(AlertLevel level) noexcept;

// A site as an alert names it: where, how many live, how fast it grows.
struct SiteDigest {
  std::string label{};
  std::int64_t live = 0;
  std::int64_t growth = 0; // live now minus live one forecast window ago
  std::chrono::nanoseconds oldest_age{0};
};

struct Alert {
  std::chrono::system_clock::time_point at;
  AlertLevel level = AlertLevel::ok;
  AlertLevel previous = AlertLevel::ok;
  std::vector<std::string> reasons{}; // e.g. "exhaustion in 25s < 30s"
  std::uint64_t memory_used_bytes = 0;
  std::optional<std::uint64_t> memory_limit_bytes{};
  std::optional<double> eta_seconds{};
  std::vector<SiteDigest> top_by_live{};   // at most 3
  std::vector<SiteDigest> top_by_growth{}; // at most 3, growing sites only
  // At an unchanged level: the reasons that are new since the last alert
  // (a stuck task, another leaking site); empty on a level change.
  std::vector<std::string> new_reasons{};
};

// "spawnguard: level=critical was=warn memory=1.8GiB/2.0GiB(90.1%) eta=24s
//  reasons=[...] top_live=[file.cpp:42 live=5120 growth=+880 oldest=31s, ...]"
std::string format_alert_line(const Alert &alert);
// One JSON object on one line, same fields.
std::string format_alert_json(const Alert &alert);

// A move of a site's adaptive limit, as the sampler reports it: at most one
// per site per Config::adaptive_log_interval, `changes` counting the moves
// since the site's previous report.
struct LimitChange {
  std::chrono::system_clock::time_point at;
  std::string site{};
  std::size_t limit = 0;
  std::size_t previous = 0; // the limit the site's previous report gave
  std::size_t changes = 0;
  std::optional<double> recent_seconds{};   // recent completion time
  std::optional<double> baseline_seconds{}; // its long-run baseline
  std::string cause{}; // what moved it last: the completion time, or the memory condition
};

// "spawnguard: site=db-query limit=40 was=48 changes=3 recent=0.120s
//  baseline=0.050s cause=[completion time 0.120s > 1.5 x baseline 0.050s]"
std::string format_limit_change_line(const LimitChange &change);
// One JSON object on one line, same fields.
std::string format_limit_change_json(const LimitChange &change);

// A step of the graded overload scale (1 up to warn, 0 at critical; reported
// when it moved by a tenth or reached 0 or 1): wait timeouts of sheddable
// sites and adaptive limits are scaled by it.
struct OverloadChange {
  std::chrono::system_clock::time_point at;
  double scale = 1;
  double previous = 1; // the scale of the previous report
  std::string reason{}; // the condition between warn and critical, or "" when back to 1
};

// "spawnguard: overload scale=0.40 was=1.00 actions=[wait timeouts of sheddable
//  sites and adaptive limits x0.40] reason=[memory 86.0% of limit: warn 80.0%, critical 90.0%]"
std::string format_overload_line(const OverloadChange &change);
std::string format_overload_json(const OverloadChange &change);

// Tasks of a cancellable site the guard asked to cancel at critical, in one
// sample: the oldest live ones first.
struct Cancellation {
  std::chrono::system_clock::time_point at;
  std::string site{};
  std::size_t tasks = 0;         // asked this sample
  std::int64_t live = 0;         // the site's live tasks before
  std::chrono::nanoseconds oldest_age{0}; // the oldest one asked
  std::uint64_t total = 0;       // asked at the site so far
  std::vector<std::string> reasons{}; // why the guard is critical
};

// "spawnguard: cancelled site=audit tasks=12 live=120 oldest=31.2s total=36
//  reasons=[memory 93.1% of limit >= 90.0%]"
std::string format_cancellation_line(const Cancellation &cancellation);
std::string format_cancellation_json(const Cancellation &cancellation);

// How the sampler started: its period, and its PSI trigger or the reason it
// only polls.
struct SamplerStart {
  std::chrono::milliseconds period{0};
  bool trigger_armed = false;
  std::string file{};
  std::string trigger{};
  std::string note{};
};

// "spawnguard: sampler every 100ms, woken by PSI trigger 'some 150000 2000000' on
//  /proc/pressure/memory (window raised from 1s to 2s: ...)" or
// "spawnguard: sampler every 100ms, polling only: <why>"
std::string format_sampler_start_line(const SamplerStart &start);
std::string format_sampler_start_json(const SamplerStart &start);

// What the memory sampler could not read changed: a file vanished or turned
// unreadable or malformed (problems), or everything reads again (problems
// empty). The reading goes on without the lost figures.
struct SampleProblems {
  std::chrono::system_clock::time_point at;
  std::vector<std::string> problems{}; // now; empty when the sample is whole again
  std::vector<std::string> previous{}; // at the previous report
};

// "spawnguard: memory sample incomplete: [cannot read /sys/.../memory.max]" or
// "spawnguard: memory sample complete again (was: [cannot read ...])"
std::string format_sample_problems_line(const SampleProblems &change);
std::string format_sample_problems_json(const SampleProblems &change);

class AlertSink {
public:
  virtual ~AlertSink() = default;
  virtual void publish(const Alert &alert) = 0;
  // Adaptive limit changes and overload steps; the log and JSON sinks write
  // them, others ignore them.
  virtual void limit_changed(const LimitChange & /*change*/) {}
  virtual void overload_changed(const OverloadChange & /*change*/) {}
  virtual void tasks_cancelled(const Cancellation & /*cancellation*/) {}
  // Once when the sampler starts: whether a PSI trigger wakes it, or why not.
  virtual void sampler_started(const SamplerStart & /*start*/) {}
  // When the sampler's problems change (not every sample).
  virtual void sample_problems_changed(const SampleProblems & /*change*/) {}
};

// The alert line to `out` (stderr by default), one per level change.
std::shared_ptr<AlertSink> make_log_sink(std::FILE *out = stderr);
// One JSON object per line to `out`.
std::shared_ptr<AlertSink> make_json_lines_sink(std::FILE *out = stderr);
// Calls `callback` on the sampler's thread.
std::shared_ptr<AlertSink> make_callback_sink(std::function<void(const Alert &)> callback);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

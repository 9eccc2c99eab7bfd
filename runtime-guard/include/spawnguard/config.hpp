// Config: every knob of a Guard as a plain struct, and the SPAWNGUARD_*
// environment variables that override it without a rebuild.
#pragma once

#include "spawnguard/site_limit.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

enum class SinkKind { log, json, none };

struct Config {
  // Sampler.
  std::chrono::milliseconds sample_period{100};
  std::chrono::seconds forecast_window{30};
  // The forecast predicts only once its samples span this long: a fraction of
  // a second of start-up allocation is noise, not a trend.
  std::chrono::seconds forecast_min_span{5};
  // Memory: an explicit budget (bytes) overrides larger cgroup limits.
  std::optional<std::uint64_t> memory_budget_bytes{};
  double warn_fraction = 0.80;
  double critical_fraction = 0.90;
  double clear_margin = 0.05; // a level is left only this far below its threshold
  std::chrono::seconds warn_eta{120};
  std::chrono::seconds critical_eta{30};
  // Sites: warn when any site has more live tasks than this (0: off), when a
  // site's live count grew by this much over the forecast window while its
  // finishes lagged its spawns (0: off), when its oldest task is older (0: off).
  std::size_t site_live_warn = 0;
  std::size_t leak_growth_warn = 1000;
  std::chrono::seconds task_age_warn{0};
  // Samples in a row below a level's clear threshold before the level drops.
  std::size_t clear_samples = 3;
  // At critical, refuse spawns at sites marked sheddable (errc::shed).
  bool shed_at_critical = false;
  std::vector<std::string> sheddable_sites{};
  // At critical, cancel the oldest live tasks of sites marked cancellable
  // (Site::set_cancellable, or listed here): this fraction of each one's
  // live tasks per sample (at least one), oldest first, until the level drops.
  std::vector<std::string> cancellable_sites{};
  double cancel_fraction = 0.1;
  // Keep the task tree: a task spawned while a guarded task runs records it
  // as parent, and dump_text/dump_json(DumpShape::tree) show live tasks as a
  // tree. Off by default: each task's record grows from 24 to 40 bytes and
  // its coroutine runs on a TaskExecutor (docs/runtime-guard.md, Task tree).
  bool task_tree = false;
  // A PSI trigger on the memory pressure file the probe reads (the cgroup's
  // memory.pressure, or /proc/pressure/memory) wakes the sampler as soon as
  // tasks stall `threshold` in a `window`; nullopt: sample on the timer only.
  struct PressureTrigger {
    bool full = false; // "full" (every task stalled) instead of "some"
    std::chrono::microseconds threshold{150'000};
    std::chrono::microseconds window{1'000'000};
  };
  std::optional<PressureTrigger> pressure_trigger = PressureTrigger{};
  std::map<std::string, SiteLimit, std::less<>> site_limits; // by site label
  // Adaptive site limits (SiteLimit::adaptive): the recent completion time is
  // an average over adaptive_recent_window, the baseline over
  // adaptive_baseline_window; the limit shrinks while the recent time exceeds
  // adaptive_tolerance x baseline and grows while it does not; while memory is
  // under pressure (at warn_fraction, or exhaustion within warn_eta) it is
  // multiplied by adaptive_memory_backoff every sample. A site's limit
  // changes are logged at most once per adaptive_log_interval (0: every one).
  std::chrono::milliseconds adaptive_recent_window{1000};
  std::chrono::seconds adaptive_baseline_window{60};
  double adaptive_tolerance = 1.5;
  double adaptive_memory_backoff = 0.9;
  std::chrono::milliseconds adaptive_log_interval{5000};
  // A new reason at an unchanged level (a stuck task, another leaking site)
  // is an alert too, at most one per this interval (0: every one).
  std::chrono::milliseconds alert_repeat_interval{10'000};
  SinkKind sink = SinkKind::log;
  std::string proc_root = "/"; // where /proc and /sys are (tests)

  // `base` with every SPAWNGUARD_* variable that is set applied on top.
  // Throws ConfigError naming the variable, the value and the accepted form.
  static Config from_environment(Config base);
  static Config from_environment();
  // The same, reading variables through `lookup` (tests).
  static Config from_environment(Config base,
                                 const std::function<std::optional<std::string>(const char *)> &lookup);
  // Throws ConfigError when fields contradict each other (warn above critical...).
  void validate() const;
};

class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The environment variables from_environment reads, with their accepted form
// (for --help texts and the docs).
struct EnvVariable {
  std::string_view name;
  std::string_view form;
};
const std::vector<EnvVariable> &environment_variables();

// For each SPAWNGUARD_* name in `names` (an environment's variable names)
// that is not one of environment_variables(): a warning naming it and the
// closest known name. Guard::global() prints them to stderr.
std::vector<std::string> unknown_variable_warnings(const std::vector<std::string_view> &names);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

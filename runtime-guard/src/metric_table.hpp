// Every metric of the guard's Prometheus page, one row each: the page takes
// each family's name, type and help from here (per-site families their value
// too), and a test checks that docs/runtime-guard.md lists every row.
#pragma once

#include "spawnguard/site_stats.hpp"

#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

struct MetricFamily {
  std::string_view name;
  std::string_view type; // gauge or counter
  std::string_view help;
  // A family with one sample per site: the sample's value from the site's
  // stats; nullptr for the guard's own families, written in report.cpp.
  std::string (*per_site)(const SiteStats &);
};

std::string seconds_text(std::chrono::nanoseconds age);
template <auto Field> std::string field_text(const SiteStats &s) { return std::to_string(s.*Field); }

inline constexpr std::array metric_families{
    MetricFamily{"spawnguard_tasks_live", "gauge", "Tasks spawned at the site and not finished.",
                 field_text<&SiteStats::live>},
    MetricFamily{"spawnguard_tasks_peak_live", "gauge", "Most tasks live at once at the site.",
                 field_text<&SiteStats::peak_live>},
    MetricFamily{"spawnguard_tasks_spawned_total", "counter", "Tasks admitted at the site.",
                 field_text<&SiteStats::spawned>},
    MetricFamily{"spawnguard_tasks_finished_total", "counter",
                 "Tasks of the site that ended normally.",
                 field_text<&SiteStats::finished>},
    MetricFamily{"spawnguard_tasks_failed_total", "counter",
                 "Tasks of the site that ended with an exception.",
                 field_text<&SiteStats::failed>},
    MetricFamily{"spawnguard_tasks_rejected_total", "counter",
                 "Spawns the site refused (limit, shedding or no memory for the record).",
                 field_text<&SiteStats::rejected>},
    MetricFamily{"spawnguard_tasks_cancelled_total", "counter",
                 "Live tasks of the site the guard cancelled at critical (cancellable sites).",
                 field_text<&SiteStats::cancelled>},
    MetricFamily{"spawnguard_task_oldest_age_seconds", "gauge",
                 "Age of the site's oldest live task.",
                 [](const SiteStats &s) { return seconds_text(s.oldest_age); }},
    // One sample per site and age bucket (label le, cumulative); written in report.cpp.
    MetricFamily{"spawnguard_tasks_live_by_age", "gauge",
                 "Live tasks of the site younger than le seconds (cumulative; le=+Inf is every "
                 "live task).",
                 nullptr},
    MetricFamily{"spawnguard_site_limit", "gauge",
                 "Live tasks the site admits now (an adaptive limit's current value); sites with "
                 "a limit only.",
                 nullptr},
    MetricFamily{"spawnguard_memory_used_bytes", "gauge",
                 "Memory measured against the effective limit.", nullptr},
    MetricFamily{"spawnguard_memory_limit_bytes", "gauge",
                 "The effective memory limit (smallest that applies).", nullptr},
    MetricFamily{"spawnguard_memory_rss_bytes", "gauge", "Resident set size of the process.",
                 nullptr},
    MetricFamily{"spawnguard_memory_sample_problems", "gauge",
                 "What the last memory sample could not read (a file gone, unreadable or "
                 "malformed); the log names each.",
                 nullptr},
    MetricFamily{"spawnguard_memory_pressure_avg10", "gauge",
                 "Memory PSI: percent of the last 10 s stalled.", nullptr},
    MetricFamily{"spawnguard_exhaustion_eta_seconds", "gauge",
                 "Predicted seconds until memory reaches the limit (+Inf: not rising).", nullptr},
    MetricFamily{"spawnguard_pressure_trigger_armed", "gauge",
                 "1 when a PSI trigger wakes the sampler, 0 when it only polls.", nullptr},
    MetricFamily{"spawnguard_pressure_trigger_fires_total", "counter",
                 "Samples the PSI trigger woke.", nullptr},
    MetricFamily{"spawnguard_alert_level", "gauge", "0 ok, 1 warn, 2 critical.", nullptr},
    MetricFamily{"spawnguard_overload_scale", "gauge",
                 "Graded overload: 1 up to warn, 0 at critical; scales sheddable sites' wait "
                 "timeouts and adaptive limits.",
                 nullptr},
    MetricFamily{"spawnguard_overload_changes_total", "counter",
                 "Steps of the overload scale reported to the sinks.", nullptr},
};

// The row named `name` (which must be one).
const MetricFamily &metric_family(std::string_view name);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

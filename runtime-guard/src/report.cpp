// The guard's reports: the live-task dump (text and JSON) and the Prometheus
// text exposition.
#include "spawnguard/guard.hpp"

#include "spawnguard/detail/guard_state.hpp"
#include "spawnguard/detail/text_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

struct SiteGroup {
  std::string site;
  std::vector<std::chrono::nanoseconds> ages; // oldest first
};

// Live tasks grouped by site, biggest group first (ties by label).
std::vector<SiteGroup> group_by_site(const std::vector<LiveTask> &tasks) {
  std::map<std::string, std::vector<std::chrono::nanoseconds>, std::less<>> by_site;
  for (const auto &task : tasks) {
    by_site[task.site].push_back(task.age);
  }
  std::vector<SiteGroup> groups;
  for (auto &[site, ages] : by_site) {
    std::sort(ages.begin(), ages.end(), std::greater<>());
    groups.push_back({site, std::move(ages)});
  }
  std::sort(groups.begin(), groups.end(), [](const SiteGroup &a, const SiteGroup &b) {
    return a.ages.size() != b.ages.size() ? a.ages.size() > b.ages.size() : a.site < b.site;
  });
  return groups;
}

// The limit in force at each site that has one, by label.
std::map<std::string, SiteStats, std::less<>> limited_sites(const std::vector<SiteStats> &all) {
  std::map<std::string, SiteStats, std::less<>> out;
  for (const auto &site : all) {
    if (site.current_limit) {
      out.emplace(site.label, site);
    }
  }
  return out;
}

// " limit=40 adaptive=4..200", " limit=32", or nothing.
std::string limit_text(const std::map<std::string, SiteStats, std::less<>> &limited,
                       std::string_view label) {
  const auto it = limited.find(label);
  if (it == limited.end()) {
    return {};
  }
  const auto &limit = *it->second.limit;
  return limit.adaptive ? fmt::format(" limit={} adaptive={}..{}", *it->second.current_limit,
                                      limit.adaptive->min_live, limit.max_live)
                        : fmt::format(" limit={}", *it->second.current_limit);
}

} // namespace

std::string Guard::dump_text() const {
  const auto tasks = live_task_list();
  const auto groups = group_by_site(tasks);
  const auto limited = limited_sites(stats());
  std::string out = fmt::format("spawnguard dump: {} live task(s) at {} site(s)\n", tasks.size(),
                                groups.size());
  for (const auto &group : groups) {
    out += fmt::format("site {} live={} oldest={:.3f}s{}\n", group.site, group.ages.size(),
                       detail::seconds(group.ages.front()), limit_text(limited, group.site));
    for (const auto age : group.ages) {
      out += fmt::format("  task age={:.3f}s\n", detail::seconds(age));
    }
  }
  return out;
}

std::string Guard::dump_json() const {
  const auto tasks = live_task_list();
  const auto limited = limited_sites(stats());
  std::string sites;
  for (const auto &group : group_by_site(tasks)) {
    std::string ages;
    for (const auto age : group.ages) {
      ages += fmt::format("{}{:.3f}", ages.empty() ? "" : ",", detail::seconds(age));
    }
    const auto it = limited.find(group.site);
    const bool has_limit = it != limited.end();
    sites += fmt::format(
        "{}{{\"site\":{},\"live\":{},\"limit\":{},\"adaptive\":{},\"task_ages_seconds\":[{}]}}",
        sites.empty() ? "" : ",", detail::json_quote(group.site), group.ages.size(),
        has_limit ? std::to_string(*it->second.current_limit) : "null",
        has_limit && it->second.limit->adaptive ? "true" : "false", ages);
  }
  return fmt::format("{{\"live\":{},\"sites\":[{}]}}", tasks.size(), sites);
}

std::string Guard::prometheus_text() const {
  const auto all = stats();
  std::string out;
  auto family = [&](std::string_view name, std::string_view type, std::string_view help,
                    auto value_of) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    for (const auto &site : all) {
      out += fmt::format("{}{{site=\"{}\"}} {}\n", name, detail::prometheus_label(site.label),
                         value_of(site));
    }
  };
  family("spawnguard_tasks_live", "gauge", "Tasks spawned at the site and not finished.",
         [](const SiteStats &s) { return s.live; });
  family("spawnguard_tasks_peak_live", "gauge", "Most tasks live at once at the site.",
         [](const SiteStats &s) { return s.peak_live; });
  family("spawnguard_tasks_spawned_total", "counter", "Tasks admitted at the site.",
         [](const SiteStats &s) { return s.spawned; });
  family("spawnguard_tasks_finished_total", "counter", "Tasks of the site that ended normally.",
         [](const SiteStats &s) { return s.finished; });
  family("spawnguard_tasks_failed_total", "counter", "Tasks of the site that ended with an exception.",
         [](const SiteStats &s) { return s.failed; });
  family("spawnguard_tasks_rejected_total", "counter", "Spawns the site refused (limit or shedding).",
         [](const SiteStats &s) { return s.rejected; });
  family("spawnguard_tasks_cancelled_total", "counter",
         "Live tasks of the site the guard cancelled at critical (cancellable sites).",
         [](const SiteStats &s) { return s.cancelled; });
  family("spawnguard_task_oldest_age_seconds", "gauge", "Age of the site's oldest live task.",
         [](const SiteStats &s) { return fmt::format("{:.3f}", detail::seconds(s.oldest_age)); });
  out += "# HELP spawnguard_site_limit Live tasks the site admits now (an adaptive limit's "
         "current value); sites with a limit only.\n# TYPE spawnguard_site_limit gauge\n";
  for (const auto &site : all) {
    if (site.current_limit) {
      out += fmt::format("spawnguard_site_limit{{site=\"{}\"}} {}\n",
                         detail::prometheus_label(site.label), *site.current_limit);
    }
  }

  std::optional<Alert> state;
  double overload_scale = 1;
  std::uint64_t overload_changes = 0;
  {
    std::lock_guard lock(state_->monitor_mutex);
    state = state_->last_state;
    overload_scale = state_->overload_scale;
    overload_changes = state_->overload_changes;
  }
  auto gauge = [&](std::string_view name, std::string_view help, const std::string &value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help, name, name, value);
  };
  const auto reading = last_reading();
  gauge("spawnguard_memory_used_bytes", "Memory measured against the effective limit.",
        std::to_string(reading ? reading->used_bytes : 0));
  if (reading && reading->limit_bytes) {
    gauge("spawnguard_memory_limit_bytes", "The effective memory limit (smallest that applies).",
          std::to_string(*reading->limit_bytes));
  }
  if (reading) {
    gauge("spawnguard_memory_rss_bytes", "Resident set size of the process.",
          std::to_string(reading->rss_bytes));
    gauge("spawnguard_memory_sample_problems",
          "What the last memory sample could not read (a file gone, unreadable or malformed); "
          "the log names each.",
          std::to_string(reading->problems.size()));
  }
  if (reading && reading->pressure_some_avg10) {
    out += "# HELP spawnguard_memory_pressure_avg10 Memory PSI: percent of the last 10 s stalled.\n"
           "# TYPE spawnguard_memory_pressure_avg10 gauge\n";
    out += fmt::format("spawnguard_memory_pressure_avg10{{kind=\"some\"}} {:.2f}\n",
                       *reading->pressure_some_avg10);
    if (reading->pressure_full_avg10) {
      out += fmt::format("spawnguard_memory_pressure_avg10{{kind=\"full\"}} {:.2f}\n",
                         *reading->pressure_full_avg10);
    }
  }
  gauge("spawnguard_exhaustion_eta_seconds",
        "Predicted seconds until memory reaches the limit (+Inf: not rising).",
        state && state->eta_seconds ? fmt::format("{:.3f}", *state->eta_seconds) : "+Inf");
  if (const auto trigger = pressure_trigger()) {
    gauge("spawnguard_pressure_trigger_armed",
          "1 when a PSI trigger wakes the sampler, 0 when it only polls.",
          trigger->armed ? "1" : "0");
    out += fmt::format("# HELP spawnguard_pressure_trigger_fires_total Samples the PSI trigger "
                       "woke.\n# TYPE spawnguard_pressure_trigger_fires_total counter\n"
                       "spawnguard_pressure_trigger_fires_total {}\n",
                       trigger->fires);
  }
  gauge("spawnguard_alert_level", "0 ok, 1 warn, 2 critical.",
        std::to_string(static_cast<int>(level())));
  gauge("spawnguard_overload_scale",
        "Graded overload: 1 up to warn, 0 at critical; scales sheddable sites' wait timeouts "
        "and adaptive limits.",
        fmt::format("{:.3f}", overload_scale));
  out += fmt::format("# HELP spawnguard_overload_changes_total Steps of the overload scale "
                     "reported to the sinks.\n# TYPE spawnguard_overload_changes_total counter\n"
                     "spawnguard_overload_changes_total {}\n",
                     overload_changes);
  return out;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// The guard's reports: the live-task dump (text and JSON) and the Prometheus
// text exposition.
#include "spawnguard/guard.hpp"

#include "guard_state.hpp"
#include "metric_table.hpp"
#include "task_tree_dump.hpp"
#include "text_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <limits>
#include <map>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace detail {

std::string seconds_text(std::chrono::nanoseconds age) {
  return fmt::format("{:.3f}", seconds(age));
}

const MetricFamily &metric_family(std::string_view name) {
  const auto it = std::find_if(metric_families.begin(), metric_families.end(),
                               [name](const MetricFamily &f) { return f.name == name; });
  assert(it != metric_families.end() && "a metric missing from metric_table.hpp");
  return *it;
}

} // namespace detail

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


// The tree dump's text: one line per node, children indented under their
// parent, at most `shown_children` of a node's children each (the rest
// summed up in one line).
constexpr std::size_t shown_children = 20;

void tree_text(const detail::TaskTree &tree, std::size_t at, std::size_t depth, std::string &out) {
  const auto &node = tree.nodes[at];
  const std::string indent(std::min<std::size_t>(depth, 32) * 2, ' ');
  if (node.task != nullptr) {
    out += fmt::format("{}{} #{} age={:.3f}s subtree={}\n", indent, node.task->site, node.id,
                       detail::seconds(node.task->age), node.subtree);
  } else {
    out += fmt::format("{}(ended task #{}) subtree={}\n", indent, node.id, node.subtree);
  }
  std::size_t hidden = 0;
  std::size_t hidden_tasks = 0;
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (i < shown_children) {
      tree_text(tree, node.children[i], depth + 1, out);
    } else {
      ++hidden;
      hidden_tasks += tree.nodes[node.children[i]].subtree;
    }
  }
  if (hidden > 0) {
    out += fmt::format("{}  ... {} more child(ren), {} live task(s) in their subtrees\n", indent,
                       hidden, hidden_tasks);
  }
}

std::string tree_json(const detail::TaskTree &tree, std::size_t at) {
  const auto &node = tree.nodes[at];
  std::string children;
  for (const auto child : node.children) {
    children += (children.empty() ? "" : ",") + tree_json(tree, child);
  }
  return fmt::format(
      "{{\"id\":{},\"site\":{},\"age_seconds\":{},\"ended\":{},\"subtree\":{},\"children\":[{}]}}",
      node.id, node.task ? detail::json_quote(node.task->site) : "null",
      node.task ? fmt::format("{:.3f}", detail::seconds(node.task->age)) : "null",
      node.task ? "false" : "true", node.subtree, children);
}

} // namespace

std::string Guard::dump_text(DumpShape shape) const {
  if (shape == DumpShape::tree) {
    const auto tasks = live_task_list();
    const auto tree = detail::build_task_tree(tasks);
    std::string out = fmt::format("spawnguard task tree: {} live task(s) in {} tree(s)\n",
                                  tasks.size(), tree.roots.size());
    for (const auto root : tree.roots) {
      tree_text(tree, root, 0, out);
    }
    return out;
  }
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

std::string Guard::dump_json(DumpShape shape) const {
  if (shape == DumpShape::tree) {
    const auto tasks = live_task_list();
    const auto tree = detail::build_task_tree(tasks);
    std::string trees;
    for (const auto root : tree.roots) {
      trees += (trees.empty() ? "" : ",") + tree_json(tree, root);
    }
    return fmt::format("{{\"live\":{},\"trees\":[{}]}}", tasks.size(), trees);
  }
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
  auto header = [&](std::string_view name) {
    const auto &family = detail::metric_family(name);
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, family.help, family.name,
                       family.type);
  };
  for (const auto &family : detail::metric_families) {
    if (family.per_site == nullptr) {
      continue;
    }
    header(family.name);
    for (const auto &site : all) {
      out += fmt::format("{}{{site=\"{}\"}} {}\n", family.name,
                         detail::prometheus_label(site.label), family.per_site(site));
    }
  }
  header("spawnguard_tasks_live_by_age");
  for (const auto &site : all) {
    std::uint64_t younger = 0;
    for (std::size_t i = 0; i < site.ages.counts.size(); ++i) {
      younger += site.ages.counts[i];
      const auto &bounds = AgeHistogram::upper_bounds_seconds;
      out += fmt::format("spawnguard_tasks_live_by_age{{site=\"{}\",le=\"{}\"}} {}\n",
                         detail::prometheus_label(site.label),
                         i < bounds.size() ? std::to_string(bounds[i]) : "+Inf", younger);
    }
  }
  header("spawnguard_site_limit");
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
  auto single = [&](std::string_view name, const std::string &value) {
    header(name);
    out += fmt::format("{} {}\n", name, value);
  };
  const auto reading = last_reading();
  single("spawnguard_memory_used_bytes", std::to_string(reading ? reading->used_bytes : 0));
  if (reading && reading->limit_bytes) {
    single("spawnguard_memory_limit_bytes", std::to_string(*reading->limit_bytes));
  }
  if (reading) {
    single("spawnguard_memory_rss_bytes", std::to_string(reading->rss_bytes));
    single("spawnguard_memory_sample_problems", std::to_string(reading->problems.size()));
  }
  if (reading && reading->pressure_some_avg10) {
    header("spawnguard_memory_pressure_avg10");
    out += fmt::format("spawnguard_memory_pressure_avg10{{kind=\"some\"}} {:.2f}\n",
                       *reading->pressure_some_avg10);
    if (reading->pressure_full_avg10) {
      out += fmt::format("spawnguard_memory_pressure_avg10{{kind=\"full\"}} {:.2f}\n",
                         *reading->pressure_full_avg10);
    }
  }
  single("spawnguard_exhaustion_eta_seconds",
         state && state->eta_seconds ? fmt::format("{:.3f}", *state->eta_seconds) : "+Inf");
  if (const auto trigger = pressure_trigger()) {
    single("spawnguard_pressure_trigger_armed", trigger->armed ? "1" : "0");
    single("spawnguard_pressure_trigger_fires_total", std::to_string(trigger->fires));
  }
  single("spawnguard_alert_level", std::to_string(static_cast<int>(level())));
  single("spawnguard_overload_scale", fmt::format("{:.3f}", overload_scale));
  single("spawnguard_overload_changes_total", std::to_string(overload_changes));
  return out;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

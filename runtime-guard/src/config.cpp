// Config::from_environment: SPAWNGUARD_* variables, each parsed strictly and
// range-checked; a bad value names the variable, the value and the accepted
// form with its range. Blanks around a value and between a number and its
// unit are ignored ("2s", " 2s", "2 s"); blanks inside a number are not.
#include "spawnguard/config.hpp"

#include "text_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <set>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

using namespace std::chrono_literals;
using detail::trim;

// A duration variable's accepted range; `whole_seconds` for fields kept in
// seconds, where a fraction would otherwise be dropped silently.
struct DurationRange {
  std::chrono::milliseconds min;
  std::chrono::milliseconds max;
  bool whole_seconds;
  std::string_view form;
};

struct CountRange {
  std::size_t min;
  std::size_t max;
  std::string_view form;
};

constexpr DurationRange sample_period_range{10ms, 1min, false,
                                            "a duration from 10ms to 1m, like 100ms, 250ms or 2s"};
constexpr DurationRange forecast_window_range{
    1s, 24h, true, "a duration in whole seconds from 1s to 24h, like 30s, 5m or 1h"};
constexpr DurationRange forecast_min_span_range{
    0s, 24h, true, "a duration in whole seconds from 0s to 24h, like 5s or 1m"};
constexpr DurationRange eta_range{1s, 24h, true,
                                  "a duration in whole seconds from 1s to 24h, like 30s, 2m or 1h"};
constexpr DurationRange task_age_range{
    0s, 168h, true, "a duration in whole seconds from 0s (off) to 168h, like 90s, 10m or 2h"};
constexpr DurationRange wait_timeout_range{1ms, 24h, false, "from 1ms to 24h"};
constexpr DurationRange adaptive_recent_range{
    100ms, 10min, false, "a duration from 100ms to 10m, like 500ms, 1s or 5s"};
constexpr DurationRange adaptive_baseline_range{
    1s, 24h, true, "a duration in whole seconds from 1s to 24h, like 60s, 10m or 1h"};
constexpr DurationRange alert_repeat_range{
    0ms, 1h, false, "a duration from 0s (every new reason) to 1h, like 10s or 1m"};
constexpr DurationRange adaptive_log_range{
    0ms, 1h, false, "a duration from 0s (every change) to 1h, like 5s or 1m"};

constexpr std::uint64_t min_budget = 1ull << 20; // less than a MiB holds no process
constexpr std::uint64_t max_budget = 1ull << 50; // 1 PiB
constexpr std::string_view bytes_form =
    "a byte count from 1MiB to 1048576GiB (1 PiB), like 536870912, 512MiB, 512M or 2GiB";
constexpr std::string_view fraction_form = "a fraction above 0 and at most 1, like 0.8";
constexpr std::string_view margin_form = "a fraction from 0 to 0.5, like 0.05";
constexpr std::string_view tolerance_form = "a number from 1 to 10, like 1.5";
constexpr std::string_view backoff_form = "a fraction from 0.1 to 0.99, like 0.9";
constexpr std::size_t max_count = 1'000'000'000;
constexpr CountRange site_live_range{0, max_count,
                                     "a whole number from 0 (off) to 1000000000, like 5000"};
constexpr CountRange leak_growth_range{0, max_count,
                                       "a whole number from 0 (off) to 1000000000, like 1000"};
constexpr CountRange clear_samples_range{1, 1000, "a whole number from 1 to 1000, like 3"};
constexpr std::string_view cancel_fraction_form = "a fraction above 0 and at most 1, like 0.1";
constexpr std::string_view trigger_form =
    "off, or 'some|full <threshold> <window>' with a window from 500ms to 10s and a threshold "
    "above 0 and below the window, like 'some 150ms 1s' or 'full 100ms 2s'";
constexpr std::string_view source_root_form =
    "an absolute folder that site labels are relative to, like /home/me/service";
constexpr std::string_view switch_form = "on or off (also true/false, 1/0)";
constexpr std::string_view sink_form = "log, json or none";
constexpr std::string_view sites_form =
    "distinct site labels separated by commas, like db-query,src/a.cpp:42";
constexpr std::string_view limits_form =
    "'label=max_live[,reject|wait|observe[,max_waiters[,timeout]]]' entries separated by ';', "
    "each label once, max_live from 1 to 1000000000 or min..max for an adaptive limit "
    "(1 <= min <= max <= 1000000000), max_waiters from 0 to 1000000000, "
    "timeout from 1ms to 24h, like db-query=100,wait,500,2s;src/a.cpp:42=4..200,reject";

[[noreturn]] void reject(std::string_view name, std::string_view value, std::string_view form) {
  throw ConfigError(fmt::format("{}='{}': expected {}", name, value, form));
}

[[noreturn]] void reject(std::string_view name, std::string_view value, std::string_view problem,
                         std::string_view form) {
  throw ConfigError(fmt::format("{}='{}': {}; expected {}", name, value, problem, form));
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Splits "12.5MiB" or "12.5 MiB" into 12.5 and "MiB".
std::optional<std::pair<double, std::string_view>> number_and_unit(std::string_view text) {
  text = trim(text);
  const auto unit_at = text.find_first_not_of("0123456789.");
  const auto number = parse_number(text.substr(0, unit_at));
  if (!number || *number < 0) {
    return std::nullopt;
  }
  return std::pair{*number, unit_at == std::string_view::npos ? std::string_view{}
                                                              : trim(text.substr(unit_at))};
}

// A duration in milliseconds as a double, so that a huge value is compared
// with the range before it is converted (and cannot wrap around).
std::optional<double> parse_milliseconds(std::string_view text) {
  auto parts = number_and_unit(text);
  if (!parts) {
    return std::nullopt;
  }
  const auto [value, unit] = *parts;
  if (unit == "ms") {
    return value;
  }
  if (unit == "s") {
    return value * 1000;
  }
  if (unit == "m") {
    return value * 60'000;
  }
  if (unit == "h") {
    return value * 3'600'000;
  }
  return std::nullopt;
}

// The problem with `text` as a duration in `range`, or the duration.
struct DurationReading {
  std::optional<std::chrono::milliseconds> value;
  std::string_view problem;
};

DurationReading read_duration(std::string_view text, const DurationRange &range) {
  const auto ms = parse_milliseconds(text);
  if (!ms) {
    return {std::nullopt, "not a duration"};
  }
  if (*ms < static_cast<double>(range.min.count()) ||
      *ms > static_cast<double>(range.max.count())) {
    return {std::nullopt, "out of range"};
  }
  const auto rounded = std::llround(*ms);
  if (range.whole_seconds && rounded % 1000 != 0) {
    return {std::nullopt, "not a whole number of seconds"};
  }
  return {std::chrono::milliseconds(rounded), {}};
}

std::chrono::milliseconds require_duration(std::string_view name, std::string_view value,
                                           const DurationRange &range) {
  const auto reading = read_duration(value, range);
  if (!reading.value) {
    reject(name, value, reading.problem, range.form);
  }
  return *reading.value;
}

std::chrono::seconds require_seconds(std::string_view name, std::string_view value,
                                     const DurationRange &range) {
  return std::chrono::duration_cast<std::chrono::seconds>(require_duration(name, value, range));
}

std::uint64_t require_bytes(std::string_view name, std::string_view value) {
  auto parts = number_and_unit(value);
  if (!parts) {
    reject(name, value, "not a byte count", bytes_form);
  }
  const auto [number, unit] = *parts;
  double scale = 0;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "K" || unit == "Ki" || unit == "KiB") {
    scale = 1024.0;
  } else if (unit == "M" || unit == "Mi" || unit == "MiB") {
    scale = 1024.0 * 1024;
  } else if (unit == "G" || unit == "Gi" || unit == "GiB") {
    scale = 1024.0 * 1024 * 1024;
  } else {
    reject(name, value, "not a byte count", bytes_form);
  }
  const double bytes = number * scale;
  if (bytes < static_cast<double>(min_budget) || bytes > static_cast<double>(max_budget)) {
    reject(name, value, "out of range", bytes_form);
  }
  return static_cast<std::uint64_t>(bytes);
}

std::optional<std::size_t> parse_count(std::string_view text) {
  text = trim(text);
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// A count in [min, max]; a number too large for size_t is out of range too.
std::optional<std::size_t> parse_count_in(std::string_view text, std::size_t min, std::size_t max) {
  auto count = parse_count(text);
  if (!count || *count < min || *count > max) {
    return std::nullopt;
  }
  return count;
}

std::size_t require_count(std::string_view name, std::string_view value, const CountRange &range) {
  auto count = parse_count_in(value, range.min, range.max);
  if (!count) {
    const auto trimmed = trim(value);
    const bool digits =
        !trimmed.empty() && trimmed.find_first_not_of("0123456789") == std::string_view::npos;
    reject(name, value, digits ? "out of range" : "not a whole number", range.form);
  }
  return *count;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  auto parts = detail::split(s, sep);
  for (auto &part : parts) {
    part = trim(part);
  }
  return parts;
}

std::optional<SiteLimit> parse_limit(std::string_view spec) {
  auto fields = split(spec, ',');
  SiteLimit limit;
  // "200" a fixed limit; "4..200" an adaptive one between 4 and 200.
  const auto range_at = fields[0].find("..");
  auto max_live = parse_count_in(
      range_at == std::string_view::npos ? fields[0] : fields[0].substr(range_at + 2), 1,
      max_count);
  if (!max_live || fields.size() > 4) {
    return std::nullopt;
  }
  limit.max_live = *max_live;
  if (range_at != std::string_view::npos) {
    auto min_live = parse_count_in(fields[0].substr(0, range_at), 1, *max_live);
    if (!min_live) {
      return std::nullopt;
    }
    limit.adaptive = AdaptiveLimit{.min_live = *min_live};
  }
  limit.policy = LimitPolicy::reject;
  if (fields.size() > 1) {
    if (fields[1] == "reject") {
      limit.policy = LimitPolicy::reject;
    } else if (fields[1] == "wait") {
      limit.policy = LimitPolicy::wait;
    } else if (fields[1] == "observe") {
      limit.policy = LimitPolicy::observe;
    } else {
      return std::nullopt;
    }
  }
  if (fields.size() > 2) {
    auto waiters = parse_count_in(fields[2], 0, max_count);
    if (!waiters) {
      return std::nullopt;
    }
    limit.max_waiters = *waiters;
  }
  if (fields.size() > 3) {
    auto timeout = read_duration(fields[3], wait_timeout_range).value;
    if (!timeout) {
      return std::nullopt;
    }
    limit.wait_timeout = *timeout;
  }
  return limit;
}

} // namespace

const std::vector<EnvVariable> &environment_variables() {
  static const std::vector<EnvVariable> variables{
      {"SPAWNGUARD_SAMPLE_PERIOD", sample_period_range.form},
      {"SPAWNGUARD_FORECAST_WINDOW", forecast_window_range.form},
      {"SPAWNGUARD_FORECAST_MIN_SPAN", forecast_min_span_range.form},
      {"SPAWNGUARD_MEMORY_BUDGET", bytes_form},
      {"SPAWNGUARD_WARN_FRACTION", fraction_form},
      {"SPAWNGUARD_CRITICAL_FRACTION", fraction_form},
      {"SPAWNGUARD_CLEAR_MARGIN", margin_form},
      {"SPAWNGUARD_WARN_ETA", eta_range.form},
      {"SPAWNGUARD_CRITICAL_ETA", eta_range.form},
      {"SPAWNGUARD_SITE_LIVE_WARN", site_live_range.form},
      {"SPAWNGUARD_LEAK_GROWTH_WARN", leak_growth_range.form},
      {"SPAWNGUARD_TASK_AGE_WARN", task_age_range.form},
      {"SPAWNGUARD_CLEAR_SAMPLES", clear_samples_range.form},
      {"SPAWNGUARD_SHED", switch_form},
      {"SPAWNGUARD_TASK_TREE", switch_form},
      {"SPAWNGUARD_SHEDDABLE", sites_form},
      {"SPAWNGUARD_CANCELLABLE", sites_form},
      {"SPAWNGUARD_CANCEL_FRACTION", cancel_fraction_form},
      {"SPAWNGUARD_PSI_TRIGGER", trigger_form},
      {"SPAWNGUARD_LIMITS", limits_form},
      {"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", adaptive_recent_range.form},
      {"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", adaptive_baseline_range.form},
      {"SPAWNGUARD_ADAPTIVE_TOLERANCE", tolerance_form},
      {"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", backoff_form},
      {"SPAWNGUARD_ADAPTIVE_LOG_INTERVAL", adaptive_log_range.form},
      {"SPAWNGUARD_ALERT_REPEAT_INTERVAL", alert_repeat_range.form},
      {"SPAWNGUARD_SINK", sink_form},
      {"SPAWNGUARD_SOURCE_ROOT", source_root_form},
  };
  return variables;
}

Config Config::from_environment() { return from_environment(Config{}); }

Config Config::from_environment(Config base) {
  return from_environment(std::move(base), [](const char *name) -> std::optional<std::string> {
    if (const char *value = std::getenv(name)) {
      return std::string(value);
    }
    return std::nullopt;
  });
}

Config
Config::from_environment(Config base,
                         const std::function<std::optional<std::string>(const char *)> &lookup) {
  Config c = std::move(base);
  auto with = [&](const char *name, auto apply) {
    if (auto value = lookup(name)) {
      apply(name, std::string_view(*value));
    }
  };
  // Each variable's parser, storing into the field it sets.
  auto milliseconds_into = [](std::chrono::milliseconds &field, const DurationRange &range) {
    return [&field, &range](auto n, auto v) { field = require_duration(n, v, range); };
  };
  auto seconds_into = [](std::chrono::seconds &field, const DurationRange &range) {
    return [&field, &range](auto n, auto v) { field = require_seconds(n, v, range); };
  };
  auto count_into = [](std::size_t &field, const CountRange &range) {
    return [&field, &range](auto n, auto v) { field = require_count(n, v, range); };
  };
  with("SPAWNGUARD_SAMPLE_PERIOD", milliseconds_into(c.sample_period, sample_period_range));
  with("SPAWNGUARD_FORECAST_WINDOW", seconds_into(c.forecast_window, forecast_window_range));
  with("SPAWNGUARD_FORECAST_MIN_SPAN", seconds_into(c.forecast_min_span, forecast_min_span_range));
  with("SPAWNGUARD_MEMORY_BUDGET",
       [&](auto n, auto v) { c.memory_budget_bytes = require_bytes(n, v); });
  auto fraction = [&](double &field, double lower, bool lower_included, double upper,
                      std::string_view form) {
    return [&field, lower, lower_included, upper, form](auto n, auto v) {
      auto value = parse_number(trim(v));
      if (!value) {
        reject(n, v, "not a number", form);
      }
      if (*value < lower || (*value == lower && !lower_included) || *value > upper) {
        reject(n, v, "out of range", form);
      }
      field = *value;
    };
  };
  with("SPAWNGUARD_WARN_FRACTION", fraction(c.warn_fraction, 0, false, 1.0, fraction_form));
  with("SPAWNGUARD_CRITICAL_FRACTION", fraction(c.critical_fraction, 0, false, 1.0, fraction_form));
  with("SPAWNGUARD_CLEAR_MARGIN", fraction(c.clear_margin, 0, true, 0.5, margin_form));
  with("SPAWNGUARD_WARN_ETA", seconds_into(c.warn_eta, eta_range));
  with("SPAWNGUARD_CRITICAL_ETA", seconds_into(c.critical_eta, eta_range));
  with("SPAWNGUARD_SITE_LIVE_WARN", count_into(c.site_live_warn, site_live_range));
  with("SPAWNGUARD_LEAK_GROWTH_WARN", count_into(c.leak_growth_warn, leak_growth_range));
  with("SPAWNGUARD_TASK_AGE_WARN", seconds_into(c.task_age_warn, task_age_range));
  with("SPAWNGUARD_CLEAR_SAMPLES", count_into(c.clear_samples, clear_samples_range));
  auto switch_into = [](bool &field) {
    return [&field](auto n, auto v) {
      const auto word = trim(v);
      if (word == "on" || word == "true" || word == "1") {
        field = true;
      } else if (word == "off" || word == "false" || word == "0") {
        field = false;
      } else {
        reject(n, v, switch_form);
      }
    };
  };
  with("SPAWNGUARD_SHED", switch_into(c.shed_at_critical));
  with("SPAWNGUARD_TASK_TREE", switch_into(c.task_tree));
  auto labels_into = [](std::vector<std::string> &field) {
    return [&field](auto n, auto v) {
      field.clear();
      std::set<std::string_view> seen;
      for (auto label : split(v, ',')) {
        if (label.empty()) {
          reject(n, v, "an empty label", sites_form);
        }
        if (!seen.insert(label).second) {
          reject(n, v, fmt::format("label '{}' is listed twice", label), sites_form);
        }
        field.emplace_back(label);
      }
    };
  };
  with("SPAWNGUARD_SHEDDABLE", labels_into(c.sheddable_sites));
  with("SPAWNGUARD_CANCELLABLE", labels_into(c.cancellable_sites));
  with("SPAWNGUARD_CANCEL_FRACTION",
       fraction(c.cancel_fraction, 0, false, 1.0, cancel_fraction_form));
  with("SPAWNGUARD_PSI_TRIGGER", [&](auto n, auto v) {
    if (trim(v) == "off") {
      c.pressure_trigger.reset();
      return;
    }
    std::vector<std::string_view> words;
    for (auto word : split(trim(v), ' ')) {
      if (!word.empty()) {
        words.push_back(word);
      }
    }
    if (words.size() != 3 || (words[0] != "some" && words[0] != "full")) {
      reject(n, v, "not a trigger", trigger_form);
    }
    const auto threshold = parse_milliseconds(words[1]);
    const auto window = parse_milliseconds(words[2]);
    if (!threshold || !window) {
      reject(n, v, "not a trigger", trigger_form);
    }
    if (*window < 500 || *window > 10'000 || *threshold <= 0 || *threshold >= *window) {
      reject(n, v, "out of range", trigger_form);
    }
    c.pressure_trigger = Config::PressureTrigger{
        words[0] == "full", std::chrono::microseconds(std::llround(*threshold * 1000)),
        std::chrono::microseconds(std::llround(*window * 1000))};
  });
  with("SPAWNGUARD_LIMITS", [&](auto n, auto v) {
    std::set<std::string_view> seen;
    for (auto entry : split(v, ';')) {
      const auto equals = entry.rfind('=');
      const auto label = equals == std::string_view::npos ? entry : trim(entry.substr(0, equals));
      if (equals == std::string_view::npos || label.empty()) {
        reject(n, v, fmt::format("entry '{}' has no label=", entry), limits_form);
      }
      auto limit = parse_limit(entry.substr(equals + 1));
      if (!limit) {
        reject(n, v, fmt::format("entry '{}' is not a valid limit", entry), limits_form);
      }
      if (!seen.insert(label).second) {
        reject(n, v, fmt::format("label '{}' has two limits", label), limits_form);
      }
      c.site_limits.insert_or_assign(std::string(label), *limit);
    }
  });
  with("SPAWNGUARD_ADAPTIVE_RECENT_WINDOW",
       milliseconds_into(c.adaptive_recent_window, adaptive_recent_range));
  with("SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW",
       seconds_into(c.adaptive_baseline_window, adaptive_baseline_range));
  with("SPAWNGUARD_ADAPTIVE_TOLERANCE", fraction(c.adaptive_tolerance, 1, true, 10, tolerance_form));
  with("SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF",
       fraction(c.adaptive_memory_backoff, 0.1, true, 0.99, backoff_form));
  with("SPAWNGUARD_ADAPTIVE_LOG_INTERVAL",
       milliseconds_into(c.adaptive_log_interval, adaptive_log_range));
  with("SPAWNGUARD_ALERT_REPEAT_INTERVAL",
       milliseconds_into(c.alert_repeat_interval, alert_repeat_range));
  with("SPAWNGUARD_SINK", [&](auto n, auto v) {
    const auto word = trim(v);
    if (word == "log") {
      c.sink = SinkKind::log;
    } else if (word == "json") {
      c.sink = SinkKind::json;
    } else if (word == "none") {
      c.sink = SinkKind::none;
    } else {
      reject(n, v, sink_form);
    }
  });
  // Read by the site labels themselves (process-wide); checked here.
  with("SPAWNGUARD_SOURCE_ROOT", [](auto n, auto v) {
    if (!v.starts_with('/')) {
      reject(n, v, "not an absolute path", source_root_form);
    }
  });
  c.validate();
  return c;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::vector<std::string> unknown_variable_warnings(const std::vector<std::string_view> &names) {
  std::vector<std::string> warnings;
  for (auto name : names) {
    if (!name.starts_with("SPAWNGUARD_")) {
      continue;
    }
    const auto &known = environment_variables();
    if (std::any_of(known.begin(), known.end(), [&](const auto &v) { return v.name == name; })) {
      continue;
    }
    const auto closest = std::min_element(known.begin(), known.end(), [&](const auto &x, const auto &y) {
      return edit_distance(name, x.name) < edit_distance(name, y.name);
    });
    warnings.push_back(fmt::format("spawnguard: {} is not a spawnguard variable and is ignored; "
                                   "did you mean {}?",
                                   name, closest->name));
  }
  return warnings;
}

void Config::validate() const {
  if (!(warn_fraction < critical_fraction)) {
    throw ConfigError(
        fmt::format("warn_fraction (SPAWNGUARD_WARN_FRACTION={}) must be below critical_fraction "
                    "(SPAWNGUARD_CRITICAL_FRACTION={})",
                    warn_fraction, critical_fraction));
  }
  if (!(critical_eta < warn_eta)) {
    throw ConfigError(fmt::format("critical_eta (SPAWNGUARD_CRITICAL_ETA={}s) must be below "
                                  "warn_eta (SPAWNGUARD_WARN_ETA={}s)",
                                  critical_eta.count(), warn_eta.count()));
  }
  if (sample_period.count() <= 0) {
    throw ConfigError("sample_period (SPAWNGUARD_SAMPLE_PERIOD) must be positive");
  }
  if (forecast_window < std::chrono::duration_cast<std::chrono::seconds>(sample_period * 3)) {
    throw ConfigError(fmt::format(
        "forecast_window (SPAWNGUARD_FORECAST_WINDOW={}s) must hold at least 3 sample periods "
        "(SPAWNGUARD_SAMPLE_PERIOD={}ms)",
        forecast_window.count(), sample_period.count()));
  }
  if (forecast_min_span > forecast_window) {
    throw ConfigError(fmt::format(
        "forecast_min_span (SPAWNGUARD_FORECAST_MIN_SPAN={}s) must not exceed forecast_window "
        "(SPAWNGUARD_FORECAST_WINDOW={}s)",
        forecast_min_span.count(), forecast_window.count()));
  }
  if (clear_samples == 0) {
    throw ConfigError("clear_samples (SPAWNGUARD_CLEAR_SAMPLES) must be at least 1");
  }
  if (adaptive_baseline_window <= adaptive_recent_window) {
    throw ConfigError(fmt::format(
        "adaptive_baseline_window (SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW={}s) must be longer than "
        "adaptive_recent_window (SPAWNGUARD_ADAPTIVE_RECENT_WINDOW={}ms)",
        adaptive_baseline_window.count(), adaptive_recent_window.count()));
  }
  if (!(adaptive_tolerance >= 1) || !(adaptive_memory_backoff > 0 && adaptive_memory_backoff < 1)) {
    throw ConfigError(fmt::format("adaptive_tolerance ({}) must be at least 1 and "
                                  "adaptive_memory_backoff ({}) above 0 and below 1",
                                  adaptive_tolerance, adaptive_memory_backoff));
  }
  if (!(cancel_fraction > 0 && cancel_fraction <= 1)) {
    throw ConfigError(fmt::format(
        "cancel_fraction (SPAWNGUARD_CANCEL_FRACTION={}) must be above 0 and at most 1",
        cancel_fraction));
  }
  if (const auto &t = pressure_trigger;
      t && (t->window < std::chrono::milliseconds(500) || t->window > std::chrono::seconds(10) ||
            t->threshold.count() <= 0 || t->threshold >= t->window)) {
    throw ConfigError(fmt::format("pressure_trigger (SPAWNGUARD_PSI_TRIGGER): threshold {}us "
                                  "and window {}us; expected {}",
                                  t->threshold.count(), t->window.count(), trigger_form));
  }
  for (const auto &[label, limit] : site_limits) {
    if (limit.adaptive && (limit.adaptive->min_live < 1 || limit.adaptive->min_live > limit.max_live)) {
      throw ConfigError(fmt::format("site_limits['{}']: an adaptive limit needs 1 <= min_live <= "
                                    "max_live (min_live={}, max_live={})",
                                    label, limit.adaptive->min_live, limit.max_live));
    }
  }
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// Config::from_environment: SPAWNGUARD_* variables, each parsed strictly;
// a bad value names the variable, the value and the accepted form.
#include "spawnguard/config.hpp"

#include "spawnguard/detail/text_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace spawnguard {

namespace {

using detail::trim;

constexpr std::string_view duration_form = "a duration like 250ms, 2s, 1.5s or 5m";
constexpr std::string_view bytes_form = "a byte count like 536870912, 512MiB, 512M or 2GiB";
constexpr std::string_view fraction_form = "a fraction above 0 and at most 1, like 0.8";
constexpr std::string_view count_form = "a whole number like 0 or 1000";
constexpr std::string_view switch_form = "on or off (also true/false, 1/0)";
constexpr std::string_view sink_form = "log, json or none";
constexpr std::string_view sites_form = "site labels separated by commas, like db-query,src/a.cpp:42";
constexpr std::string_view limits_form =
    "'label=max_live[,reject|wait|observe[,max_waiters[,timeout]]]' entries separated by ';', "
    "like db-query=100,wait,500,2s;src/a.cpp:42=50,reject";

[[noreturn]] void reject(std::string_view name, std::string_view value, std::string_view form) {
  throw ConfigError(fmt::format("{}='{}': expected {}", name, value, form));
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

// Splits "12.5MiB" into 12.5 and "MiB".
std::optional<std::pair<double, std::string_view>> number_and_unit(std::string_view text) {
  const auto unit_at = text.find_first_not_of("0123456789.");
  const auto number = parse_number(text.substr(0, unit_at));
  if (!number || *number < 0) {
    return std::nullopt;
  }
  return std::pair{*number, unit_at == std::string_view::npos ? std::string_view{}
                                                               : text.substr(unit_at)};
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto parts = number_and_unit(trim(text));
  if (!parts) {
    return std::nullopt;
  }
  const auto [value, unit] = *parts;
  double ms = 0;
  if (unit == "ms") {
    ms = value;
  } else if (unit == "s") {
    ms = value * 1000;
  } else if (unit == "m") {
    ms = value * 60'000;
  } else {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(ms)));
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  auto parts = number_and_unit(trim(text));
  if (!parts) {
    return std::nullopt;
  }
  const auto [value, unit] = *parts;
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
    return std::nullopt;
  }
  const double bytes = value * scale;
  if (bytes < 1 || bytes > 1e18) {
    return std::nullopt;
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
  auto max_live = parse_count(fields[0]);
  if (!max_live || fields.size() > 4) {
    return std::nullopt;
  }
  limit.max_live = *max_live;
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
    auto waiters = parse_count(fields[2]);
    if (!waiters) {
      return std::nullopt;
    }
    limit.max_waiters = *waiters;
  }
  if (fields.size() > 3) {
    auto timeout = parse_duration(fields[3]);
    if (!timeout) {
      return std::nullopt;
    }
    limit.wait_timeout = *timeout;
  }
  return limit;
}

template <typename T>
T require(const char *name, std::string_view value, std::optional<T> parsed,
          std::string_view form) {
  if (!parsed) {
    reject(name, value, form);
  }
  return *parsed;
}

} // namespace

const std::vector<EnvVariable> &environment_variables() {
  static const std::vector<EnvVariable> variables{
      {"SPAWNGUARD_SAMPLE_PERIOD", duration_form},
      {"SPAWNGUARD_FORECAST_WINDOW", duration_form},
      {"SPAWNGUARD_FORECAST_MIN_SPAN", duration_form},
      {"SPAWNGUARD_MEMORY_BUDGET", bytes_form},
      {"SPAWNGUARD_WARN_FRACTION", fraction_form},
      {"SPAWNGUARD_CRITICAL_FRACTION", fraction_form},
      {"SPAWNGUARD_CLEAR_MARGIN", "a fraction from 0 to 0.5, like 0.05"},
      {"SPAWNGUARD_WARN_ETA", duration_form},
      {"SPAWNGUARD_CRITICAL_ETA", duration_form},
      {"SPAWNGUARD_SITE_LIVE_WARN", count_form},
      {"SPAWNGUARD_LEAK_GROWTH_WARN", count_form},
      {"SPAWNGUARD_TASK_AGE_WARN", duration_form},
      {"SPAWNGUARD_CLEAR_SAMPLES", count_form},
      {"SPAWNGUARD_SHED", switch_form},
      {"SPAWNGUARD_SHEDDABLE", sites_form},
      {"SPAWNGUARD_LIMITS", limits_form},
      {"SPAWNGUARD_SINK", sink_form},
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

Config Config::from_environment(
    Config base, const std::function<std::optional<std::string>(const char *)> &lookup) {
  Config c = std::move(base);
  auto with = [&](const char *name, std::string_view form, auto apply) {
    if (auto value = lookup(name)) {
      apply(name, std::string_view(*value), form);
    }
  };
  auto seconds_of = [](std::chrono::milliseconds ms) {
    return std::chrono::duration_cast<std::chrono::seconds>(ms);
  };
  with("SPAWNGUARD_SAMPLE_PERIOD", duration_form, [&](auto n, auto v, auto f) {
    c.sample_period = require(n, v, parse_duration(v), f);
    if (c.sample_period.count() <= 0) {
      reject(n, v, f);
    }
  });
  with("SPAWNGUARD_FORECAST_WINDOW", duration_form, [&](auto n, auto v, auto f) {
    c.forecast_window = seconds_of(require(n, v, parse_duration(v), f));
  });
  with("SPAWNGUARD_FORECAST_MIN_SPAN", duration_form, [&](auto n, auto v, auto f) {
    c.forecast_min_span = seconds_of(require(n, v, parse_duration(v), f));
  });
  with("SPAWNGUARD_MEMORY_BUDGET", bytes_form,
       [&](auto n, auto v, auto f) { c.memory_budget_bytes = require(n, v, parse_bytes(v), f); });
  auto fraction = [&](double &field, double upper) {
    return [&field, upper](auto n, auto v, auto f) {
      auto value = parse_number(trim(v));
      if (!value || *value <= 0 || *value > upper) {
        reject(n, v, f);
      }
      field = *value;
    };
  };
  with("SPAWNGUARD_WARN_FRACTION", fraction_form, fraction(c.warn_fraction, 1.0));
  with("SPAWNGUARD_CRITICAL_FRACTION", fraction_form, fraction(c.critical_fraction, 1.0));
  with("SPAWNGUARD_CLEAR_MARGIN", "a fraction from 0 to 0.5, like 0.05", [&](auto n, auto v, auto f) {
    auto value = parse_number(trim(v));
    if (!value || *value < 0 || *value > 0.5) {
      reject(n, v, f);
    }
    c.clear_margin = *value;
  });
  with("SPAWNGUARD_WARN_ETA", duration_form, [&](auto n, auto v, auto f) {
    c.warn_eta = seconds_of(require(n, v, parse_duration(v), f));
  });
  with("SPAWNGUARD_CRITICAL_ETA", duration_form, [&](auto n, auto v, auto f) {
    c.critical_eta = seconds_of(require(n, v, parse_duration(v), f));
  });
  with("SPAWNGUARD_SITE_LIVE_WARN", count_form,
       [&](auto n, auto v, auto f) { c.site_live_warn = require(n, v, parse_count(v), f); });
  with("SPAWNGUARD_LEAK_GROWTH_WARN", count_form,
       [&](auto n, auto v, auto f) { c.leak_growth_warn = require(n, v, parse_count(v), f); });
  with("SPAWNGUARD_TASK_AGE_WARN", duration_form, [&](auto n, auto v, auto f) {
    c.task_age_warn = seconds_of(require(n, v, parse_duration(v), f));
  });
  with("SPAWNGUARD_CLEAR_SAMPLES", count_form, [&](auto n, auto v, auto f) {
    c.clear_samples = require(n, v, parse_count(v), f);
    if (c.clear_samples == 0) {
      reject(n, v, "a whole number of at least 1");
    }
  });
  with("SPAWNGUARD_SHED", switch_form, [&](auto n, auto v, auto f) {
    v = trim(v);
    if (v == "on" || v == "true" || v == "1") {
      c.shed_at_critical = true;
    } else if (v == "off" || v == "false" || v == "0") {
      c.shed_at_critical = false;
    } else {
      reject(n, v, f);
    }
  });
  with("SPAWNGUARD_SHEDDABLE", sites_form, [&](auto n, auto v, auto f) {
    c.sheddable_sites.clear();
    for (auto label : split(v, ',')) {
      if (label.empty()) {
        reject(n, v, f);
      }
      c.sheddable_sites.emplace_back(label);
    }
  });
  with("SPAWNGUARD_LIMITS", limits_form, [&](auto n, auto v, auto f) {
    for (auto entry : split(v, ';')) {
      const auto equals = entry.rfind('=');
      if (equals == std::string_view::npos || equals == 0) {
        reject(n, v, f);
      }
      auto limit = parse_limit(entry.substr(equals + 1));
      if (!limit) {
        reject(n, v, f);
      }
      c.site_limits.insert_or_assign(std::string(trim(entry.substr(0, equals))), *limit);
    }
  });
  with("SPAWNGUARD_SINK", sink_form, [&](auto n, auto v, auto f) {
    v = trim(v);
    if (v == "log") {
      c.sink = SinkKind::log;
    } else if (v == "json") {
      c.sink = SinkKind::json;
    } else if (v == "none") {
      c.sink = SinkKind::none;
    } else {
      reject(n, v, f);
    }
  });
  c.validate();
  return c;
}

void Config::validate() const {
  if (!(warn_fraction < critical_fraction)) {
    throw ConfigError(fmt::format(
        "warn_fraction (SPAWNGUARD_WARN_FRACTION={}) must be below critical_fraction "
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
}

} // namespace spawnguard

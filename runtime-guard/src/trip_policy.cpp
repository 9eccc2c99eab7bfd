// TripPolicy: thresholds with a clear margin, and a number of calm samples
// before a level drops.
#include "spawnguard/trip_policy.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

// Leaving a level needs the value this much past the entry threshold.
constexpr double eta_clear_factor = 1.5;
constexpr double site_clear_factor = 0.9;

} // namespace

TripPolicy::TripPolicy(const Config &config) : config_(config) {}

AlertLevel TripPolicy::raw_level(const TripInput &input, TripDecision &decision) const {
  AlertLevel raw = AlertLevel::ok;
  // `key` names the condition without its numbers: "memory", "leak <site>".
  auto raise = [&](AlertLevel level, std::string key, std::string why) {
    raw = std::max(raw, level);
    decision.reasons.push_back(std::move(why));
    decision.reason_keys.push_back(std::move(key));
  };
  const bool in_warn = level_ >= AlertLevel::warn;
  const bool in_critical = level_ >= AlertLevel::critical;

  if (input.memory_fraction) {
    const double used = *input.memory_fraction;
    const double critical = config_.critical_fraction - (in_critical ? config_.clear_margin : 0);
    const double warn = config_.warn_fraction - (in_warn ? config_.clear_margin : 0);
    if (used >= critical) {
      raise(AlertLevel::critical, "memory critical",
            fmt::format("memory {:.1f}% of limit >= {:.1f}%", used * 100,
                                              critical * 100));
    } else if (used >= warn) {
      raise(AlertLevel::warn, "memory warn",
            fmt::format("memory {:.1f}% of limit >= {:.1f}%", used * 100, warn * 100));
    }
  }
  if (input.eta_seconds) {
    const double eta = *input.eta_seconds;
    const double critical =
        static_cast<double>(config_.critical_eta.count()) * (in_critical ? eta_clear_factor : 1);
    const double warn =
        static_cast<double>(config_.warn_eta.count()) * (in_warn ? eta_clear_factor : 1);
    if (eta <= critical) {
      raise(AlertLevel::critical, "exhaustion critical",
            fmt::format("exhaustion in {:.0f}s <= {:.0f}s", eta, critical));
    } else if (eta <= warn) {
      raise(AlertLevel::warn, "exhaustion warn",
            fmt::format("exhaustion in {:.0f}s <= {:.0f}s", eta, warn));
    }
  }
  for (const auto &site : input.sites) {
    std::optional<std::size_t> limit = site.observe_limit;
    if (!limit && config_.site_live_warn > 0) {
      limit = config_.site_live_warn;
    }
    if (limit) {
      const double threshold = static_cast<double>(*limit) * (in_warn ? site_clear_factor : 1);
      if (static_cast<double>(site.live) > threshold) {
        raise(AlertLevel::warn, "live " + site.label,
              fmt::format("{} has {} live tasks > {}", site.label, site.live, *limit));
      }
    }
    if (config_.leak_growth_warn > 0 && site.unfinished > 0 &&
        site.growth >= static_cast<std::int64_t>(config_.leak_growth_warn)) {
      raise(AlertLevel::warn, "leak " + site.label, fmt::format("{} leaks: live +{} over the window, finishes lag "
                                          "spawns by {}",
                                          site.label, site.growth, site.unfinished));
    }
    if (config_.task_age_warn.count() > 0 && site.oldest_age > config_.task_age_warn) {
      raise(AlertLevel::warn, "stuck " + site.label,
            fmt::format("{} has a task {:.0f}s old > {}s", site.label,
                        std::chrono::duration<double>(site.oldest_age).count(),
                        config_.task_age_warn.count()));
    }
  }
  return raw;
}

TripDecision TripPolicy::evaluate(const TripInput &input) {
  TripDecision decision;
  const AlertLevel raw = raw_level(input, decision);
  if (raw > level_) {
    level_ = raw;
    calm_samples_ = 0;
    decision.changed = true;
  } else if (raw < level_) {
    if (++calm_samples_ >= config_.clear_samples) {
      level_ = raw;
      calm_samples_ = 0;
      decision.changed = true;
    } else {
      decision.reasons.push_back(fmt::format("holding {} for {} more calm sample(s)",
                                             to_string(level_),
                                             config_.clear_samples - calm_samples_));
    }
  } else {
    calm_samples_ = 0;
  }
  decision.level = level_;
  return decision;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// Guard: site lookup, the sampler loop and one sampling step.
#include "spawnguard/guard.hpp"

#include "asio_io.hpp"
#include "guard_state.hpp"
#include "pressure_trigger.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {
namespace detail {

GuardState::GuardState(Config cfg)
    : config(std::move(cfg)),
      registry(shedding,
               [this](SiteState &site) {
                 if (auto it = config.site_limits.find(site.label());
                     it != config.site_limits.end()) {
                   site.set_limit(it->second);
                 }
                 const auto &shed = config.sheddable_sites;
                 if (std::find(shed.begin(), shed.end(), site.label()) != shed.end()) {
                   site.set_sheddable(true);
                 }
                 const auto &cancel = config.cancellable_sites;
                 if (std::find(cancel.begin(), cancel.end(), site.label()) != cancel.end()) {
                   site.set_cancellable(true);
                 }
                 site.set_in_tree(config.task_tree);
               }),
      probe(MemoryProbe::Options{config.proc_root, config.memory_budget_bytes}),
      window_samples(std::clamp<std::size_t>(
          static_cast<std::size_t>(
              std::chrono::duration_cast<std::chrono::milliseconds>(config.forecast_window) /
              std::max(config.sample_period, std::chrono::milliseconds(1))),
          3, max_window_samples)),
      forecast(window_samples), trip(config), adaptive_sites(config) {}

// Re-arms a timer every sample period and waits on the PSI trigger, both on
// one strand; stop() guarantees no tick or wake touches the guard afterwards
// (every timer and trigger operation and every sample hold `mutex`). The
// mutex is recursive: a sink called from a sample may ask the guard for the
// trigger's status, or stop or restart the sampler.
class SamplerLoop : public std::enable_shared_from_this<SamplerLoop> {
public:
  SamplerLoop(Guard &guard, const net::any_io_executor &ex,
              std::chrono::milliseconds period,
              const std::optional<Config::PressureTrigger> &trigger, const std::string &psi_file)
      : guard_(guard), strand_(net::make_strand(ex)), timer_(strand_), period_(period) {
    if (trigger) {
      trigger_.emplace(strand_, psi_file, *trigger);
    }
    refresh_status();
  }

  void start() {
    std::lock_guard lock(mutex_);
    if (stopped_) { // stopped by another thread before it started
      return;
    }
    arm();
    wait_trigger();
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    timer_.cancel();
    if (trigger_) {
      trigger_->close();
    }
    refresh_status();
  }
  // A copy kept apart under its own lock, which is taken with no other held:
  // a sink called from a sample (holding mutex_) may ask for it while
  // another thread asks too, holding sampler_mutex.
  PressureTriggerStatus trigger_status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
  }

private:
  // Called with mutex_ held, or before the loop starts.
  void refresh_status() {
    PressureTriggerStatus now{false, {}, {}, "off (Config::pressure_trigger, SPAWNGUARD_PSI_TRIGGER=off)", 0};
    if (trigger_) {
      now = trigger_->status();
    }
    std::lock_guard lock(status_mutex_);
    status_ = std::move(now);
  }

  void arm() {
    timer_.expires_after(period_);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      std::lock_guard lock(self->mutex_);
      if (ec || self->stopped_) {
        return;
      }
      self->guard_.sample_now();
      if (!self->stopped_) { // a sink may have stopped the sampler
        self->arm();
      }
    });
  }
  void wait_trigger() {
    if (!trigger_) {
      return;
    }
    trigger_->async_wait([self = shared_from_this()](error_code ec) {
      std::lock_guard lock(self->mutex_);
      if (ec || self->stopped_) {
        return;
      }
      self->trigger_->count_fire();
      self->refresh_status();
      self->guard_.sample_now();
      if (!self->stopped_) {
        self->wait_trigger();
      }
    });
  }

  Guard &guard_;
  mutable std::recursive_mutex mutex_;
  mutable std::mutex status_mutex_;
  PressureTriggerStatus status_;
  bool stopped_ = false;
  net::strand<net::any_io_executor> strand_;
  net::steady_timer timer_;
  std::chrono::milliseconds period_;
  std::optional<PressureTrigger> trigger_;
};

double overload_scale(const TripInput &input, const Config &config, std::string &reason) {
  double scale = 1;
  // 1 at or under `warn`, 0 at or past `critical`, linear between.
  auto between = [&](double value, double warn, double critical, std::string why) {
    const double s = std::clamp((critical - value) / (critical - warn), 0.0, 1.0);
    if (s < scale) {
      scale = s;
      reason = std::move(why);
    }
  };
  if (input.memory_fraction) {
    between(*input.memory_fraction, config.warn_fraction, config.critical_fraction,
            fmt::format("memory {:.1f}% of limit: warn {:.1f}%, critical {:.1f}%",
                        *input.memory_fraction * 100, config.warn_fraction * 100,
                        config.critical_fraction * 100));
  }
  if (input.eta_seconds) {
    // Time runs the other way: the scale falls as the ETA shortens.
    between(-*input.eta_seconds, -static_cast<double>(config.warn_eta.count()),
            -static_cast<double>(config.critical_eta.count()),
            fmt::format("exhaustion in {:.0f}s: warn {}s, critical {}s", *input.eta_seconds,
                        config.warn_eta.count(), config.critical_eta.count()));
  }
  return scale;
}

// At critical: asks the oldest live tasks of each cancellable site to cancel,
// cancel_fraction of its live tasks (at least one) a sample; what it asked,
// per site, for the sinks.
std::vector<Cancellation> cancel_oldest_tasks(GuardState &s, const Alert &alert,
                                              std::int64_t now_ns) {
  std::vector<Cancellation> out;
  for (auto *site : s.registry.all()) {
    const auto live = site->live();
    if (!site->cancellable() || live <= 0) {
      continue;
    }
    const auto count = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(static_cast<double>(live) * s.config.cancel_fraction)));
    std::vector<std::chrono::nanoseconds> ages;
    if (site->cancel_oldest(count, now_ns, ages) == 0) {
      continue;
    }
    out.push_back({std::chrono::system_clock::now(), site->label(), ages.size(), live,
                   *std::max_element(ages.begin(), ages.end()),
                   site->stats(now_ns, false).cancelled, alert.reasons});
  }
  return out;
}

void SinkDeliveries::deliver(std::recursive_mutex &order) const {
  std::lock_guard lock(order);
  // Event by event, each to every sink, in the order they happened.
  auto each = [this](auto &&call) {
    for (const auto &sink : sinks) {
      call(*sink);
    }
  };
  if (problems) {
    each([&](AlertSink &sink) { sink.sample_problems_changed(*problems); });
  }
  for (const auto &change : limit_changes) {
    each([&](AlertSink &sink) { sink.limit_changed(change); });
  }
  if (alert) {
    each([&](AlertSink &sink) { sink.publish(*alert); });
  }
  for (const auto &cancellation : cancellations) {
    each([&](AlertSink &sink) { sink.tasks_cancelled(cancellation); });
  }
  if (overload) {
    each([&](AlertSink &sink) { sink.overload_changed(*overload); });
  }
  if (sampler_start) {
    each([&](AlertSink &sink) { sink.sampler_started(*sampler_start); });
  }
}

namespace {

std::vector<SiteDigest> top_sites(std::vector<SiteDigest> sites, std::int64_t SiteDigest::*key) {
  std::erase_if(sites, [key](const SiteDigest &s) { return s.*key <= 0; });
  std::sort(sites.begin(), sites.end(), [key](const SiteDigest &a, const SiteDigest &b) {
    return a.*key != b.*key ? a.*key > b.*key : a.label < b.label;
  });
  if (sites.size() > 3) {
    sites.resize(3);
  }
  return sites;
}

std::shared_ptr<AlertSink> sink_for(SinkKind kind) {
  switch (kind) {
  case SinkKind::log:
    return make_log_sink();
  case SinkKind::json:
    return make_json_lines_sink();
  case SinkKind::none:
    return nullptr;
  }
  return nullptr;
}

} // namespace
} // namespace detail

Guard::Guard(Config config) : state_(std::make_unique<detail::GuardState>(std::move(config))) {
  state_->config.validate();
  if (auto sink = detail::sink_for(state_->config.sink)) {
    state_->sinks.push_back(std::move(sink));
  }
}

Guard::~Guard() { stop_sampler(); }

Guard &Guard::global() {
  static Guard *const guard = [] {
    std::vector<std::string_view> names;
    for (char **entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      const std::string_view variable(*entry);
      names.push_back(variable.substr(0, variable.find('=')));
    }
    for (const auto &warning : unknown_variable_warnings(names)) {
      fmt::print(stderr, "{}\n", warning);
    }
    return new Guard(Config::from_environment());
  }();
  return *guard;
}

Site Guard::here(std::source_location where) { return Site(state_->registry.at(where)); }

Site Guard::site(std::string_view name, std::source_location where) {
  return Site(state_->registry.named(SpawnSite::named(name, where)));
}

Site Guard::site(const SpawnSite &spawn_site) { return Site(state_->registry.named(spawn_site)); }

std::optional<Site> Guard::find(std::string_view label) const {
  if (auto *site = state_->registry.find(label)) {
    return Site(*site);
  }
  return std::nullopt;
}

std::vector<SiteStats> Guard::stats() const {
  const auto now = detail::coarse_now_ns();
  std::vector<SiteStats> out;
  for (const auto *site : state_->registry.all()) {
    out.push_back(site->stats(now));
  }
  std::sort(out.begin(), out.end(), [](const SiteStats &a, const SiteStats &b) {
    return a.live != b.live ? a.live > b.live : a.label < b.label;
  });
  return out;
}

std::int64_t Guard::live_tasks() const {
  std::int64_t live = 0;
  for (const auto *site : state_->registry.all()) {
    live += site->live();
  }
  return live;
}

std::vector<LiveTask> Guard::live_task_list() const {
  const auto now = detail::coarse_now_ns();
  std::vector<LiveTask> out;
  for (const auto *site : state_->registry.all()) {
    site->append_live_tasks(out, now);
  }
  std::sort(out.begin(), out.end(), [](const LiveTask &a, const LiveTask &b) {
    return a.age != b.age ? a.age > b.age : a.site < b.site;
  });
  return out;
}

void Guard::start_sampler(const detail::net::any_io_executor &ex) {
  const auto &config = state_->config;
  auto fresh = std::make_shared<detail::SamplerLoop>(
      *this, ex, config.sample_period, config.pressure_trigger, state_->probe.pressure_file());
  const auto trigger = fresh->trigger_status();
  std::shared_ptr<detail::SamplerLoop> old;
  {
    std::lock_guard lock(state_->sampler_mutex);
    old = std::exchange(state_->sampler, fresh);
  }
  // Outside sampler_mutex: stop() waits for a sample in progress, whose sinks
  // may call back into the guard (pressure_trigger takes sampler_mutex).
  if (old) {
    old->stop();
  }
  fresh->start();
  detail::SinkDeliveries deliveries;
  deliveries.sampler_start =
      SamplerStart{config.sample_period, trigger.armed, trigger.file, trigger.trigger, trigger.note};
  {
    std::lock_guard monitor(state_->monitor_mutex);
    deliveries.sinks = state_->sinks;
  }
  // With no lock of the guard's held: a sink may call back into the guard.
  deliveries.deliver(state_->sink_order);
}

std::optional<PressureTriggerStatus> Guard::pressure_trigger() const {
  // The loop's status copy has a lock of its own, never the loop's main one
  // (which a sample holds while its sinks may come here). No copy of the
  // loop's pointer is taken: the loop must not outlive its io_context here.
  std::lock_guard lock(state_->sampler_mutex);
  if (!state_->sampler) {
    return std::nullopt;
  }
  return state_->sampler->trigger_status();
}

void Guard::stop_sampler() {
  std::shared_ptr<detail::SamplerLoop> old;
  {
    std::lock_guard lock(state_->sampler_mutex);
    old = std::move(state_->sampler);
  }
  if (old) { // outside sampler_mutex, as in start_sampler
    old->stop();
  }
}

Alert Guard::sample_now() {
  return sample_now(state_->probe.read(), std::chrono::steady_clock::now());
}

Alert Guard::sample_now(const MemoryReading &reading, std::chrono::steady_clock::time_point at) {
  detail::SinkDeliveries deliveries;
  Alert alert = sample_locked(reading, at, deliveries);
  // With the monitor's lock released: a sink may call back into the guard
  // (recent_alerts, stats, dump_text, prometheus_text) without deadlocking.
  deliveries.deliver(state_->sink_order);
  return alert;
}

Alert Guard::sample_locked(const MemoryReading &reading, std::chrono::steady_clock::time_point at,
                           detail::SinkDeliveries &deliveries) {
  auto &s = *state_;
  std::lock_guard lock(s.monitor_mutex);
  deliveries.sinks = s.sinks;
  if (!s.first_sample_at) {
    s.first_sample_at = at;
  }
  const double t = std::chrono::duration<double>(at - *s.first_sample_at).count();
  s.forecast.add(t, static_cast<double>(reading.used_bytes));

  TripInput input;
  input.memory_fraction = reading.used_fraction();
  const auto min_span = std::chrono::duration<double>(s.config.forecast_min_span).count();
  if (reading.limit_bytes && s.forecast.span() >= min_span) {
    input.eta_seconds = s.forecast.seconds_to(static_cast<double>(*reading.limit_bytes));
  }
  // Adaptive limits shrink on the raw conditions, without the trip policy's
  // hysteresis: growth is slow, so they do not flap.
  detail::MemoryPressure memory;
  if (input.memory_fraction && *input.memory_fraction >= s.config.warn_fraction) {
    memory.reason = fmt::format("memory {:.1f}% of limit >= {:.1f}%",
                                *input.memory_fraction * 100, s.config.warn_fraction * 100);
  } else if (input.eta_seconds &&
             *input.eta_seconds <= static_cast<double>(s.config.warn_eta.count())) {
    memory.reason = fmt::format("exhaustion in {:.0f}s <= {}s", *input.eta_seconds,
                                s.config.warn_eta.count());
  }
  std::string overload_reason;
  memory.scale = detail::overload_scale(input, s.config, overload_reason);
  s.overload_scale = memory.scale;
  std::vector<LimitChange> limit_changes;
  std::vector<SiteDigest> digests;
  // Ages by the ticker that stamps task starts (and that tests can hold).
  const auto now = static_cast<std::int64_t>(detail::ticker_now_ms()) * 1'000'000;
  for (auto *site : s.registry.all()) {
    const auto generation = site->limit_generation();
    auto stats = site->stats(now, /*walk_tasks=*/false);
    if (stats.sheddable) {
      site->scale_wait_timeout(memory.scale);
    }
    stats.current_limit =
        s.adaptive_sites.update(*site, generation, stats, memory, at, limit_changes);
    auto &history = s.site_history[site];
    history.push_back({stats.live, stats.spawned, stats.finished + stats.failed});
    if (history.size() > s.window_samples + 1) {
      history.pop_front();
    }
    const auto &first = history.front();
    const auto &middle = history[history.size() / 2];
    SiteSignal signal{stats.label, stats.live, stats.live - first.live,
                      static_cast<std::int64_t>((stats.spawned - first.spawned) -
                                                (stats.finished + stats.failed - first.ended)),
                      stats.oldest_age, std::nullopt};
    // The leak signature needs the rise in both halves of the window.
    if (middle.live <= first.live || stats.live <= middle.live) {
      signal.unfinished = std::min<std::int64_t>(signal.unfinished, 0);
    }
    if (stats.limit && stats.limit->policy == LimitPolicy::observe) {
      signal.observe_limit = stats.current_limit;
    }
    digests.push_back({stats.label, stats.live, signal.growth, stats.oldest_age});
    input.sites.push_back(std::move(signal));
  }

  const auto previous = s.trip.level();
  auto decision = s.trip.evaluate(input);
  s.level.store(static_cast<int>(decision.level));
  s.shedding.store(s.config.shed_at_critical && decision.level == AlertLevel::critical);

  Alert alert;
  alert.at = std::chrono::system_clock::now();
  alert.level = decision.level;
  alert.previous = previous;
  alert.reasons = std::move(decision.reasons);
  alert.memory_used_bytes = reading.used_bytes;
  alert.memory_limit_bytes = reading.limit_bytes;
  alert.eta_seconds = input.eta_seconds;
  alert.top_by_live = detail::top_sites(digests, &SiteDigest::live);
  alert.top_by_growth = detail::top_sites(std::move(digests), &SiteDigest::growth);
  s.last_state = alert;
  // What the sampler cannot read is reported when it differs from the
  // previous sample's (the first sample's against none).
  std::optional<SampleProblems> problems_change;
  if (const auto &before = s.last_reading ? s.last_reading->problems : std::vector<std::string>{};
      reading.problems != before) {
    problems_change = SampleProblems{std::chrono::system_clock::now(), reading.problems, before};
  }
  s.last_reading = reading;
  deliveries.problems = std::move(problems_change);
  deliveries.limit_changes = std::move(limit_changes);
  // A new reason at the same level is an alert too, rate-limited.
  bool publish = decision.changed;
  if (decision.changed || decision.level == AlertLevel::ok) {
    s.alerted_keys = {decision.reason_keys.begin(), decision.reason_keys.end()};
  } else if (!s.repeated_at || at - *s.repeated_at >= s.config.alert_repeat_interval) {
    for (std::size_t i = 0; i < decision.reason_keys.size(); ++i) {
      if (s.alerted_keys.insert(decision.reason_keys[i]).second) {
        alert.new_reasons.push_back(alert.reasons[i]);
      }
    }
    if (!alert.new_reasons.empty()) {
      publish = true;
      s.repeated_at = at;
    }
  }
  if (publish) {
    s.recent.push_back(alert);
    if (s.recent.size() > detail::GuardState::alert_ring_size) {
      s.recent.pop_front();
    }
    deliveries.alert = alert;
  }
  if (decision.level == AlertLevel::critical) {
    deliveries.cancellations = detail::cancel_oldest_tasks(s, alert, now);
  }
  const bool at_end = (memory.scale == 0 || memory.scale == 1) && memory.scale != s.reported_scale;
  if (at_end || std::abs(memory.scale - s.reported_scale) >= detail::overload_report_step) {
    deliveries.overload = OverloadChange{std::chrono::system_clock::now(), memory.scale,
                                         s.reported_scale,
                                         memory.scale < 1 ? overload_reason : std::string{}};
    s.reported_scale = memory.scale;
    ++s.overload_changes;
  }
  return alert;
}

AlertLevel Guard::level() const noexcept { return static_cast<AlertLevel>(state_->level.load()); }

void Guard::add_sink(std::shared_ptr<AlertSink> sink) {
  std::lock_guard lock(state_->monitor_mutex);
  state_->sinks.push_back(std::move(sink));
}

std::vector<Alert> Guard::recent_alerts() const {
  std::lock_guard lock(state_->monitor_mutex);
  return {state_->recent.begin(), state_->recent.end()};
}

std::optional<MemoryReading> Guard::last_reading() const {
  std::lock_guard lock(state_->monitor_mutex);
  return state_->last_reading;
}

const Config &Guard::config() const noexcept { return state_->config; }

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

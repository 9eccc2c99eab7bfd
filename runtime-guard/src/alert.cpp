// Alert formatting (log line, JSON line) and the built-in sinks.
#include "spawnguard/alert.hpp"

#include "text_format.hpp"

#include <fmt/format.h>

#include <mutex>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

std::string_view to_string(AlertLevel level) noexcept {
  switch (level) {
  case AlertLevel::ok:
    return "ok";
  case AlertLevel::warn:
    return "warn";
  case AlertLevel::critical:
    return "critical";
  }
  return "ok";
}

namespace {

std::string site_list(const std::vector<SiteDigest> &sites) {
  std::string out;
  for (const auto &site : sites) {
    out += fmt::format("{}{} live={} growth={:+} oldest={:.0f}s", out.empty() ? "" : ", ",
                       site.label, site.live, site.growth, detail::seconds(site.oldest_age));
  }
  return out;
}

std::string site_list_json(const std::vector<SiteDigest> &sites) {
  std::string out = "[";
  for (const auto &site : sites) {
    out += fmt::format("{}{{\"site\":{},\"live\":{},\"growth\":{},\"oldest_age_seconds\":{:.3f}}}",
                       out.size() > 1 ? "," : "", detail::json_quote(site.label), site.live,
                       site.growth, detail::seconds(site.oldest_age));
  }
  return out + "]";
}

std::string json_strings(const std::vector<std::string> &strings) {
  std::string out = "[";
  for (const auto &s : strings) {
    out += (out.size() > 1 ? "," : "") + detail::json_quote(s);
  }
  return out + "]";
}

} // namespace

std::string format_alert_line(const Alert &alert) {
  std::string memory = detail::human_bytes(alert.memory_used_bytes);
  if (alert.memory_limit_bytes) {
    memory += fmt::format("/{}({:.1f}%)", detail::human_bytes(*alert.memory_limit_bytes),
                          100.0 * static_cast<double>(alert.memory_used_bytes) /
                              static_cast<double>(*alert.memory_limit_bytes));
  }
  std::string reasons;
  for (const auto &reason : alert.reasons) {
    reasons += (reasons.empty() ? "" : "; ") + reason;
  }
  std::string fresh;
  for (const auto &reason : alert.new_reasons) {
    fresh += (fresh.empty() ? " new=[" : "; ") + reason;
  }
  if (!fresh.empty()) {
    fresh += "]";
  }
  return fmt::format("spawnguard: level={} was={} memory={} eta={} reasons=[{}] top_live=[{}] "
                     "top_growth=[{}]{}",
                     to_string(alert.level), to_string(alert.previous), memory,
                     alert.eta_seconds ? fmt::format("{:.0f}s", *alert.eta_seconds) : "none",
                     reasons, site_list(alert.top_by_live), site_list(alert.top_by_growth), fresh);
}

std::string format_alert_json(const Alert &alert) {
  const auto reasons = json_strings(alert.reasons);
  const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           alert.at.time_since_epoch())
                           .count();
  return fmt::format(
      "{{\"time_unix_ms\":{},\"level\":\"{}\",\"previous\":\"{}\",\"memory_used_bytes\":{},"
      "\"memory_limit_bytes\":{},\"eta_seconds\":{},\"reasons\":{},\"top_by_live\":{},"
      "\"top_by_growth\":{},\"new_reasons\":{}}}",
      unix_ms, to_string(alert.level), to_string(alert.previous), alert.memory_used_bytes,
      alert.memory_limit_bytes ? std::to_string(*alert.memory_limit_bytes) : "null",
      alert.eta_seconds ? fmt::format("{:.3f}", *alert.eta_seconds) : "null", reasons,
      site_list_json(alert.top_by_live), site_list_json(alert.top_by_growth),
      json_strings(alert.new_reasons));
}

namespace {

std::string optional_seconds(const std::optional<double> &seconds, std::string_view unit) {
  return seconds ? fmt::format("{:.3f}{}", *seconds, unit) : "null";
}

} // namespace

std::string format_limit_change_line(const LimitChange &change) {
  return fmt::format("spawnguard: site={} limit={} was={} changes={} recent={} baseline={} "
                     "cause=[{}]",
                     change.site, change.limit, change.previous, change.changes,
                     optional_seconds(change.recent_seconds, "s"),
                     optional_seconds(change.baseline_seconds, "s"), change.cause);
}

std::string format_limit_change_json(const LimitChange &change) {
  const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           change.at.time_since_epoch())
                           .count();
  return fmt::format("{{\"time_unix_ms\":{},\"site\":{},\"limit\":{},\"previous\":{},"
                     "\"changes\":{},\"recent_seconds\":{},\"baseline_seconds\":{},"
                     "\"cause\":{}}}",
                     unix_ms, detail::json_quote(change.site), change.limit, change.previous,
                     change.changes, optional_seconds(change.recent_seconds, ""),
                     optional_seconds(change.baseline_seconds, ""),
                     detail::json_quote(change.cause));
}

std::string format_overload_line(const OverloadChange &change) {
  return fmt::format("spawnguard: overload scale={:.2f} was={:.2f} actions=[wait timeouts of "
                     "sheddable sites and adaptive limits x{:.2f}] reason=[{}]",
                     change.scale, change.previous, change.scale,
                     change.reason.empty() ? "below warn" : change.reason);
}

std::string format_overload_json(const OverloadChange &change) {
  const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           change.at.time_since_epoch())
                           .count();
  return fmt::format("{{\"time_unix_ms\":{},\"overload_scale\":{:.3f},\"previous\":{:.3f},"
                     "\"reason\":{}}}",
                     unix_ms, change.scale, change.previous, detail::json_quote(change.reason));
}

namespace {

std::string joined_reasons(const std::vector<std::string> &reasons, std::string_view sep) {
  std::string out;
  for (const auto &reason : reasons) {
    out += (out.empty() ? "" : std::string(sep)) + reason;
  }
  return out;
}

} // namespace

std::string format_cancellation_line(const Cancellation &c) {
  return fmt::format("spawnguard: cancelled site={} tasks={} live={} oldest={:.1f}s total={} "
                     "reasons=[{}]",
                     c.site, c.tasks, c.live, detail::seconds(c.oldest_age), c.total,
                     joined_reasons(c.reasons, "; "));
}

std::string format_cancellation_json(const Cancellation &c) {
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(c.at.time_since_epoch()).count();
  return fmt::format("{{\"time_unix_ms\":{},\"cancelled_site\":{},\"tasks\":{},\"live\":{},"
                     "\"oldest_age_seconds\":{:.3f},\"total\":{},\"reasons\":{}}}",
                     unix_ms, detail::json_quote(c.site), c.tasks, c.live,
                     detail::seconds(c.oldest_age), c.total, json_strings(c.reasons));
}

std::string format_sampler_start_line(const SamplerStart &start) {
  if (start.trigger_armed) {
    return fmt::format("spawnguard: sampler every {}ms, woken by PSI trigger '{}' on {}{}",
                       start.period.count(), start.trigger, start.file,
                       start.note.empty() ? "" : fmt::format(" ({})", start.note));
  }
  return fmt::format("spawnguard: sampler every {}ms, polling only: {}", start.period.count(),
                     start.note);
}

std::string format_sampler_start_json(const SamplerStart &start) {
  return fmt::format("{{\"sampler_period_ms\":{},\"psi_trigger_armed\":{},\"psi_file\":{},"
                     "\"psi_trigger\":{},\"note\":{}}}",
                     start.period.count(), start.trigger_armed ? "true" : "false",
                     detail::json_quote(start.file), detail::json_quote(start.trigger),
                     detail::json_quote(start.note));
}

std::string format_sample_problems_line(const SampleProblems &change) {
  if (change.problems.empty()) {
    return fmt::format("spawnguard: memory sample complete again (was: [{}])",
                       joined_reasons(change.previous, "; "));
  }
  return fmt::format("spawnguard: memory sample incomplete: [{}]",
                     joined_reasons(change.problems, "; "));
}

std::string format_sample_problems_json(const SampleProblems &change) {
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(change.at.time_since_epoch()).count();
  return fmt::format("{{\"time_unix_ms\":{},\"sample_problems\":{},\"previous\":{}}}", unix_ms,
                     json_strings(change.problems), json_strings(change.previous));
}

namespace {

struct LineFormats {
  std::string (*alert)(const Alert &);
  std::string (*limit)(const LimitChange &);
  std::string (*overload)(const OverloadChange &);
  std::string (*cancellation)(const Cancellation &);
  std::string (*sampler)(const SamplerStart &);
  std::string (*sample_problems)(const SampleProblems &);
};

class LineSink : public AlertSink {
public:
  LineSink(std::FILE *out, LineFormats formats) : out_(out), formats_(formats) {}
  void publish(const Alert &alert) override { write(formats_.alert(alert)); }
  void limit_changed(const LimitChange &change) override { write(formats_.limit(change)); }
  void overload_changed(const OverloadChange &change) override {
    write(formats_.overload(change));
  }
  void tasks_cancelled(const Cancellation &cancellation) override {
    write(formats_.cancellation(cancellation));
  }
  void sampler_started(const SamplerStart &start) override { write(formats_.sampler(start)); }
  void sample_problems_changed(const SampleProblems &change) override {
    write(formats_.sample_problems(change));
  }

private:
  void write(const std::string &line) {
    std::lock_guard lock(mutex_);
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
  }

  std::mutex mutex_;
  std::FILE *out_;
  LineFormats formats_;
};

class CallbackSink : public AlertSink {
public:
  explicit CallbackSink(std::function<void(const Alert &)> callback)
      : callback_(std::move(callback)) {}
  void publish(const Alert &alert) override { callback_(alert); }

private:
  std::function<void(const Alert &)> callback_;
};

} // namespace

std::shared_ptr<AlertSink> make_log_sink(std::FILE *out) {
  return std::make_shared<LineSink>(
      out, LineFormats{&format_alert_line, &format_limit_change_line,
                                         &format_overload_line, &format_cancellation_line,
                                         &format_sampler_start_line, &format_sample_problems_line});
}

std::shared_ptr<AlertSink> make_json_lines_sink(std::FILE *out) {
  return std::make_shared<LineSink>(
      out, LineFormats{&format_alert_json, &format_limit_change_json,
                                         &format_overload_json, &format_cancellation_json,
                                         &format_sampler_start_json, &format_sample_problems_json});
}

std::shared_ptr<AlertSink> make_callback_sink(std::function<void(const Alert &)> callback) {
  return std::make_shared<CallbackSink>(std::move(callback));
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// The sampler: alerts on level changes through the sinks, naming the sites
// responsible; the timer-driven loop; the bounded alert ring.
#include "spawnguard/spawnguard.hpp"

#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>

namespace spawnguard {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

Config quiet() {
  Config config = test::quiet_config();
  config.clear_samples = 1;
  return config;
}

using test::parked;

MemoryReading used(std::uint64_t bytes, std::uint64_t limit = 1000) {
  MemoryReading reading;
  reading.used_bytes = bytes;
  reading.limit_bytes = limit;
  return reading;
}

TEST(Sampler, PublishesOnlyLevelChangesToTheSinks) {
  Guard guard(quiet());
  std::vector<Alert> seen;
  guard.add_sink(make_callback_sink([&](const Alert &a) { seen.push_back(a); }));
  // Hours apart, so that the trend is far from any exhaustion horizon.
  const auto t0 = std::chrono::steady_clock::now();
  guard.sample_now(used(100), t0);
  guard.sample_now(used(100), t0 + 1h);
  guard.sample_now(used(850), t0 + 2h);
  guard.sample_now(used(860), t0 + 3h);
  guard.sample_now(used(100), t0 + 4h);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].level, AlertLevel::warn);
  EXPECT_EQ(seen[0].previous, AlertLevel::ok);
  EXPECT_EQ(seen[1].level, AlertLevel::ok);
  EXPECT_EQ(guard.recent_alerts().size(), 2u);
}

TEST(Sampler, ANewReasonAtAnUnchangedLevelIsAnAlertAtMostOncePerInterval) {
  Config config = quiet();
  config.site_live_warn = 2;
  config.alert_repeat_interval = 10s;
  Guard guard(config);
  std::vector<Alert> seen;
  guard.add_sink(make_callback_sink([&](const Alert &a) { seen.push_back(a); }));
  boost::asio::io_context io;
  boost::asio::steady_timer gate(io, 24h);
  auto spawn_three = [&](std::string_view name) {
    for (int i = 0; i < 3; ++i) {
      spawnguard::co_spawn(guard.site(name), io, test::parked(gate), boost::asio::detached);
    }
    io.poll();
  };
  const auto t0 = std::chrono::steady_clock::now();
  spawn_three("a");
  guard.sample_now(used(100), t0);
  guard.sample_now(used(100), t0 + 1s); // the same reason: nothing new
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].level, AlertLevel::warn);

  spawn_three("b"); // a second site over the limit, still at warn
  guard.sample_now(used(100), t0 + 2s);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].level, AlertLevel::warn);
  EXPECT_EQ(seen[1].previous, AlertLevel::warn);
  EXPECT_EQ(seen[1].new_reasons, std::vector<std::string>{"b has 3 live tasks > 2"});
  EXPECT_NE(format_alert_line(seen[1]).find("new=[b has 3 live tasks > 2]"), std::string::npos);

  spawn_three("c"); // within the interval: held back...
  guard.sample_now(used(100), t0 + 5s);
  EXPECT_EQ(seen.size(), 2u);
  guard.sample_now(used(100), t0 + 12s); // ...and told once it has passed
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].new_reasons, std::vector<std::string>{"c has 3 live tasks > 2"});
  gate.cancel();
  io.poll();
}

TEST(Sampler, AlertNamesTheSitesWithTheMostLiveTasksAndGrowth) {
  Guard guard(quiet());
  asio::io_context io;
  asio::steady_timer gate(io, asio::steady_timer::time_point::max());
  auto leaky = guard.site("fixtures/svc/audit.cpp:57");
  auto steady = guard.site("fixtures/svc/handler.cpp:12");
  for (int i = 0; i < 5; ++i) {
    co_spawn(steady, io, parked(gate), asio::detached);
  }
  const auto t0 = std::chrono::steady_clock::now();
  guard.sample_now(used(100), t0);
  for (int i = 0; i < 20; ++i) {
    co_spawn(leaky, io, parked(gate), asio::detached);
  }
  io.poll();
  const auto alert = guard.sample_now(used(950), t0 + 1s);
  EXPECT_EQ(alert.level, AlertLevel::critical);
  ASSERT_EQ(alert.top_by_live.size(), 2u);
  EXPECT_EQ(alert.top_by_live[0].label, "fixtures/svc/audit.cpp:57");
  EXPECT_EQ(alert.top_by_live[0].live, 20);
  EXPECT_EQ(alert.top_by_live[1].label, "fixtures/svc/handler.cpp:12");
  ASSERT_EQ(alert.top_by_growth.size(), 1u);
  EXPECT_EQ(alert.top_by_growth[0].label, "fixtures/svc/audit.cpp:57");
  EXPECT_EQ(alert.top_by_growth[0].growth, 20);
  EXPECT_NE(format_alert_line(alert).find("top_live=[fixtures/svc/audit.cpp:57 live=20 growth=+20"),
            std::string::npos);
  gate.cancel();
  io.run();
}

TEST(Sampler, LeakingSiteIsFlaggedFromItsOwnTrend) {
  Config config = quiet();
  config.leak_growth_warn = 30;
  config.forecast_window = 10s;
  config.sample_period = 1000ms;
  Guard guard(config);
  asio::io_context io;
  asio::steady_timer gate(io, asio::steady_timer::time_point::max());
  auto leaky = guard.site("leaky");
  const auto t0 = std::chrono::steady_clock::now();
  Alert last;
  for (int second = 0; second < 10; ++second) {
    for (int i = 0; i < 5; ++i) {
      co_spawn(leaky, io, parked(gate), asio::detached);
    }
    io.poll();
    last = guard.sample_now(used(100), t0 + second * 1s);
  }
  EXPECT_EQ(last.level, AlertLevel::warn);
  bool named = false;
  for (const auto &reason : last.reasons) {
    named = named || reason.starts_with("leaky leaks: live +");
  }
  EXPECT_TRUE(named);
  gate.cancel();
  io.run();
}

TEST(Sampler, ForecastRaisesTheLevelBeforeMemoryIsHigh) {
  Guard guard(quiet());
  const auto t0 = std::chrono::steady_clock::now();
  Alert alert;
  for (int i = 0; i < 10; ++i) { // +10 bytes/s toward 1000, now at 290: 71 s left
    alert = guard.sample_now(used(200 + 10 * static_cast<std::uint64_t>(i)), t0 + i * 1s);
  }
  EXPECT_EQ(alert.level, AlertLevel::warn);
  ASSERT_TRUE(alert.eta_seconds.has_value());
  EXPECT_NEAR(*alert.eta_seconds, 71.0, 0.5);
}

TEST(Sampler, ForecastWaitsUntilItsSamplesSpanTheMinimum) {
  // Start-up: memory jumps within the first second. A fit over that is no
  // trend, so no ETA (and no alert) until the samples span forecast_min_span.
  Config config = quiet();
  config.forecast_min_span = 5s;
  Guard guard(config);
  const auto t0 = std::chrono::steady_clock::now();
  Alert alert;
  for (int i = 0; i < 10; ++i) { // +100 bytes per 100 ms: a "5 s" ETA if believed
    alert = guard.sample_now(used(100 + 10 * static_cast<std::uint64_t>(i)), t0 + i * 100ms);
    EXPECT_FALSE(alert.eta_seconds.has_value()) << "sample " << i;
    EXPECT_EQ(alert.level, AlertLevel::ok) << "sample " << i;
  }
  alert = guard.sample_now(used(200), t0 + 5s);
  ASSERT_TRUE(alert.eta_seconds.has_value());
}

TEST(Sampler, AlertRingKeepsOnlyTheLast64Changes) {
  Guard guard(quiet());
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    // Alternating far apart: each sample is a change (clear_samples is 1).
    guard.sample_now(used(i % 2 == 0 ? 950 : 10), t0 + i * 1h);
  }
  EXPECT_EQ(guard.recent_alerts().size(), 64u);
}

TEST(Sampler, RunsOnItsOwnTimerAndStops) {
  Config config = quiet();
  config.sample_period = 10ms;
  Guard guard(config);
  int samples = 0;
  guard.add_sink(make_callback_sink([&](const Alert &) { ++samples; }));
  asio::io_context io;
  guard.start_sampler(io.get_executor());
  io.run_for(200ms);
  guard.stop_sampler();
  EXPECT_TRUE(guard.last_reading().has_value());
  EXPECT_GT(guard.last_reading()->rss_bytes, 0u);
  io.restart();
  io.run(); // returns: the stopped sampler keeps nothing pending
}

TEST(Sampler, LogSinkWritesTheAlertLine) {
  std::FILE *out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  Guard guard(quiet());
  guard.add_sink(make_log_sink(out));
  guard.add_sink(make_json_lines_sink(out));
  guard.sample_now(used(950), std::chrono::steady_clock::now());
  std::rewind(out);
  char line[4096] = {};
  ASSERT_NE(std::fgets(line, sizeof line, out), nullptr);
  EXPECT_EQ(std::string(line).rfind("spawnguard: level=critical was=ok memory=950B/1000B(95.0%)", 0),
            0u)
      << line;
  ASSERT_NE(std::fgets(line, sizeof line, out), nullptr);
  EXPECT_EQ(std::string(line).rfind("{\"time_unix_ms\":", 0), 0u) << line;
  std::fclose(out);
}

// A sink that reads the guard from inside its callback: the guard's locks are
// released before sinks are called, so this returns instead of deadlocking.
class ReadsTheGuardBack : public AlertSink {
public:
  explicit ReadsTheGuardBack(Guard &guard) : guard_(guard) {}
  void publish(const Alert &alert) override {
    seen_in_ring = guard_.recent_alerts().size();
    level_seen = guard_.level();
    page = guard_.prometheus_text();
    dump = guard_.dump_text();
    stats_sites = guard_.stats().size();
    reading = guard_.last_reading().has_value();
    published = alert.level;
  }
  void sampler_started(const SamplerStart &) override {
    trigger_known = guard_.pressure_trigger().has_value();
  }
  Guard &guard_;
  std::size_t seen_in_ring = 0;
  AlertLevel level_seen = AlertLevel::ok;
  AlertLevel published = AlertLevel::ok;
  std::string page;
  std::string dump;
  std::size_t stats_sites = 0;
  bool reading = false;
  bool trigger_known = false;
};

TEST(Sampler, ASinkCallingBackIntoTheGuardDoesNotDeadlock) {
  Guard guard(quiet());
  auto site = guard.site("held");
  auto held = site.try_admit();
  auto sink = std::make_shared<ReadsTheGuardBack>(guard);
  guard.add_sink(sink);
  // On its own thread, so that a deadlock fails the test instead of hanging it.
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread([&guard, done] {
    guard.sample_now(used(950), std::chrono::steady_clock::now());
    asio::io_context io;
    guard.start_sampler(io.get_executor());
    guard.stop_sampler();
    done->set_value();
  }).detach();
  ASSERT_EQ(finished.wait_for(30s), std::future_status::ready)
      << "a sink calling back into the guard deadlocked";
  EXPECT_EQ(sink->published, AlertLevel::critical);
  EXPECT_EQ(sink->level_seen, AlertLevel::critical);
  EXPECT_EQ(sink->seen_in_ring, 1u); // the alert is in the ring before the sinks hear of it
  EXPECT_NE(sink->page.find("spawnguard_alert_level 2"), std::string::npos) << sink->page;
  EXPECT_NE(sink->dump.find("site held live=1"), std::string::npos) << sink->dump;
  EXPECT_EQ(sink->stats_sites, 1u);
  EXPECT_TRUE(sink->reading);
  EXPECT_TRUE(sink->trigger_known);
}

// The common case: a callback sink runs on the sampler's own tick, and reads
// the Prometheus page (which asks for the PSI trigger's status) while another
// thread scrapes it too, and finally stops the sampler from inside the sink.
TEST(Sampler, ASinkOnTheSamplersTickReadsThePageWhileAnotherThreadScrapes) {
  Config config = quiet();
  config.sample_period = 10ms;
  config.memory_budget_bytes = 1 << 20; // the process is over it: critical at the first tick
  Guard guard(config);
  std::atomic<int> published{0};
  std::string page_in_sink;
  guard.add_sink(make_callback_sink([&](const Alert &) {
    page_in_sink = guard.prometheus_text();
    (void)guard.pressure_trigger();
    (void)guard.recent_alerts();
    guard.stop_sampler();
    ++published;
  }));
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::atomic<bool> scraping{true};
  std::thread scraper([&] {
    while (scraping) {
      (void)guard.prometheus_text();
    }
  });
  std::thread([&guard, &published, done] {
    asio::io_context io;
    guard.start_sampler(io.get_executor());
    while (published == 0) {
      io.run_for(10ms);
      io.restart();
    }
    guard.stop_sampler();
    io.run(); // the stopped loop's cancelled waits, before io goes
    done->set_value();
  }).detach();
  const bool in_time = finished.wait_for(30s) == std::future_status::ready;
  scraping = false;
  scraper.join();
  ASSERT_TRUE(in_time) << "a sink on the sampler's tick deadlocked";
  EXPECT_EQ(published, 1); // the sink stopped the sampler: no second tick
  EXPECT_NE(page_in_sink.find("spawnguard_alert_level 2"), std::string::npos) << page_in_sink;
}

} // namespace
} // namespace spawnguard

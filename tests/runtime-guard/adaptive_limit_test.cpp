// Adaptive site limits: the limit inferred from the site's completion times
// against their baseline (down when the backend slows, back up when it
// speeds up, within its minimum and maximum), cut multiplicatively by memory
// pressure, enforced by the site's policy, reported at a bounded rate and
// exported. Task lifetimes come from a held ticker and samples from given
// times, so nothing here depends on the machine's speed.
#include "spawnguard/spawnguard.hpp"
#include "adaptive_limiter.hpp"

#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace spawnguard {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using detail::AdaptiveLimiter;
using detail::AdaptiveObservation;
using detail::AdaptiveTuning;

// A saturated site (live at its limit) whose tasks took `seconds`.
std::size_t feed(AdaptiveLimiter &limiter, double seconds, int samples) {
  for (int i = 0; i < samples; ++i) {
    const auto live = static_cast<std::int64_t>(limiter.limit());
    limiter.update({.completion_seconds = seconds, .live = live});
  }
  return limiter.limit();
}

TEST(AdaptiveLimiter, ShrinksWhileCompletionTimeRisesAboveTheBaselineAndGrowsWhenItFalls) {
  AdaptiveLimiter limiter(1, 1000, 50, AdaptiveTuning{});
  const auto fast = feed(limiter, 0.050, 100);
  EXPECT_GT(fast, 50u); // at the baseline: it grows
  std::size_t previous = fast;
  for (int i = 0; i < 40; ++i) { // ten times slower: it falls every sample
    const auto now = feed(limiter, 0.500, 1);
    EXPECT_LT(now, previous) << "slow sample " << i;
    previous = now;
  }
  EXPECT_LT(previous, fast / 4);
  const auto recovered = feed(limiter, 0.050, 100);
  EXPECT_GT(recovered, previous * 4);
}

TEST(AdaptiveLimiter, ToleratesCompletionTimesWithinTheToleranceOfTheBaseline) {
  AdaptiveLimiter limiter(1, 1000, 100, AdaptiveTuning{.tolerance = 1.5});
  feed(limiter, 0.100, 20);
  const auto before = limiter.limit();
  EXPECT_GE(feed(limiter, 0.140, 20), before); // 1.4x the baseline: no shrinking
}

TEST(AdaptiveLimiter, StaysBetweenItsMinimumAndMaximum) {
  AdaptiveLimiter limiter(8, 64, 16, AdaptiveTuning{});
  for (int i = 0; i < 300; ++i) {
    feed(limiter, 0.010, 1);
    ASSERT_LE(limiter.limit(), 64u);
  }
  EXPECT_EQ(limiter.limit(), 64u);
  for (int i = 0; i < 60; ++i) {
    feed(limiter, 10.0, 1);
    ASSERT_GE(limiter.limit(), 8u);
  }
  EXPECT_EQ(limiter.limit(), 8u);
  AdaptiveLimiter outside(4, 64, 1000, AdaptiveTuning{});
  EXPECT_EQ(outside.limit(), 64u); // an initial value outside is brought inside
}

TEST(AdaptiveLimiter, ALastingSlowdownBecomesTheNewBaseline) {
  // Gradient2's long window: a backend that stays slow is the new normal, and
  // the limit grows again (memory pressure is what caps it then).
  AdaptiveLimiter limiter(1, 1000, 100, AdaptiveTuning{.baseline_samples = 100});
  feed(limiter, 0.010, 50);
  const auto low = feed(limiter, 0.100, 30);
  EXPECT_GT(feed(limiter, 0.100, 300), low);
}

TEST(AdaptiveLimiter, MemoryPressureCutsTheLimitByTheBackoffEverySample) {
  AdaptiveLimiter limiter(1, 1000, 800, AdaptiveTuning{.memory_backoff = 0.5});
  for (std::size_t expected : {400u, 200u, 100u, 50u, 25u}) {
    EXPECT_EQ(limiter.update({.completion_seconds = 0.01, .live = 1000, .memory_pressure = true}),
              expected);
  }
  for (int i = 0; i < 20; ++i) {
    limiter.update({.memory_pressure = true});
  }
  EXPECT_EQ(limiter.limit(), 1u); // the minimum holds under pressure too
}

TEST(AdaptiveLimiter, DoesNotMoveWhileTheSiteUsesUnderHalfItsLimit) {
  AdaptiveLimiter limiter(1, 1000, 100, AdaptiveTuning{});
  for (int i = 0; i < 50; ++i) {
    limiter.update({.completion_seconds = i < 25 ? 0.01 : 1.0, .live = 49});
  }
  EXPECT_EQ(limiter.limit(), 100u);
}

// The ticker that stamps task starts and ends, held for the test's length.
class HeldTicker {
public:
  HeldTicker() { detail::hold_ticker(); }
  ~HeldTicker() { detail::release_ticker(); }
  HeldTicker(const HeldTicker &) = delete;
  HeldTicker &operator=(const HeldTicker &) = delete;
  void advance(std::chrono::milliseconds by) {
    detail::advance_held_ticker(static_cast<std::uint64_t>(by.count()));
  }
};

using test::memory;

// A site "db" with an adaptive reject limit (2 to 64, from 16) whose backend
// the test makes fast or slow: every sample period, the tasks started in the
// previous one end after `latency` and new ones fill the limit again.
class AdaptiveSiteTest : public ::testing::Test {
protected:
  AdaptiveSiteTest() {
    guard.add_sink(log);
    db.set_limit({.max_live = 64,
                  .policy = LimitPolicy::reject,
                  .adaptive = AdaptiveLimit{.min_live = 2, .initial_live = 16}});
  }
  ~AdaptiveSiteTest() override {
    gate->cancel();
    io.restart();
    io.run();
  }

  static Config config() {
    Config c = test::quiet_config();
    c.sample_period = 100ms;
    c.adaptive_log_interval = 2s;
    return c;
  }

  std::size_t limit() const { return *db.stats().current_limit; }

  void fill() {
    for (int i = 0; i < 1000; ++i) {
      auto slot = db.try_admit();
      if (!slot) {
        break;
      }
      co_spawn(std::move(slot), io, test::parked(*gate), asio::detached);
    }
    io.restart();
    io.poll();
  }

  // One sample period of a backend answering in `latency`; the limit after it.
  std::size_t period(std::chrono::milliseconds latency, MemoryReading reading = memory(100)) {
    ticker.advance(latency);
    gate->cancel();
    io.restart();
    io.poll();
    gate = std::make_unique<asio::steady_timer>(io, asio::steady_timer::time_point::max());
    fill();
    at += 100ms;
    guard.sample_now(reading, at);
    return limit();
  }

  std::size_t periods(std::chrono::milliseconds latency, int count) {
    for (int i = 0; i < count; ++i) {
      period(latency);
    }
    return limit();
  }

  HeldTicker ticker;
  Guard guard{config()};
  std::shared_ptr<test::RecordingSink> log = std::make_shared<test::RecordingSink>();
  Site db = guard.site("db");
  asio::io_context io;
  std::unique_ptr<asio::steady_timer> gate =
      std::make_unique<asio::steady_timer>(io, asio::steady_timer::time_point::max());
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now();
};

TEST_F(AdaptiveSiteTest, LimitFallsWhenTheBackendSlowsAndRecoversWhenItSpeedsUp) {
  EXPECT_EQ(limit(), 16u);
  const auto fast = periods(20ms, 60);
  EXPECT_GT(fast, 32u);
  const auto slow = periods(200ms, 40);
  EXPECT_LT(slow, fast / 4);
  EXPECT_GE(slow, 2u);
  const auto recovered = periods(20ms, 60);
  EXPECT_GT(recovered, slow * 4);
  EXPECT_LE(recovered, 64u);
}

TEST_F(AdaptiveSiteTest, SpawnsOverTheAdaptedLimitAreRejected) {
  periods(20ms, 5);
  fill();
  const auto before = db.stats().rejected;
  EXPECT_GT(limit(), 16u);
  EXPECT_EQ(db.live(), static_cast<std::int64_t>(limit())); // filled to exactly the limit
  auto refused = db.try_admit();
  EXPECT_EQ(refused.error(), make_error_code(errc::limit_reached));
  EXPECT_EQ(db.stats().rejected, before + 1);
}

TEST_F(AdaptiveSiteTest, AStalledBackendShrinksTheLimitThoughNothingEnds) {
  const auto fast = periods(20ms, 30);
  for (int i = 0; i < 30; ++i) { // the tasks never end; their age grows
    ticker.advance(100ms);
    at += 100ms;
    guard.sample_now(memory(100), at);
  }
  EXPECT_LT(limit(), fast / 2);
}

TEST_F(AdaptiveSiteTest, MemoryOverWarnShrinksTheLimitMultiplicatively) {
  periods(20ms, 40);
  double estimate = static_cast<double>(limit());
  for (int i = 0; i < 5; ++i) {
    // 85 %: the estimate is cut by the backoff, and the limit in force is the
    // estimate at the overload scale, 0.5 halfway from warn (80 %) to critical.
    estimate = std::max(2.0, estimate * guard.config().adaptive_memory_backoff);
    const auto in_force = std::max<long long>(2, std::llround(static_cast<double>(std::llround(estimate)) * 0.5));
    EXPECT_EQ(period(20ms, memory(850)), static_cast<std::size_t>(in_force)) << "sample " << i;
  }
}

TEST_F(AdaptiveSiteTest, AForecastExhaustionWithinTheWarnHorizonShrinksTheLimit) {
  const auto before = periods(20ms, 40);
  // Memory steps to 30 % and rises 10 B/s toward 1000: the forecast puts
  // exhaustion within 120 s while memory stays far under warn (80 %).
  std::size_t now = before;
  for (int i = 0; i < 70; ++i) {
    now = period(20ms, memory(300 + 1 * static_cast<std::uint64_t>(i)));
  }
  EXPECT_LE(now, 2u);
  EXPECT_LT(now, before);
}

TEST_F(AdaptiveSiteTest, LimitChangesAreReportedAtMostOncePerInterval) {
  periods(20ms, 40); // 4 s of growth
  for (int i = 0; i < 20; ++i) {
    period(20ms, memory(900)); // 2 s of cuts
  }
  // 6 s at one report per 2 s (the first at once): at most 3 reports.
  ASSERT_GE(log->limit_changes.size(), 2u);
  EXPECT_LE(log->limit_changes.size(), 3u);
  for (std::size_t i = 1; i < log->limit_changes.size(); ++i) {
    EXPECT_EQ(log->limit_changes[i].previous, log->limit_changes[i - 1].limit);
  }
  EXPECT_GT(log->limit_changes.front().changes, 0u);
  EXPECT_NE(log->limit_changes.back().cause.find("memory pressure: memory 90.0% of limit >= 80.0%"),
            std::string::npos)
      << log->limit_changes.back().cause;
}

TEST_F(AdaptiveSiteTest, CurrentLimitIsInThePrometheusPageAndTheDump) {
  periods(20ms, 20);
  fill();
  const auto now = std::to_string(limit());
  EXPECT_NE(guard.prometheus_text().find("\nspawnguard_site_limit{site=\"db\"} " + now + "\n"),
            std::string::npos)
      << guard.prometheus_text();
  EXPECT_NE(guard.dump_text().find("site db live=" + now), std::string::npos);
  EXPECT_NE(guard.dump_text().find(" limit=" + now + " adaptive=2..64\n"), std::string::npos)
      << guard.dump_text();
  EXPECT_NE(guard.dump_json().find("\"limit\":" + now + ",\"adaptive\":true"), std::string::npos)
      << guard.dump_json();
}

TEST_F(AdaptiveSiteTest, ReplacingTheLimitStartsOverFromItsInitialValue) {
  periods(20ms, 40);
  db.set_limit({.max_live = 8, .policy = LimitPolicy::reject, .adaptive = AdaptiveLimit{}});
  EXPECT_EQ(limit(), 8u); // initial 16, brought under the new maximum
  db.set_limit({.max_live = 5, .policy = LimitPolicy::reject});
  period(20ms);
  EXPECT_EQ(limit(), 5u); // a fixed limit is not adapted
}

TEST(AdaptiveLimitLog, TheLogSinkWritesOneLinePerReport) {
  std::FILE *out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  Config config = test::quiet_config();
  config.adaptive_log_interval = 0ms; // every change
  Guard guard(config);
  guard.add_sink(make_log_sink(out));
  auto site = guard.site("audit");
  site.set_limit({.max_live = 100,
                  .policy = LimitPolicy::wait,
                  .adaptive = AdaptiveLimit{.min_live = 1, .initial_live = 100}});
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) { // the first sample only starts the site's history
    guard.sample_now(memory(800), t0 + i * 100ms); // at warn: the overload scale is still 1
  }
  std::rewind(out);
  std::vector<std::string> lines;
  char line[4096] = {};
  while (std::fgets(line, sizeof line, out) != nullptr) {
    if (std::string(line).starts_with("spawnguard: site=")) {
      lines.emplace_back(line);
    }
  }
  std::fclose(out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("spawnguard: site=audit limit=90 was=100 changes=1 ", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind("spawnguard: site=audit limit=81 was=90 changes=1 ", 0), 0u)
      << lines[1];
  EXPECT_NE(lines[0].find("cause=[memory pressure: memory 80.0% of limit >= 80.0%]"),
            std::string::npos)
      << lines[0];
}

TEST(AdaptiveLimitValidation, AnAdaptiveLimitNeedsAMinimumFromOneToTheMaximum) {
  Guard guard(test::quiet_config());
  auto site = guard.site("bad");
  EXPECT_THROW(site.set_limit({.max_live = 10, .adaptive = AdaptiveLimit{.min_live = 0}}),
               std::invalid_argument);
  EXPECT_THROW(site.set_limit({.max_live = 10, .adaptive = AdaptiveLimit{.min_live = 11}}),
               std::invalid_argument);
  Config config = test::quiet_config();
  config.site_limits["db"] = SiteLimit{.max_live = 3, .adaptive = AdaptiveLimit{.min_live = 4}};
  EXPECT_THROW(Guard{config}, ConfigError);
}

} // namespace
} // namespace spawnguard

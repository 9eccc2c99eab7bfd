// Graded overload actions (Envoy's scaled triggers): between warn and
// critical the overload scale falls from 1 to 0, and the wait timeouts of
// sheddable sites and the adaptive limits in force scale with it; each step
// is a line to the sinks and a counter.
#include "spawnguard/spawnguard.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace spawnguard {
namespace {

using namespace std::chrono_literals;

using test::memory;

// warn at 80 % of 1000 bytes, critical at 90 %; samples an hour apart so the
// forecast sees no trend.
class GradedOverloadTest : public ::testing::Test {
protected:
  GradedOverloadTest() {
    guard.add_sink(log);
    queued.set_limit({.max_live = 10, .policy = LimitPolicy::wait, .wait_timeout = 2000ms});
    queued.set_sheddable(true);
    kept.set_limit({.max_live = 10, .policy = LimitPolicy::wait, .wait_timeout = 2000ms});
  }
  void sample(std::uint64_t used) {
    at += 1h;
    guard.sample_now(memory(used), at);
  }

  Guard guard{test::quiet_config()};
  std::shared_ptr<test::RecordingSink> log = std::make_shared<test::RecordingSink>();
  Site queued = guard.site("queued");
  Site kept = guard.site("kept");
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now();
};

TEST_F(GradedOverloadTest, WaitTimeoutsOfSheddableSitesScaleBetweenWarnAndCritical) {
  sample(500);
  EXPECT_EQ(queued.state().wait_timeout(), 2000ms);
  sample(850); // halfway from warn to critical
  EXPECT_EQ(queued.state().wait_timeout(), 1000ms);
  sample(875);
  EXPECT_EQ(queued.state().wait_timeout(), 500ms);
  sample(950); // past critical: the shortest timeout
  EXPECT_EQ(queued.state().wait_timeout(), 1ms);
  EXPECT_EQ(kept.state().wait_timeout(), 2000ms); // not sheddable: untouched
  sample(100);
  EXPECT_EQ(queued.state().wait_timeout(), 2000ms);
}

TEST_F(GradedOverloadTest, AForecastBetweenTheHorizonsScalesToo) {
  // +10 B/s toward 1000 from 200 over 10 s: exhaustion in ~71 s, between the
  // warn (120 s) and critical (30 s) horizons; memory stays under warn.
  Alert alert;
  for (int i = 0; i < 10; ++i) {
    at += 1s;
    alert = guard.sample_now(memory(200 + 10 * static_cast<std::uint64_t>(i)), at);
  }
  ASSERT_TRUE(alert.eta_seconds.has_value());
  const double expected = (*alert.eta_seconds - 30) / (120 - 30);
  EXPECT_NEAR(std::chrono::duration<double>(queued.state().wait_timeout()).count(),
              2.0 * expected, 0.002);
}

TEST_F(GradedOverloadTest, AdaptiveLimitsInForceScaleWithTheEstimateKept) {
  auto adaptive = guard.site("adaptive");
  adaptive.set_limit({.max_live = 100,
                      .policy = LimitPolicy::reject,
                      .adaptive = AdaptiveLimit{.min_live = 1, .initial_live = 100}});
  sample(500);
  EXPECT_EQ(adaptive.stats().current_limit, 100u);
  sample(850); // estimate 100 x 0.9 = 90, in force 90 x 0.5
  EXPECT_EQ(adaptive.stats().current_limit, 45u);
  sample(890); // estimate 81, in force 81 x 0.1
  EXPECT_EQ(adaptive.stats().current_limit, 8u);
}

TEST_F(GradedOverloadTest, EachStepIsReportedAndCounted) {
  sample(500);
  sample(850);
  sample(855); // moved less than a tenth: no report
  sample(950);
  sample(100);
  ASSERT_EQ(log->overload_changes.size(), 3u);
  EXPECT_NEAR(log->overload_changes[0].scale, 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(log->overload_changes[0].previous, 1.0);
  EXPECT_EQ(log->overload_changes[0].reason, "memory 85.0% of limit: warn 80.0%, critical 90.0%");
  EXPECT_DOUBLE_EQ(log->overload_changes[1].scale, 0.0);
  EXPECT_DOUBLE_EQ(log->overload_changes[2].scale, 1.0);
  EXPECT_EQ(format_overload_line(log->overload_changes[0]),
            "spawnguard: overload scale=0.50 was=1.00 actions=[wait timeouts of sheddable sites "
            "and adaptive limits x0.50] reason=[memory 85.0% of limit: warn 80.0%, critical 90.0%]");
  const auto page = guard.prometheus_text();
  EXPECT_NE(page.find("\nspawnguard_overload_scale 1.000\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\nspawnguard_overload_changes_total 3\n"), std::string::npos) << page;
}

} // namespace
} // namespace spawnguard

// TripPolicy: thresholds, exhaustion horizons, site signals, and hysteresis
// that keeps a level from flapping at a boundary.
#include "spawnguard/trip_policy.hpp"

#include <gtest/gtest.h>

namespace spawnguard {
namespace {

using namespace std::chrono_literals;

TripInput memory(double fraction) {
  TripInput input;
  input.memory_fraction = fraction;
  return input;
}

TripInput eta(double seconds) {
  TripInput input;
  input.eta_seconds = seconds;
  return input;
}

bool says(const TripDecision &decision, const std::string &text) {
  for (const auto &reason : decision.reasons) {
    if (reason.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(TripPolicy, MemoryFractionRaisesWarnThenCritical) {
  TripPolicy policy{Config{}};
  EXPECT_EQ(policy.evaluate(memory(0.5)).level, AlertLevel::ok);
  auto warn = policy.evaluate(memory(0.85));
  EXPECT_EQ(warn.level, AlertLevel::warn);
  EXPECT_TRUE(warn.changed);
  EXPECT_TRUE(says(warn, "memory 85.0% of limit >= 80.0%"));
  EXPECT_EQ(policy.evaluate(memory(0.95)).level, AlertLevel::critical);
}

TEST(TripPolicy, ExhaustionHorizonRaisesLevelsBeforeTheMemoryThresholds) {
  TripPolicy policy{Config{}};
  TripInput input = eta(100);
  input.memory_fraction = 0.4;
  auto warn = policy.evaluate(input);
  EXPECT_EQ(warn.level, AlertLevel::warn);
  EXPECT_TRUE(says(warn, "exhaustion in 100s <= 120s"));
  input.eta_seconds = 20;
  EXPECT_EQ(policy.evaluate(input).level, AlertLevel::critical);
}

TEST(TripPolicy, DoesNotFlapWhenMemoryOscillatesAroundTheThreshold) {
  Config config;
  TripPolicy policy(config);
  int changes = 0;
  for (int i = 0; i < 200; ++i) {
    const double used = 0.80 + ((i % 2 == 0) ? 0.01 : -0.01); // 81%, 79%, 81%...
    changes += policy.evaluate(memory(used)).changed ? 1 : 0;
  }
  EXPECT_EQ(changes, 1); // ok -> warn once, never back
  EXPECT_EQ(policy.level(), AlertLevel::warn);
}

TEST(TripPolicy, DoesNotFlapWhenExhaustionTimeOscillatesAroundTheHorizon) {
  TripPolicy policy{Config{}};
  int changes = 0;
  for (int i = 0; i < 100; ++i) {
    changes += policy.evaluate(eta(i % 2 == 0 ? 115 : 125)).changed ? 1 : 0;
  }
  EXPECT_EQ(changes, 1);
}

TEST(TripPolicy, LeavesALevelOnlyAfterCalmSamplesBelowTheMargin) {
  Config config;
  config.clear_samples = 3;
  TripPolicy policy(config);
  policy.evaluate(memory(0.85));
  // 77% is under 80% but not under 80% - 5%: still warn, however long.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(policy.evaluate(memory(0.77)).level, AlertLevel::warn);
  }
  EXPECT_EQ(policy.evaluate(memory(0.70)).level, AlertLevel::warn);
  auto holding = policy.evaluate(memory(0.70));
  EXPECT_EQ(holding.level, AlertLevel::warn);
  EXPECT_TRUE(says(holding, "holding warn for 1 more calm sample"));
  auto cleared = policy.evaluate(memory(0.70));
  EXPECT_EQ(cleared.level, AlertLevel::ok);
  EXPECT_TRUE(cleared.changed);
}

TEST(TripPolicy, ACalmStreakIsResetByABadSample) {
  Config config;
  config.clear_samples = 2;
  TripPolicy policy(config);
  policy.evaluate(memory(0.85));
  policy.evaluate(memory(0.5));
  policy.evaluate(memory(0.85));
  EXPECT_EQ(policy.evaluate(memory(0.5)).level, AlertLevel::warn);
  EXPECT_EQ(policy.evaluate(memory(0.5)).level, AlertLevel::ok);
}

TEST(TripPolicy, SiteOverTheLiveLimitWarnsAndNamesTheSite) {
  Config config;
  config.site_live_warn = 1000;
  TripPolicy policy(config);
  TripInput input;
  input.sites.push_back({"src/server.cpp:42", 1500, 0, 0, 0s, std::nullopt});
  auto decision = policy.evaluate(input);
  EXPECT_EQ(decision.level, AlertLevel::warn);
  EXPECT_TRUE(says(decision, "src/server.cpp:42 has 1500 live tasks > 1000"));
}

TEST(TripPolicy, ObserveLimitOfASiteOverridesTheGlobalLiveLimit) {
  Config config;
  config.site_live_warn = 1000;
  TripPolicy policy(config);
  TripInput input;
  input.sites.push_back({"db", 20, 0, 0, 0s, std::size_t{10}});
  EXPECT_TRUE(says(policy.evaluate(input), "db has 20 live tasks > 10"));
}

TEST(TripPolicy, LeakSignatureNeedsGrowthWithFinishesLaggingSpawns) {
  Config config;
  config.leak_growth_warn = 100;
  TripPolicy policy(config);
  TripInput busy;
  busy.sites.push_back({"handler", 5000, 500, 0, 0s, std::nullopt}); // grew, but no lag
  EXPECT_EQ(policy.evaluate(busy).level, AlertLevel::ok);
  TripInput leaking;
  leaking.sites.push_back({"audit", 5000, 500, 480, 0s, std::nullopt});
  auto decision = policy.evaluate(leaking);
  EXPECT_EQ(decision.level, AlertLevel::warn);
  EXPECT_TRUE(says(decision, "audit leaks: live +500"));
}

TEST(TripPolicy, OldTaskWarnsAsStuck) {
  Config config;
  config.task_age_warn = 60s;
  TripPolicy policy(config);
  TripInput input;
  input.sites.push_back({"poller", 1, 0, 0, 90s, std::nullopt});
  auto decision = policy.evaluate(input);
  EXPECT_EQ(decision.level, AlertLevel::warn);
  EXPECT_TRUE(says(decision, "poller has a task 90s old > 60s"));
}

TEST(TripPolicy, NothingMeasuredIsOk) {
  TripPolicy policy{Config{}};
  auto decision = policy.evaluate(TripInput{});
  EXPECT_EQ(decision.level, AlertLevel::ok);
  EXPECT_FALSE(decision.changed);
  EXPECT_TRUE(decision.reasons.empty());
}

} // namespace
} // namespace spawnguard

// ExhaustionForecast on synthetic series: linear growth, flat, noisy, step.
#include "spawnguard/exhaustion_forecast.hpp"

#include <gtest/gtest.h>

#include <random>

namespace spawnguard {
namespace {

constexpr double MiB = 1024.0 * 1024.0;

TEST(ExhaustionForecast, NeedsThreeSamples) {
  ExhaustionForecast forecast(16);
  forecast.add(0, 100);
  forecast.add(1, 200);
  EXPECT_FALSE(forecast.slope().has_value());
  EXPECT_FALSE(forecast.seconds_to(1000).has_value());
  forecast.add(2, 300);
  EXPECT_TRUE(forecast.slope().has_value());
}

TEST(ExhaustionForecast, LinearGrowthPredictsTheExactTimeLeft) {
  ExhaustionForecast forecast(32);
  for (int t = 0; t < 30; ++t) {
    forecast.add(t, 100 * MiB + t * 2 * MiB); // 2 MiB/s
  }
  EXPECT_NEAR(*forecast.slope(), 2 * MiB, 1);
  // At t=29: 158 MiB used; 512 MiB is 354 MiB away, 177 s.
  EXPECT_NEAR(*forecast.seconds_to(512 * MiB), 177.0, 1e-6);
}

TEST(ExhaustionForecast, FlatSeriesHasNoExhaustion) {
  ExhaustionForecast forecast(32);
  for (int t = 0; t < 30; ++t) {
    forecast.add(t, 300 * MiB);
  }
  EXPECT_DOUBLE_EQ(*forecast.slope(), 0.0);
  EXPECT_FALSE(forecast.seconds_to(512 * MiB).has_value());
}

TEST(ExhaustionForecast, ShrinkingSeriesHasNoExhaustion) {
  ExhaustionForecast forecast(8);
  for (int t = 0; t < 8; ++t) {
    forecast.add(t, 400 * MiB - t * MiB);
  }
  EXPECT_LT(*forecast.slope(), 0.0);
  EXPECT_FALSE(forecast.seconds_to(512 * MiB).has_value());
}

TEST(ExhaustionForecast, NoisyGrowthIsEstimatedWithinFifteenPercent) {
  // Noise of 3 MiB against 1 MiB/s over 32 s: the slope's standard error is
  // about 4%, so 15% is over three of them.
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0, 3 * MiB);
  ExhaustionForecast forecast(64);
  for (int i = 0; i < 64; ++i) {
    const double t = i * 0.5;
    forecast.add(t, 200 * MiB + t * 1 * MiB + noise(random));
  }
  EXPECT_NEAR(*forecast.slope(), 1 * MiB, 0.15 * MiB);
  // Truth at t=31.5: 231.5 MiB used, 280.5 s to 512 MiB.
  EXPECT_NEAR(*forecast.seconds_to(512 * MiB), 280.5, 42.0);
}

TEST(ExhaustionForecast, SpikesDoNotMoveTheRobustFit) {
  ExhaustionForecast forecast(30);
  for (int t = 0; t < 30; ++t) {
    const bool spike = t % 7 == 3; // 4 of 30 samples jump by 300 MiB
    forecast.add(t, 100 * MiB + t * MiB + (spike ? 300 * MiB : 0));
  }
  EXPECT_NEAR(*forecast.slope(), 1 * MiB, 0.05 * MiB);
}

TEST(ExhaustionForecast, StepUpThenFlatIsNotATrendOnceTheWindowHasPassed) {
  ExhaustionForecast forecast(20);
  for (int t = 0; t < 20; ++t) {
    forecast.add(t, 100 * MiB);
  }
  for (int t = 20; t < 40; ++t) {
    forecast.add(t, 300 * MiB); // one jump, then steady
  }
  EXPECT_DOUBLE_EQ(*forecast.slope(), 0.0);
  EXPECT_FALSE(forecast.seconds_to(512 * MiB).has_value());
}

TEST(ExhaustionForecast, StepInTheMiddleOfTheWindowIsDiscountedAgainstALeastSquaresFit) {
  ExhaustionForecast forecast(20);
  for (int t = 0; t < 20; ++t) {
    forecast.add(t, t < 10 ? 100 * MiB : 300 * MiB);
  }
  // Least squares would say 15 MiB/s; Theil–Sen's median slope is far lower.
  EXPECT_LT(*forecast.slope(), 12 * MiB);
}

TEST(ExhaustionForecast, AtOrOverTheLimitMeansZeroSecondsLeft) {
  ExhaustionForecast forecast(8);
  for (int t = 0; t < 8; ++t) {
    forecast.add(t, 600 * MiB + t * MiB);
  }
  EXPECT_DOUBLE_EQ(*forecast.seconds_to(512 * MiB), 0.0);
}

TEST(ExhaustionForecast, OnlyTheLastWindowCounts) {
  ExhaustionForecast forecast(10);
  for (int t = 0; t < 50; ++t) {
    forecast.add(t, 100 * MiB + t * 5 * MiB); // fast growth, forgotten
  }
  for (int t = 50; t < 60; ++t) {
    forecast.add(t, 400 * MiB);
  }
  EXPECT_EQ(forecast.size(), 10u);
  EXPECT_DOUBLE_EQ(*forecast.slope(), 0.0);
}

} // namespace
} // namespace spawnguard

// LatencyHistogram: percentiles exact to 1% against a sorted copy of the data.
#include "latency/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace slow_query {
namespace {

std::uint64_t exact_percentile(std::vector<std::uint64_t> values, double fraction) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

TEST(LatencyHistogram, EmptyHistogramReportsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.percentile(0.999), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t v = 0; v < 100; ++v)
    histogram.record(v);
  EXPECT_EQ(histogram.percentile(0.5), 49u);
  EXPECT_EQ(histogram.percentile(1.0), 99u);
}

TEST(LatencyHistogram, PercentilesOfAHeavyTailAreWithinOnePercent) {
  // Latencies from 50 us to minutes: a log-normal body and a far tail.
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> body(std::log(800.0), 0.8);
  std::vector<std::uint64_t> values;
  LatencyHistogram histogram;
  for (int i = 0; i < 200'000; ++i) {
    double v = body(random) * (i % 1000 == 0 ? 5000.0 : 1.0);
    values.push_back(static_cast<std::uint64_t>(v) + 50);
    histogram.record(values.back());
  }
  for (double fraction : {0.5, 0.9, 0.99, 0.999, 0.9999}) {
    double exact = static_cast<double>(exact_percentile(values, fraction));
    double reported = static_cast<double>(histogram.percentile(fraction));
    EXPECT_GE(reported, exact) << "P" << fraction * 100;
    EXPECT_LE((reported - exact) / exact, 0.01) << "P" << fraction * 100;
  }
  EXPECT_EQ(histogram.percentile(1.0), *std::max_element(values.begin(), values.end()));
}

TEST(LatencyHistogram, MergeAddsCounts) {
  LatencyHistogram a, b;
  a.record(1000);
  b.record(3000);
  b.record(5000);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 5000u);
  EXPECT_NEAR(static_cast<double>(a.percentile(0.5)), 3000.0, 30.0);
}

} // namespace
} // namespace slow_query

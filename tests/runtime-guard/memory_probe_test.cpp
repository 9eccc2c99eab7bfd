// MemoryProbe on copies of cgroup v1 and v2 files (fixtures/cgroup/) and on
// this machine's real /proc and cgroup files.
#include "spawnguard/memory_probe.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace spawnguard {
namespace {

constexpr std::uint64_t MiB = 1024 * 1024;
const std::string fixtures = SPAWNGUARD_FIXTURES_DIR "/cgroup/";

MemoryReading read_fixture(const std::string &name, std::optional<std::uint64_t> budget = {}) {
  return MemoryProbe({fixtures + name, budget}).read();
}

std::uint64_t pages(std::uint64_t n) { return n * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }

bool mentions(const std::vector<std::string> &problems, const std::string &text) {
  for (const auto &problem : problems) {
    if (problem.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(MemoryProbe, FindsTheV1MemoryCgroupFromProcSelfCgroupAndMountinfo) {
  MemoryProbe probe({.root = fixtures + "v1"});
  ASSERT_TRUE(probe.cgroup().has_value());
  EXPECT_EQ(probe.cgroup()->version, 1);
  EXPECT_EQ(probe.cgroup()->dir,
            "/sys/fs/cgroup/memory/process_api/c495d4939b67ea9fa4714f19d6be78f2");
}

TEST(MemoryProbe, V1ReadsWorkingSetAndLimit) {
  const auto r = read_fixture("v1");
  EXPECT_EQ(r.rss_bytes, pages(1024));
  EXPECT_EQ(r.cgroup_usage_bytes, 300 * MiB - 10 * MiB); // usage minus inactive file
  EXPECT_EQ(r.cgroup_limit_bytes, 512 * MiB);
  EXPECT_EQ(r.limit_bytes, 512 * MiB);
  EXPECT_EQ(r.used_bytes, 290 * MiB);
  EXPECT_NE(r.limit_source.find("cgroup v1"), std::string::npos);
  ASSERT_TRUE(r.used_fraction().has_value());
  EXPECT_NEAR(*r.used_fraction(), 290.0 / 512, 1e-9);
  EXPECT_DOUBLE_EQ(*r.pressure_some_avg10, 1.5);
  EXPECT_DOUBLE_EQ(*r.pressure_full_avg10, 0.25);
  EXPECT_TRUE(r.problems.empty());
}

TEST(MemoryProbe, V1UnlimitedValueMeansNoLimit) {
  const auto r = read_fixture("v1-unlimited");
  EXPECT_FALSE(r.cgroup_limit_bytes.has_value());
  EXPECT_FALSE(r.limit_bytes.has_value());
  EXPECT_EQ(r.used_bytes, r.rss_bytes);
  EXPECT_EQ(r.limit_source, "none");
  EXPECT_FALSE(r.used_fraction().has_value());
}

TEST(MemoryProbe, V1LimitOnAParentCgroupApplies) {
  const auto r = read_fixture("v1-parent-limit");
  EXPECT_EQ(r.cgroup_limit_bytes, 256 * MiB);
  EXPECT_NE(r.limit_source.find("process_api/memory.limit_in_bytes"), std::string::npos);
}

TEST(MemoryProbe, V1GarbageLimitIsReportedAndIgnored) {
  const auto r = read_fixture("v1-garbage");
  EXPECT_FALSE(r.cgroup_limit_bytes.has_value());
  EXPECT_TRUE(mentions(r.problems, "'lots' is not a byte count"));
  EXPECT_EQ(r.cgroup_usage_bytes, 290 * MiB);
}

TEST(MemoryProbe, V2ReadsCurrentMaxAndTheCgroupsOwnPressure) {
  MemoryProbe probe({.root = fixtures + "v2"});
  ASSERT_TRUE(probe.cgroup().has_value());
  EXPECT_EQ(probe.cgroup()->version, 2);
  EXPECT_EQ(probe.cgroup()->dir, "/sys/fs/cgroup/system.slice/slow-query.service");
  const auto r = probe.read();
  EXPECT_EQ(r.cgroup_usage_bytes, 805306368u - 5306368u);
  EXPECT_EQ(r.cgroup_limit_bytes, 1024 * MiB);
  EXPECT_EQ(r.limit_bytes, 1024 * MiB);
  EXPECT_DOUBLE_EQ(*r.pressure_some_avg10, 12.0);
  EXPECT_DOUBLE_EQ(*r.pressure_full_avg10, 3.5);
  EXPECT_NE(r.limit_source.find("cgroup v2"), std::string::npos);
}

TEST(MemoryProbe, V2MaxMeansNoLimit) {
  const auto r = read_fixture("v2-max");
  EXPECT_FALSE(r.cgroup_limit_bytes.has_value());
  EXPECT_FALSE(r.limit_bytes.has_value());
  EXPECT_TRUE(r.problems.empty());
}

TEST(MemoryProbe, V2GarbageIsReportedAndFallsBackToRss) {
  const auto r = read_fixture("v2-garbage");
  EXPECT_FALSE(r.cgroup_usage_bytes.has_value());
  EXPECT_FALSE(r.cgroup_limit_bytes.has_value());
  EXPECT_EQ(r.used_bytes, pages(2048));
  EXPECT_TRUE(mentions(r.problems, "'unknown' is not a byte count"));
  EXPECT_TRUE(mentions(r.problems, "'-12 bytes' is not a byte count"));
}

TEST(MemoryProbe, V2MissingLimitFileIsReported) {
  const auto r = read_fixture("v2-missing");
  EXPECT_FALSE(r.cgroup_limit_bytes.has_value());
  EXPECT_TRUE(mentions(r.problems, "cannot read"));
  EXPECT_TRUE(r.cgroup_usage_bytes.has_value());
}

TEST(MemoryProbe, UnifiedHierarchyWithoutMemoryControllerIsExplained) {
  MemoryProbe probe({.root = fixtures + "no-memory-controller"});
  EXPECT_FALSE(probe.cgroup().has_value());
  EXPECT_TRUE(mentions(probe.discovery_problems(), "has no memory controller"));
  EXPECT_EQ(probe.read().rss_bytes, pages(256));
}

TEST(MemoryProbe, NothingReadableGivesZerosAndProblemsNotACrash) {
  const auto r = read_fixture("empty");
  EXPECT_EQ(r.rss_bytes, 0u);
  EXPECT_FALSE(r.limit_bytes.has_value());
  EXPECT_TRUE(mentions(r.problems, "/proc/self/statm"));
}

TEST(MemoryProbe, BudgetBelowTheCgroupLimitWinsAndMeasuresRss) {
  const auto r = read_fixture("v1", 128 * MiB);
  EXPECT_EQ(r.limit_bytes, 128 * MiB);
  EXPECT_EQ(r.limit_source, "budget");
  EXPECT_EQ(r.used_bytes, r.rss_bytes);
}

TEST(MemoryProbe, BudgetAboveTheCgroupLimitDoesNotRaiseIt) {
  const auto r = read_fixture("v1", 4096 * MiB);
  EXPECT_EQ(r.limit_bytes, 512 * MiB);
  EXPECT_NE(r.limit_source, "budget");
}

TEST(ParseCgroupBytes, AcceptsNumbersAndMax) {
  EXPECT_EQ(parse_cgroup_bytes("1073741824\n").bytes, 1073741824u);
  EXPECT_FALSE(parse_cgroup_bytes("max\n").bytes.has_value());
  EXPECT_TRUE(parse_cgroup_bytes("max\n").error.empty());
  EXPECT_FALSE(parse_cgroup_bytes("9223372036854771712").bytes.has_value());
  EXPECT_FALSE(parse_cgroup_bytes("").error.empty());
  EXPECT_FALSE(parse_cgroup_bytes("12k").error.empty());
}

// --- this machine ------------------------------------------------------------

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MemoryProbeOnThisMachine, RssMatchesProcSelfStatmAndGrowsWithTouchedMemory) {
  MemoryProbe probe;
  const auto before = probe.read();
  EXPECT_GT(before.rss_bytes, 1 * MiB);
  std::vector<char> block(64 * MiB);
  std::memset(block.data(), 1, block.size());
  const auto after = probe.read();
  EXPECT_GE(after.rss_bytes, before.rss_bytes + 60 * MiB);
  EXPECT_EQ(block[12345], 1);
}

TEST(MemoryProbeOnThisMachine, FindsTheMemoryCgroupNamedInProcSelfCgroup) {
  const auto cgroups = slurp("/proc/self/cgroup");
  MemoryProbe probe;
  const auto v1_line = cgroups.find(":memory:");
  if (v1_line != std::string::npos) {
    ASSERT_TRUE(probe.cgroup().has_value()) << "problems: " << probe.discovery_problems().size();
    EXPECT_EQ(probe.cgroup()->version, 1);
    const auto path = cgroups.substr(v1_line + 8, cgroups.find('\n', v1_line) - v1_line - 8);
    EXPECT_TRUE(probe.cgroup()->dir.ends_with(path == "/" ? "memory" : path)) << probe.cgroup()->dir;
    const auto reading = probe.read();
    ASSERT_TRUE(reading.cgroup_usage_bytes.has_value());
    EXPECT_GT(*reading.cgroup_usage_bytes, 0u);
    const auto raw_usage = std::stoull(slurp(probe.cgroup()->dir + "/memory.usage_in_bytes"));
    EXPECT_LE(*reading.cgroup_usage_bytes, raw_usage + 64 * MiB);
    const auto raw_limit = std::stoull(slurp(probe.cgroup()->dir + "/memory.limit_in_bytes"));
    if (raw_limit >= (std::uint64_t{1} << 62)) {
      EXPECT_FALSE(reading.cgroup_limit_bytes.has_value() &&
                   reading.limit_source.find(probe.cgroup()->dir) != std::string::npos);
    } else {
      EXPECT_LE(*reading.cgroup_limit_bytes, raw_limit);
    }
  } else if (probe.cgroup()) {
    EXPECT_EQ(probe.cgroup()->version, 2);
  }
}

TEST(MemoryProbeOnThisMachine, ReadsPressureWhereTheKernelHasPsi) {
  if (!std::filesystem::exists("/proc/pressure/memory")) {
    GTEST_SKIP() << "no /proc/pressure/memory on this kernel";
  }
  const auto reading = MemoryProbe().read();
  ASSERT_TRUE(reading.pressure_some_avg10.has_value());
  EXPECT_GE(*reading.pressure_some_avg10, 0.0);
  ASSERT_TRUE(reading.pressure_full_avg10.has_value());
}

TEST(MemoryProbeOnThisMachine, BudgetIsTheLimitWhenTheCgroupHasNone) {
  const auto reading = MemoryProbe({"/", 64 * 1024 * MiB}).read();
  ASSERT_TRUE(reading.limit_bytes.has_value());
  EXPECT_LE(*reading.limit_bytes, 64 * 1024 * MiB);
  EXPECT_GT(reading.used_bytes, 0u);
}

} // namespace
} // namespace spawnguard

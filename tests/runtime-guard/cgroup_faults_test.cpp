// The sampler under cgroup and /proc faults, on a copy of the v2 fixture
// (fixtures/cgroup/v2) that the test changes while the sampler runs on its
// own timer: the limit changes, the cgroup's files vanish, /proc/self/statm
// vanishes. Each time the sampler keeps sampling and its reading says what
// it could not read; when the files come back, so do the figures.
#include "spawnguard/guard.hpp"

#include "prometheus_page.hpp"
#include "test_support.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace spawnguard {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::uint64_t MiB = 1024 * 1024;

class CgroupFaults : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::path(SPAWNGUARD_TEST_SCRATCH_DIR) /
            ("cgroup-faults-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::copy(SPAWNGUARD_FIXTURES_DIR "/cgroup/v2", root_, fs::copy_options::recursive);
    Config config = test::quiet_config();
    config.proc_root = root_.string();
    config.sample_period = 10ms;
    config.pressure_trigger.reset(); // the fixture's PSI file is a plain file
    guard_ = std::make_unique<Guard>(config);
    guard_->start_sampler(io_.get_executor());
  }
  void TearDown() override {
    guard_->stop_sampler();
    io_.restart();
    io_.run();
    fs::remove_all(root_);
  }

  // Changes statm's resident page count, lets the sampler run for a few
  // periods and returns its newest reading, which must show the new count:
  // the sampler kept sampling.
  MemoryReading sampled() {
    ++stamp_;
    write("proc/self/statm", "5000 " + std::to_string(2048 + stamp_) + " 600 10 0 900 0\n");
    io_.restart();
    io_.run_for(100ms);
    const MemoryReading reading = *guard_->last_reading();
    EXPECT_EQ(reading.rss_bytes, pages(2048 + stamp_)) << "no sample since statm changed";
    return reading;
  }
  static std::uint64_t pages(int count) {
    return static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  }

  fs::path cgroup_dir() const { return root_ / "sys/fs/cgroup/system.slice/slow-query.service"; }
  void write(const fs::path &relative, const std::string &text) {
    std::ofstream(root_ / relative) << text;
  }
  static bool mentions(const MemoryReading &reading, const std::string &text) {
    for (const auto &problem : reading.problems) {
      if (problem.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  fs::path root_;
  boost::asio::io_context io_;
  std::unique_ptr<Guard> guard_;
  int stamp_ = 0;
};

TEST_F(CgroupFaults, ALimitChangedAtRunTimeIsTheNextSamplesLimit) {
  EXPECT_EQ(sampled().limit_bytes, 1024 * MiB);
  write(cgroup_dir() / "memory.max", "536870912\n");
  const MemoryReading lowered = sampled();
  EXPECT_EQ(lowered.limit_bytes, 512 * MiB);
  EXPECT_GT(*lowered.used_fraction(), 1.0); // 800 MiB in use: over the new limit
  write(cgroup_dir() / "memory.max", "max\n");
  const MemoryReading lifted = sampled();
  EXPECT_FALSE(lifted.limit_bytes.has_value()) << lifted.limit_source;
}

TEST_F(CgroupFaults, VanishedCgroupFilesAreNamedAndTheSamplerKeepsRunning) {
  ASSERT_EQ(sampled().limit_bytes, 1024 * MiB);
  fs::remove(cgroup_dir() / "memory.current");
  fs::remove(cgroup_dir() / "memory.max");
  const MemoryReading lost = sampled();
  EXPECT_TRUE(mentions(lost, "cannot read " + (cgroup_dir() / "memory.current").string()));
  EXPECT_TRUE(mentions(lost, "cannot read " + (cgroup_dir() / "memory.max").string()));
  EXPECT_FALSE(lost.limit_bytes.has_value());
  EXPECT_EQ(lost.limit_source, "none");
  write(cgroup_dir() / "memory.current", "805306368\n");
  write(cgroup_dir() / "memory.max", "1073741824\n");
  const MemoryReading back = sampled();
  EXPECT_EQ(back.limit_bytes, 1024 * MiB);
  EXPECT_TRUE(back.problems.empty()) << back.problems.front();
}

// What the sinks hear of the sampler's problems.
class ProblemRecorder : public AlertSink {
public:
  void publish(const Alert &) override {}
  void sample_problems_changed(const SampleProblems &change) override {
    std::lock_guard lock(mutex_);
    changes_.push_back(change);
  }
  std::vector<SampleProblems> changes() {
    std::lock_guard lock(mutex_);
    return changes_;
  }

private:
  std::mutex mutex_;
  std::vector<SampleProblems> changes_;
};

// The page's value of a metric without labels.
std::string metric(const Guard &guard, const std::string &name) {
  return test::parse_prometheus(guard.prometheus_text())[name][""];
}

TEST_F(CgroupFaults, LostFiguresAreLoggedOnceAndExportedUntilTheyReturn) {
  auto recorder = std::make_shared<ProblemRecorder>();
  guard_->add_sink(recorder);
  sampled();
  EXPECT_TRUE(recorder->changes().empty()) << format_sample_problems_line(recorder->changes().front());
  EXPECT_EQ(metric(*guard_, "spawnguard_memory_sample_problems"), "0");

  fs::remove(cgroup_dir() / "memory.max");
  sampled();
  sampled(); // several samples with the file gone: one report
  const std::string gone = "cannot read " + (cgroup_dir() / "memory.max").string();
  auto changes = recorder->changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(format_sample_problems_line(changes[0]),
            "spawnguard: memory sample incomplete: [" + gone + "]");
  EXPECT_EQ(metric(*guard_, "spawnguard_memory_sample_problems"), "1");
  EXPECT_NE(format_sample_problems_json(changes[0]).find("\"sample_problems\":[\"" + gone + "\"]"),
            std::string::npos)
      << format_sample_problems_json(changes[0]);

  write(cgroup_dir() / "memory.max", "1073741824\n");
  sampled();
  changes = recorder->changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(format_sample_problems_line(changes[1]),
            "spawnguard: memory sample complete again (was: [" + gone + "])");
  EXPECT_EQ(metric(*guard_, "spawnguard_memory_sample_problems"), "0");
}

TEST_F(CgroupFaults, TheWholeCgroupFolderGoneIsNamedAndTheSamplerKeepsRunning) {
  ASSERT_EQ(sampled().limit_bytes, 1024 * MiB);
  fs::remove_all(root_ / "sys");
  const MemoryReading lost = sampled();
  EXPECT_TRUE(mentions(lost, "cannot read " + (cgroup_dir() / "memory.current").string()));
  EXPECT_FALSE(lost.limit_bytes.has_value());
  EXPECT_GT(lost.rss_bytes, 0u); // RSS still measured from statm
}

TEST_F(CgroupFaults, UnreadableProcStatmIsNamedAndTheCgroupFiguresStay) {
  ASSERT_GT(sampled().rss_bytes, 0u);
  io_.restart();
  fs::remove(root_ / "proc/self/statm");
  io_.run_for(100ms);
  const MemoryReading lost = *guard_->last_reading();
  EXPECT_TRUE(mentions(lost, "cannot read /proc/self/statm: RSS reads 0"));
  EXPECT_EQ(lost.rss_bytes, 0u);
  EXPECT_EQ(lost.limit_bytes, 1024 * MiB); // the cgroup's usage and limit are still read
  EXPECT_TRUE(sampled().problems.empty()); // statm back: RSS read again
}

} // namespace
} // namespace spawnguard

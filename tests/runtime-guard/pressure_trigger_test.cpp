// PSI triggers: the sampler registers a trigger on the memory pressure file
// and samples as soon as the kernel signals a stall; where it cannot (no PSI
// file, not a kernel file, refused), it says why and polls.
#include "spawnguard/spawnguard.hpp"

#include "test_support.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace spawnguard {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class SamplerStarts : public AlertSink {
public:
  void publish(const Alert &) override {}
  void sampler_started(const SamplerStart &start) override { starts.push_back(start); }
  std::vector<SamplerStart> starts;
};

// A scratch directory standing for "/": tests put fake /proc files in it.
class ScratchRoot {
public:
  ScratchRoot() : path_(fs::temp_directory_path() / fmt::format("sg-psi-{}", ::getpid())) {
    fs::create_directories(path_ / "proc/pressure");
  }
  ~ScratchRoot() { fs::remove_all(path_); }
  const fs::path &path() const { return path_; }

private:
  fs::path path_;
};

PressureTriggerStatus start_with_root(const fs::path &root, SamplerStarts &sink) {
  Config config = test::quiet_config();
  config.proc_root = root.string();
  Guard guard(config);
  guard.add_sink(std::shared_ptr<AlertSink>(&sink, [](AlertSink *) {}));
  boost::asio::io_context io;
  guard.start_sampler(io.get_executor());
  auto status = guard.pressure_trigger();
  guard.stop_sampler();
  return status.value_or(PressureTriggerStatus{});
}

TEST(PressureTrigger, WithoutAPsiFileTheSamplerPollsAndSaysWhy) {
  ScratchRoot root;
  SamplerStarts sink;
  const auto status = start_with_root(root.path(), sink);
  EXPECT_FALSE(status.armed);
  EXPECT_NE(status.note.find("cannot open"), std::string::npos) << status.note;
  EXPECT_NE(status.note.find("proc/pressure/memory"), std::string::npos) << status.note;
  ASSERT_EQ(sink.starts.size(), 1u);
  const auto line = format_sampler_start_line(sink.starts[0]);
  EXPECT_NE(line.find("spawnguard: sampler every 100ms, polling only: cannot open"),
            std::string::npos)
      << line;
}

TEST(PressureTrigger, ARegularFileIsNotTakenForAPsiFile) {
  ScratchRoot root;
  std::ofstream(root.path() / "proc/pressure/memory")
      << "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
  SamplerStarts sink;
  const auto status = start_with_root(root.path(), sink);
  EXPECT_FALSE(status.armed);
  EXPECT_NE(status.note.find("is not a kernel PSI file"), std::string::npos) << status.note;
}

TEST(PressureTrigger, TurnedOffItIsReportedOff) {
  Config config = test::quiet_config();
  config.pressure_trigger.reset();
  Guard guard(config);
  boost::asio::io_context io;
  guard.start_sampler(io.get_executor());
  ASSERT_TRUE(guard.pressure_trigger().has_value());
  EXPECT_FALSE(guard.pressure_trigger()->armed);
  EXPECT_NE(guard.pressure_trigger()->note.find("off"), std::string::npos);
  guard.stop_sampler(); // before its io_context goes
}

TEST(PressureTrigger, TheEnvironmentSetsOrTurnsOffTheTrigger) {
  auto with = [](const char *value) {
    return Config::from_environment(Config{}, [value](const char *name) -> std::optional<std::string> {
      if (std::string_view(name) == "SPAWNGUARD_PSI_TRIGGER") {
        return value;
      }
      return std::nullopt;
    });
  };
  const auto full = with("full 100ms 2s").pressure_trigger;
  ASSERT_TRUE(full.has_value());
  EXPECT_TRUE(full->full);
  EXPECT_EQ(full->threshold, 100ms);
  EXPECT_EQ(full->window, 2s);
  EXPECT_FALSE(with("off").pressure_trigger.has_value());
  for (const char *bad : {"some 2s 1s", "some 100ms 20s", "half 100ms 1s", "some 100ms"}) {
    try {
      with(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError &e) {
      EXPECT_NE(std::string(e.what()).find("SPAWNGUARD_PSI_TRIGGER='"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("window from 500ms to 10s"), std::string::npos);
    }
  }
}

// A memory cgroup this test may make, with a limit: v1 under
// /sys/fs/cgroup/memory, or v2 where the root delegates the memory controller.
struct StallCgroup {
  fs::path dir;
  std::string limit_file;
};

std::optional<StallCgroup> make_stall_cgroup(std::string &why) {
  const auto name = fmt::format("spawnguard-psi-test-{}", ::getpid());
  if (fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
    return StallCgroup{fs::path("/sys/fs/cgroup/memory") / name, "memory.limit_in_bytes"};
  }
  std::ifstream controllers("/sys/fs/cgroup/cgroup.subtree_control");
  std::string text((std::istreambuf_iterator<char>(controllers)), {});
  if (text.find("memory") != std::string::npos) {
    return StallCgroup{fs::path("/sys/fs/cgroup") / name, "memory.max"};
  }
  why = "no memory cgroup to make a child in (v1 /sys/fs/cgroup/memory, or v2 with memory in "
        "/sys/fs/cgroup/cgroup.subtree_control)";
  return std::nullopt;
}

// A file four times the cgroup's limit, out of the page cache: a child
// reading it through a mapping in the cgroup stalls in reclaim and refaults.
constexpr std::size_t stall_limit = 32u << 20;

bool write_cold_file(const fs::path &file) {
  const int fd = ::open(file.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  if (fd < 0) {
    return false;
  }
  std::vector<char> block(1 << 20, 'p');
  bool ok = true;
  for (std::size_t i = 0; ok && i < 4 * stall_limit / block.size(); ++i) {
    ok = ::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size());
  }
  ok = ok && ::fsync(fd) == 0 && ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
  ::close(fd);
  return ok;
}

// In the child (forked from a threaded process: system calls only): join
// the cgroup ("0" is the writer), then read the file page by page until killed.
[[noreturn]] void stall_in(const char *procs, const char *file) {
  const int procs_fd = ::open(procs, O_WRONLY);
  if (procs_fd < 0 || ::write(procs_fd, "0", 1) != 1) {
    ::_exit(3);
  }
  ::close(procs_fd);
  const int fd = ::open(file, O_RDONLY);
  const std::size_t size = 4 * stall_limit;
  void *map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (fd < 0 || map == MAP_FAILED) {
    ::_exit(4);
  }
  const auto *bytes = static_cast<const volatile char *>(map);
  for (;;) {
    for (std::size_t at = 0; at < size; at += 4096) {
      (void)bytes[at];
    }
  }
}

TEST(PressureTrigger, ARealMemoryStallWakesTheSampler) {
  if (!fs::exists("/proc/pressure/memory")) {
    GTEST_SKIP() << "no /proc/pressure/memory: the kernel has no PSI (CONFIG_PSI, psi=1)";
  }
  Config config = test::quiet_config();
  config.sample_period = 1min; // only the trigger can take a sample during the test
  config.forecast_window = 1h;
  Guard guard(config);
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread runner([&io] { io.run(); });
  guard.start_sampler(io.get_executor());
  const auto status = guard.pressure_trigger().value_or(PressureTriggerStatus{});
  auto finish = [&] {
    guard.stop_sampler();
    work.reset();
    runner.join();
  };
  if (!status.armed) {
    finish();
    GTEST_SKIP() << "no PSI trigger on this machine: " << status.note;
  }
  std::string why;
  auto cgroup = make_stall_cgroup(why);
  std::error_code ec;
  if (cgroup && !fs::create_directory(cgroup->dir, ec)) {
    why = fmt::format("cannot make {}: {}", cgroup->dir.string(), ec.message());
    cgroup.reset();
  }
  if (cgroup) {
    std::ofstream(cgroup->dir / cgroup->limit_file) << stall_limit;
  }
  const auto file = fs::path(SPAWNGUARD_TEST_SCRATCH_DIR) / "psi-stall.bin";
  if (!cgroup || !write_cold_file(file)) {
    finish();
    if (cgroup) {
      fs::remove(cgroup->dir, ec);
    }
    GTEST_SKIP() << (cgroup ? "cannot write the stall file " + file.string() : why);
  }

  const auto procs = (cgroup->dir / "cgroup.procs").string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    stall_in(procs.c_str(), file.c_str());
  }
  // Generous: the kernel reports within one window of a stall; this bound
  // is for a broken trigger, not a measure of speed.
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (guard.pressure_trigger()->fires == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(50ms);
  }
  ::kill(child, SIGKILL);
  int child_status = 0;
  ::waitpid(child, &child_status, 0);
  const auto fires = guard.pressure_trigger()->fires;
  const bool sampled = guard.last_reading().has_value();
  finish();
  fs::remove(file, ec);
  for (int attempt = 0; attempt < 50 && fs::exists(cgroup->dir); ++attempt) {
    if (::rmdir(cgroup->dir.c_str()) != 0) {
      std::this_thread::sleep_for(20ms);
    }
  }
  EXPECT_TRUE(WIFSIGNALED(child_status)) << "the stalling child exited with "
                                         << WEXITSTATUS(child_status);
  EXPECT_GE(fires, 1u) << "trigger '" << status.trigger << "' on " << status.file
                       << " never fired";
  EXPECT_TRUE(sampled) << "the trigger fired but no sample was taken";
}

} // namespace
} // namespace spawnguard

// Cancellation at critical: a site marked cancellable has its oldest live
// tasks cancelled through Asio's per-operation cancellation, oldest first,
// while the guard is critical; each step is a line to the sinks and a
// counter, and the cancelled tasks end, freeing what they held.
#include "spawnguard/spawnguard.hpp"

#include "test_asio.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <vector>

namespace spawnguard {
namespace {

using namespace std::chrono_literals;
namespace asio = test::asio;
using test::memory;

// Memory a task holds until it ends, counted so that the test sees it freed.
class Ballast {
public:
  static constexpr std::size_t size = 1 << 20;
  Ballast() : bytes_(size, 'x') { held += size; }
  ~Ballast() { held -= size; }
  Ballast(const Ballast &) = delete;
  Ballast &operator=(const Ballast &) = delete;
  static inline std::atomic<std::size_t> held{0};

private:
  std::vector<char> bytes_;
};

// Holds a ballast and waits for a timer that never fires; records how the
// wait ended.
asio::awaitable<void> hold_memory(int id, std::map<int, error_code> &ended) {
  Ballast ballast;
  asio::steady_timer never(co_await asio::this_coro::executor, 24h);
  try {
    co_await never.async_wait(asio::use_awaitable);
    ended[id] = {};
  } catch (const test::system_error &e) {
    ended[id] = e.code();
  }
}

class RecordingCancellations : public AlertSink {
public:
  void publish(const Alert &) override {}
  void tasks_cancelled(const Cancellation &c) override { seen.push_back(c); }
  std::vector<Cancellation> seen;
};

class CancellationTest : public ::testing::Test {
protected:
  CancellationTest() {
    guard.add_sink(sink);
    detail::hold_ticker(); // distinct start times, so "oldest" is exact
  }
  ~CancellationTest() override { detail::release_ticker(); }
  static Config config() {
    Config c = test::quiet_config();
    c.cancel_fraction = 0.25;
    c.clear_samples = 1;
    return c;
  }
  // Eight tasks 10 ms apart: task 0 is the oldest.
  void spawn_tasks(Site site, int count = 8) {
    for (int id = 0; id < count; ++id) {
      spawnguard::co_spawn(site, io, hold_memory(id, ended), asio::detached);
      detail::advance_held_ticker(10);
    }
    io.poll();
  }
  Alert sample(std::uint64_t used) {
    at += 1h;
    auto alert = guard.sample_now(memory(used), at);
    io.poll();
    return alert;
  }

  Guard guard{config()};
  std::shared_ptr<RecordingCancellations> sink = std::make_shared<RecordingCancellations>();
  std::map<int, error_code> ended;
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now();
  asio::io_context io; // destroyed first: its tasks end before the guard
};

TEST_F(CancellationTest, AtCriticalTheOldestTasksOfACancellableSiteAreCancelledFirst) {
  auto site = guard.site("cancel-me");
  site.set_cancellable(true);
  spawn_tasks(site);
  const auto held_before = Ballast::held.load();
  ASSERT_EQ(site.live(), 8);

  ASSERT_EQ(sample(950).level, AlertLevel::critical); // a quarter of 8: the two oldest
  EXPECT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0], asio::error::operation_aborted);
  EXPECT_EQ(ended[1], asio::error::operation_aborted);
  EXPECT_EQ(site.live(), 6);
  EXPECT_EQ(Ballast::held.load(), held_before - 2 * Ballast::size); // their memory is freed

  sample(950); // still critical: a quarter of 6, rounded up, the next oldest
  EXPECT_EQ(ended.size(), 4u);
  EXPECT_TRUE(ended.contains(2) && ended.contains(3));
  EXPECT_EQ(site.live(), 4);
  EXPECT_EQ(site.stats().cancelled, 4u);

  sample(100); // the level drops: nothing more is cancelled
  sample(100);
  EXPECT_EQ(site.live(), 4);
  EXPECT_EQ(ended.size(), 4u);

  ASSERT_EQ(sink->seen.size(), 2u);
  EXPECT_EQ(sink->seen[0].site, "cancel-me");
  EXPECT_EQ(sink->seen[0].tasks, 2u);
  EXPECT_EQ(sink->seen[0].live, 8);
  EXPECT_EQ(sink->seen[0].oldest_age, 80ms);
  EXPECT_EQ(sink->seen[1].total, 4u);
  EXPECT_FALSE(sink->seen[0].reasons.empty());
  EXPECT_NE(guard.prometheus_text().find("spawnguard_tasks_cancelled_total{site=\"cancel-me\"} 4"),
            std::string::npos);
  const auto line = format_cancellation_line(sink->seen[0]);
  EXPECT_NE(line.find("spawnguard: cancelled site=cancel-me tasks=2 live=8 oldest=0.1s total=2"),
            std::string::npos)
      << line;
}

TEST_F(CancellationTest, SitesNotMarkedCancellableKeepTheirTasks) {
  auto kept = guard.site("kept");
  spawn_tasks(kept, 4);
  sample(950);
  sample(950);
  EXPECT_EQ(kept.live(), 4);
  EXPECT_TRUE(ended.empty());
  EXPECT_TRUE(sink->seen.empty());
}

TEST_F(CancellationTest, ACancellableSiteFromTheEnvironmentIsCancelledToo) {
  Config c = Config::from_environment(config(), [](const char *name) -> std::optional<std::string> {
    if (std::string_view(name) == "SPAWNGUARD_CANCELLABLE") {
      return "from-env";
    }
    return std::nullopt;
  });
  Guard configured(c);
  auto site = configured.site("from-env");
  EXPECT_TRUE(site.stats().cancellable);
  asio::io_context local;
  spawnguard::co_spawn(site, local, hold_memory(0, ended), asio::detached);
  local.poll();
  at += 1h;
  configured.sample_now(memory(950), at);
  local.poll();
  EXPECT_EQ(ended[0], asio::error::operation_aborted);
}

TEST_F(CancellationTest, TheCallersOwnCancellationStillReachesACancellableTask) {
  auto site = guard.site("cancel-me");
  site.set_cancellable(true);
  asio::cancellation_signal callers;
  spawnguard::co_spawn(site, io, hold_memory(7, ended),
                       asio::bind_cancellation_slot(callers.slot(), asio::detached));
  io.poll();
  callers.emit(asio::cancellation_type::terminal);
  io.poll();
  EXPECT_EQ(ended[7], asio::error::operation_aborted);
  EXPECT_EQ(site.live(), 0);
}

} // namespace
} // namespace spawnguard

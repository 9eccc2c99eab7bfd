// Site limits: reject, wait (with its timeout and maximum of waiters) and
// observe; admissions; shedding of sheddable sites at critical.
#include "spawnguard/spawnguard.hpp"

#include "test_asio.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace spawnguard {
namespace {

namespace asio = test::asio;
using namespace std::chrono_literals;

Config quiet() { return test::quiet_config(); }

using test::parked;

// What a co_spawn completion saw: nothing, or the refusal's code.
struct Outcome {
  bool completed = false;
  error_code refusal;
  std::string site;
};

auto record(Outcome &out) {
  return [&out](std::exception_ptr e) {
    out.completed = true;
    try {
      if (e) {
        std::rethrow_exception(e);
      }
    } catch (const SpawnRejected &rejected) {
      out.refusal = rejected.code();
      out.site = rejected.site();
    }
  };
}

class SiteLimitTest : public ::testing::Test {
protected:
  Guard guard{quiet()};
  asio::io_context io;
  asio::steady_timer gate{io, asio::steady_timer::time_point::max()};
};

TEST_F(SiteLimitTest, RejectsSpawnWhenSiteIsFull) {
  auto site = guard.site("limited");
  site.set_limit({.max_live = 2, .policy = LimitPolicy::reject});
  Outcome a, b, c;
  co_spawn(site, io, parked(gate), record(a));
  co_spawn(site, io, parked(gate), record(b));
  co_spawn(site, io, parked(gate), record(c));
  io.poll();
  EXPECT_TRUE(c.completed);
  EXPECT_EQ(c.refusal, make_error_code(errc::limit_reached));
  EXPECT_EQ(c.site, "limited");
  EXPECT_EQ(site.live(), 2);
  EXPECT_EQ(site.stats().rejected, 1u);
  gate.cancel();
  io.run();
  EXPECT_FALSE(a.refusal);
  EXPECT_FALSE(b.refusal);
  EXPECT_EQ(site.stats().spawned, 2u);
}

TEST_F(SiteLimitTest, RejectedSpawnThrowsIntoAnAwaitingCoroutine) {
  auto site = guard.site("limited");
  site.set_limit({.max_live = 0, .policy = LimitPolicy::reject});
  bool rejected = false;
  asio::co_spawn(io,
                 [&]() -> asio::awaitable<void> {
                   try {
                     co_await co_spawn(site, io, parked(gate), asio::use_awaitable);
                   } catch (const SpawnRejected &) {
                     rejected = true;
                   }
                 },
                 asio::detached);
  io.run();
  EXPECT_TRUE(rejected);
}

TEST_F(SiteLimitTest, SlotFreesWhenATaskEnds) {
  auto site = guard.site("limited");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::reject});
  Outcome first, second;
  co_spawn(site, io, []() -> asio::awaitable<void> { co_return; }, record(first));
  io.run();
  io.restart();
  co_spawn(site, io, []() -> asio::awaitable<void> { co_return; }, record(second));
  io.run();
  EXPECT_FALSE(second.refusal);
  EXPECT_EQ(site.stats().rejected, 0u);
}

TEST_F(SiteLimitTest, WaitPolicyStartsTheSpawnWhenASlotFrees) {
  auto site = guard.site("queued");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::wait, .wait_timeout = 5s});
  asio::steady_timer short_gate(io, 10ms);
  Outcome first, second;
  co_spawn(site, io, parked(short_gate), record(first));
  co_spawn(site, io, []() -> asio::awaitable<void> { co_return; }, record(second));
  io.poll();
  EXPECT_EQ(site.live(), 1);
  EXPECT_EQ(site.stats().spawned, 1u);
  io.run();
  EXPECT_FALSE(second.refusal);
  EXPECT_TRUE(second.completed);
  EXPECT_EQ(site.stats().spawned, 2u);
  EXPECT_EQ(site.stats().rejected, 0u);
}

TEST_F(SiteLimitTest, WaitPolicyGivesUpAfterTheTimeout) {
  auto site = guard.site("queued");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::wait, .wait_timeout = 20ms});
  Outcome held, waited;
  co_spawn(site, io, parked(gate), record(held));
  co_spawn(site, io, parked(gate), record(waited));
  asio::steady_timer stop(io, 200ms);
  stop.async_wait([&](auto) { gate.cancel(); });
  io.run();
  EXPECT_EQ(waited.refusal, make_error_code(errc::wait_timeout));
  EXPECT_EQ(site.stats().rejected, 1u);
  EXPECT_EQ(site.stats().spawned, 1u);
}

TEST_F(SiteLimitTest, WaitPolicyRefusesBeyondTheMaximumOfWaiters) {
  auto site = guard.site("queued");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::wait, .max_waiters = 2, .wait_timeout = 5s});
  Outcome running, w1, w2, w3;
  auto quick = []() -> asio::awaitable<void> { co_return; };
  co_spawn(site, io, parked(gate), record(running));
  co_spawn(site, io, quick, record(w1));
  co_spawn(site, io, quick, record(w2));
  co_spawn(site, io, quick, record(w3));
  io.poll();
  EXPECT_EQ(w3.refusal, make_error_code(errc::too_many_waiters));
  EXPECT_FALSE(w1.completed);
  EXPECT_EQ(site.state().semaphore().waiting(), 2u);
  gate.cancel(); // lets the running task end; each waiter then runs in turn
  io.run();
  EXPECT_FALSE(w1.refusal);
  EXPECT_FALSE(w2.refusal);
  EXPECT_EQ(site.stats().spawned, 3u);
}

TEST_F(SiteLimitTest, ObservePolicyNeverRefuses) {
  auto site = guard.site("observed");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::observe});
  Outcome a, b;
  co_spawn(site, io, parked(gate), record(a));
  co_spawn(site, io, parked(gate), record(b));
  io.poll();
  EXPECT_EQ(site.live(), 2);
  gate.cancel();
  io.run();
  EXPECT_FALSE(b.refusal);
}

TEST_F(SiteLimitTest, ObservePolicyOverItsLimitRaisesAWarning) {
  auto site = guard.site("observed");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::observe});
  co_spawn(site, io, parked(gate), asio::detached);
  co_spawn(site, io, parked(gate), asio::detached);
  io.poll();
  auto alert = guard.sample_now(MemoryReading{}, std::chrono::steady_clock::now());
  EXPECT_EQ(alert.level, AlertLevel::warn);
  ASSERT_FALSE(alert.reasons.empty());
  EXPECT_NE(alert.reasons.front().find("observed has 2 live tasks > 1"), std::string::npos);
  gate.cancel();
  io.run();
}

TEST_F(SiteLimitTest, AdmissionReservesASlotBeforeSpawning) {
  auto site = guard.site("admitted");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::reject});
  auto slot = site.try_admit();
  ASSERT_TRUE(slot);
  auto refused = site.try_admit();
  EXPECT_FALSE(refused);
  EXPECT_EQ(refused.error(), make_error_code(errc::limit_reached));
  Outcome out;
  co_spawn(std::move(slot), io, []() -> asio::awaitable<void> { co_return; }, record(out));
  io.run();
  EXPECT_FALSE(out.refusal);
  EXPECT_EQ(site.live(), 0);
  EXPECT_TRUE(site.try_admit()); // freed, and this one frees itself unused
  EXPECT_EQ(site.live(), 0);
}

TEST_F(SiteLimitTest, RefusedAdmissionCompletesTheSpawnWithTheRefusal) {
  auto site = guard.site("admitted");
  site.set_limit({.max_live = 0, .policy = LimitPolicy::reject});
  Outcome out;
  co_spawn(site.try_admit(), io, parked(gate), record(out));
  io.run();
  EXPECT_EQ(out.refusal, make_error_code(errc::limit_reached));
}

TEST_F(SiteLimitTest, RefusedPostThrowsSpawnRejected) {
  auto site = guard.site("posted");
  site.set_limit({.max_live = 0, .policy = LimitPolicy::reject});
  EXPECT_THROW(post(site, io, [] {}), SpawnRejected);
  EXPECT_EQ(site.stats().rejected, 1u);
}

TEST_F(SiteLimitTest, WaitPolicyPostRunsWhenASlotFrees) {
  auto site = guard.site("posted");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::wait, .wait_timeout = 5s});
  int runs = 0;
  post(site, io, [&] { ++runs; });
  post(site, io, [&] { ++runs; });
  io.run();
  EXPECT_EQ(runs, 2);
}

TEST(Shedding, SheddableSitesRefuseWhileCriticalAndAcceptAgainAfter) {
  Config config = quiet();
  config.shed_at_critical = true;
  config.clear_samples = 1;
  Guard guard(config);
  asio::io_context io;
  auto background = guard.site("background");
  background.set_sheddable(true);
  auto requests = guard.site("requests");

  MemoryReading full;
  full.limit_bytes = 1000;
  full.used_bytes = 950;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(guard.sample_now(full, t0).level, AlertLevel::critical);

  Outcome shed, kept;
  co_spawn(background, io, []() -> asio::awaitable<void> { co_return; }, record(shed));
  co_spawn(requests, io, []() -> asio::awaitable<void> { co_return; }, record(kept));
  io.run();
  EXPECT_EQ(shed.refusal, make_error_code(errc::shed));
  EXPECT_FALSE(kept.refusal);
  EXPECT_EQ(background.stats().rejected, 1u);

  MemoryReading calm;
  calm.limit_bytes = 1000;
  calm.used_bytes = 100;
  guard.sample_now(calm, t0 + 1s);
  EXPECT_EQ(guard.level(), AlertLevel::ok);
  EXPECT_TRUE(background.try_admit());
}

TEST(Shedding, ConfiguredSiteLimitsAndSheddableSitesApplyByLabel) {
  Config config = quiet();
  config.site_limits["db-query"] = SiteLimit{.max_live = 3, .policy = LimitPolicy::reject};
  config.sheddable_sites = {"audit"};
  Guard guard(config);
  auto db = guard.site("db-query");
  ASSERT_TRUE(db.limit().has_value());
  EXPECT_EQ(db.limit()->max_live, 3u);
  EXPECT_TRUE(guard.site("audit").stats().sheddable);
  EXPECT_FALSE(guard.site("other").stats().sheddable);
}

} // namespace
} // namespace spawnguard

// Exact counts under concurrency: an io_context run by two threads, a
// thread_pool, limits under contention, and readers (stats, dump, sampler)
// racing the spawn and finish paths.
#include "spawnguard/spawnguard.hpp"

#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

#ifndef SPAWNGUARD_TEST_SPAWNS
#define SPAWNGUARD_TEST_SPAWNS 1000000
#endif

namespace spawnguard {
namespace {

namespace asio = boost::asio;

Config quiet() { return test::quiet_config(); }

asio::awaitable<void> work(int n) {
  if (n % 97 == 0) {
    throw std::runtime_error("every 97th task fails");
  }
  co_return;
}

TEST(Concurrency, CountsAreExactAfterAMillionSpawnsOnTwoThreads) {
  constexpr int total = SPAWNGUARD_TEST_SPAWNS;
  constexpr int site_count = 4;
  Guard guard(quiet());
  std::array<Site, site_count> sites{guard.site("s0"), guard.site("s1"), guard.site("s2"),
                                     guard.site("s3")};
  asio::io_context io(2);
  auto keep_running = asio::make_work_guard(io);
  std::atomic<int> spawners_done{0};
  // Two spawners, one per thread, each spawning half of the tasks round-robin
  // over the sites, interleaved with the tasks finishing on both threads.
  for (int spawner = 0; spawner < 2; ++spawner) {
    asio::post(io, [&, spawner] {
      for (int i = spawner; i < total; i += 2) {
        co_spawn(sites[static_cast<std::size_t>(i % site_count)], io, work(i), asio::detached);
        if (i % 4096 == spawner) {
          std::this_thread::yield();
        }
      }
      if (++spawners_done == 2) {
        keep_running.reset();
      }
    });
  }
  std::thread second([&] { io.run(); });
  io.run();
  second.join();

  std::uint64_t spawned = 0;
  for (int s = 0; s < site_count; ++s) {
    const auto stats = sites[static_cast<std::size_t>(s)].stats();
    std::uint64_t expected = 0;
    std::uint64_t expected_failed = 0;
    for (int i = s; i < total; i += site_count) {
      ++expected;
      expected_failed += (i % 97 == 0) ? 1 : 0;
    }
    EXPECT_EQ(stats.spawned, expected) << stats.label;
    EXPECT_EQ(stats.failed, expected_failed) << stats.label;
    EXPECT_EQ(stats.finished, expected - expected_failed) << stats.label;
    EXPECT_EQ(stats.live, 0) << stats.label;
    spawned += stats.spawned;
  }
  EXPECT_EQ(spawned, static_cast<std::uint64_t>(total));
  EXPECT_EQ(guard.live_tasks(), 0);
}

TEST(Concurrency, ThreadPoolSpawnsWithReadersRacing) {
  Guard guard(quiet());
  auto site = guard.site("pool");
  constexpr int per_thread = 20000;
  asio::thread_pool pool(2);
  std::atomic<bool> stop_readers{false};
  std::thread reader([&] {
    while (!stop_readers) {
      (void)guard.stats();
      (void)guard.dump_json();
      (void)guard.prometheus_text();
      guard.sample_now();
    }
  });
  std::array<std::thread, 2> spawners;
  for (auto &spawner : spawners) {
    spawner = std::thread([&] {
      for (int i = 1; i <= per_thread; ++i) {
        co_spawn(site, pool, work(1), asio::detached);
        spawnguard::post(site, pool, [] {});
      }
    });
  }
  for (auto &spawner : spawners) {
    spawner.join();
  }
  pool.join();
  stop_readers = true;
  reader.join();
  const auto stats = site.stats();
  EXPECT_EQ(stats.spawned, 4u * per_thread);
  EXPECT_EQ(stats.finished, 4u * per_thread);
  EXPECT_EQ(stats.live, 0);
  EXPECT_GE(stats.peak_live, 0);
}

TEST(Concurrency, RejectLimitHoldsUnderContention) {
  Guard guard(quiet());
  auto site = guard.site("bounded");
  constexpr int limit = 8;
  site.set_limit({.max_live = limit, .policy = LimitPolicy::reject});
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> refused{0};
  asio::thread_pool pool(2);
  auto body = [&]() -> asio::awaitable<void> {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::yield();
    --running;
    co_return;
  };
  std::array<std::thread, 2> spawners;
  for (auto &spawner : spawners) {
    spawner = std::thread([&] {
      for (int i = 0; i < 5000; ++i) {
        co_spawn(site, pool, body, [&](std::exception_ptr e) {
          if (e) {
            ++refused;
          }
        });
      }
    });
  }
  for (auto &spawner : spawners) {
    spawner.join();
  }
  pool.join();
  const auto stats = site.stats();
  EXPECT_LE(most.load(), limit);
  EXPECT_EQ(stats.spawned + stats.rejected, 10000u);
  EXPECT_EQ(stats.rejected, static_cast<std::uint64_t>(refused.load()));
  EXPECT_EQ(site.state().semaphore().available(), limit);
}

TEST(Concurrency, WaitLimitRunsEverySpawnEventually) {
  Guard guard(quiet());
  auto site = guard.site("queued");
  site.set_limit({.max_live = 4,
                  .policy = LimitPolicy::wait,
                  .max_waiters = 100000,
                  .wait_timeout = std::chrono::seconds(60)});
  std::atomic<int> ran{0};
  asio::thread_pool pool(2);
  std::array<std::thread, 2> spawners;
  for (auto &spawner : spawners) {
    spawner = std::thread([&] {
      for (int i = 0; i < 2000; ++i) {
        co_spawn(site, pool, [&]() -> asio::awaitable<void> {
          ++ran;
          co_return;
        }, asio::detached);
      }
    });
  }
  for (auto &spawner : spawners) {
    spawner.join();
  }
  pool.join();
  EXPECT_EQ(ran.load(), 4000);
  EXPECT_EQ(site.stats().rejected, 0u);
  EXPECT_EQ(site.live(), 0);
}

TEST(Concurrency, SitesFromSourceLocationsAreCreatedOnceAcrossThreads) {
  Guard guard(quiet());
  std::array<std::thread, 2> threads;
  std::array<std::optional<Site>, 2> sites;
  for (std::size_t t = 0; t < threads.size(); ++t) {
    threads[t] = std::thread([&, t] {
      for (int i = 0; i < 1000; ++i) {
        sites[t] = guard.here();
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_TRUE(*sites[0] == *sites[1]);
  EXPECT_EQ(guard.stats().size(), 1u);
}

} // namespace
} // namespace spawnguard

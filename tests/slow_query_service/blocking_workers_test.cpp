// BlockingWorkers: calls run on the worker threads, their awaiters resume on
// the loop, and a cancelled await still waits for its call to return.
#include "database/blocking_workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace slow_query {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

TEST(BlockingWorkers, RunsCallsOnWorkerThreadsAndResumesOnTheLoop) {
  asio::io_context io(1);
  BlockingWorkers workers(io, 2);
  const auto loop_thread = std::this_thread::get_id();
  constexpr int kCalls = 200;
  int on_workers = 0, resumed_on_loop = 0;
  for (int i = 0; i < kCalls; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          std::atomic<bool> cancelled{false};
          std::thread::id ran_on;
          co_await workers.run([&] { ran_on = std::this_thread::get_id(); }, cancelled);
          on_workers += ran_on != loop_thread ? 1 : 0;
          resumed_on_loop += std::this_thread::get_id() == loop_thread ? 1 : 0;
        },
        asio::detached);
  }
  io.run(); // returns: no wait is left pending once every call has resumed
  EXPECT_EQ(on_workers, kCalls);
  EXPECT_EQ(resumed_on_loop, kCalls);
}

TEST(BlockingWorkers, CancelledAwaitSetsTheFlagAndResumesOnlyAfterTheCallReturns) {
  asio::io_context io(1);
  BlockingWorkers workers(io, 1);
  std::atomic<bool> cancelled{false};
  bool call_returned = false, saw_return_when_resumed = false, deadline_won = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer deadline(io, std::chrono::milliseconds(20));
        auto call = [&] {
          // Waits for the cancellation, as the SQLite progress handler does;
          // bounded so a broken cancellation fails the test instead of hanging.
          auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
          while (!cancelled && std::chrono::steady_clock::now() < give_up)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          call_returned = true;
        };
        auto first =
            co_await (workers.run(call, cancelled) || deadline.async_wait(asio::use_awaitable));
        deadline_won = first.index() == 1;
        saw_return_when_resumed = call_returned;
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(deadline_won);
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(saw_return_when_resumed);
}

// Shutdown: the call a thread is running is let return and its awaiter
// resumes; the calls behind it never run.
TEST(BlockingWorkers, AfterStopStartingOnlyTheRunningCallReturns) {
  asio::io_context io(1);
  BlockingWorkers workers(io, 1);
  constexpr int kCalls = 5;
  std::atomic<int> started{0};
  int resumed = 0;
  std::size_t running_at_stop = 0;
  for (int i = 0; i < kCalls; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          std::atomic<bool> cancelled{false};
          co_await workers.run(
              [&] {
                ++started;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
              },
              cancelled);
          ++resumed;
        },
        asio::detached);
  }
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer tick(io);
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (started == 0 && std::chrono::steady_clock::now() < give_up) {
          tick.expires_after(std::chrono::milliseconds(1));
          co_await tick.async_wait(asio::use_awaitable);
        }
        workers.stop_starting();
        running_at_stop = workers.running();
        while (workers.running() > 0 && std::chrono::steady_clock::now() < give_up) {
          tick.expires_after(std::chrono::milliseconds(1));
          co_await tick.async_wait(asio::use_awaitable);
        }
        // Long enough for two more calls, had the thread gone on.
        tick.expires_after(std::chrono::milliseconds(150));
        co_await tick.async_wait(asio::use_awaitable);
        io.stop();
      },
      asio::detached);
  io.run();
  EXPECT_EQ(running_at_stop, 1u);
  EXPECT_EQ(started, 1);
  EXPECT_EQ(resumed, 1);
  EXPECT_EQ(workers.running(), 0u);
}

} // namespace
} // namespace slow_query

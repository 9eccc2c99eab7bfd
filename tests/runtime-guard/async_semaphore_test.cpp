// AsyncSemaphore: RAII permits, a bounded wait queue, timeouts.
#include "spawnguard/async_semaphore.hpp"

#include "test_asio.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace spawnguard {
namespace {

namespace asio = test::asio;
using namespace std::chrono_literals;

TEST(AsyncSemaphore, TryAcquireGivesPermitsUntilNoneAreLeft) {
  AsyncSemaphore sem(2);
  auto a = sem.try_acquire();
  auto b = sem.try_acquire();
  EXPECT_TRUE(a && b);
  EXPECT_FALSE(sem.try_acquire());
  EXPECT_EQ(sem.available(), 0);
}

TEST(AsyncSemaphore, DestroyedPermitReturnsItsUnit) {
  AsyncSemaphore sem(1);
  {
    auto permit = sem.try_acquire();
    ASSERT_TRUE(permit);
    EXPECT_EQ(sem.available(), 0);
  }
  EXPECT_EQ(sem.available(), 1);
  auto again = sem.try_acquire();
  ASSERT_TRUE(again);
  again->release();
  EXPECT_EQ(sem.available(), 1);
}

TEST(AsyncSemaphore, WaiterGetsThePermitWhenOneIsReleased) {
  asio::io_context io;
  AsyncSemaphore sem(1);
  auto held = sem.try_acquire();
  bool granted = false;
  sem.async_acquire(io.get_executor(), [&](error_code ec, Permit permit) {
    granted = !ec && static_cast<bool>(permit);
  });
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  EXPECT_FALSE(granted);
  EXPECT_EQ(sem.waiting(), 1u);
  held.reset();
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  EXPECT_TRUE(granted);
  EXPECT_EQ(sem.waiting(), 0u);
  EXPECT_EQ(sem.available(), 1); // the waiter's permit was dropped after its handler
}

TEST(AsyncSemaphore, WaitersAreServedInArrivalOrder) {
  asio::io_context io;
  AsyncSemaphore sem(1);
  auto held = sem.try_acquire();
  std::vector<int> order;
  std::vector<Permit> kept;
  for (int i = 0; i < 3; ++i) {
    sem.async_acquire(io.get_executor(), [&, i](error_code, Permit permit) {
      order.push_back(i);
      kept.push_back(std::move(permit));
    });
  }
  held.reset();
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  ASSERT_EQ(order, std::vector<int>{0});
  kept.clear();
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  kept.clear();
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(AsyncSemaphore, WaitTimesOutWithWaitTimeout) {
  asio::io_context io;
  AsyncSemaphore sem(0);
  error_code result;
  sem.async_acquire(io.get_executor(), 20ms,
                    [&](error_code ec, Permit) { result = ec; });
  const auto start = std::chrono::steady_clock::now();
  io.run();
  EXPECT_EQ(result, make_error_code(errc::wait_timeout));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(sem.waiting(), 0u);
}

TEST(AsyncSemaphore, RefusesWaitersBeyondTheMaximum) {
  asio::io_context io;
  AsyncSemaphore sem(0, 1);
  error_code first = errc::shed;
  error_code second;
  sem.async_acquire(io.get_executor(), [&](error_code ec, Permit) { first = ec; });
  sem.async_acquire(io.get_executor(), [&](error_code ec, Permit) { second = ec; });
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  EXPECT_EQ(second, make_error_code(errc::too_many_waiters));
  EXPECT_EQ(first, make_error_code(errc::shed)); // still waiting
  sem.set_capacity(1);
  io.poll();
  io.restart(); // a poll() that runs out of work stops the context
  EXPECT_FALSE(first);
}

TEST(AsyncSemaphore, GrantedWaiterDoesNotTimeOutLater) {
  asio::io_context io;
  AsyncSemaphore sem(0);
  int calls = 0;
  error_code result = errc::shed;
  sem.async_acquire(io.get_executor(), 30ms, [&](error_code ec, Permit) {
    ++calls;
    result = ec;
  });
  sem.set_capacity(1);
  io.run(); // returns at once: the grant cancelled the timer
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(result);
}

TEST(AsyncSemaphore, WorksWithUseAwaitable) {
  asio::io_context io;
  AsyncSemaphore sem(1);
  int inside = 0;
  int most_inside = 0;
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(io,
                   [&]() -> asio::awaitable<void> {
                     auto ex = co_await asio::this_coro::executor;
                     auto permit = co_await sem.async_acquire(ex, 1s, asio::use_awaitable);
                     most_inside = std::max(most_inside, ++inside);
                     asio::steady_timer pause(ex, 1ms);
                     co_await pause.async_wait(asio::use_awaitable);
                     --inside;
                   },
                   asio::detached);
  }
  io.run();
  EXPECT_EQ(most_inside, 1);
  EXPECT_EQ(sem.available(), 1);
}

TEST(AsyncSemaphore, DestructionAbortsQueuedWaiters) {
  asio::io_context io;
  error_code result;
  {
    AsyncSemaphore sem(0);
    sem.async_acquire(io.get_executor(), 10s,
                      [&](error_code ec, Permit) { result = ec; });
  }
  io.run();
  EXPECT_EQ(result, asio::error::operation_aborted);
}

TEST(AsyncSemaphore, ShrinkingCapacityHoldsBackNewPermits) {
  AsyncSemaphore sem(2);
  auto a = sem.try_acquire();
  sem.set_capacity(1);
  EXPECT_FALSE(sem.try_acquire());
  a.reset();
  EXPECT_TRUE(sem.try_acquire());
  EXPECT_EQ(sem.capacity(), 1u);
}

} // namespace
} // namespace spawnguard

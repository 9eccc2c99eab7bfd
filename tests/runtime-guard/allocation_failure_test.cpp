// The spawn path when the heap has no block for a task's record: the spawn
// is refused with errc::out_of_memory (counted as rejected, any permit given
// back) instead of terminating the process from a noexcept function. This
// binary replaces the global operator new so that a test can make
// allocations of one size fail on its own thread.
#include "spawnguard/spawnguard.hpp"

#include "spawnguard/detail/cancel_point.hpp"
#include "spawnguard/detail/task_record.hpp"

#include "test_support.hpp"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <exception>
#include <new>
#include <thread>

namespace {

// Allocations of exactly this many bytes fail on this thread (0: none do).
thread_local std::size_t failing_size = 0;

void *allocate(std::size_t size) noexcept {
  if (failing_size != 0 && size == failing_size) {
    return nullptr;
  }
  return std::malloc(size == 0 ? 1 : size);
}

} // namespace

void *operator new(std::size_t size) {
  if (void *p = allocate(size)) {
    return p;
  }
  throw std::bad_alloc();
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept { return allocate(size); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }

namespace spawnguard {
namespace {

namespace asio = boost::asio;

asio::awaitable<int> answer() { co_return 42; }

// Runs `body` on a thread of its own: its record cache starts empty, so the
// guard has to reach the heap for a record.
template <typename Body> void on_fresh_thread(Body body) {
  std::thread(body).join();
}

// Makes allocations of `size` bytes fail while it lives.
struct FailingAllocations {
  explicit FailingAllocations(std::size_t size) { failing_size = size; }
  ~FailingAllocations() { failing_size = 0; }
  FailingAllocations(const FailingAllocations &) = delete;
  FailingAllocations &operator=(const FailingAllocations &) = delete;
};

error_code refusal_of(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const SpawnRejected &rejected) {
    return rejected.code();
  } catch (...) {
  }
  return {};
}

TEST(AllocationFailure, CoSpawnIsRefusedWithOutOfMemoryAndTheNextSpawnRuns) {
  Guard guard(test::quiet_config());
  auto site = guard.site("oom-co-spawn");
  on_fresh_thread([&] {
    asio::io_context io;
    std::exception_ptr first;
    bool first_done = false;
    {
      FailingAllocations failing(sizeof(detail::TaskRecord));
      spawnguard::co_spawn(site, io, answer(), [&](std::exception_ptr e, int) {
        first = e;
        first_done = true;
      });
    }
    int second = 0;
    spawnguard::co_spawn(site, io, answer(), [&](std::exception_ptr e, int value) {
      EXPECT_FALSE(e);
      second = value;
    });
    io.run();
    ASSERT_TRUE(first_done);
    EXPECT_EQ(refusal_of(first), make_error_code(errc::out_of_memory));
    EXPECT_EQ(second, 42);
  });
  const auto stats = site.stats();
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.spawned, 1u);
  EXPECT_EQ(stats.live, 0);
}

TEST(AllocationFailure, PostThrowsSpawnRejectedWithOutOfMemory) {
  Guard guard(test::quiet_config());
  auto site = guard.site("oom-post");
  on_fresh_thread([&] {
    asio::io_context io;
    bool ran = false;
    try {
      FailingAllocations failing(sizeof(detail::TaskRecord));
      spawnguard::post(site, io, [&] { ran = true; });
      ADD_FAILURE() << "post did not throw";
    } catch (const SpawnRejected &rejected) {
      EXPECT_EQ(rejected.code(), make_error_code(errc::out_of_memory));
      EXPECT_EQ(rejected.site(), "oom-post");
    }
    io.run();
    EXPECT_FALSE(ran);
  });
  EXPECT_EQ(site.stats().rejected, 1u);
}

TEST(AllocationFailure, ARefusedSpawnGivesItsLimitSlotBack) {
  Guard guard(test::quiet_config());
  auto site = guard.site("oom-limited");
  site.set_limit({.max_live = 1, .policy = LimitPolicy::reject});
  on_fresh_thread([&] {
    {
      FailingAllocations failing(sizeof(detail::TaskRecord));
      auto refused = site.try_admit();
      EXPECT_FALSE(refused);
      EXPECT_EQ(refused.error(), make_error_code(errc::out_of_memory));
    }
    // The one slot is free again: this admission gets it.
    auto admitted = site.try_admit();
    EXPECT_TRUE(admitted);
  });
  EXPECT_EQ(site.stats().rejected, 1u);
}

TEST(AllocationFailure, ACancellableSitesRecordFailingIsRefusedToo) {
  Guard guard(test::quiet_config());
  auto site = guard.site("oom-cancellable");
  site.set_cancellable(true);
  on_fresh_thread([&] {
    FailingAllocations failing(sizeof(detail::CancellableRecord));
    auto refused = site.try_admit();
    EXPECT_FALSE(refused);
    EXPECT_EQ(refused.error(), make_error_code(errc::out_of_memory));
  });
  EXPECT_EQ(site.stats().live, 0);
}

} // namespace
} // namespace spawnguard

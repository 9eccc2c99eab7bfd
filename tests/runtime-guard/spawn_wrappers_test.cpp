// spawnguard::co_spawn / post / dispatch / defer keep Asio's semantics —
// results, exceptions, completion tokens, executors — and count each task.
#include "spawnguard/spawnguard.hpp"

#include "test_asio.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace spawnguard {
namespace {

namespace asio = test::asio;

Config quiet() { return test::quiet_config(); }

asio::awaitable<int> answer() { co_return 42; }
asio::awaitable<void> nothing() { co_return; }
asio::awaitable<int> fails() {
  throw std::runtime_error("boom");
  co_return 0;
}

TEST(CoSpawn, DeliversTheResultToACallback) {
  Guard guard(quiet());
  asio::io_context io;
  int result = 0;
  std::exception_ptr error;
  co_spawn(guard.here(), io, answer(), [&](std::exception_ptr e, int value) {
    error = e;
    result = value;
  });
  io.run();
  EXPECT_EQ(result, 42);
  EXPECT_FALSE(error);
}

TEST(CoSpawn, CountsTheTaskWhileLiveAndAfterItEnds) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  co_spawn(site, io, nothing(), asio::detached);
  EXPECT_EQ(site.live(), 1);
  io.run();
  const auto stats = site.stats();
  EXPECT_EQ(stats.live, 0);
  EXPECT_EQ(stats.spawned, 1u);
  EXPECT_EQ(stats.finished, 1u);
  EXPECT_EQ(stats.failed, 0u);
}

TEST(CoSpawn, SiteIsTheCallersFileAndLineByDefault) {
  Guard guard(quiet());
  asio::io_context io;
  const auto line = __LINE__ + 1;
  co_spawn(guard.here(), io, nothing(), asio::detached);
  io.run();
  auto site = guard.find("tests/runtime-guard/spawn_wrappers_test.cpp:" + std::to_string(line));
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->stats().spawned, 1u);
}

TEST(CoSpawn, GlobalGuardOverloadCapturesTheCallSite) {
  asio::io_context io;
  const auto line = __LINE__ + 1;
  spawnguard::co_spawn(io.get_executor(), nothing(), asio::detached);
  io.run();
  auto site =
      Guard::global().find("tests/runtime-guard/spawn_wrappers_test.cpp:" + std::to_string(line));
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->stats().finished, 1u);
}

TEST(CoSpawn, PassesTheExceptionAndCountsAFailure) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.site("failing");
  std::string message;
  co_spawn(site, io, fails(), [&](std::exception_ptr e, int) {
    try {
      std::rethrow_exception(e);
    } catch (const std::runtime_error &caught) {
      message = caught.what();
    }
  });
  io.run();
  EXPECT_EQ(message, "boom");
  EXPECT_EQ(site.stats().failed, 1u);
  EXPECT_EQ(site.stats().finished, 0u);
}

TEST(CoSpawn, WorksWithUseFuture) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  auto value = co_spawn(site, io, answer(), asio::use_future);
  auto failure = co_spawn(site, io, fails(), asio::use_future);
  io.run();
  EXPECT_EQ(value.get(), 42);
  EXPECT_THROW(failure.get(), std::runtime_error);
  EXPECT_EQ(site.stats().spawned, 2u);
}

TEST(CoSpawn, WorksWithUseAwaitableFromAnotherCoroutine) {
  Guard guard(quiet());
  asio::io_context io;
  auto inner = guard.site("inner");
  int seen = 0;
  bool caught = false;
  co_spawn(guard.site("outer"), io,
           [&]() -> asio::awaitable<void> {
             auto ex = co_await asio::this_coro::executor;
             seen = co_await co_spawn(inner, ex, answer(), asio::use_awaitable);
             try {
               co_await co_spawn(inner, ex, fails(), asio::use_awaitable);
             } catch (const std::runtime_error &) {
               caught = true;
             }
           },
           asio::detached);
  io.run();
  EXPECT_EQ(seen, 42);
  EXPECT_TRUE(caught);
  EXPECT_EQ(inner.stats().spawned, 2u);
  EXPECT_EQ(inner.stats().failed, 1u);
}

TEST(CoSpawn, DeferredStartsOnlyWhenLaunched) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  auto op = co_spawn(site, io, answer(), test::deferred);
  EXPECT_EQ(site.stats().spawned, 0u);
  int result = 0;
  std::move(op)([&](std::exception_ptr, int value) { result = value; });
  io.run();
  EXPECT_EQ(result, 42);
  EXPECT_EQ(site.stats().spawned, 1u);
}

TEST(CoSpawn, WorksWithAsTuple) {
  Guard guard(quiet());
  asio::io_context io;
  int result = 0;
  co_spawn(guard.here(), io, answer(), test::as_tuple([&](std::tuple<std::exception_ptr, int> t) {
             result = std::get<1>(t);
           }));
  io.run();
  EXPECT_EQ(result, 42);
}

TEST(CoSpawn, FunctionOverloadRunsTheFunctionsCoroutine) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  int result = 0;
  co_spawn(site, io.get_executor(), [] { return answer(); },
           [&](std::exception_ptr, int value) { result = value; });
  io.run();
  EXPECT_EQ(result, 42);
  EXPECT_EQ(site.stats().finished, 1u);
}

TEST(CoSpawn, CompletionRunsOnTheHandlersAssociatedExecutor) {
  Guard guard(quiet());
  asio::io_context io;
  auto strand = asio::make_strand(io);
  bool on_strand = false;
  co_spawn(guard.here(), io, nothing(),
           asio::bind_executor(strand, [&](std::exception_ptr) {
             on_strand = strand.running_in_this_thread();
           }));
  io.run();
  EXPECT_TRUE(on_strand);
}

TEST(CoSpawn, TaskDestroyedUnrunStillEnds) {
  Guard guard(quiet());
  auto site = guard.here();
  {
    asio::io_context io;
    co_spawn(site, io, nothing(), asio::detached);
    EXPECT_EQ(site.live(), 1);
  } // never run
  EXPECT_EQ(site.live(), 0);
  EXPECT_EQ(site.stats().finished, 1u);
}

TEST(Post, RunsTheFunctionAndCountsIt) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  int runs = 0;
  post(site, io, [&] { ++runs; });
  dispatch(site, io.get_executor(), [&] { ++runs; });
  defer(site, io, [&] { ++runs; });
  EXPECT_EQ(site.live(), 3);
  io.run();
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(site.stats().finished, 3u);
}

TEST(Post, ExceptionLeavesRunAndCountsAFailure) {
  Guard guard(quiet());
  asio::io_context io;
  auto site = guard.here();
  post(site, io, [] { throw std::logic_error("posted"); });
  EXPECT_THROW(io.run(), std::logic_error);
  EXPECT_EQ(site.stats().failed, 1u);
}

TEST(Post, UseFutureTokenCompletesTheFuture) {
  Guard guard(quiet());
  asio::io_context io;
  auto done = post(guard.here(), io, asio::use_future);
  io.run();
  EXPECT_NO_THROW(done.get());
}

TEST(Post, GlobalOverloadCapturesTheCallSite) {
  asio::io_context io;
  const auto line = __LINE__ + 1;
  spawnguard::post(io, [] {});
  io.run();
  auto site =
      Guard::global().find("tests/runtime-guard/spawn_wrappers_test.cpp:" + std::to_string(line));
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->stats().finished, 1u);
}

} // namespace
} // namespace spawnguard

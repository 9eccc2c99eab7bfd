// spawnguard::testing: a test that leaves a task alive fails, naming the
// site and the task's age; one that cleans up passes.
#include "spawnguard/spawnguard.hpp"
#include "spawnguard/testing/leak_check.hpp"

#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace spawnguard {
namespace {

namespace asio = boost::asio;
using test::parked;

class LeakCheckTest : public ::testing::Test {
protected:
  void TearDown() override {
    io.restart();
    io.poll(); // every task reaches its gate
    gate.cancel();
    io.restart();
    io.run();
  }
  Guard guard{test::quiet_config()};
  asio::io_context io;
  asio::steady_timer gate{io, asio::steady_timer::time_point::max()};
};

TEST_F(LeakCheckTest, FailsATestThatLeavesATaskAliveNamingItsSite) {
  co_spawn(guard.site("fixtures/svc/audit.cpp:57"), io, parked(gate), asio::detached);
  io.poll();
  EXPECT_NONFATAL_FAILURE(testing::ExpectNoLiveTasks(guard),
                          "1 task(s) still live at fixtures/svc/audit.cpp:57 (ages 0.0");
}

TEST_F(LeakCheckTest, NamesEverySiteWithLiveTasks) {
  co_spawn(guard.site("a"), io, parked(gate), asio::detached);
  co_spawn(guard.site("b"), io, parked(gate), asio::detached);
  co_spawn(guard.site("b"), io, parked(gate), asio::detached);
  ::testing::TestPartResultArray failures;
  bool clean = true;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    clean = testing::ExpectNoLiveTasks(guard);
  }
  EXPECT_FALSE(clean);
  ASSERT_EQ(failures.size(), 2);
  EXPECT_NE(std::string(failures.GetTestPartResult(0).message()).find("1 task(s) still live at a"),
            std::string::npos);
  EXPECT_NE(std::string(failures.GetTestPartResult(1).message()).find("2 task(s) still live at b"),
            std::string::npos);
}

TEST_F(LeakCheckTest, PassesWhenEveryTaskEnded) {
  co_spawn(guard.here(), io, []() -> asio::awaitable<void> { co_return; }, asio::detached);
  io.run();
  EXPECT_TRUE(testing::ExpectNoLiveTasks(guard));
}

TEST_F(LeakCheckTest, LeakCheckFailsAtTheEndOfItsScope) {
  EXPECT_NONFATAL_FAILURE(
      {
        testing::LeakCheck leaks(guard);
        co_spawn(guard.site("forgotten"), io, parked(gate), asio::detached);
      },
      "1 task(s) still live at forgotten");
}

TEST_F(LeakCheckTest, LeakCheckIgnoresTasksThatWereLiveBeforeIt) {
  co_spawn(guard.site("background"), io, parked(gate), asio::detached);
  testing::LeakCheck leaks(guard);
  co_spawn(guard.site("request"), io, []() -> asio::awaitable<void> { co_return; }, asio::detached);
  io.poll();
  EXPECT_TRUE(leaks.Verify());
}

TEST_F(LeakCheckTest, LeakCheckSaysHowManyWereLiveBefore) {
  co_spawn(guard.site("pool"), io, parked(gate), asio::detached);
  testing::LeakCheck leaks(guard);
  co_spawn(guard.site("pool"), io, parked(gate), asio::detached);
  EXPECT_NONFATAL_FAILURE(leaks.Verify(), "1 task(s) still live at pool (ages");
  EXPECT_NONFATAL_FAILURE(leaks.Verify(), "1 were live before");
}

} // namespace
} // namespace spawnguard

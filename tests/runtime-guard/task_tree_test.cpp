// The task tree (Config::task_tree): a task spawned while a guarded task runs
// records it as parent, and the dump shows a session and what it fans out as
// one subtree with counts, in text and JSON; children of a parent that ended
// first stay together under an "ended" node.
#include "spawnguard/spawnguard.hpp"

#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <memory>
#include <thread>
#include <vector>

namespace spawnguard {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using test::parked;

Config tree_config() {
  Config config = test::quiet_config();
  config.task_tree = true;
  return config;
}

// A session: yields once (so its spawns come from a resumption, not its
// first run), then spawns `children` children on its own executor, each of
// which spawns `grandchildren` on the io_context, all parked on `gate`.
// Ends once `gate` is cancelled, or at once when `end_early`.
struct Fanout {
  Site session_site;
  Site child_site;
  Site grandchild_site;
  asio::io_context &io;
  asio::steady_timer &gate;
  int children = 3;
  int grandchildren = 2;
  // Grandchildren on the child's own executor (a strand's) instead of the io_context.
  bool grandchildren_on_own_executor = false;

  asio::awaitable<void> child() {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    for (int i = 0; i < grandchildren; ++i) {
      if (grandchildren_on_own_executor) {
        spawnguard::co_spawn(grandchild_site, co_await asio::this_coro::executor, parked(gate),
                             asio::detached);
      } else {
        spawnguard::co_spawn(grandchild_site, io, parked(gate), asio::detached);
      }
    }
    co_await parked(gate);
  }

  asio::awaitable<void> session(bool end_early) {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    for (int i = 0; i < children; ++i) {
      spawnguard::co_spawn(child_site, co_await asio::this_coro::executor, child(), asio::detached);
    }
    if (!end_early) {
      co_await parked(gate);
    }
  }
};

// Checks a JSON node and its subtree: sites by depth, counts per subtree
// (the node itself counts when it is live).
void expect_fanout(const json::object &session, int children, int grandchildren,
                   bool session_live = true) {
  EXPECT_EQ(session.at("subtree").as_int64(),
            (session_live ? 1 : 0) + children * (1 + grandchildren));
  const auto &kids = session.at("children").as_array();
  ASSERT_EQ(kids.size(), static_cast<std::size_t>(children));
  for (const auto &kid : kids) {
    EXPECT_EQ(kid.at("site").as_string(), "child");
    EXPECT_EQ(kid.at("subtree").as_int64(), 1 + grandchildren);
    EXPECT_EQ(kid.at("ended").as_bool(), false);
    const auto &grand = kid.at("children").as_array();
    ASSERT_EQ(grand.size(), static_cast<std::size_t>(grandchildren));
    for (const auto &g : grand) {
      EXPECT_EQ(g.at("site").as_string(), "grandchild");
      EXPECT_EQ(g.at("subtree").as_int64(), 1);
      EXPECT_TRUE(g.at("children").as_array().empty());
    }
  }
}

// A guard (keeping the tree unless a test says otherwise), an io_context and
// a gate every parked task waits on, cancelled at the end.
class TaskTree : public ::testing::Test {
protected:
  void TearDown() override {
    gate.cancel();
    io.restart();
    io.run();
  }
  Guard guard{tree_config()};
  asio::io_context io;
  asio::steady_timer gate{io, asio::steady_timer::time_point::max()};
  Fanout fanout{guard.site("session"), guard.site("child"), guard.site("grandchild"), io, gate};
};

TEST_F(TaskTree, ASessionAndWhatItFansOutAreOneSubtreeInTextAndJson) {
  auto lone = guard.site("lone");
  spawnguard::co_spawn(lone, io, parked(gate), asio::detached);
  spawnguard::co_spawn(fanout.session_site, io, fanout.session(false), asio::detached);
  io.poll();

  const auto parsed = json::parse(guard.dump_json(DumpShape::tree)).as_object();
  EXPECT_EQ(parsed.at("live").as_int64(), 1 + 1 + 3 * (1 + 2));
  const auto &trees = parsed.at("trees").as_array();
  ASSERT_EQ(trees.size(), 2u); // the session's, then the lone task's
  const auto &session = trees[0].as_object();
  EXPECT_EQ(session.at("site").as_string(), "session");
  EXPECT_EQ(session.at("ended").as_bool(), false);
  EXPECT_GT(session.at("id").as_int64(), 0);
  expect_fanout(session, 3, 2);
  EXPECT_EQ(trees[1].at("site").as_string(), "lone");
  EXPECT_EQ(trees[1].at("subtree").as_int64(), 1);

  // The text: the session's line, its three children indented under it, each
  // with its two grandchildren indented under that, then the lone task.
  const auto text = guard.dump_text(DumpShape::tree);
  std::istringstream lines(text);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) {
    got.push_back(line);
  }
  ASSERT_EQ(got.size(), 1u + 10u + 1u) << text;
  EXPECT_EQ(got[0], "spawnguard task tree: 11 live task(s) in 2 tree(s)");
  const std::regex session_line(R"(session #\d+ age=\d+\.\d{3}s subtree=10)");
  const std::regex child_line(R"(  child #\d+ age=\d+\.\d{3}s subtree=3)");
  const std::regex grandchild_line(R"(    grandchild #\d+ age=\d+\.\d{3}s subtree=1)");
  EXPECT_TRUE(std::regex_match(got[1], session_line)) << got[1];
  for (int c = 0; c < 3; ++c) {
    EXPECT_TRUE(std::regex_match(got[2 + c * 3], child_line)) << got[2 + c * 3];
    EXPECT_TRUE(std::regex_match(got[3 + c * 3], grandchild_line)) << got[3 + c * 3];
    EXPECT_TRUE(std::regex_match(got[4 + c * 3], grandchild_line)) << got[4 + c * 3];
  }
  EXPECT_TRUE(std::regex_match(got[11], std::regex(R"(lone #\d+ age=\d+\.\d{3}s subtree=1)")))
      << got[11];

  // The by-site dump is unchanged by the tree.
  EXPECT_NE(guard.dump_text().find("site grandchild live=6"), std::string::npos);
  gate.cancel();
  io.restart();
  io.run();
  EXPECT_EQ(guard.dump_text(DumpShape::tree), "spawnguard task tree: 0 live task(s) in 0 tree(s)\n");
}

TEST_F(TaskTree, ChildrenOfAParentThatEndedFirstStayTogetherUnderAnEndedNode) {
  spawnguard::co_spawn(fanout.session_site, io, fanout.session(true), asio::detached);
  io.poll();
  ASSERT_EQ(fanout.session_site.stats().live, 0); // the session is over
  ASSERT_EQ(fanout.child_site.stats().live, 3);

  const auto parsed = json::parse(guard.dump_json(DumpShape::tree)).as_object();
  const auto &trees = parsed.at("trees").as_array();
  ASSERT_EQ(trees.size(), 1u);
  const auto &ended = trees[0].as_object();
  EXPECT_EQ(ended.at("ended").as_bool(), true);
  EXPECT_TRUE(ended.at("site").is_null());
  EXPECT_TRUE(ended.at("age_seconds").is_null());
  EXPECT_GT(ended.at("id").as_int64(), 0);
  expect_fanout(ended, 3, 2, /*session_live=*/false); // the ended session is not counted
  // Its grandchildren's parents are alive: they hang under them, not the ended node.
  const auto text = guard.dump_text(DumpShape::tree);
  EXPECT_EQ(text.rfind("spawnguard task tree: 9 live task(s) in 1 tree(s)\n(ended task #", 0), 0u)
      << text;
  EXPECT_NE(text.find(") subtree=9\n  child #"), std::string::npos) << text;
}

TEST_F(TaskTree, APostedTaskIsTheParentOfWhatItSpawns) {
  auto poster = guard.site("poster");
  auto worker = guard.site("worker");
  std::uint64_t poster_id = 0;
  spawnguard::post(poster, io, [&] {
    for (int i = 0; i < 4; ++i) {
      spawnguard::co_spawn(worker, io, parked(gate), asio::detached);
    }
    for (const auto &task : guard.live_task_list()) {
      if (task.site == "poster") {
        poster_id = task.id;
      }
    }
  });
  io.poll();
  ASSERT_NE(poster_id, 0u);
  const auto tasks = guard.live_task_list();
  ASSERT_EQ(tasks.size(), 4u);
  for (const auto &task : tasks) {
    EXPECT_EQ(task.parent, poster_id); // the posted task, ended since
  }
}

TEST_F(TaskTree, WithoutTheTreeEveryTaskIsItsOwnRoot) {
  Guard flat(test::quiet_config());
  Fanout untracked{flat.site("session"), flat.site("child"), flat.site("grandchild"), io, gate};
  spawnguard::co_spawn(untracked.session_site, io, untracked.session(false), asio::detached);
  io.poll();
  for (const auto &task : flat.live_task_list()) {
    EXPECT_EQ(task.id, 0u);
    EXPECT_EQ(task.parent, 0u);
  }
  const auto parsed = json::parse(flat.dump_json(DumpShape::tree)).as_object();
  EXPECT_EQ(parsed.at("trees").as_array().size(), 10u);
  gate.cancel();
  io.restart();
  io.run(); // before `flat` goes: its tasks must be over
}

// Sessions on strands of an io_context run by two threads: every session's
// children are its own, whichever thread ran which piece.
TEST(TaskTreeThreads, SessionsOnStrandsOfAMultiThreadedContextKeepTheirOwnChildren) {
  Guard guard(tree_config());
  asio::io_context io(2);
  constexpr int sessions = 8;
  // One strand and one gate per session: each gate is used on its strand only.
  std::vector<asio::strand<asio::io_context::executor_type>> strands;
  std::vector<std::unique_ptr<asio::steady_timer>> gates;
  std::vector<Fanout> fanouts;
  for (int s = 0; s < sessions; ++s) {
    strands.push_back(asio::make_strand(io));
    gates.push_back(std::make_unique<asio::steady_timer>(strands.back(),
                                                         asio::steady_timer::time_point::max()));
    fanouts.push_back({guard.site("session"), guard.site("child"), guard.site("grandchild"), io,
                       *gates.back(), 4, 1, true});
  }
  auto work = asio::make_work_guard(io);
  std::thread second([&] { io.run(); });
  for (int s = 0; s < sessions; ++s) {
    spawnguard::co_spawn(fanouts[s].session_site, strands[s], fanouts[s].session(false),
                         asio::detached);
  }
  const auto expected = sessions * (1 + 4 * 2);
  for (int tries = 0; tries < 2000 && guard.live_tasks() < expected; ++tries) {
    io.run_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(guard.live_tasks(), expected);
  const auto parsed = json::parse(guard.dump_json(DumpShape::tree)).as_object();
  const auto &trees = parsed.at("trees").as_array();
  ASSERT_EQ(trees.size(), static_cast<std::size_t>(sessions));
  for (const auto &tree : trees) {
    EXPECT_EQ(tree.at("site").as_string(), "session");
    expect_fanout(tree.as_object(), 4, 1);
  }
  for (int s = 0; s < sessions; ++s) {
    asio::post(strands[s], [gate = gates[s].get()] { gate->cancel(); });
  }
  work.reset();
  io.run();
  second.join();
  EXPECT_EQ(guard.live_tasks(), 0);
}

} // namespace
} // namespace spawnguard

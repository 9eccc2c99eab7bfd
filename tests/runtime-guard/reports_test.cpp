// The live-task dump (text and JSON), the Prometheus page and the alert
// formats, each parsed back.
#include "spawnguard/spawnguard.hpp"

#include "metric_table.hpp"
#include "prometheus_page.hpp"
#include "test_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <boost/json/src.hpp> // Boost.JSON is compiled into this test only
#include <fmt/format.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <regex>
#include <sstream>

namespace spawnguard {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

using test::parked;

// Guard with 3 tasks live at "big \"site\""; at "small" (limit 2) one task
// finished, one failed, two live and one rejected.
class ReportsTest : public ::testing::Test {
protected:
  void SetUp() override {
    guard = std::make_unique<Guard>(test::quiet_config());
    auto big = guard->site("big \"site\"");
    auto small = guard->site("small");
    small.set_limit({.max_live = 2, .policy = LimitPolicy::reject});
    for (int i = 0; i < 3; ++i) {
      co_spawn(big, io, parked(gate), asio::detached);
    }
    co_spawn(small, io, []() -> asio::awaitable<void> { co_return; }, asio::detached);
    co_spawn(small, io, []() -> asio::awaitable<void> {
      throw std::runtime_error("x");
      co_return;
    }, asio::detached);
    io.poll();
    io.restart();
    for (int i = 0; i < 3; ++i) { // the third meets the limit of 2
      co_spawn(small, io, parked(gate), asio::detached);
    }
    io.poll();
  }
  void TearDown() override {
    gate.cancel();
    io.restart();
    io.run();
  }

  asio::io_context io;
  asio::steady_timer gate{io, asio::steady_timer::time_point::max()};
  std::unique_ptr<Guard> guard;
};

TEST_F(ReportsTest, TextDumpListsEveryLiveTaskGroupedBySiteBiggestFirst) {
  const auto dump = guard->dump_text();
  std::istringstream lines(dump);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "spawnguard dump: 5 live task(s) at 2 site(s)");
  std::vector<std::pair<std::string, int>> groups;
  const std::regex site_line(R"(site (.+) live=(\d+) oldest=\d+\.\d{3}s( limit=\d+)?)");
  const std::regex task_line(R"(  task age=\d+\.\d{3}s)");
  int tasks = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, site_line)) {
      groups.emplace_back(m[1], std::stoi(m[2]));
    } else {
      EXPECT_TRUE(std::regex_match(line, task_line)) << line;
      ++tasks;
    }
  }
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], (std::pair<std::string, int>{"big \"site\"", 3}));
  EXPECT_EQ(groups[1], (std::pair<std::string, int>{"small", 2}));
  EXPECT_EQ(tasks, 5);
}

TEST_F(ReportsTest, JsonDumpParsesBackToTheSameGroups) {
  const auto doc = json::parse(guard->dump_json()).as_object();
  EXPECT_EQ(doc.at("live").as_int64(), 5);
  const auto &sites = doc.at("sites").as_array();
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].at("site").as_string(), "big \"site\"");
  EXPECT_EQ(sites[0].at("live").as_int64(), 3);
  EXPECT_EQ(sites[0].at("task_ages_seconds").as_array().size(), 3u);
  EXPECT_EQ(sites[1].at("site").as_string(), "small");
  EXPECT_GE(sites[1].at("task_ages_seconds").as_array()[0].as_double(), 0.0);
}

TEST_F(ReportsTest, PrometheusPageHasTheSpecifiedMetricsPerSite) {
  guard->sample_now();
  auto metrics = test::parse_prometheus(guard->prometheus_text());
  const std::string big = R"(big \"site\")";
  EXPECT_EQ(metrics["spawnguard_tasks_live"][big], "3");
  EXPECT_EQ(metrics["spawnguard_tasks_live"]["small"], "2");
  EXPECT_EQ(metrics["spawnguard_tasks_spawned_total"]["small"], "4");
  EXPECT_EQ(metrics["spawnguard_tasks_finished_total"]["small"], "1");
  EXPECT_EQ(metrics["spawnguard_tasks_failed_total"]["small"], "1");
  EXPECT_EQ(metrics["spawnguard_tasks_rejected_total"]["small"], "1");
  EXPECT_EQ(metrics["spawnguard_tasks_rejected_total"][big], "0");
  EXPECT_TRUE(metrics["spawnguard_task_oldest_age_seconds"].contains("small"));
  EXPECT_GT(std::stoull(metrics["spawnguard_memory_used_bytes"][""]), 0u);
  EXPECT_TRUE(metrics.contains("spawnguard_exhaustion_eta_seconds"));
  EXPECT_EQ(metrics["spawnguard_alert_level"][""], "0");
  EXPECT_GT(std::stoull(metrics["spawnguard_memory_rss_bytes"][""]), 0u);
}

TEST_F(ReportsTest, PrometheusPageShowsMemoryPressureWhenRead) {
  MemoryReading reading;
  reading.pressure_some_avg10 = 12.5;
  reading.pressure_full_avg10 = 3.25;
  guard->sample_now(reading, std::chrono::steady_clock::now());
  auto metrics = test::parse_prometheus(guard->prometheus_text());
  EXPECT_EQ(metrics["spawnguard_memory_pressure_avg10"]["some"], "12.50");
  EXPECT_EQ(metrics["spawnguard_memory_pressure_avg10"]["full"], "3.25");
}

TEST_F(ReportsTest, PrometheusPageShowsTheLimitAndEtaOnceKnown) {
  MemoryReading reading;
  reading.limit_bytes = 1000;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) { // 5 s of samples: the forecast's minimum span
    reading.used_bytes = 100 + 100 * static_cast<std::uint64_t>(i);
    guard->sample_now(reading, t0 + i * 1s);
  }
  auto metrics = test::parse_prometheus(guard->prometheus_text());
  EXPECT_EQ(metrics["spawnguard_memory_limit_bytes"][""], "1000");
  EXPECT_EQ(metrics["spawnguard_memory_used_bytes"][""], "600");
  EXPECT_DOUBLE_EQ(std::stod(metrics["spawnguard_exhaustion_eta_seconds"][""]), 4.0);
  EXPECT_EQ(metrics["spawnguard_alert_level"][""], "2");
}

TEST_F(ReportsTest, PrometheusPageExportsTheLiveAgeHistogramPerSite) {
  auto metrics = test::parse_prometheus(guard->prometheus_text());
  const auto &by_age = metrics["spawnguard_tasks_live_by_age"];
  // Every task is under a second old: every bucket holds them all.
  for (const char *le : {"1", "10", "60", "600", "+Inf"}) {
    EXPECT_EQ(by_age.at(std::string("small le=") + le), "2") << le;
    EXPECT_EQ(by_age.at(std::string(R"(big \"site\" le=)") + le), "3") << le;
  }
}

// Every family the page can show, with a pressure reading, a limit, a
// forecast and the sampler's trigger status all present.
std::set<std::string> families_on_a_full_page(Guard &guard) {
  asio::io_context sampler_io;
  guard.start_sampler(sampler_io.get_executor());
  MemoryReading reading;
  reading.limit_bytes = 1000;
  reading.pressure_some_avg10 = 1;
  reading.pressure_full_avg10 = 1;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) {
    reading.used_bytes = 100 + 100 * static_cast<std::uint64_t>(i);
    guard.sample_now(reading, t0 + i * 1s);
  }
  const auto page = guard.prometheus_text();
  guard.stop_sampler();
  std::set<std::string> families;
  const std::regex type_line(R"(# TYPE ([a-z_0-9]+) (gauge|counter))");
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (std::smatch m; std::regex_match(line, m, type_line)) {
      EXPECT_TRUE(families.insert(m[1]).second) << m[1] << " twice on the page";
    }
  }
  return families;
}

TEST_F(ReportsTest, EveryMetricComesFromTheTableAndTheDocsListEveryOne) {
  std::set<std::string> table;
  for (const auto &family : detail::metric_families) {
    table.insert(std::string(family.name));
  }
  EXPECT_EQ(families_on_a_full_page(*guard), table)
      << "the page and runtime-guard/src/metric_table.hpp differ";

  std::ifstream docs(std::string(SPAWNGUARD_FIXTURES_DIR) + "/../docs/runtime-guard.md");
  const std::string text((std::istreambuf_iterator<char>(docs)), {});
  ASSERT_FALSE(text.empty());
  std::set<std::string> documented;
  const std::regex row(R"(\| `(spawnguard_[a-z_0-9]+)` \|)");
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
    documented.insert((*it)[1]);
  }
  EXPECT_EQ(documented, table) << "docs/runtime-guard.md's metric table and metric_table.hpp differ";
  for (const auto &family : detail::metric_families) {
    EXPECT_NE(text.find(fmt::format("| `{}` | {}", family.name, family.type)), std::string::npos)
        << family.name << " is not documented as a " << family.type;
  }
}

TEST(AlertFormat, LogLineNamesLevelMemoryEtaReasonsAndSites) {
  Alert alert;
  alert.level = AlertLevel::critical;
  alert.previous = AlertLevel::warn;
  alert.memory_used_bytes = 900ull << 20;
  alert.memory_limit_bytes = 1024ull << 20;
  alert.eta_seconds = 24.4;
  alert.reasons = {"exhaustion in 24s <= 30s"};
  alert.top_by_live = {{"src/server.cpp:88", 5120, 880, 31s}};
  alert.top_by_growth = {{"src/server.cpp:88", 5120, 880, 31s}};
  EXPECT_EQ(format_alert_line(alert),
            "spawnguard: level=critical was=warn memory=900.0MiB/1.0GiB(87.9%) eta=24s "
            "reasons=[exhaustion in 24s <= 30s] top_live=[src/server.cpp:88 live=5120 "
            "growth=+880 oldest=31s] top_growth=[src/server.cpp:88 live=5120 growth=+880 "
            "oldest=31s]");
}

TEST(AlertFormat, JsonLineParsesBack) {
  Alert alert;
  alert.level = AlertLevel::warn;
  alert.memory_used_bytes = 10;
  alert.reasons = {"a \"quoted\" reason"};
  alert.top_by_live = {{"x.cpp:1", 3, -1, 2s}};
  const auto doc = json::parse(format_alert_json(alert)).as_object();
  EXPECT_EQ(doc.at("level").as_string(), "warn");
  EXPECT_EQ(doc.at("previous").as_string(), "ok");
  EXPECT_TRUE(doc.at("memory_limit_bytes").is_null());
  EXPECT_TRUE(doc.at("eta_seconds").is_null());
  EXPECT_EQ(doc.at("reasons").as_array()[0].as_string(), "a \"quoted\" reason");
  EXPECT_EQ(doc.at("top_by_live").as_array()[0].at("growth").as_int64(), -1);
  EXPECT_DOUBLE_EQ(doc.at("top_by_live").as_array()[0].at("oldest_age_seconds").as_double(), 2.0);
}

} // namespace
} // namespace spawnguard

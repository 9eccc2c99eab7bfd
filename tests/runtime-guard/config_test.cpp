// Config from SPAWNGUARD_* variables: every accepted form, and every bad
// value rejected with a message naming the variable, the value and the form.
#include "spawnguard/config.hpp"
#include "spawnguard/guard.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include <cstdlib>
#include <map>
#include <regex>
#include <set>

namespace spawnguard {
namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

Config from(const Env &env) {
  return Config::from_environment(Config{}, [&](const char *name) -> std::optional<std::string> {
    if (auto it = env.find(name); it != env.end()) {
      return it->second;
    }
    return std::nullopt;
  });
}

std::string error_of(const Env &env) {
  try {
    from(env);
  } catch (const ConfigError &error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ConfigFromEnvironment, NoVariablesKeepTheDefaults) {
  const auto c = from({});
  EXPECT_EQ(c.sample_period, 100ms);
  EXPECT_DOUBLE_EQ(c.warn_fraction, 0.80);
  EXPECT_EQ(c.sink, SinkKind::log);
}

TEST(ConfigFromEnvironment, ReadsEveryVariable) {
  const auto c = from({{"SPAWNGUARD_SAMPLE_PERIOD", "250ms"},
                       {"SPAWNGUARD_FORECAST_WINDOW", "1m"},
                       {"SPAWNGUARD_FORECAST_MIN_SPAN", "10s"},
                       {"SPAWNGUARD_MEMORY_BUDGET", "512MiB"},
                       {"SPAWNGUARD_WARN_FRACTION", "0.7"},
                       {"SPAWNGUARD_CRITICAL_FRACTION", "0.85"},
                       {"SPAWNGUARD_CLEAR_MARGIN", "0.1"},
                       {"SPAWNGUARD_WARN_ETA", "90s"},
                       {"SPAWNGUARD_CRITICAL_ETA", "20s"},
                       {"SPAWNGUARD_SITE_LIVE_WARN", "5000"},
                       {"SPAWNGUARD_LEAK_GROWTH_WARN", "200"},
                       {"SPAWNGUARD_TASK_AGE_WARN", "2m"},
                       {"SPAWNGUARD_CLEAR_SAMPLES", "5"},
                       {"SPAWNGUARD_SHED", "on"},
                       {"SPAWNGUARD_TASK_TREE", "true"},
                       {"SPAWNGUARD_SHEDDABLE", "audit, src/a.cpp:42"},
                       {"SPAWNGUARD_LIMITS", "db-query=100,wait,500,2s;src/a.cpp:42=50"},
                       {"SPAWNGUARD_SINK", "json"},
                       {"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "2s"},
                       {"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", "5m"},
                       {"SPAWNGUARD_ADAPTIVE_TOLERANCE", "2"},
                       {"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", "0.75"},
                       {"SPAWNGUARD_ADAPTIVE_LOG_INTERVAL", "30s"}});
  EXPECT_TRUE(c.task_tree);
  EXPECT_EQ(c.sample_period, 250ms);
  EXPECT_EQ(c.forecast_window, 60s);
  EXPECT_EQ(c.forecast_min_span, 10s);
  EXPECT_EQ(c.memory_budget_bytes, 512ull << 20);
  EXPECT_DOUBLE_EQ(c.warn_fraction, 0.7);
  EXPECT_DOUBLE_EQ(c.critical_fraction, 0.85);
  EXPECT_DOUBLE_EQ(c.clear_margin, 0.1);
  EXPECT_EQ(c.warn_eta, 90s);
  EXPECT_EQ(c.critical_eta, 20s);
  EXPECT_EQ(c.site_live_warn, 5000u);
  EXPECT_EQ(c.leak_growth_warn, 200u);
  EXPECT_EQ(c.task_age_warn, 120s);
  EXPECT_EQ(c.clear_samples, 5u);
  EXPECT_TRUE(c.shed_at_critical);
  EXPECT_EQ(c.sheddable_sites, (std::vector<std::string>{"audit", "src/a.cpp:42"}));
  ASSERT_EQ(c.site_limits.size(), 2u);
  const auto &db = c.site_limits.at("db-query");
  EXPECT_EQ(db.max_live, 100u);
  EXPECT_EQ(db.policy, LimitPolicy::wait);
  EXPECT_EQ(db.max_waiters, 500u);
  EXPECT_EQ(db.wait_timeout, 2000ms);
  const auto &by_line = c.site_limits.at("src/a.cpp:42");
  EXPECT_EQ(by_line.max_live, 50u);
  EXPECT_EQ(by_line.policy, LimitPolicy::reject);
  EXPECT_EQ(c.sink, SinkKind::json);
  EXPECT_EQ(c.adaptive_recent_window, 2000ms);
  EXPECT_EQ(c.adaptive_baseline_window, 300s);
  EXPECT_DOUBLE_EQ(c.adaptive_tolerance, 2.0);
  EXPECT_DOUBLE_EQ(c.adaptive_memory_backoff, 0.75);
  EXPECT_EQ(c.adaptive_log_interval, 30s);
}

TEST(ConfigFromEnvironment, ALimitWrittenMinDotDotMaxIsAdaptive) {
  const auto c = from({{"SPAWNGUARD_LIMITS", "db-query=4..200,wait,500,2s;audit=1 .. 64"}});
  const auto &db = c.site_limits.at("db-query");
  ASSERT_TRUE(db.adaptive.has_value());
  EXPECT_EQ(db.adaptive->min_live, 4u);
  EXPECT_EQ(db.max_live, 200u);
  EXPECT_EQ(db.policy, LimitPolicy::wait);
  EXPECT_EQ(db.max_waiters, 500u);
  const auto &audit = c.site_limits.at("audit");
  ASSERT_TRUE(audit.adaptive.has_value());
  EXPECT_EQ(audit.adaptive->min_live, 1u);
  EXPECT_EQ(audit.max_live, 64u);
  EXPECT_EQ(audit.policy, LimitPolicy::reject);
  EXPECT_FALSE(from({{"SPAWNGUARD_LIMITS", "db-query=40"}}).site_limits.at("db-query").adaptive);
}

TEST(ConfigFromEnvironment, AcceptsByteSizesInSeveralUnits) {
  EXPECT_EQ(from({{"SPAWNGUARD_MEMORY_BUDGET", "1048576"}}).memory_budget_bytes, 1048576u);
  EXPECT_EQ(from({{"SPAWNGUARD_MEMORY_BUDGET", "2G"}}).memory_budget_bytes, 2ull << 30);
  EXPECT_EQ(from({{"SPAWNGUARD_MEMORY_BUDGET", "1.5GiB"}}).memory_budget_bytes, 3ull << 29);
  EXPECT_EQ(from({{"SPAWNGUARD_MEMORY_BUDGET", "2048K"}}).memory_budget_bytes, 2u << 20);
}

struct BadValue {
  const char *variable;
  const char *value;
  const char *form; // a piece of the accepted form the message must show
};

class RejectsBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(RejectsBadValue, NamingTheVariableTheValueAndTheAcceptedForm) {
  const auto &bad = GetParam();
  const auto message = error_of({{bad.variable, bad.value}});
  EXPECT_NE(message.find(std::string(bad.variable) + "='" + bad.value + "'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("expected"), std::string::npos) << message;
  EXPECT_NE(message.find(bad.form), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryVariable, RejectsBadValue,
    ::testing::Values(
        BadValue{"SPAWNGUARD_SAMPLE_PERIOD", "100", "250ms"},
        BadValue{"SPAWNGUARD_SAMPLE_PERIOD", "0ms", "duration"},
        BadValue{"SPAWNGUARD_SAMPLE_PERIOD", "fast", "duration"},
        BadValue{"SPAWNGUARD_FORECAST_WINDOW", "30 seconds", "duration"},
        BadValue{"SPAWNGUARD_FORECAST_MIN_SPAN", "5", "duration"},
        BadValue{"SPAWNGUARD_MEMORY_BUDGET", "lots", "512MiB"},
        BadValue{"SPAWNGUARD_MEMORY_BUDGET", "-5G", "byte count"},
        BadValue{"SPAWNGUARD_MEMORY_BUDGET", "12TB", "byte count"},
        BadValue{"SPAWNGUARD_WARN_FRACTION", "80%", "fraction"},
        BadValue{"SPAWNGUARD_WARN_FRACTION", "1.5", "at most 1"},
        BadValue{"SPAWNGUARD_CRITICAL_FRACTION", "0", "above 0"},
        BadValue{"SPAWNGUARD_CLEAR_MARGIN", "0.9", "0.5"},
        BadValue{"SPAWNGUARD_WARN_ETA", "soon", "duration"},
        BadValue{"SPAWNGUARD_CRITICAL_ETA", "-1s", "duration"},
        BadValue{"SPAWNGUARD_SITE_LIVE_WARN", "1e3", "whole number"},
        BadValue{"SPAWNGUARD_LEAK_GROWTH_WARN", "-1", "whole number"},
        BadValue{"SPAWNGUARD_TASK_AGE_WARN", "60", "duration"},
        BadValue{"SPAWNGUARD_CLEAR_SAMPLES", "0", "from 1 to 1000"},
        BadValue{"SPAWNGUARD_SHED", "yes", "on or off"},
        BadValue{"SPAWNGUARD_TASK_TREE", "tree", "on or off"},
        BadValue{"SPAWNGUARD_SHEDDABLE", "a,,b", "separated by commas"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query", "label=max_live"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=ten", "label=max_live"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10,drop", "reject|wait|observe"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10,wait,5,soon", "timeout"},
        BadValue{"SPAWNGUARD_SINK", "syslog", "log, json or none"},
        // Values of the right form but outside what the guard
        // can use: each message states the accepted range.
        BadValue{"SPAWNGUARD_SAMPLE_PERIOD", "0s", "from 10ms to 1m"},
        BadValue{"SPAWNGUARD_SAMPLE_PERIOD", "2h", "from 10ms to 1m"},
        BadValue{"SPAWNGUARD_FORECAST_WINDOW", "99999999999999999999s", "from 1s to 24h"},
        BadValue{"SPAWNGUARD_FORECAST_WINDOW", "1.5s", "whole seconds"},
        BadValue{"SPAWNGUARD_FORECAST_MIN_SPAN", "99999999999999999999m", "from 0s to 24h"},
        BadValue{"SPAWNGUARD_WARN_ETA", "0s", "from 1s to 24h"},
        BadValue{"SPAWNGUARD_CRITICAL_ETA", "9999999999999999h", "from 1s to 24h"},
        BadValue{"SPAWNGUARD_TASK_AGE_WARN", "99999999999999999999s", "from 0s (off) to 168h"},
        BadValue{"SPAWNGUARD_MEMORY_BUDGET", "1", "from 1MiB to 1048576GiB"},
        BadValue{"SPAWNGUARD_MEMORY_BUDGET", "2000000G", "from 1MiB to 1048576GiB"},
        BadValue{"SPAWNGUARD_SITE_LIVE_WARN", "18446744073709551616", "from 0 (off) to 1000000000"},
        BadValue{"SPAWNGUARD_LEAK_GROWTH_WARN", "5000000000", "from 0 (off) to 1000000000"},
        BadValue{"SPAWNGUARD_CLEAR_SAMPLES", "18446744073709551615", "from 1 to 1000"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=0", "max_live from 1 to 1000000000"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10,wait,5,0ms", "timeout from 1ms to 24h"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10,wait,5,99999999999999999999s",
                 "timeout from 1ms"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10,wait,99999999999", "max_waiters from 0"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=10; db-query=20", "each label once"},
        BadValue{"SPAWNGUARD_LIMITS", " =10", "label=max_live"},
        BadValue{"SPAWNGUARD_SHEDDABLE", "audit,audit", "distinct site labels"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=0..10", "1 <= min <= max <= 1000000000"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=20..10", "1 <= min <= max <= 1000000000"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=4..", "min..max for an adaptive limit"},
        BadValue{"SPAWNGUARD_LIMITS", "db-query=4..5000000000", "1 <= min <= max <= 1000000000"},
        BadValue{"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "50ms", "from 100ms to 10m"},
        BadValue{"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "1h", "from 100ms to 10m"},
        BadValue{"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "quick", "duration"},
        BadValue{"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", "0s", "from 1s to 24h"},
        BadValue{"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", "90.5s", "whole seconds"},
        BadValue{"SPAWNGUARD_ADAPTIVE_TOLERANCE", "0.5", "from 1 to 10"},
        BadValue{"SPAWNGUARD_ADAPTIVE_TOLERANCE", "11", "from 1 to 10"},
        BadValue{"SPAWNGUARD_ADAPTIVE_TOLERANCE", "lots", "a number"},
        BadValue{"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", "1", "from 0.1 to 0.99"},
        BadValue{"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", "0.05", "from 0.1 to 0.99"},
        BadValue{"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", "90%", "fraction"},
        BadValue{"SPAWNGUARD_ADAPTIVE_LOG_INTERVAL", "2h", "from 0s (every change) to 1h"},
        BadValue{"SPAWNGUARD_ADAPTIVE_LOG_INTERVAL", "-1s", "duration"}));

TEST(ConfigFromEnvironment, OutOfRangeAdaptiveValuesSayOutOfRange) {
  for (const auto &[name, value] : std::map<std::string, std::string>{
           {"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "50ms"},
           {"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", "25h"},
           {"SPAWNGUARD_ADAPTIVE_TOLERANCE", "0.5"},
           {"SPAWNGUARD_ADAPTIVE_MEMORY_BACKOFF", "1"},
           {"SPAWNGUARD_ADAPTIVE_LOG_INTERVAL", "2h"}}) {
    EXPECT_NE(error_of({{name, value}}).find("out of range"), std::string::npos) << name;
  }
}

TEST(ConfigFromEnvironment, ABaselineWindowNotLongerThanTheRecentWindowIsRefused) {
  const auto message = error_of({{"SPAWNGUARD_ADAPTIVE_RECENT_WINDOW", "10m"},
                                 {"SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW", "60s"}});
  EXPECT_NE(message.find("SPAWNGUARD_ADAPTIVE_BASELINE_WINDOW=60s"), std::string::npos) << message;
  EXPECT_NE(message.find("SPAWNGUARD_ADAPTIVE_RECENT_WINDOW=600000ms"), std::string::npos)
      << message;
}

TEST(ConfigFromEnvironment, DuplicateLimitLabelsAreNamed) {
  const auto message = error_of({{"SPAWNGUARD_LIMITS", "db-query=10;db-query=20,wait"}});
  EXPECT_NE(message.find("label 'db-query' has two limits"), std::string::npos) << message;
}

TEST(ConfigFromEnvironment, AZeroSamplePeriodIsOutOfRangeNotMalformed) {
  const auto message = error_of({{"SPAWNGUARD_SAMPLE_PERIOD", "0s"}});
  EXPECT_NE(message.find("out of range"), std::string::npos) << message;
}

TEST(ConfigFromEnvironment, BlanksAroundValuesAndBeforeUnitsAreIgnoredAlike) {
  for (const char *value : {"20s", " 20s", "20s ", "20 s", " 20 s\t"}) {
    EXPECT_EQ(from({{"SPAWNGUARD_FORECAST_WINDOW", value}}).forecast_window, 20s) << value;
  }
  EXPECT_EQ(from({{"SPAWNGUARD_MEMORY_BUDGET", " 512 MiB "}}).memory_budget_bytes, 512ull << 20);
  EXPECT_EQ(from({{"SPAWNGUARD_CLEAR_SAMPLES", " 5 "}}).clear_samples, 5u);
  EXPECT_EQ(from({{"SPAWNGUARD_LIMITS", " db-query = 10 , wait , 5 , 2 s "}})
                .site_limits.at("db-query")
                .wait_timeout,
            2000ms);
  EXPECT_NE(error_of({{"SPAWNGUARD_CLEAR_SAMPLES", "1 0"}}).find("whole number"),
            std::string::npos);
}

TEST(ConfigFromEnvironment, AcceptsTheEndsOfEachRange) {
  const auto low = from({{"SPAWNGUARD_SAMPLE_PERIOD", "10ms"},
                         {"SPAWNGUARD_MEMORY_BUDGET", "1MiB"},
                         {"SPAWNGUARD_CLEAR_SAMPLES", "1"},
                         {"SPAWNGUARD_TASK_AGE_WARN", "0s"}});
  EXPECT_EQ(low.sample_period, 10ms);
  EXPECT_EQ(low.memory_budget_bytes, 1ull << 20);
  const auto high = from({{"SPAWNGUARD_FORECAST_WINDOW", "24h"},
                          {"SPAWNGUARD_MEMORY_BUDGET", "1048576GiB"},
                          {"SPAWNGUARD_CLEAR_SAMPLES", "1000"},
                          {"SPAWNGUARD_TASK_AGE_WARN", "168h"}});
  EXPECT_EQ(high.forecast_window, 24h);
  EXPECT_EQ(high.task_age_warn, 168h);
  EXPECT_EQ(high.memory_budget_bytes, 1ull << 50);
  EXPECT_EQ(high.clear_samples, 1000u);
}

TEST(ConfigFromEnvironment, ContradictoryValuesNameBothVariables) {
  const auto message =
      error_of({{"SPAWNGUARD_WARN_FRACTION", "0.95"}, {"SPAWNGUARD_CRITICAL_FRACTION", "0.9"}});
  EXPECT_NE(message.find("SPAWNGUARD_WARN_FRACTION=0.95"), std::string::npos) << message;
  EXPECT_NE(message.find("SPAWNGUARD_CRITICAL_FRACTION=0.9"), std::string::npos) << message;
  EXPECT_NE(error_of({{"SPAWNGUARD_CRITICAL_ETA", "5m"}}).find("SPAWNGUARD_WARN_ETA"),
            std::string::npos);
}

TEST(ConfigFromEnvironment, EveryVariableIsListedWithItsFormAndDocumented) {
  std::ifstream docs(std::string(SPAWNGUARD_FIXTURES_DIR) + "/../docs/runtime-guard.md");
  const std::string text((std::istreambuf_iterator<char>(docs)), {});
  ASSERT_FALSE(text.empty());
  for (const auto &variable : environment_variables()) {
    EXPECT_TRUE(variable.name.starts_with("SPAWNGUARD_"));
    EXPECT_FALSE(variable.form.empty());
    EXPECT_NE(text.find(fmt::format("| `{}` |", variable.name)), std::string::npos)
        << variable.name << " is not in docs/runtime-guard.md's table";
  }
}

// The table is the one list of variables: from_environment asks for each of
// its rows and for nothing else, and the docs' table lists exactly its rows.
TEST(ConfigFromEnvironment, ParsesExactlyTheTablesVariablesAndTheDocsListNoOther) {
  std::set<std::string> asked;
  (void)Config::from_environment(Config{}, [&](const char *name) -> std::optional<std::string> {
    asked.insert(name);
    return std::nullopt;
  });
  std::set<std::string> table;
  for (const auto &variable : environment_variables()) {
    EXPECT_TRUE(table.insert(std::string(variable.name)).second) << variable.name << " twice";
  }
  EXPECT_EQ(asked, table);

  std::ifstream docs(std::string(SPAWNGUARD_FIXTURES_DIR) + "/../docs/runtime-guard.md");
  const std::string text((std::istreambuf_iterator<char>(docs)), {});
  std::set<std::string> documented;
  const std::regex row(R"(\n\| `(SPAWNGUARD_[A-Z_0-9]+)` \|)");
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
    documented.insert((*it)[1]);
  }
  EXPECT_EQ(documented, table);
}

TEST(ConfigFromEnvironment, ReadsTheRealProcessEnvironment) {
  ::setenv("SPAWNGUARD_SITE_LIVE_WARN", "321", 1);
  const auto c = Config::from_environment();
  ::unsetenv("SPAWNGUARD_SITE_LIVE_WARN");
  EXPECT_EQ(c.site_live_warn, 321u);
}

TEST(ConfigValidation, AGuardRefusesAContradictoryConfig) {
  Config config;
  config.warn_eta = 10s;
  config.critical_eta = 30s;
  EXPECT_THROW(Guard{config}, ConfigError);
}

TEST(ConfigValidation, MinimumForecastSpanLongerThanTheWindowIsRefused) {
  Config config;
  config.forecast_window = 10s;
  config.forecast_min_span = 20s;
  try {
    config.validate();
    FAIL() << "validate() accepted a minimum span longer than the window";
  } catch (const ConfigError &error) {
    EXPECT_NE(std::string(error.what()).find("SPAWNGUARD_FORECAST_MIN_SPAN"), std::string::npos);
  }
}

} // namespace
} // namespace spawnguard

namespace spawnguard {
namespace {

TEST(ConfigFromEnvironment, AMisspelledVariableIsNamedWithTheClosestKnownName) {
  const auto warnings = unknown_variable_warnings(
      {"PATH", "SPAWNGUARD_SAMPLE_PERIUD", "SPAWNGUARD_SHED", "SPAWNGUARD_CANCELABLE"});
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "spawnguard: SPAWNGUARD_SAMPLE_PERIUD is not a spawnguard variable and "
                         "is ignored; did you mean SPAWNGUARD_SAMPLE_PERIOD?");
  EXPECT_NE(warnings[1].find("did you mean SPAWNGUARD_CANCELLABLE?"), std::string::npos);
}

TEST(ConfigFromEnvironment, ASourceRootMustBeAnAbsolutePath) {
  EXPECT_NO_THROW(from({{"SPAWNGUARD_SOURCE_ROOT", "/home/me/service"}}));
  EXPECT_EQ(error_of({{"SPAWNGUARD_SOURCE_ROOT", "home/me/service"}}),
            "SPAWNGUARD_SOURCE_ROOT='home/me/service': not an absolute path; expected an "
            "absolute folder that site labels are relative to, like /home/me/service");
}

} // namespace
} // namespace spawnguard

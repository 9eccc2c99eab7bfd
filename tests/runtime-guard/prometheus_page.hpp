// A /metrics page read back into its samples, each line checked to be
// Prometheus's exposition format (a HELP or TYPE comment, or a sample).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace spawnguard::test {

// metric{site="..."} value -> map[metric][site] = value;
// metric{site="...",le="..."} value -> map[metric]["<site> le=<le>"] = value
inline std::map<std::string, std::map<std::string, std::string>> parse_prometheus(const std::string &page) {
  std::map<std::string, std::map<std::string, std::string>> out;
  std::istringstream lines(page);
  std::string line;
  const std::regex sample(
      R"re(([a-z_0-9]+)(\{(?:site|kind)="((?:[^"\\]|\\.)*)"(?:,le="([^"]+)")?\})? (\S+))re");
  const std::regex comment(R"(# (HELP [a-z_0-9]+ .+|TYPE [a-z_0-9]+ (gauge|counter)))");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, sample)) {
      out[m[1]][m[4].matched ? m[3].str() + " le=" + m[4].str() : m[3].str()] = m[5];
    } else {
      EXPECT_TRUE(std::regex_match(line, comment)) << "not exposition format: " << line;
    }
  }
  return out;
}

} // namespace spawnguard::test

// MemoryProbe: how much memory the process uses and how much it may use —
// process RSS, the cgroup's usage and limit (v2 memory.current/memory.max or
// v1 memory.usage_in_bytes/memory.limit_in_bytes, found from /proc/self/cgroup
// and /proc/self/mountinfo), memory PSI, and an explicit budget.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

struct CgroupLocation {
  int version = 0;   // 1 or 2
  std::string dir{};   // the cgroup's directory, e.g. /sys/fs/cgroup/memory/app
};

struct MemoryReading {
  std::uint64_t rss_bytes = 0;
  std::optional<std::uint64_t> cgroup_usage_bytes{};   // working set: usage minus inactive file cache
  std::optional<std::uint64_t> cgroup_limit_bytes{};   // absent when the limit is "max"/unlimited
  std::optional<std::uint64_t> budget_bytes{};
  std::optional<double> pressure_some_avg10{};         // PSI, percent of time stalled
  std::optional<double> pressure_full_avg10{};
  // The smallest limit that applies and the usage measured against it:
  // the cgroup's usage for a cgroup limit, RSS for a budget.
  std::uint64_t used_bytes = 0;
  std::optional<std::uint64_t> limit_bytes{};
  std::string limit_source = "none";                 // "cgroup v1 <file>", "cgroup v2 <file>", "budget"
  // What could not be read and what was done instead (never fatal).
  std::vector<std::string> problems{};

  std::optional<double> used_fraction() const;
};

class MemoryProbe {
public:
  struct Options {
    std::string root = "/";    // prefix for /proc and /sys (tests point it at a copy)
    std::optional<std::uint64_t> budget_bytes{};
  };

  MemoryProbe() : MemoryProbe(Options{}) {}
  explicit MemoryProbe(Options options);

  MemoryReading read() const;
  // The PSI file read() takes pressure from: the cgroup's memory.pressure
  // (cgroup v2) or /proc/pressure/memory; also where a trigger is registered.
  std::string pressure_file() const;
  const std::optional<CgroupLocation> &cgroup() const noexcept { return cgroup_; }
  // Why no cgroup was found, when none was.
  const std::vector<std::string> &discovery_problems() const noexcept { return problems_; }

private:
  Options options_;
  std::optional<CgroupLocation> cgroup_{};
  std::vector<std::string> problems_{};
};

// Parses a cgroup file holding one byte count: a number, or "max" (v2) /
// a value >= 2^62 (v1) meaning unlimited (nullopt). Anything else: error text.
struct ParsedLimit {
  std::optional<std::uint64_t> bytes{};
  std::string error{};
};
ParsedLimit parse_cgroup_bytes(std::string_view text);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// What the guard knows about one spawn site and one live task: the snapshot
// types behind stats(), the dump, Prometheus and the alerts.
#pragma once

#include "spawnguard/site_limit.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

// Live tasks of a site by age: < 1 s, < 10 s, < 60 s, < 600 s, older.
struct AgeHistogram {
  static constexpr std::array<std::int64_t, 4> upper_bounds_seconds{1, 10, 60, 600};
  std::array<std::uint64_t, 5> counts{};
};

struct SiteStats {
  std::string label{};          // "file.cpp:42" or the site's name
  std::int64_t live = 0;      // tasks spawned and not yet finished
  std::int64_t peak_live = 0; // most live at once since start
  std::uint64_t spawned = 0;  // admitted spawns
  std::uint64_t finished = 0; // ended normally (or were destroyed unrun)
  std::uint64_t failed = 0;   // ended with an exception
  std::uint64_t rejected = 0; // refused by the limit or by shedding
  std::uint64_t cancelled = 0; // asked to cancel by the guard at critical (cancellable sites)
  std::chrono::nanoseconds oldest_age{0}; // age of the oldest live task
  AgeHistogram ages;
  // Summed lifetime of the tasks that ended (10 ms resolution): over
  // finished + failed, their mean completion time.
  std::chrono::milliseconds run_time_total{0};
  std::optional<SiteLimit> limit{};
  // The limit in force now: max_live, or an adaptive limit's current value.
  std::optional<std::size_t> current_limit{};
  bool sheddable = false;
  bool cancellable = false;
};

struct LiveTask {
  std::string site{};
  std::chrono::nanoseconds age{0};
  // With Config::task_tree: the task's id and its parent's (the guarded task
  // that spawned it; 0 for none, which the tree calls a root). 0 otherwise.
  std::uint64_t id = 0;
  std::uint64_t parent = 0;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// The leak checks: live tasks per site against a baseline, reported as
// GoogleTest failures.
#include "spawnguard/testing/leak_check.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::testing {

namespace {

// Live task ages by site, oldest first.
std::map<std::string, std::vector<std::chrono::nanoseconds>, std::less<>>
live_by_site(const Guard &guard) {
  std::map<std::string, std::vector<std::chrono::nanoseconds>, std::less<>> out;
  for (auto &task : guard.live_task_list()) {
    out[task.site].push_back(task.age);
  }
  return out;
}

bool report_excess(const Guard &guard,
                   const std::map<std::string, std::int64_t, std::less<>> &baseline) {
  bool clean = true;
  for (const auto &[site, ages] : live_by_site(guard)) {
    const auto it = baseline.find(site);
    const std::int64_t before = it == baseline.end() ? 0 : it->second;
    const auto live = static_cast<std::int64_t>(ages.size());
    if (live <= before) {
      continue;
    }
    clean = false;
    std::string listed;
    for (std::size_t i = 0; i < ages.size() && i < 10; ++i) {
      listed += fmt::format("{}{:.3f}s", i == 0 ? "" : ", ",
                            std::chrono::duration<double>(ages[i]).count());
    }
    if (ages.size() > 10) {
      listed += fmt::format(", ... ({} more)", ages.size() - 10);
    }
    ADD_FAILURE() << fmt::format("spawnguard: {} task(s) still live at {} (ages {}){}",
                                 live - before, site, listed,
                                 before > 0 ? fmt::format("; {} were live before", before) : "");
  }
  return clean;
}

} // namespace

bool ExpectNoLiveTasks(const Guard &guard) { return report_excess(guard, {}); }

LeakCheck::LeakCheck(const Guard &guard) : guard_(guard) {
  for (const auto &[site, ages] : live_by_site(guard)) {
    baseline_[site] = static_cast<std::int64_t>(ages.size());
  }
}

LeakCheck::~LeakCheck() {
  if (!verified_) {
    Verify();
  }
}

bool LeakCheck::Verify() {
  verified_ = true;
  return report_excess(guard_, baseline_);
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::testing

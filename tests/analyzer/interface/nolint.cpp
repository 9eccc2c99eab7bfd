// Every NOLINT form clang-tidy users know, next to spawns that must still be reported.
#include <deque>
#include <thread>
#include <vector>

int next_connection();
void serve(int connection);

void bare_nolint(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection()); // NOLINT
  }
}

void nolint_with_check(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection()); // NOLINT(spawnguard-unbounded-spawn)
  }
}

void nolint_next_line(std::vector<std::thread> &threads) {
  for (;;) {
    // NOLINTNEXTLINE(spawnguard-unbounded-spawn)
    threads.emplace_back(serve, next_connection());
  }
}

// NOLINTBEGIN(spawnguard-*)
void nolint_region(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}
// NOLINTEND(spawnguard-*)

void nolint_for_another_check(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection()); // NOLINT(spawnguard-detached-thread)
  }
}

void not_suppressed(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}

std::deque<int> backlog;
void drain_backlog() { backlog.pop_front(); }

void nolint_queue() {
  for (;;) {
    backlog.push_back(next_connection()); // NOLINT(spawnguard-unbounded-queue)
  }
}

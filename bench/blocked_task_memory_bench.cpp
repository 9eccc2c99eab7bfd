// Bytes per live blocked task: N coroutines each waiting on its own
// steady_timer, spawned raw (boost::asio::co_spawn) and through the guard
// (spawnguard::co_spawn at a Site), RSS delta / N. Each measurement runs in a
// forked child so one does not reuse the pages the other freed.
// Last line: "tasks n=<N> raw_bytes=<n> guard_bytes=<n> extra_bytes=<n>".
#include "spawnguard/spawnguard.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace {

namespace asio = boost::asio;

struct Footprint {
  double rss_bytes = 0;
  double heap_bytes = 0;
};

double rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double heap_in_use() { return static_cast<double>(mallinfo2().uordblks); }

asio::awaitable<void> wait_on_own_timer() {
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// Footprint per task while `count` tasks wait on their timers.
template <typename Spawn> Footprint per_blocked_task(int count, Spawn spawn) {
  asio::io_context io(1);
  const double rss_before = rss_bytes(), heap_before = heap_in_use();
  for (int i = 0; i < count; ++i)
    spawn(io, wait_on_own_timer());
  io.poll(); // every task is now suspended on its timer
  return {(rss_bytes() - rss_before) / count, (heap_in_use() - heap_before) / count};
}

// Runs `measure` in a forked child and returns what it measured.
template <typename Measure> Footprint in_child(Measure measure) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    std::perror("blocked_task_memory_bench: pipe");
    std::exit(2);
  }
  pid_t child = fork();
  if (child == 0) {
    Footprint result = measure();
    ssize_t written = write(pipe_ends[1], &result, sizeof result);
    std::_Exit(written == sizeof result ? 0 : 1); // skip tearing down the live tasks
  }
  Footprint result;
  ssize_t got = read(pipe_ends[0], &result, sizeof result);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_ends[0]);
  close(pipe_ends[1]);
  if (got != sizeof result || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "blocked_task_memory_bench: the measuring child failed\n");
    std::exit(2);
  }
  return result;
}

} // namespace

int main(int argc, char **argv) {
  int count = 100'000;
  if (argc == 3 && std::string_view(argv[1]) == "--tasks") {
    std::string_view text = argv[2];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end != text.data() + text.size() || count < 1) {
      fmt::print(stderr, "blocked_task_memory_bench: --tasks '{}': give a whole number >= 1\n",
                 text);
      return 2;
    }
  } else if (argc != 1) {
    fmt::print(stderr, "usage: blocked_task_memory_bench [--tasks N]  (default 100000)\n");
    return 2;
  }
  const Footprint raw = in_child([count] {
    return per_blocked_task(count, [](auto &io, auto task) {
      asio::co_spawn(io, std::move(task), asio::detached);
    });
  });
  const Footprint guarded = in_child([count] {
    spawnguard::Config config;
    config.sink = spawnguard::SinkKind::none;
    spawnguard::Guard guard(config);
    auto site = guard.site("blocked-task");
    return per_blocked_task(count, [&site](auto &io, auto task) {
      spawnguard::co_spawn(site, io, std::move(task), asio::detached);
    });
  });
  fmt::print("{} tasks each blocked on its own steady_timer (RSS delta / N, heap delta / N):\n",
             count);
  fmt::print("  raw co_spawn:        {:.0f} B RSS, {:.0f} B heap\n", raw.rss_bytes,
             raw.heap_bytes);
  fmt::print("  spawnguard::co_spawn: {:.0f} B RSS, {:.0f} B heap\n", guarded.rss_bytes,
             guarded.heap_bytes);
  fmt::print("tasks n={} raw_bytes={:.0f} guard_bytes={:.0f} extra_bytes={:.0f}\n", count,
             raw.rss_bytes, guarded.rss_bytes, guarded.rss_bytes - raw.rss_bytes);
  return 0;
}

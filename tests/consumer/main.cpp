// A service in miniature that spawns through an installed spawnguard: 100
// tasks at a named site with a reject limit, then prints what the guard saw.
// The same file is a Boost.Asio service or, linked with
// spawnguard::runtime_standalone (which defines SPAWNGUARD_STANDALONE_ASIO),
// a standalone-Asio one; with CONSUMER_PART it is one half of a process that
// has both (both.cpp).
#include <spawnguard/spawnguard.hpp>

#ifdef SPAWNGUARD_STANDALONE_ASIO
#include <asio.hpp>
#define CONSUMER_FLAVOUR "standalone asio"
#else
#include <boost/asio/io_context.hpp>
namespace asio = boost::asio;
#define CONSUMER_FLAVOUR "boost.asio"
#endif

#include <cstdio>

#ifdef CONSUMER_PART
#define CONSUMER_ENTRY CONSUMER_PART
#else
#define CONSUMER_ENTRY main
#endif

namespace {
asio::awaitable<int> work(int n) { co_return n; }
} // namespace

int CONSUMER_ENTRY() {
  spawnguard::Config config;
  config.sink = spawnguard::SinkKind::none;
  spawnguard::Guard guard(config);
  auto site = guard.site("consumer-work");
  site.set_limit({.max_live = 60, .policy = spawnguard::LimitPolicy::reject});

  asio::io_context io;
  int sum = 0;
  int rejected = 0;
  for (int i = 1; i <= 100; ++i) {
    spawnguard::co_spawn(site, io, work(i), [&](std::exception_ptr e, int n) {
      if (e) {
        ++rejected;
      } else {
        sum += n;
      }
    });
  }
  io.run();
  const auto stats = site.stats();
  std::printf("%s: spawned=%llu finished=%llu rejected=%llu live=%lld sum=%d\n", CONSUMER_FLAVOUR,
              static_cast<unsigned long long>(stats.spawned),
              static_cast<unsigned long long>(stats.finished),
              static_cast<unsigned long long>(stats.rejected), static_cast<long long>(stats.live),
              sum);
  const bool ok = stats.spawned == 60 && stats.finished == 60 && stats.rejected == 40 &&
                  rejected == 40 && stats.live == 0 && sum == 60 * 61 / 2 &&
                  guard.prometheus_text().find("spawnguard_tasks_live{site=\"consumer-work\"} 0") !=
                      std::string::npos;
  std::puts(ok ? "consumer: ok" : "consumer: WRONG COUNTS");
  return ok ? 0 : 1;
}

// What the guard costs: spawn-and-finish of an empty coroutine through
// spawnguard::co_spawn against raw boost::asio::co_spawn (same process, same
// io_context), the extra heap bytes per live task, and the sampler's cost.
// Last line: "guard-overhead time=<ratio>x bytes_per_task=<n>".
#include "spawnguard/spawnguard.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <malloc.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string>

namespace {

namespace asio = boost::asio;

constexpr int batch = 256; // spawns per io_context::run()

asio::awaitable<void> empty_task() { co_return; }

spawnguard::Guard &bench_guard() {
  static spawnguard::Guard guard([] {
    spawnguard::Config config;
    config.sink = spawnguard::SinkKind::none;
    return config;
  }());
  return guard;
}

// The same with the task tree kept (Config::task_tree): its spawns carry an
// id and a parent, and its coroutines run on a TaskExecutor.
spawnguard::Guard &tree_guard() {
  static spawnguard::Guard guard([] {
    spawnguard::Config config;
    config.sink = spawnguard::SinkKind::none;
    config.task_tree = true;
    return config;
  }());
  return guard;
}

void raw_co_spawn(benchmark::State &state) {
  asio::io_context io(1);
  for (auto _ : state) {
    for (int i = 0; i < batch; ++i) {
      asio::co_spawn(io, empty_task(), asio::detached);
    }
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void guarded_co_spawn_at_site(benchmark::State &state) {
  asio::io_context io(1);
  auto site = bench_guard().site("bench-site");
  for (auto _ : state) {
    for (int i = 0; i < batch; ++i) {
      spawnguard::co_spawn(site, io, empty_task(), asio::detached);
    }
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

// The drop-in form: the site is found from std::source_location each call.
void guarded_co_spawn_by_location(benchmark::State &state) {
  asio::io_context io(1);
  for (auto _ : state) {
    for (int i = 0; i < batch; ++i) {
      spawnguard::co_spawn(io, empty_task(), asio::detached);
    }
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

// One sampler tick with 64 sites holding live tasks, real /proc reads included.
void sampler_tick(benchmark::State &state) {
  spawnguard::Config config;
  config.sink = spawnguard::SinkKind::none;
  spawnguard::Guard guard(config);
  std::vector<spawnguard::Admission> held;
  for (int s = 0; s < 64; ++s) {
    auto site = guard.site(fmt::format("site-{}", s));
    for (int t = 0; t < 16; ++t) {
      held.push_back(site.try_admit());
    }
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(guard.sample_now());
  }
}

std::int64_t thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

template <typename SpawnOne> double batch_cpu_ns(asio::io_context &io, SpawnOne spawn_one) {
  const auto start = thread_cpu_ns();
  for (int i = 0; i < batch; ++i) {
    spawn_one();
  }
  io.run();
  io.restart();
  return static_cast<double>(thread_cpu_ns() - start);
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2),
                   values.end());
  return values[values.size() / 2];
}

// Thread CPU time of `batches` batches after as many warm-up batches, so that
// the allocator's free lists and the caches hold this kind of spawn's blocks.
template <typename SpawnOne> double warm_cpu_ns(asio::io_context &io, SpawnOne spawn_one) {
  constexpr int batches = 4;
  for (int i = 0; i < batches; ++i) {
    batch_cpu_ns(io, spawn_one);
  }
  double total = 0;
  for (int i = 0; i < batches; ++i) {
    total += batch_cpu_ns(io, spawn_one);
  }
  return total;
}

// The headline ratio: raw and guarded blocks alternate (in both orders), so
// load from other processes on this machine hits both alike; the median of
// the per-round ratios of thread CPU time is reported.
void interleaved_ratio(benchmark::State &state) {
  asio::io_context io(1);
  auto site = bench_guard().site("bench-interleaved");
  auto raw = [&] { asio::co_spawn(io, empty_task(), asio::detached); };
  auto at_site = [&] { spawnguard::co_spawn(site, io, empty_task(), asio::detached); };
  auto by_location = [&] { spawnguard::co_spawn(io, empty_task(), asio::detached); };
  std::vector<double> site_ratios;
  std::vector<double> location_ratios;
  bool raw_first = true;
  for (auto _ : state) {
    double raw_ns = 0;
    double site_ns = 0;
    double location_ns = 0;
    if (raw_first) {
      raw_ns = warm_cpu_ns(io, raw);
      site_ns = warm_cpu_ns(io, at_site);
      location_ns = warm_cpu_ns(io, by_location);
    } else {
      location_ns = warm_cpu_ns(io, by_location);
      site_ns = warm_cpu_ns(io, at_site);
      raw_ns = warm_cpu_ns(io, raw);
    }
    raw_first = !raw_first;
    site_ratios.push_back(site_ns / raw_ns);
    location_ratios.push_back(location_ns / raw_ns);
  }
  state.counters["site_ratio"] = median(site_ratios);
  state.counters["location_ratio"] = median(location_ratios);
}

// The same pairing for a guard that keeps the task tree, apart, so that its
// blocks do not sit between the headline's.
void interleaved_tree_ratio(benchmark::State &state) {
  asio::io_context io(1);
  auto tree_site = tree_guard().site("bench-tree");
  auto raw = [&] { asio::co_spawn(io, empty_task(), asio::detached); };
  auto in_tree = [&] { spawnguard::co_spawn(tree_site, io, empty_task(), asio::detached); };
  std::vector<double> ratios;
  bool raw_first = true;
  for (auto _ : state) {
    double raw_ns = 0;
    double tree_ns = 0;
    if (raw_first) {
      raw_ns = warm_cpu_ns(io, raw);
      tree_ns = warm_cpu_ns(io, in_tree);
    } else {
      tree_ns = warm_cpu_ns(io, in_tree);
      raw_ns = warm_cpu_ns(io, raw);
    }
    raw_first = !raw_first;
    ratios.push_back(tree_ns / raw_ns);
  }
  state.counters["tree_ratio"] = median(ratios);
}

BENCHMARK(interleaved_ratio)->Iterations(400);
BENCHMARK(interleaved_tree_ratio)->Iterations(400);
BENCHMARK(raw_co_spawn)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.2);
BENCHMARK(guarded_co_spawn_at_site)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.2);
BENCHMARK(guarded_co_spawn_by_location)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.2);
BENCHMARK(sampler_tick)->MinTime(0.2);

// Keeps the medians (and the single-run sampler figure) by benchmark name.
class MedianCollector : public benchmark::ConsoleReporter {
public:
  MedianCollector() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const auto &run : runs) {
      if (run.aggregate_name == "median" || run.aggregate_name.empty()) {
        nanoseconds_per_iteration[run.run_name.function_name] = run.GetAdjustedCPUTime();
      }
      for (const auto &[name, counter] : run.counters) {
        counters[name] = counter.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> nanoseconds_per_iteration;
  std::map<std::string, double> counters;
};

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// Heap bytes per task while `count` tasks wait on one timer.
template <typename Spawn> double heap_bytes_per_live_task(int count, Spawn spawn) {
  asio::io_context io(1);
  asio::steady_timer gate(io, asio::steady_timer::time_point::max());
  auto wait = [&gate]() -> asio::awaitable<void> {
    boost::system::error_code ignored;
    co_await gate.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  };
  // Warm Asio's per-thread caches first, as a running server has them.
  for (int i = 0; i < 1000; ++i) {
    spawn(io, wait());
  }
  io.poll();
  gate.cancel();
  io.run();
  io.restart();
  gate.expires_at(asio::steady_timer::time_point::max());

  const auto before = heap_in_use();
  for (int i = 0; i < count; ++i) {
    spawn(io, wait());
  }
  io.poll(); // every task is now suspended on the gate
  const auto after = heap_in_use();
  gate.cancel();
  io.run();
  return static_cast<double>(after - before) / count;
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  MedianCollector reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  constexpr int live_tasks = 100'000;
  auto site = bench_guard().site("bench-live");
  const double raw_bytes = heap_bytes_per_live_task(live_tasks, [](auto &io, auto task) {
    asio::co_spawn(io, std::move(task), asio::detached);
  });
  const double guarded_bytes = heap_bytes_per_live_task(live_tasks, [&](auto &io, auto task) {
    spawnguard::co_spawn(site, io, std::move(task), asio::detached);
  });
  auto tree_site = tree_guard().site("bench-tree-live");
  const double tree_bytes = heap_bytes_per_live_task(live_tasks, [&](auto &io, auto task) {
    spawnguard::co_spawn(tree_site, io, std::move(task), asio::detached);
  });

  auto &ns = reporter.nanoseconds_per_iteration;
  const double raw = ns["raw_co_spawn"] / batch;
  const double at_site = ns["guarded_co_spawn_at_site"] / batch;
  const double by_location = ns["guarded_co_spawn_by_location"] / batch;
  const double sampler_share = ns["sampler_tick"] / 100e6; // of one core at a 100 ms period
  fmt::print("separate runs (median CPU time): raw {:.1f} ns, guarded (Site) {:.1f} ns ({:.3f}x), guarded "
             "(source_location) {:.1f} ns ({:.3f}x)\n",
             raw, at_site, at_site / raw, by_location, by_location / raw);
  fmt::print("heap per live task ({} tasks): raw {:.1f} B, guarded {:.1f} B, extra {:.1f} B\n",
             live_tasks, raw_bytes, guarded_bytes, guarded_bytes - raw_bytes);
  fmt::print("sampler: {:.1f} us per tick with 64 sites = {:.3f}% of a core at 100 ms\n",
             ns["sampler_tick"] / 1000, sampler_share * 100);
  const double site_ratio = reporter.counters["site_ratio"];
  const double location_ratio = reporter.counters["location_ratio"];
  fmt::print("interleaved median ratio (thread CPU time): Site {:.3f}x, source_location {:.3f}x\n",
             site_ratio, location_ratio);
  fmt::print("task tree kept (Config::task_tree): interleaved median ratio {:.3f}x, heap per live "
             "task {:.1f} B, extra {:.1f} B\n",
             reporter.counters["tree_ratio"], tree_bytes, tree_bytes - raw_bytes);
  fmt::print("guard-overhead time={:.2f}x bytes_per_task={:.0f}\n",
             std::max(site_ratio, location_ratio), guarded_bytes - raw_bytes);
  return 0;
}

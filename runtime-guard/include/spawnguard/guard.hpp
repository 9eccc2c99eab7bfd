// Guard: the registry of spawn sites and their live tasks, the memory sampler
// with its forecast and trip policy, the alert sinks, and the reports
// (dump, Prometheus). One per process is usual: Guard::global().
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/config.hpp"
#include "spawnguard/memory_probe.hpp"
#include "spawnguard/site.hpp"
#include "spawnguard/site_stats.hpp"

#include "spawnguard/detail/asio.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace detail {
class GuardState;
struct SinkDeliveries;
} // namespace detail

// How the sampler learns of memory pressure: woken by a PSI trigger as well
// as by its timer (armed), or by the timer alone (note says why).
struct PressureTriggerStatus {
  bool armed = false;
  std::string file{};    // the PSI file, e.g. /proc/pressure/memory
  std::string trigger{}; // the line the kernel took, e.g. "some 150000 2000000"
  std::string note{};    // what was changed to fit the kernel, or why there is no trigger
  std::uint64_t fires = 0; // samples the trigger woke
};

// How a dump lays out the live tasks: grouped by site, or (with
// Config::task_tree) as the tree of who spawned whom, with counts per subtree.
enum class DumpShape { by_site, tree };

class Guard {
public:
  explicit Guard(Config config = Config{});
  // Stops the sampler. Tasks spawned through this guard must be over (or their
  // io_context destroyed) before the guard is.
  ~Guard();
  Guard(const Guard &) = delete;
  Guard &operator=(const Guard &) = delete;

  // The process-wide guard the wrappers without a Site use, made on first use
  // from Config::from_environment() (throws ConfigError on a bad SPAWNGUARD_*
  // value: call it at start-up to fail early). Never destroyed.
  static Guard &global();

  // The site at the caller's file:line.
  Site here(std::source_location where = std::source_location::current());
  // A named site, one for every call site that uses the name (a group).
  Site site(std::string_view name, std::source_location where = std::source_location::current());
  Site site(const SpawnSite &spawn_site);
  std::optional<Site> find(std::string_view label) const;

  // Every site, most live tasks first.
  std::vector<SiteStats> stats() const;
  std::int64_t live_tasks() const;
  // Every live task with its site and age, oldest first.
  std::vector<LiveTask> live_task_list() const;
  // The goroutine-dump answer: live tasks grouped by site, biggest group
  // first; or as a tree, biggest subtree first (DumpShape::tree).
  std::string dump_text(DumpShape shape = DumpShape::by_site) const;
  std::string dump_json(DumpShape shape = DumpShape::by_site) const;
  // Prometheus text exposition format 0.0.4.
  std::string prometheus_text() const;

  // Samples every Config::sample_period on its own timer on `ex` (a strand of
  // it), and at once when the PSI trigger (Config::pressure_trigger) fires.
  // Calling it again restarts the sampler.
  void start_sampler(const detail::net::any_io_executor &ex);
  void stop_sampler();
  // One sample now: reads memory, updates the forecast and the level,
  // publishes an alert to the sinks when the level changed. Returns the state
  // as an alert (its level may be unchanged).
  Alert sample_now();
  // The same with a given reading and time (tests, custom probes).
  Alert sample_now(const MemoryReading &reading, std::chrono::steady_clock::time_point at);

  // The sampler's PSI trigger; nullopt before start_sampler.
  std::optional<PressureTriggerStatus> pressure_trigger() const;

  AlertLevel level() const noexcept;
  // Sinks get every level change. The Config's sink (log by default) is
  // added at construction.
  void add_sink(std::shared_ptr<AlertSink> sink);
  // The last level changes, oldest first (a fixed ring of 64).
  std::vector<Alert> recent_alerts() const;
  std::optional<MemoryReading> last_reading() const;
  const Config &config() const noexcept;

private:
  Alert sample_locked(const MemoryReading &reading, std::chrono::steady_clock::time_point at,
                      detail::SinkDeliveries &deliveries);

  std::unique_ptr<detail::GuardState> state_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

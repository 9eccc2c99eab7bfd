// SiteState: one spawn site's counters, limit and live-task list. The spawn
// and finish paths each take one of a few small per-site locks and nothing else.
#pragma once

#include "spawnguard/async_semaphore.hpp"
#include "spawnguard/errors.hpp"
#include "spawnguard/site_stats.hpp"
#include "spawnguard/spawn_site.hpp"
#include "spawnguard/detail/spin_lock.hpp"
#include "spawnguard/detail/task_clock.hpp"
#include "spawnguard/detail/task_record.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SiteState;

enum class TaskEnd { finished, failed };

// What the site says to a spawn: go (with its record), wait, or no.
struct AdmissionDecision {
  TaskRecord *record = nullptr;
  bool must_wait = false;
  errc refusal{};
};

class SiteState {
public:
  SiteState(SpawnSite site, const std::atomic<bool> &shedding);
  ~SiteState();
  SiteState(const SiteState &) = delete;
  SiteState &operator=(const SiteState &) = delete;

  static SiteState &of(const TaskRecord &record) noexcept;

  const SpawnSite &site() const noexcept { return site_; }
  const std::string &label() const noexcept { return site_.label(); }

  AdmissionDecision try_admit() noexcept;
  // Starts a task; holds_permit: it took a permit of semaphore() to release.
  // nullptr when its record cannot be allocated: no task started, nothing
  // counted, the permit still the caller's.
  TaskRecord *start_task(bool holds_permit) noexcept;
  static void end_task(TaskRecord *record, TaskEnd how) noexcept;
  void count_rejected() noexcept { rejected_.fetch_add(1, std::memory_order_relaxed); }

  // The semaphore of a reject or wait limit (never destroyed once made).
  AsyncSemaphore &semaphore() noexcept;
  std::chrono::milliseconds wait_timeout() const noexcept;

  // Throws std::invalid_argument for an adaptive limit without 1 <= min_live <= max_live.
  void set_limit(const SiteLimit &limit);
  void clear_limit();
  std::optional<SiteLimit> limit() const;
  // Bumped by every set_limit/clear_limit, so that the sampler's adaptive
  // state knows when the limit it adapts was replaced.
  std::uint64_t limit_generation() const noexcept {
    return limit_generation_.load(std::memory_order_acquire);
  }
  // The sampler moves an adaptive limit; ignored unless `generation` is still
  // the current one and the limit is adaptive.
  void set_adapted_limit(std::size_t live, std::uint64_t generation);
  // The sampler scales a wait limit's timeout by the overload scale (0 to 1;
  // at least 1 ms) at sheddable sites; 1 restores the configured timeout.
  void scale_wait_timeout(double scale);
  bool sheddable() const noexcept { return sheddable_.load(std::memory_order_relaxed); }
  void set_sheddable(bool sheddable) noexcept { sheddable_.store(sheddable); }
  // Tasks spawned while the site is cancellable carry a CancelPoint.
  bool cancellable() const noexcept { return cancellable_.load(std::memory_order_relaxed); }
  void set_cancellable(bool cancellable) noexcept { cancellable_.store(cancellable); }
  // Tasks spawned while the site keeps the task tree have an id and record
  // the thread's current task as parent (Config::task_tree).
  bool in_tree() const noexcept { return tree_.load(std::memory_order_relaxed); }
  void set_in_tree(bool tree) noexcept { tree_.store(tree); }
  // Asks the `count` oldest live tasks that can be cancelled and were not
  // asked yet to cancel; appends the age of each one asked to `ages`.
  std::size_t cancel_oldest(std::size_t count, std::int64_t now_ns,
                            std::vector<std::chrono::nanoseconds> &ages);

  // Summed over the shards without their locks: exact when nothing runs.
  std::int64_t live() const noexcept;
  // walk_tasks fills the age histogram by visiting every live task; the
  // sampler skips it and reads live from the counter.
  SiteStats stats(std::int64_t now_ns, bool walk_tasks = true) const;
  void append_live_tasks(std::vector<LiveTask> &out, std::int64_t now_ns) const;

private:
  static constexpr std::size_t shard_count = 8;
  struct alignas(64) Shard {
    SpinLock lock;
    TaskRecord *head = nullptr; // oldest
    TaskRecord *tail = nullptr;
    std::uint64_t spawned = 0;
    std::uint64_t finished = 0;
    std::uint64_t failed = 0;
    std::uint64_t run_ms = 0; // summed lifetime of the ended tasks, by the ticker
    // Written under the lock, read without it by live().
    std::atomic<std::int64_t> live{0};
  };
  static std::size_t shard_of(const TaskRecord *record) noexcept;

  SpawnSite site_;
  const std::atomic<bool> &shedding_;
  std::uint32_t index_; // in the process-wide site table
  // The highest live count seen by the sampler or a stats() call: an exact
  // peak would need a site-wide atomic on every spawn and finish.
  mutable std::atomic<std::int64_t> peak_live_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<bool> sheddable_{false};
  std::atomic<bool> cancellable_{false};
  std::atomic<bool> tree_{false};
  std::atomic<std::uint64_t> cancelled_{0};
  // 0 none, else LimitPolicy + 1.
  std::atomic<int> policy_{0};
  std::atomic<AsyncSemaphore *> semaphore_{nullptr};
  std::atomic<std::int64_t> wait_timeout_ms_{0};
  std::atomic<std::uint64_t> limit_generation_{0};
  std::atomic<std::size_t> current_limit_{0}; // the limit in force (adaptive: adapted)
  mutable std::mutex limit_mutex_;
  std::optional<SiteLimit> limit_;
  std::unique_ptr<AsyncSemaphore> owned_semaphore_;
  mutable std::array<Shard, shard_count> shards_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

// SiteState: admission, the live-task list and the per-site counters.
#include "spawnguard/detail/site_state.hpp"

#include "spawnguard/detail/cancel_point.hpp"
#include "spawnguard/detail/task_tree.hpp"
#include "site_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <new>
#include <stdexcept>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

int encode(LimitPolicy policy) { return static_cast<int>(policy) + 1; }

} // namespace

SiteState::SiteState(SpawnSite site, const std::atomic<bool> &shedding)
    : site_(std::move(site)), shedding_(shedding), index_(register_site(this)) {
  start_ticker(); // before the first spawn
}

SiteState::~SiteState() { unregister_site(index_); }

SiteState &SiteState::of(const TaskRecord &record) noexcept {
  return *site_at(record.site_index());
}

std::size_t SiteState::shard_of(const TaskRecord *record) noexcept {
  auto bits = reinterpret_cast<std::uintptr_t>(record) >> 4;
  return static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ULL) >> 61) % shard_count;
}

AdmissionDecision SiteState::try_admit() noexcept {
  if (sheddable_.load(std::memory_order_relaxed) && shedding_.load(std::memory_order_relaxed)) {
    count_rejected();
    return {nullptr, false, errc::shed};
  }
  const int policy = policy_.load(std::memory_order_acquire);
  if (policy != encode(LimitPolicy::reject) && policy != encode(LimitPolicy::wait)) {
    if (TaskRecord *record = start_task(false)) {
      return {record};
    }
    count_rejected();
    return {nullptr, false, errc::out_of_memory};
  }
  auto &gate = semaphore();
  if (auto permit = gate.try_acquire()) {
    if (TaskRecord *record = start_task(true)) {
      permit->detach();
      return {record};
    }
    count_rejected(); // the permit goes back as it is destroyed
    return {nullptr, false, errc::out_of_memory};
  }
  if (policy == encode(LimitPolicy::wait)) {
    return {nullptr, true};
  }
  count_rejected();
  return {nullptr, false, errc::limit_reached};
}

TaskRecord *SiteState::start_task(bool holds_permit) noexcept {
  const auto started_ms = ticker_now_ms();
  const std::uint64_t packed = index_ | (holds_permit ? TaskRecord::permit_bit : 0) |
                               (started_ms << TaskRecord::time_shift);
  TaskRecord *record = nullptr;
  // The spawn path is noexcept: a failed allocation refuses the spawn
  // (errc::out_of_memory) rather than terminating the process.
  const bool tree = tree_.load(std::memory_order_relaxed);
  if (cancellable_.load(std::memory_order_relaxed)) {
    auto *cancellable = new (std::nothrow) CancellableRecord{};
    if (cancellable == nullptr) {
      return nullptr;
    }
    try {
      cancellable->point = std::make_shared<CancelPoint>();
    } catch (const std::bad_alloc &) {
      delete cancellable;
      return nullptr;
    }
    cancellable->packed = packed | TaskRecord::cancellable_bit | (tree ? TaskRecord::tree_bit : 0);
    if (tree) {
      cancellable->id = next_task_id();
      cancellable->parent = current_task;
    }
    record = cancellable;
  } else if (tree) [[unlikely]] {
    TreeRecord *in_tree = take_tree_record();
    if (in_tree == nullptr) {
      return nullptr;
    }
    *in_tree = TreeRecord{{nullptr, nullptr, packed | TaskRecord::tree_bit}, next_task_id(),
                          current_task};
    record = in_tree;
  } else {
    record = take_record();
    if (record == nullptr) {
      return nullptr;
    }
    *record = TaskRecord{nullptr, nullptr, packed};
  }

  Shard &shard = shards_[shard_of(record)];
  std::lock_guard lock(shard.lock);
  record->prev = shard.tail;
  (shard.tail != nullptr ? shard.tail->next : shard.head) = record;
  shard.tail = record;
  ++shard.spawned;
  shard.live.store(shard.live.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return record;
}

void SiteState::end_task(TaskRecord *record, TaskEnd how) noexcept {
  SiteState &site = of(*record);
  const auto started_ms = static_cast<std::uint64_t>(record->started_ns() / 1'000'000);
  const auto ended_ms = ticker_now_ms();
  {
    Shard &shard = site.shards_[shard_of(record)];
    std::lock_guard lock(shard.lock);
    (record->prev != nullptr ? record->prev->next : shard.head) = record->next;
    (record->next != nullptr ? record->next->prev : shard.tail) = record->prev;
    ++(how == TaskEnd::failed ? shard.failed : shard.finished);
    shard.run_ms += ended_ms > started_ms ? ended_ms - started_ms : 0;
    shard.live.store(shard.live.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  }
  if (record->holds_permit()) {
    site.semaphore().release_detached();
  }
  if (record->cancellable()) {
    auto *cancellable = static_cast<CancellableRecord *>(record);
    cancellable->point->end();
    delete cancellable;
  } else if (record->in_tree()) [[unlikely]] {
    give_tree_record(static_cast<TreeRecord *>(record));
  } else {
    give_record(record);
  }
}

std::size_t SiteState::cancel_oldest(std::size_t count, std::int64_t now_ns,
                                     std::vector<std::chrono::nanoseconds> &ages) {
  // Each shard's list is in start order: its first `count` candidates
  // include every one of its tasks among the site's `count` oldest.
  std::vector<std::pair<std::int64_t, std::shared_ptr<CancelPoint>>> candidates;
  for (Shard &shard : shards_) {
    std::lock_guard lock(shard.lock);
    std::size_t taken = 0;
    for (TaskRecord *r = shard.head; r != nullptr && taken < count; r = r->next) {
      if (CancelPoint *point = cancel_point_of(r); point != nullptr && point->cancellable_now()) {
        candidates.emplace_back(r->started_ns(), static_cast<CancellableRecord *>(r)->point);
        ++taken;
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  std::size_t asked = 0;
  for (auto &[started_ns, point] : candidates) {
    if (asked == count) {
      break;
    }
    if (point->request()) {
      ages.emplace_back(std::max<std::int64_t>(0, now_ns - started_ns));
      ++asked;
    }
  }
  cancelled_.fetch_add(asked, std::memory_order_relaxed);
  return asked;
}

AsyncSemaphore &SiteState::semaphore() noexcept {
  if (auto *existing = semaphore_.load(std::memory_order_acquire)) {
    return *existing;
  }
  std::lock_guard lock(limit_mutex_);
  if (!owned_semaphore_) {
    owned_semaphore_ = std::make_unique<AsyncSemaphore>(0, 0);
    semaphore_.store(owned_semaphore_.get(), std::memory_order_release);
  }
  return *owned_semaphore_;
}

std::chrono::milliseconds SiteState::wait_timeout() const noexcept {
  return std::chrono::milliseconds(wait_timeout_ms_.load(std::memory_order_relaxed));
}

void SiteState::set_limit(const SiteLimit &limit) {
  std::size_t in_force = limit.max_live;
  if (const auto &adaptive = limit.adaptive) {
    if (adaptive->min_live < 1 || adaptive->min_live > limit.max_live) {
      throw std::invalid_argument(fmt::format(
          "site {}: an adaptive limit needs 1 <= min_live <= max_live (min_live={}, max_live={})",
          label(), adaptive->min_live, limit.max_live));
    }
    in_force = std::clamp(adaptive->initial_live, adaptive->min_live, limit.max_live);
  }
  auto &gate = semaphore();
  std::lock_guard lock(limit_mutex_);
  limit_ = limit;
  gate.set_max_waiters(limit.max_waiters);
  gate.set_capacity(in_force);
  current_limit_.store(in_force, std::memory_order_relaxed);
  wait_timeout_ms_.store(limit.wait_timeout.count(), std::memory_order_relaxed);
  limit_generation_.fetch_add(1, std::memory_order_acq_rel);
  policy_.store(encode(limit.policy), std::memory_order_release);
}

void SiteState::clear_limit() {
  std::lock_guard lock(limit_mutex_);
  limit_.reset();
  limit_generation_.fetch_add(1, std::memory_order_acq_rel);
  policy_.store(0, std::memory_order_release);
}

void SiteState::set_adapted_limit(std::size_t live, std::uint64_t generation) {
  auto &gate = semaphore();
  std::lock_guard lock(limit_mutex_);
  if (!limit_ || !limit_->adaptive || limit_generation() != generation) {
    return;
  }
  gate.set_capacity(live);
  current_limit_.store(live, std::memory_order_relaxed);
}

void SiteState::scale_wait_timeout(double scale) {
  std::lock_guard lock(limit_mutex_);
  if (limit_ && limit_->policy == LimitPolicy::wait) {
    const auto scaled = std::llround(static_cast<double>(limit_->wait_timeout.count()) *
                                     std::clamp(scale, 0.0, 1.0));
    wait_timeout_ms_.store(std::max<std::int64_t>(1, scaled), std::memory_order_relaxed);
  }
}

std::optional<SiteLimit> SiteState::limit() const {
  std::lock_guard lock(limit_mutex_);
  return limit_;
}

std::int64_t SiteState::live() const noexcept {
  std::int64_t live = 0;
  for (const Shard &shard : shards_) {
    live += shard.live.load(std::memory_order_relaxed);
  }
  return live;
}

SiteStats SiteState::stats(std::int64_t now_ns, bool walk_tasks) const {
  SiteStats out;
  out.label = label();
  out.rejected = rejected_.load(std::memory_order_relaxed);
  out.sheddable = sheddable_.load(std::memory_order_relaxed);
  out.cancellable = cancellable_.load(std::memory_order_relaxed);
  out.cancelled = cancelled_.load(std::memory_order_relaxed);
  out.limit = limit();
  if (out.limit) {
    out.current_limit = current_limit_.load(std::memory_order_relaxed);
  }
  std::int64_t oldest = now_ns;
  std::int64_t live = 0;
  for (Shard &shard : shards_) {
    std::lock_guard lock(shard.lock);
    out.spawned += shard.spawned;
    out.finished += shard.finished;
    out.failed += shard.failed;
    out.run_time_total += std::chrono::milliseconds(shard.run_ms);
    live += shard.live.load(std::memory_order_relaxed);
    for (const TaskRecord *r = walk_tasks ? shard.head : nullptr; r != nullptr; r = r->next) {
      const auto age_s = (now_ns - r->started_ns()) / 1'000'000'000;
      const auto &bounds = AgeHistogram::upper_bounds_seconds;
      const auto bucket = std::upper_bound(bounds.begin(), bounds.end(), age_s) - bounds.begin();
      ++out.ages.counts[static_cast<std::size_t>(bucket)];
    }
    if (shard.head != nullptr) {
      oldest = std::min(oldest, shard.head->started_ns());
    }
  }
  out.live = live;
  auto peak = peak_live_.load(std::memory_order_relaxed);
  while (live > peak && !peak_live_.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  out.peak_live = std::max(peak, live);
  out.oldest_age = std::chrono::nanoseconds(std::max<std::int64_t>(0, now_ns - oldest));
  return out;
}

void SiteState::append_live_tasks(std::vector<LiveTask> &out, std::int64_t now_ns) const {
  for (Shard &shard : shards_) {
    std::lock_guard lock(shard.lock);
    for (const TaskRecord *r = shard.head; r != nullptr; r = r->next) {
      LiveTask task{label(),
                    std::chrono::nanoseconds(std::max<std::int64_t>(0, now_ns - r->started_ns()))};
      if (r->in_tree()) {
        task.id = static_cast<const TreeRecord *>(r)->id;
        task.parent = static_cast<const TreeRecord *>(r)->parent;
      }
      out.push_back(std::move(task));
    }
  }
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

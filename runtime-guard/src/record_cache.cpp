// The per-thread caches of freed task records, and task ids.
#include "spawnguard/detail/task_record.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <new>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

// Freed records wait here for the next spawn on this thread: no malloc on the
// spawn path in steady state, and at most `capacity` records kept per thread.
template <typename Record> class RecordCache {
public:
  static constexpr std::size_t capacity = 1024;
  RecordCache() = default;
  RecordCache(const RecordCache &) = delete;
  RecordCache &operator=(const RecordCache &) = delete;
  ~RecordCache() {
    for (std::size_t i = 0; i < size_; ++i) {
      ::operator delete(free_[i]);
    }
  }
  // nullptr when the heap has no block for it.
  Record *take() noexcept {
    if (size_ > 0) {
      return free_[--size_];
    }
    return static_cast<Record *>(::operator new(sizeof(Record), std::nothrow));
  }
  void give(Record *record) noexcept {
    if (size_ < capacity) {
      free_[size_++] = record;
    } else {
      ::operator delete(record);
    }
  }

private:
  std::size_t size_ = 0;
  std::array<Record *, capacity> free_{};
};

thread_local RecordCache<TaskRecord> record_cache;
thread_local RecordCache<TreeRecord> tree_record_cache;

// Task ids: each thread takes a block at a time, so ids cost no shared write
// per spawn. Starts at 1: 0 means "no task".
constexpr std::uint64_t id_block = 1024;
std::atomic<std::uint64_t> next_id_block{1};

} // namespace

TaskRecord *take_record() noexcept { return record_cache.take(); }

void give_record(TaskRecord *record) noexcept { record_cache.give(record); }

TreeRecord *take_tree_record() noexcept { return tree_record_cache.take(); }

void give_tree_record(TreeRecord *record) noexcept { tree_record_cache.give(record); }

std::uint64_t next_task_id() noexcept {
  thread_local std::uint64_t next = 0;
  thread_local std::uint64_t end = 0;
  if (next == end) {
    next = next_id_block.fetch_add(id_block, std::memory_order_relaxed);
    end = next + id_block;
  }
  return next++;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

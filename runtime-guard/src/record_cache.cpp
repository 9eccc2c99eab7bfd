// The per-thread cache of freed task records.
#include "spawnguard/detail/task_record.hpp"

#include <array>
#include <cstddef>
#include <new>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

// Freed records wait here for the next spawn on this thread: no malloc on the
// spawn path in steady state, and at most `capacity` records kept per thread.
class RecordCache {
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
  TaskRecord *take() {
    if (size_ > 0) {
      return free_[--size_];
    }
    return static_cast<TaskRecord *>(::operator new(sizeof(TaskRecord)));
  }
  void give(TaskRecord *record) noexcept {
    if (size_ < capacity) {
      free_[size_++] = record;
    } else {
      ::operator delete(record);
    }
  }

private:
  std::size_t size_ = 0;
  std::array<TaskRecord *, capacity> free_{};
};

thread_local RecordCache record_cache;

} // namespace

TaskRecord *take_record() { return record_cache.take(); }

void give_record(TaskRecord *record) noexcept { record_cache.give(record); }

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

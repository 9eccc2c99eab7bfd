// TaskRecord: the guard's memory for one live task, linked into its site's
// list while the task runs.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstdint>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

// The guard's memory for one live task: 24 bytes (a 32-byte heap block),
// freed when the task ends. The site is an index into a process-wide table so
// that the record stays within the allocator's smallest block.
struct TaskRecord {
  TaskRecord *prev;
  TaskRecord *next;
  // site index (23 bits) | cancellable (1) | holds a permit (1) | started, ms (39)
  std::uint64_t packed;

  static constexpr unsigned index_bits = 23;
  static constexpr std::uint64_t cancellable_bit = std::uint64_t{1} << index_bits;
  static constexpr std::uint64_t permit_bit = cancellable_bit << 1;
  static constexpr unsigned time_shift = index_bits + 2;

  std::uint32_t site_index() const noexcept {
    return static_cast<std::uint32_t>(packed & (cancellable_bit - 1));
  }
  bool holds_permit() const noexcept { return (packed & permit_bit) != 0; }
  // A CancellableRecord: a task of a cancellable site, with its CancelPoint.
  bool cancellable() const noexcept { return (packed & cancellable_bit) != 0; }
  std::int64_t started_ns() const noexcept {
    return static_cast<std::int64_t>(packed >> time_shift) * 1'000'000;
  }
};

// Records come from a per-thread cache of freed ones (at most 1024 kept per
// thread), so the spawn path does not reach malloc in steady state.
TaskRecord *take_record();
void give_record(TaskRecord *record) noexcept;

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

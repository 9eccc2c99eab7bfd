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
  // site index (22 bits) | cancellable (1) | holds a permit (1) | in the task
  // tree (1) | started, ms (39)
  std::uint64_t packed;

  static constexpr unsigned index_bits = 22;
  static constexpr std::uint64_t cancellable_bit = std::uint64_t{1} << index_bits;
  static constexpr std::uint64_t permit_bit = cancellable_bit << 1;
  static constexpr std::uint64_t tree_bit = permit_bit << 1;
  static constexpr unsigned time_shift = index_bits + 3;

  std::uint32_t site_index() const noexcept {
    return static_cast<std::uint32_t>(packed & (cancellable_bit - 1));
  }
  bool holds_permit() const noexcept { return (packed & permit_bit) != 0; }
  // A CancellableRecord: a task of a cancellable site, with its CancelPoint.
  bool cancellable() const noexcept { return (packed & cancellable_bit) != 0; }
  // A TreeRecord (a CancellableRecord is one too): the task has an id and
  // knows its parent's.
  bool in_tree() const noexcept { return (packed & tree_bit) != 0; }
  std::int64_t started_ns() const noexcept {
    return static_cast<std::int64_t>(packed >> time_shift) * 1'000'000;
  }
};

// The record of a task spawned while its guard keeps the task tree
// (Config::task_tree): 40 bytes (a 48-byte block). `parent` is the id of the
// guarded task that was running on the spawning thread (0: none); it is kept
// as an id, never a pointer, so a parent that ends first leaves nothing to
// dangle: the dump shows the children under an "ended" node of that id.
struct TreeRecord : TaskRecord {
  std::uint64_t id;
  std::uint64_t parent;
};

// Records come from per-thread caches of freed ones (at most 1024 of each
// size kept per thread), so the spawn path does not reach malloc in steady
// state; nullptr when the cache is empty and the heap has no block.
TaskRecord *take_record() noexcept;
void give_record(TaskRecord *record) noexcept;
TreeRecord *take_tree_record() noexcept;
void give_tree_record(TreeRecord *record) noexcept;

// A fresh task id, never 0 (ids come to each thread in blocks).
std::uint64_t next_task_id() noexcept;

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

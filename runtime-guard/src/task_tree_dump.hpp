// The task tree of a dump: live tasks linked to their parents by id, with a
// placeholder node for each parent that ended before its children.
#pragma once

#include "spawnguard/site_stats.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

struct TaskTreeNode {
  const LiveTask *task = nullptr; // nullptr: a parent that has ended
  std::uint64_t id = 0;
  std::size_t subtree = 0;        // live tasks here and below
  std::vector<std::size_t> children; // biggest subtree first, then oldest
};

struct TaskTree {
  std::vector<TaskTreeNode> nodes;
  std::vector<std::size_t> roots; // biggest subtree first, then oldest
};

// `tasks` must outlive the tree. A task with no parent (or not in the tree)
// is a root; a task whose parent is not live hangs under an "ended" node.
TaskTree build_task_tree(const std::vector<LiveTask> &tasks);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

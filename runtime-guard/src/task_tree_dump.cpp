// Builds the task tree of a dump from the live-task list.
#include "task_tree_dump.hpp"

#include <algorithm>
#include <unordered_map>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

TaskTree build_task_tree(const std::vector<LiveTask> &tasks) {
  TaskTree tree;
  tree.nodes.reserve(tasks.size());
  std::unordered_map<std::uint64_t, std::size_t> by_id;
  for (const auto &task : tasks) {
    const auto index = tree.nodes.size();
    tree.nodes.push_back({&task, task.id, 0, {}});
    if (task.id != 0) {
      by_id.emplace(task.id, index);
    }
  }
  const auto live_count = tree.nodes.size();
  for (std::size_t i = 0; i < live_count; ++i) {
    const auto parent = tree.nodes[i].task->parent;
    if (parent == 0) {
      tree.roots.push_back(i);
      continue;
    }
    auto [it, ended] = by_id.try_emplace(parent, tree.nodes.size());
    if (ended) { // the parent is over: one placeholder for all its children
      tree.nodes.push_back({nullptr, parent, 0, {}});
      tree.roots.push_back(it->second);
    }
    tree.nodes[it->second].children.push_back(i);
  }
  // Subtree sizes, children before parents. Every node hangs from a root (a
  // parent is always spawned before its child, so there is no cycle).
  std::vector<std::size_t> order;
  order.reserve(tree.nodes.size());
  std::vector<std::size_t> stack(tree.roots.begin(), tree.roots.end());
  while (!stack.empty()) {
    const auto at = stack.back();
    stack.pop_back();
    order.push_back(at);
    for (const auto child : tree.nodes[at].children) {
      stack.push_back(child);
    }
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    auto &node = tree.nodes[*it];
    node.subtree = node.task != nullptr ? 1 : 0;
    for (const auto child : node.children) {
      node.subtree += tree.nodes[child].subtree;
    }
  }
  auto bigger_then_older = [&](std::size_t a, std::size_t b) {
    const auto &x = tree.nodes[a];
    const auto &y = tree.nodes[b];
    if (x.subtree != y.subtree) {
      return x.subtree > y.subtree;
    }
    const auto age_x = x.task ? x.task->age.count() : 0;
    const auto age_y = y.task ? y.task->age.count() : 0;
    return age_x != age_y ? age_x > age_y : x.id < y.id;
  };
  for (auto &node : tree.nodes) {
    std::sort(node.children.begin(), node.children.end(), bigger_then_older);
  }
  std::sort(tree.roots.begin(), tree.roots.end(), bigger_then_older);
  return tree;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

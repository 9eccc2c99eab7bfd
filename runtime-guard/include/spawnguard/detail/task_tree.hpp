// The task tree's one moving part: the thread's current guarded task, set
// while a piece of a guarded task runs, so that what it spawns records it as
// parent. A posted task sets it around its call (TrackedBody); a coroutine
// runs on a TaskExecutor, which sets it around every piece of the coroutine
// its executor runs (each resumption goes through the executor).
#pragma once

#include "spawnguard/detail/asio.hpp"

#ifdef SPAWNGUARD_STANDALONE_ASIO
#include <asio/io_context.hpp>
#include <asio/strand.hpp>
#else
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#endif

#include <cstdint>
#include <type_traits>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

// The id of the guarded task running on this thread, 0 for none.
inline thread_local std::uint64_t current_task = 0;

// Makes `task` the thread's current task while it lives.
class CurrentTaskScope {
public:
  explicit CurrentTaskScope(std::uint64_t task) noexcept
      : previous_(std::exchange(current_task, task)) {}
  ~CurrentTaskScope() { current_task = previous_; }
  CurrentTaskScope(const CurrentTaskScope &) = delete;
  CurrentTaskScope &operator=(const CurrentTaskScope &) = delete;

private:
  std::uint64_t previous_;
};

// An executor that runs what it is given as task `task`, on `Inner`. It holds
// the task's id, not its record, so a copy kept past the task's end (an I/O
// object built from this_coro::executor) is harmless: what runs through it
// later names an ended parent, which the dump shows as such.
template <typename Inner> class TaskExecutor {
public:
  TaskExecutor(Inner inner, std::uint64_t task) noexcept
      : inner_(std::move(inner)), task_(task) {}

  const Inner &inner() const noexcept { return inner_; }
  std::uint64_t task() const noexcept { return task_; }

  template <typename Property>
    requires net::can_query<const Inner &, const Property &>::value
  decltype(auto) query(const Property &property) const noexcept {
    return net::query(inner_, property);
  }
  template <typename Property>
    requires net::can_require<const Inner &, const Property &>::value
  auto require(const Property &property) const {
    return TaskExecutor<std::decay_t<decltype(net::require(inner_, property))>>(
        net::require(inner_, property), task_);
  }
  template <typename Property>
    requires net::can_prefer<const Inner &, const Property &>::value
  auto prefer(const Property &property) const {
    return TaskExecutor<std::decay_t<decltype(net::prefer(inner_, property))>>(
        net::prefer(inner_, property), task_);
  }

  template <typename Function> void execute(Function &&f) const {
    net::execution::execute(inner_, Run<std::decay_t<Function>>{task_, std::forward<Function>(f)});
  }

  friend bool operator==(const TaskExecutor &a, const TaskExecutor &b) noexcept {
    return a.task_ == b.task_ && a.inner_ == b.inner_;
  }
  friend bool operator!=(const TaskExecutor &a, const TaskExecutor &b) noexcept {
    return !(a == b);
  }

private:
  template <typename Function> struct Run {
    std::uint64_t task;
    Function f;
    void operator()() {
      CurrentTaskScope scope(task);
      std::move(f)();
    }
  };

  Inner inner_;
  std::uint64_t task_;
};

// Calls `spawn(executor)` with `ex` wrapped as a TaskExecutor of task `task`
// when the coroutine's executor type can hold one — `ex` is an io_context's
// executor or a strand of one, or an any_io_executor holding either (or
// holding a TaskExecutor of them, which is unwrapped: one level only) — and
// with `ex` itself otherwise (the task still records its parent; its own
// spawns then do not see it as theirs).
template <typename FrameExecutor, typename Executor, typename Spawn>
void with_task_executor(const Executor &ex, std::uint64_t task, Spawn &&spawn) {
  using IoExecutor = net::io_context::executor_type;
  using IoStrand = net::strand<IoExecutor>;
  auto wrap = [&](const auto &inner) -> bool {
    using Inner = std::decay_t<decltype(inner)>;
    if constexpr (std::is_constructible_v<FrameExecutor, TaskExecutor<Inner>>) {
      spawn(TaskExecutor<Inner>(inner, task));
      return true;
    } else {
      return false;
    }
  };
  if constexpr (std::is_same_v<Executor, IoExecutor> || std::is_same_v<Executor, IoStrand>) {
    if (wrap(ex)) {
      return;
    }
  } else if constexpr (std::is_same_v<Executor, TaskExecutor<IoExecutor>> ||
                       std::is_same_v<Executor, TaskExecutor<IoStrand>>) {
    if (wrap(ex.inner())) {
      return;
    }
  } else if constexpr (std::is_same_v<Executor, net::any_io_executor>) {
    if (const auto *io = ex.template target<IoExecutor>()) {
      if (wrap(*io)) {
        return;
      }
    } else if (const auto *strand = ex.template target<IoStrand>()) {
      if (wrap(*strand)) {
        return;
      }
    } else if (const auto *tasked = ex.template target<TaskExecutor<IoExecutor>>()) {
      if (wrap(tasked->inner())) {
        return;
      }
    } else if (const auto *tasked_strand = ex.template target<TaskExecutor<IoStrand>>()) {
      if (wrap(tasked_strand->inner())) {
        return;
      }
    }
  }
  spawn(ex);
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

// CancelPoint: the cancellation signal the guard's co_spawn binds to a task of
// a cancellable site, so that the sampler can cancel the task's current
// operation (Asio per-operation cancellation) from its own thread.
#pragma once

#include "spawnguard/detail/task_record.hpp"

#include "spawnguard/detail/asio.hpp"

#include <memory>
#include <mutex>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class CancelPoint : public std::enable_shared_from_this<CancelPoint> {
public:
  // The slot co_spawn installs its handler in; connected to signal().
  net::cancellation_slot slot() noexcept { return signal_.slot(); }
  net::cancellation_signal &signal() noexcept { return signal_; }

  // co_spawn has installed its handler: the task can be cancelled on `ex`
  // from now on (unless it ended already).
  void arm(net::any_io_executor ex);
  // The task's completion ran (or it never started): nothing to cancel.
  void end() noexcept;
  bool cancellable_now() const;
  // Emits a terminal cancellation on the task's executor, where Asio wants
  // it, unless the task has ended by then. False when not armed, already
  // ended, or already requested (a task is asked once).
  bool request();

private:
  mutable std::mutex mutex_;
  bool armed_ = false;
  bool ended_ = false;
  bool requested_ = false;
  net::any_io_executor executor_;
  net::cancellation_signal signal_;
};

// The record of a task at a cancellable site: a TreeRecord (its `packed` has
// cancellable_bit; id and parent are 0 unless the guard keeps the task tree)
// and the task's CancelPoint. Not from the record cache.
struct CancellableRecord : TreeRecord {
  std::shared_ptr<CancelPoint> point;
};

inline CancelPoint *cancel_point_of(TaskRecord *record) noexcept {
  return record->cancellable() ? static_cast<CancellableRecord *>(record)->point.get() : nullptr;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

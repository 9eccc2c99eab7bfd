// Completion handlers that end a task's record: TrackedCompletion wraps a
// co_spawn completion (the task ended when it is called), TrackedBody wraps a
// posted function (the task is the call). Both forward every Asio associator
// (executor, allocator, cancellation slot) to the handler they wrap.
// CancellableCompletion is TrackedCompletion for a task of a cancellable
// site: its cancellation slot is the task's CancelPoint, which the handler's
// own slot (when it has one) still reaches.
#pragma once

#include "spawnguard/detail/cancel_point.hpp"
#include "spawnguard/detail/handler_wrapper.hpp"
#include "spawnguard/detail/site_state.hpp"
#include "spawnguard/detail/task_tree.hpp"

#include <concepts>
#include <exception>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

template <typename Handler> class TrackedCompletion {
public:
  TrackedCompletion(Handler handler, TaskRecord *record)
      : handler_(std::move(handler)), record_(record) {}
  TrackedCompletion(TrackedCompletion &&other) noexcept
      : handler_(std::move(other.handler_)), record_(std::exchange(other.record_, nullptr)) {}
  TrackedCompletion(const TrackedCompletion &) = delete;
  TrackedCompletion &operator=(const TrackedCompletion &) = delete;
  TrackedCompletion &operator=(TrackedCompletion &&) = delete;
  // Destroyed uncalled (its io_context went away): the task is over.
  ~TrackedCompletion() {
    if (record_ != nullptr) {
      SiteState::end_task(record_, TaskEnd::finished);
    }
  }

  template <typename... Results> void operator()(std::exception_ptr error, Results &&...results) {
    SiteState::end_task(std::exchange(record_, nullptr),
                        error ? TaskEnd::failed : TaskEnd::finished);
    std::move(handler_)(std::move(error), std::forward<Results>(results)...);
  }

  using inner_type = Handler;
  const Handler &inner() const noexcept { return handler_; }

private:
  [[no_unique_address]] Handler handler_;
  TaskRecord *record_;
};

template <typename Handler> class CancellableCompletion {
public:
  using cancellation_slot_type = net::cancellation_slot;

  CancellableCompletion(Handler handler, TaskRecord *record)
      : handler_(std::move(handler)), record_(record),
        point_(static_cast<CancellableRecord *>(record)->point),
        outer_(net::get_associated_cancellation_slot(handler_)) {
    if (outer_.is_connected()) {
      // The caller's cancellation (a parent coroutine, bind_cancellation_slot)
      // goes on reaching the task through the guard's signal.
      outer_.template emplace<Forward>(point_.get());
    }
  }
  CancellableCompletion(CancellableCompletion &&other) noexcept
      : handler_(std::move(other.handler_)), record_(std::exchange(other.record_, nullptr)),
        point_(std::move(other.point_)), outer_(std::exchange(other.outer_, {})) {}
  CancellableCompletion(const CancellableCompletion &) = delete;
  CancellableCompletion &operator=(const CancellableCompletion &) = delete;
  CancellableCompletion &operator=(CancellableCompletion &&) = delete;
  ~CancellableCompletion() {
    if (record_ != nullptr) {
      release();
      SiteState::end_task(record_, TaskEnd::finished);
    }
  }

  template <typename... Results> void operator()(std::exception_ptr error, Results &&...results) {
    release();
    SiteState::end_task(std::exchange(record_, nullptr),
                        error ? TaskEnd::failed : TaskEnd::finished);
    std::move(handler_)(std::move(error), std::forward<Results>(results)...);
  }

  cancellation_slot_type get_cancellation_slot() const noexcept { return point_->slot(); }
  using inner_type = Handler;
  const Handler &inner() const noexcept { return handler_; }

private:
  struct Forward {
    CancelPoint *point;
    void operator()(net::cancellation_type_t type) { point->signal().emit(type); }
  };
  void release() noexcept {
    point_->end();
    if (outer_.is_connected()) {
      outer_.clear();
    }
  }

  [[no_unique_address]] Handler handler_;
  TaskRecord *record_;
  std::shared_ptr<CancelPoint> point_;
  net::cancellation_slot outer_;
};

template <typename Handler> class TrackedBody {
public:
  TrackedBody(Handler handler, TaskRecord *record) : handler_(std::move(handler)), record_(record) {}
  TrackedBody(TrackedBody &&other) noexcept
      : handler_(std::move(other.handler_)), record_(std::exchange(other.record_, nullptr)) {}
  TrackedBody(const TrackedBody &) = delete;
  TrackedBody &operator=(const TrackedBody &) = delete;
  TrackedBody &operator=(TrackedBody &&) = delete;
  ~TrackedBody() {
    if (record_ != nullptr) {
      SiteState::end_task(record_, TaskEnd::finished);
    }
  }

  void operator()() {
    TaskRecord *record = std::exchange(record_, nullptr);
    // In the task tree, what the call spawns records this task as parent.
    CurrentTaskScope scope(record->in_tree() ? static_cast<TreeRecord *>(record)->id
                                             : current_task);
    try {
      std::move(handler_)();
    } catch (...) {
      SiteState::end_task(record, TaskEnd::failed);
      throw; // Asio semantics: the exception leaves run()
    }
    SiteState::end_task(record, TaskEnd::finished);
  }

  using inner_type = Handler;
  const Handler &inner() const noexcept { return handler_; }

private:
  [[no_unique_address]] Handler handler_;
  TaskRecord *record_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

// Completion handlers that end a task's record: TrackedCompletion wraps a
// co_spawn completion (the task ended when it is called), TrackedBody wraps a
// posted function (the task is the call). Both forward every Asio associator
// (executor, allocator, cancellation slot) to the handler they wrap.
#pragma once

#include "spawnguard/detail/site_state.hpp"

#include <boost/asio/associator.hpp>

#include <exception>
#include <utility>

namespace spawnguard::detail {

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

  const Handler &inner() const noexcept { return handler_; }

private:
  [[no_unique_address]] Handler handler_;
  TaskRecord *record_;
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
    try {
      std::move(handler_)();
    } catch (...) {
      SiteState::end_task(record, TaskEnd::failed);
      throw; // Asio semantics: the exception leaves run()
    }
    SiteState::end_task(record, TaskEnd::finished);
  }

  const Handler &inner() const noexcept { return handler_; }

private:
  [[no_unique_address]] Handler handler_;
  TaskRecord *record_;
};

} // namespace spawnguard::detail

namespace boost::asio {

template <template <typename, typename> class Associator, typename Handler,
          typename DefaultCandidate>
struct associator<Associator, spawnguard::detail::TrackedCompletion<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type
  get(const spawnguard::detail::TrackedCompletion<Handler> &h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.inner());
  }
  static auto get(const spawnguard::detail::TrackedCompletion<Handler> &h,
                  const DefaultCandidate &c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.inner(), c)) {
    return Associator<Handler, DefaultCandidate>::get(h.inner(), c);
  }
};

template <template <typename, typename> class Associator, typename Handler,
          typename DefaultCandidate>
struct associator<Associator, spawnguard::detail::TrackedBody<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type
  get(const spawnguard::detail::TrackedBody<Handler> &h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.inner());
  }
  static auto get(const spawnguard::detail::TrackedBody<Handler> &h,
                  const DefaultCandidate &c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.inner(), c)) {
    return Associator<Handler, DefaultCandidate>::get(h.inner(), c);
  }
};

} // namespace boost::asio

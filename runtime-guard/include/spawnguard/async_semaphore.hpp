// AsyncSemaphore: a counting semaphore for Asio with RAII permits, a bounded
// wait queue and per-request timeouts (Asio ships none). Guarded sites with a
// reject or wait limit use one; services can use it directly to bound any
// resource, e.g. `auto permit = co_await sem.async_acquire(ex, 2s, use_awaitable);`.
#pragma once

#include "spawnguard/errors.hpp"

#include "spawnguard/detail/handler_wrapper.hpp"

#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

class AsyncSemaphore;

// One unit of an AsyncSemaphore, returned when destroyed (or release()d).
class Permit {
public:
  Permit() = default;
  Permit(Permit &&other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
  Permit &operator=(Permit &&other) noexcept {
    if (this != &other) {
      release();
      owner_ = std::exchange(other.owner_, nullptr);
    }
    return *this;
  }
  Permit(const Permit &) = delete;
  Permit &operator=(const Permit &) = delete;
  ~Permit() { release(); }

  explicit operator bool() const noexcept { return owner_ != nullptr; }
  void release() noexcept;
  // Gives up ownership without releasing; the caller must call
  // AsyncSemaphore::release_detached() later (used by the task table).
  AsyncSemaphore *detach() noexcept { return std::exchange(owner_, nullptr); }

private:
  friend class AsyncSemaphore;
  explicit Permit(AsyncSemaphore *owner) noexcept : owner_(owner) {}
  AsyncSemaphore *owner_ = nullptr;
};

namespace detail {
struct SemaphoreState;
}

class AsyncSemaphore {
public:
  using Signature = void(error_code, Permit);
  static constexpr std::size_t unlimited_waiters = std::numeric_limits<std::size_t>::max();

  explicit AsyncSemaphore(std::size_t permits, std::size_t max_waiters = unlimited_waiters);
  // Waiters still queued complete with Asio's error::operation_aborted.
  // Permits must not outlive the semaphore.
  ~AsyncSemaphore();
  AsyncSemaphore(const AsyncSemaphore &) = delete;
  AsyncSemaphore &operator=(const AsyncSemaphore &) = delete;

  // A permit now, or nothing when none is free (never queues).
  std::optional<Permit> try_acquire() noexcept;

  // Completes with (error_code, Permit): a permit as soon as one is free; or
  // errc::too_many_waiters at once when max_waiters are already queued; or
  // errc::wait_timeout after `timeout` (zero or negative: wait forever).
  template <typename Token>
  auto async_acquire(const detail::net::any_io_executor &ex, std::chrono::nanoseconds timeout,
                     Token &&token) {
    return detail::net::async_initiate<Token, Signature>(
        [this](auto handler, const detail::net::any_io_executor &executor,
               std::chrono::nanoseconds wait_for) {
          enqueue(executor, wait_for,
                  detail::erase_completion<Signature>(std::move(handler), executor));
        },
        token, ex, timeout);
  }
  template <typename Token>
  auto async_acquire(const detail::net::any_io_executor &ex, Token &&token) {
    return async_acquire(ex, std::chrono::nanoseconds::zero(), std::forward<Token>(token));
  }

  std::size_t capacity() const noexcept;
  // Free permits now; negative after set_capacity shrank below the number held.
  std::ptrdiff_t available() const noexcept;
  std::size_t waiting() const noexcept;
  std::size_t max_waiters() const noexcept;
  // Changes the number of permits; permits held stay valid, waiters are served
  // at once if the capacity grew.
  void set_capacity(std::size_t permits);
  void set_max_waiters(std::size_t max_waiters);
  // Returns a permit given up with Permit::detach().
  void release_detached() noexcept { release_one(); }

private:
  friend class Permit;
  void enqueue(const detail::net::any_io_executor &ex, std::chrono::nanoseconds timeout,
               detail::AnyCompletion<Signature> handler);
  void release_one() noexcept;
  std::shared_ptr<detail::SemaphoreState> state_;
};

inline void Permit::release() noexcept {
  if (owner_ != nullptr) {
    std::exchange(owner_, nullptr)->release_one();
  }
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// AsyncSemaphore: a lock-free fast path for try_acquire and release, and a
// mutex only around the wait queue.
#include "spawnguard/async_semaphore.hpp"

#include "asio_io.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {
namespace detail {

struct SemaphoreWaiter {
  net::any_io_executor executor;
  AnyCompletion<AsyncSemaphore::Signature> handler;
  std::optional<net::steady_timer> timer;
};

struct SemaphoreState {
  explicit SemaphoreState(AsyncSemaphore *semaphore, std::size_t permits, std::size_t waiters)
      : owner(semaphore), available(static_cast<std::ptrdiff_t>(permits)), capacity(permits),
        max_waiters(waiters) {}

  AsyncSemaphore *owner;
  std::atomic<std::ptrdiff_t> available;
  // Raised before a waiter looks for a permit, read after a release adds one:
  // whichever comes second sees the other, so no waiter sleeps on a free permit.
  std::atomic<std::size_t> waiter_count{0};
  mutable std::mutex mutex;
  std::size_t capacity;
  std::size_t max_waiters;
  std::deque<std::shared_ptr<SemaphoreWaiter>> waiters;

  bool try_take() noexcept {
    auto n = available.load(std::memory_order_relaxed);
    while (n > 0) {
      if (available.compare_exchange_weak(n, n - 1, std::memory_order_acquire,
                                          std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }
};

namespace {

void complete(const std::shared_ptr<SemaphoreWaiter> &waiter, error_code ec,
              Permit permit) {
  auto executor = waiter->executor;
  net::post(executor,
                    bind_completion(std::move(waiter->handler), ec, std::move(permit)));
}

void complete(const net::any_io_executor &executor,
              AnyCompletion<AsyncSemaphore::Signature> handler,
              error_code ec, Permit permit) {
  net::post(executor, bind_completion(std::move(handler), ec, std::move(permit)));
}

} // namespace
} // namespace detail

AsyncSemaphore::AsyncSemaphore(std::size_t permits, std::size_t max_waiters)
    : state_(std::make_shared<detail::SemaphoreState>(this, permits, max_waiters)) {}

AsyncSemaphore::~AsyncSemaphore() {
  std::deque<std::shared_ptr<detail::SemaphoreWaiter>> orphans;
  {
    std::lock_guard lock(state_->mutex);
    orphans.swap(state_->waiters);
    state_->waiter_count.store(0);
    state_->owner = nullptr;
    for (auto &waiter : orphans) {
      if (waiter->timer) {
        waiter->timer->cancel();
      }
    }
  }
  for (auto &waiter : orphans) {
    detail::complete(waiter, detail::net::error::operation_aborted, Permit{});
  }
}

std::optional<Permit> AsyncSemaphore::try_acquire() noexcept {
  if (state_->try_take()) {
    return Permit(this);
  }
  return std::nullopt;
}

void AsyncSemaphore::enqueue(const detail::net::any_io_executor &ex,
                             std::chrono::nanoseconds timeout,
                             detail::AnyCompletion<Signature> handler) {
  auto &state = *state_;
  std::unique_lock lock(state.mutex);
  state.waiter_count.fetch_add(1);
  if (state.try_take()) {
    state.waiter_count.fetch_sub(1);
    lock.unlock();
    detail::complete(ex, std::move(handler), {}, Permit(this));
    return;
  }
  if (state.waiters.size() >= state.max_waiters) {
    state.waiter_count.fetch_sub(1);
    lock.unlock();
    detail::complete(ex, std::move(handler), errc::too_many_waiters, Permit{});
    return;
  }
  auto waiter = std::make_shared<detail::SemaphoreWaiter>(
      detail::SemaphoreWaiter{ex, std::move(handler), std::nullopt});
  if (timeout > std::chrono::nanoseconds::zero()) {
    waiter->timer.emplace(ex, timeout);
    waiter->timer->async_wait([weak = std::weak_ptr(state_), waiter](error_code ec) {
      auto alive = weak.lock();
      if (ec || !alive) {
        return; // granted (the grant cancels the timer) or the semaphore is gone
      }
      std::unique_lock timeout_lock(alive->mutex);
      auto it = std::find(alive->waiters.begin(), alive->waiters.end(), waiter);
      if (it == alive->waiters.end()) {
        return;
      }
      alive->waiters.erase(it);
      alive->waiter_count.fetch_sub(1);
      timeout_lock.unlock();
      detail::complete(waiter, errc::wait_timeout, Permit{});
    });
  }
  state.waiters.push_back(std::move(waiter));
}

void AsyncSemaphore::release_one() noexcept {
  auto &state = *state_;
  state.available.fetch_add(1);
  if (state.waiter_count.load() == 0) {
    return;
  }
  std::vector<std::shared_ptr<detail::SemaphoreWaiter>> granted;
  {
    std::lock_guard lock(state.mutex);
    while (!state.waiters.empty() && state.try_take()) {
      auto waiter = std::move(state.waiters.front());
      state.waiters.pop_front();
      state.waiter_count.fetch_sub(1);
      if (waiter->timer) {
        waiter->timer->cancel();
      }
      granted.push_back(std::move(waiter));
    }
  }
  for (auto &waiter : granted) {
    detail::complete(waiter, {}, Permit(this));
  }
}

std::size_t AsyncSemaphore::capacity() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->capacity;
}

std::ptrdiff_t AsyncSemaphore::available() const noexcept { return state_->available.load(); }

std::size_t AsyncSemaphore::waiting() const noexcept { return state_->waiter_count.load(); }

std::size_t AsyncSemaphore::max_waiters() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->max_waiters;
}

void AsyncSemaphore::set_capacity(std::size_t permits) {
  std::ptrdiff_t grown = 0;
  {
    std::lock_guard lock(state_->mutex);
    grown = static_cast<std::ptrdiff_t>(permits) - static_cast<std::ptrdiff_t>(state_->capacity);
    state_->capacity = permits;
    // One permit less than the growth goes in directly; the last one goes
    // through release_one so queued waiters are served.
    if (grown > 0) {
      state_->available.fetch_add(grown - 1);
    } else {
      state_->available.fetch_add(grown);
    }
  }
  if (grown > 0) {
    release_one();
  }
}

void AsyncSemaphore::set_max_waiters(std::size_t max_waiters) {
  std::lock_guard lock(state_->mutex);
  state_->max_waiters = max_waiters;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

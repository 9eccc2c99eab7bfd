// CancelPoint: arming, ending and the posted terminal cancellation.
#include "spawnguard/detail/cancel_point.hpp"

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

void CancelPoint::arm(net::any_io_executor ex) {
  std::lock_guard lock(mutex_);
  if (!ended_) {
    executor_ = std::move(ex);
    armed_ = true;
  }
}

void CancelPoint::end() noexcept {
  std::lock_guard lock(mutex_);
  ended_ = true;
  armed_ = false;
}

bool CancelPoint::cancellable_now() const {
  std::lock_guard lock(mutex_);
  return armed_ && !ended_ && !requested_;
}

bool CancelPoint::request() {
  net::any_io_executor ex;
  {
    std::lock_guard lock(mutex_);
    if (!armed_ || ended_ || requested_) {
      return false;
    }
    requested_ = true;
    ex = executor_;
  }
  // A cancellation signal is not thread-safe: it is emitted on the task's
  // executor, after which its completion (on the same executor) has not run
  // or has marked it ended.
  net::post(ex, [self = shared_from_this()] {
    {
      std::lock_guard lock(self->mutex_);
      if (self->ended_) {
        return;
      }
    }
    self->signal_.emit(net::cancellation_type::terminal);
  });
  return true;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

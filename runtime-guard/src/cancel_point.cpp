// CancelPoint: arming, ending and the posted terminal cancellation.
#include "spawnguard/detail/cancel_point.hpp"

#include <boost/asio/post.hpp>

namespace spawnguard::detail {

void CancelPoint::arm(boost::asio::any_io_executor ex) {
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
  boost::asio::any_io_executor ex;
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
  boost::asio::post(ex, [self = shared_from_this()] {
    {
      std::lock_guard lock(self->mutex_);
      if (self->ended_) {
        return;
      }
    }
    self->signal_.emit(boost::asio::cancellation_type::terminal);
  });
  return true;
}

} // namespace spawnguard::detail

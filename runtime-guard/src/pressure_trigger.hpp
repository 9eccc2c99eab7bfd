// PressureTrigger: a PSI trigger registered on a memory pressure file
// ("some 150000 1000000": 150 ms of stall in any 1 s window), whose POLLPRI
// wakes the sampler; or, where the kernel or the permissions do not allow
// one, the reason the sampler only polls.
#pragma once

#include "spawnguard/config.hpp"
#include "spawnguard/guard.hpp"

#include "asio_io.hpp"

#include <atomic>
#include <optional>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class PressureTrigger {
public:
  // Registers the trigger on `file`; status() says whether it is armed, the
  // line the kernel took, and what was changed or why it failed.
  PressureTrigger(const net::any_io_executor &ex, const std::string &file,
                  const Config::PressureTrigger &trigger);
  ~PressureTrigger();
  PressureTrigger(const PressureTrigger &) = delete;
  PressureTrigger &operator=(const PressureTrigger &) = delete;

  PressureTriggerStatus status() const;
  // `handler(error_code)` runs on the executor when the kernel signals the
  // trigger (at most once per window); close() completes it with an error.
  template <typename Handler> void async_wait(Handler &&handler) {
    if (descriptor_) {
      descriptor_->async_wait(net::posix::descriptor_base::wait_error,
                              std::forward<Handler>(handler));
    }
  }
  void count_fire() noexcept { fires_.fetch_add(1, std::memory_order_relaxed); }
  void close();

private:
  PressureTriggerStatus status_;
  std::atomic<std::uint64_t> fires_{0};
  std::optional<net::posix::stream_descriptor> descriptor_;
};

// "some 150000 1000000" for the kernel (microseconds).
std::string trigger_line(const Config::PressureTrigger &trigger);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

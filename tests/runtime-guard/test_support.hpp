// What the runtime suites share: a guard config that prints nothing, a task
// that stays live until its gate timer is cancelled, a memory reading, and a
// sink that keeps the limit changes and overload steps it is given.
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/config.hpp"
#include "spawnguard/detail/asio.hpp"
#include "spawnguard/memory_probe.hpp"

#ifdef SPAWNGUARD_STANDALONE_ASIO
#include <asio/awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#else
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include <vector>

namespace spawnguard::test {

inline Config quiet_config() {
  Config config;
  config.sink = SinkKind::none;
  return config;
}

inline detail::net::awaitable<void> parked(detail::net::steady_timer &gate) {
  error_code ignored;
  co_await gate.async_wait(detail::net::redirect_error(detail::net::use_awaitable, ignored));
}

inline MemoryReading memory(std::uint64_t used, std::uint64_t limit = 1000) {
  MemoryReading reading;
  reading.used_bytes = used;
  reading.limit_bytes = limit;
  return reading;
}

class RecordingSink : public AlertSink {
public:
  void publish(const Alert &) override {}
  void limit_changed(const LimitChange &change) override { limit_changes.push_back(change); }
  void overload_changed(const OverloadChange &change) override {
    overload_changes.push_back(change);
  }
  std::vector<LimitChange> limit_changes;
  std::vector<OverloadChange> overload_changes;
};

} // namespace spawnguard::test

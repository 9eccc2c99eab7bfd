// What the runtime suites share: a guard config that prints nothing, and a
// task that stays live until its gate timer is cancelled.
#pragma once

#include "spawnguard/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace spawnguard::test {

inline Config quiet_config() {
  Config config;
  config.sink = SinkKind::none;
  return config;
}

inline boost::asio::awaitable<void> parked(boost::asio::steady_timer &gate) {
  boost::system::error_code ignored;
  co_await gate.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
}

} // namespace spawnguard::test

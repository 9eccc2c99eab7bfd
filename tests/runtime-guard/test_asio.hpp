// The Asio a suite that runs against both runtime flavours is compiled with:
// Boost.Asio for spawnguard::runtime, standalone Asio for
// spawnguard::runtime_standalone (SPAWNGUARD_STANDALONE_ASIO), as `asio`
// inside namespace spawnguard. Tokens Asio 1.22 has only as experimental
// (deferred, as_tuple) are taken from there.
#pragma once

#include "spawnguard/detail/asio.hpp"

#ifdef SPAWNGUARD_STANDALONE_ASIO
#include <asio.hpp>
#if ASIO_VERSION < 102400
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#endif
#else
#include <boost/asio.hpp>
#endif

namespace spawnguard::test {

namespace asio = detail::net;
// What Asio throws: boost::system::system_error or std::system_error.
using system_error = detail::system_error_base;

#if defined(SPAWNGUARD_STANDALONE_ASIO) && ASIO_VERSION < 102400
inline constexpr auto &deferred = asio::experimental::deferred;
using asio::experimental::as_tuple;
#else
inline constexpr auto &deferred = asio::deferred;
using asio::as_tuple;
#endif

} // namespace spawnguard::test

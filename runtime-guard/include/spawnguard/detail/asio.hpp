// The Asio the runtime is built on, chosen by SPAWNGUARD_STANDALONE_ASIO (see
// flavour.hpp): its headers, `detail::net` for its namespace (boost::asio or
// asio) and `spawnguard::error_code` for its error codes
// (boost::system::error_code or std::error_code). The runtime's sources name
// Asio only through these, so one source builds both libraries.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#ifdef SPAWNGUARD_STANDALONE_ASIO
// Asio 1.22 (Debian's libasio-dev) looks for co_await support in Clang only
// through <experimental/coroutine>; C++20 Clang has it in <coroutine>.
#if !defined(ASIO_HAS_CO_AWAIT) && defined(__cpp_impl_coroutine)
#define ASIO_HAS_CO_AWAIT 1
#endif
#include <asio/any_io_executor.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/associator.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/defer.hpp>
#include <asio/dispatch.hpp>
#include <asio/execution_context.hpp>
#include <asio/is_executor.hpp>
#include <asio/post.hpp>
#include <asio/version.hpp>

#include <system_error>
#ifndef ASIO_HAS_CO_AWAIT
#error "spawnguard: standalone Asio was configured without co_await; define ASIO_HAS_CO_AWAIT=1 (spawnguard::runtime_standalone does) or build with C++20"
#endif
#define SPAWNGUARD_ASIO_NAMESPACE asio
#else
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#define SPAWNGUARD_ASIO_NAMESPACE boost::asio
#endif

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

#ifdef SPAWNGUARD_STANDALONE_ASIO
using error_code = std::error_code;
namespace detail {
namespace net = ::asio;
using error_category_base = std::error_category;
using system_error_base = std::system_error;
} // namespace detail
#else
using error_code = boost::system::error_code;
namespace detail {
namespace net = ::boost::asio;
using error_category_base = boost::system::error_category;
using system_error_base = boost::system::system_error;
} // namespace detail
#endif

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

// The default lists of fully qualified names the recognisers start from; a
// project's .spawnguard.yaml adds to them.
#pragma once

namespace spawnguard::defaults {

// Calls that start concurrent work not tied to the caller: Boost.Asio and
// standalone Asio alike, plus pthreads.
inline constexpr const char *SpawnFunctions =
    "::boost::asio::co_spawn;::asio::co_spawn;"
    "::boost::asio::spawn;::asio::spawn;"
    "::boost::asio::post;::asio::post;"
    "::boost::asio::dispatch;::asio::dispatch;"
    "::boost::asio::defer;::asio::defer;"
    "::pthread_create";

// Thread types whose construction with a function starts a thread.
inline constexpr const char *ThreadTypes = "::std::thread;::std::jthread;::boost::thread";
// Thread types whose destructor detaches a thread still running (Boost.Thread's
// default, BOOST_THREAD_VERSION 2): a local one that is never joined outlives its scope.
inline constexpr const char *DetachingThreadTypes = "::boost::thread";

// std::async: a spawn when launched with std::launch::async and the future
// outlives the iteration.
inline constexpr const char *AsyncFunctions = "::std::async";

// Sessions (analysis/SessionStarts): an object made by one of
// MakeSharedFunctions is fresh; a class deriving from one of SessionBases
// owns itself when its method's body is in another unit.
inline constexpr const char *MakeSharedFunctions =
    "::std::make_shared;::boost::make_shared;::std::allocate_shared;::boost::allocate_shared";
inline constexpr const char *SessionBases = "::std::enable_shared_from_this;::boost::enable_shared_from_this";

// Permits: taking one before a spawn bounds it.
inline constexpr const char *BoundFunctions =
    "::std::counting_semaphore::acquire;::std::binary_semaphore::acquire";

// Channels used as token buckets: co_await chan.async_send(...) bounds.
inline constexpr const char *ChannelTypes =
    "::boost::asio::experimental::basic_channel;::boost::asio::experimental::basic_concurrent_channel;"
    "::asio::experimental::basic_channel;::asio::experimental::basic_concurrent_channel";

// Spawn APIs bounded by construction (a spawn through them is never reported):
// none by default; a project lists its own.
inline constexpr const char *BoundedSpawnFunctions = "";

// spawnguard's own wrappers: a spawn like any other, bounded only when an
// admission is taken first (Site::try_admit) or the site's limit is set in the
// code; otherwise counted by the guard but not limited.
inline constexpr const char *GuardedSpawnFunctions =
    "::spawnguard::co_spawn;::spawnguard::spawn;::spawnguard::post;::spawnguard::dispatch;::spawnguard::defer";

// Thread detach, for spawnguard-detached-thread (C++ Core Guidelines CP.26).
inline constexpr const char *DetachFunctions =
    "::std::thread::detach;::std::jthread::detach;::boost::thread::detach";

// Waits on things outside the process, and the calls that put a deadline on
// them (used by spawnguard-missing-deadline).
inline constexpr const char *WaitFunctions = "::PQexec;::PQexecParams;::PQgetResult;::sqlite3_step";
inline constexpr const char *DeadlineFunctions =
    "::boost::beast::basic_stream::expires_after;::boost::beast::basic_stream::expires_at;"
    "::boost::asio::cancel_after;::boost::asio::cancel_at;"
    "::boost::asio::bind_cancellation_slot;::asio::bind_cancellation_slot";

// Standard algorithms that call the callable they are given, there and then,
// once per element or once: a function bound into one (std::for_each(b, e,
// boost::bind(&participant::deliver, _1, msg))) is called by the caller.
// Not configurable: a project's own such function is followed through its body.
inline constexpr const char *CallingAlgorithms =
    "::std::for_each;::std::for_each_n;::std::ranges::for_each;::std::ranges::for_each_n;"
    "::std::transform;::std::ranges::transform;::std::generate;::std::generate_n;"
    "::std::find_if;::std::find_if_not;::std::count_if;::std::any_of;::std::all_of;::std::none_of;"
    "::std::remove_if;::std::erase_if;::std::copy_if;::std::partition;::std::accumulate;"
    "::std::invoke;::std::apply;::std::call_once;::boost::range::for_each";

// Binders whose first argument is the function the bound callable calls.
inline constexpr const char *BinderFunctions =
    "::std::bind;::std::bind_front;::std::bind_back;::std::mem_fn;::boost::bind;::boost::mem_fn;"
    "::boost::beast::bind_front_handler;::boost::beast::bind_handler";

} // namespace spawnguard::defaults

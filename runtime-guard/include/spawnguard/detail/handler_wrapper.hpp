// What the runtime wraps completion handlers in, the same on Boost.Asio and
// standalone Asio: the HandlerWrapper concept (a wrapper forwarding every
// associator — executor, allocator, cancellation slot — to the handler it
// wraps), BoundCompletion (a handler with its arguments bound, like
// asio::append, which Asio 1.22 lacks) and AnyCompletion (a type-erased
// handler: Asio's any_completion_handler where the Asio has one).
#pragma once

#include "spawnguard/detail/asio.hpp"

#include <concepts>
#include <memory>
#include <tuple>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

// A wrapper of a handler: Asio asks the wrapped handler for its associators.
template <typename T>
concept HandlerWrapper = requires(const T &t) {
  typename T::inner_type;
  { t.inner() } -> std::same_as<const typename T::inner_type &>;
};

// `handler(args...)` as a nullary handler, e.g. for post().
template <typename Handler, typename... Args> class BoundCompletion {
public:
  BoundCompletion(Handler handler, Args... args)
      : handler_(std::move(handler)), args_(std::move(args)...) {}
  void operator()() {
    std::apply([this](Args &...args) { std::move(handler_)(std::move(args)...); }, args_);
  }
  using inner_type = Handler;
  const Handler &inner() const noexcept { return handler_; }

private:
  Handler handler_;
  std::tuple<Args...> args_;
};

template <typename Handler, typename... Args>
auto bind_completion(Handler &&handler, Args &&...args) {
  return BoundCompletion<std::decay_t<Handler>, std::decay_t<Args>...>(
      std::forward<Handler>(handler), std::forward<Args>(args)...);
}

#if defined(SPAWNGUARD_STANDALONE_ASIO) && ASIO_VERSION < 102400
// A move-only type-erased completion handler that keeps the handler's
// associated executor (what the semaphore's completion honours); Asio 1.22
// has no any_completion_handler.
template <typename Signature> class ErasedCompletion;
template <typename... Args> class ErasedCompletion<void(Args...)> {
public:
  using executor_type = net::any_io_executor;

  ErasedCompletion() = default;
  template <typename Handler>
  ErasedCompletion(Handler handler, const net::any_io_executor &fallback)
      : executor_(net::get_associated_executor(handler, fallback)),
        call_(std::make_unique<Call<Handler>>(std::move(handler))) {}

  void operator()(Args... args) {
    auto call = std::move(call_);
    call->invoke(std::move(args)...);
  }
  executor_type get_executor() const noexcept { return executor_; }
  explicit operator bool() const noexcept { return call_ != nullptr; }

private:
  struct CallBase {
    virtual ~CallBase() = default;
    virtual void invoke(Args... args) = 0;
  };
  template <typename Handler> struct Call final : CallBase {
    explicit Call(Handler h) : handler(std::move(h)) {}
    void invoke(Args... args) override { std::move(handler)(std::move(args)...); }
    Handler handler;
  };

  net::any_io_executor executor_;
  std::unique_ptr<CallBase> call_;
};
template <typename Signature> using AnyCompletion = ErasedCompletion<Signature>;
template <typename Signature, typename Handler>
AnyCompletion<Signature> erase_completion(Handler handler, const net::any_io_executor &fallback) {
  return AnyCompletion<Signature>(std::move(handler), fallback);
}
#else
template <typename Signature> using AnyCompletion = net::any_completion_handler<Signature>;
template <typename Signature, typename Handler>
AnyCompletion<Signature> erase_completion(Handler handler, const net::any_io_executor &) {
  return AnyCompletion<Signature>(std::move(handler));
}
#endif

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

namespace SPAWNGUARD_ASIO_NAMESPACE {

template <template <typename, typename> class Associator, typename Wrapper,
          typename DefaultCandidate>
  requires spawnguard::detail::HandlerWrapper<Wrapper>
struct associator<Associator, Wrapper, DefaultCandidate>
    : Associator<typename Wrapper::inner_type, DefaultCandidate> {
  using Inner = Associator<typename Wrapper::inner_type, DefaultCandidate>;
  static typename Inner::type get(const Wrapper &h) noexcept { return Inner::get(h.inner()); }
  static auto get(const Wrapper &h, const DefaultCandidate &c) noexcept
      -> decltype(Inner::get(h.inner(), c)) {
    return Inner::get(h.inner(), c);
  }
};

} // namespace SPAWNGUARD_ASIO_NAMESPACE

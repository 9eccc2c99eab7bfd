// The initiations behind spawnguard::co_spawn and post/dispatch/defer: decide
// admission at the site, then hand the work to Asio with a tracked handler —
// or complete it with SpawnRejected, or wait for a slot first.
#pragma once

#include "spawnguard/site.hpp"
#include "spawnguard/detail/tracked_handler.hpp"

#include "spawnguard/detail/asio.hpp"
#include "spawnguard/detail/handler_wrapper.hpp"
#include "spawnguard/detail/task_tree.hpp"

#include <concepts>
#include <exception>
#include <type_traits>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

template <typename E>
concept AsioExecutor =
    net::is_executor<E>::value || net::execution::is_executor<E>::value;

template <typename E>
concept ExecutorOrContext = AsioExecutor<std::decay_t<E>> ||
                            std::is_convertible_v<std::remove_reference_t<E> &,
                                                  net::execution_context &>;

template <typename E> auto executor_of(E &&ex_or_ctx) {
  if constexpr (AsioExecutor<std::decay_t<E>>) {
    return ex_or_ctx;
  } else {
    return ex_or_ctx.get_executor();
  }
}

template <typename F>
concept SpawnFunction = std::invocable<std::decay_t<F> &> && requires(std::decay_t<F> &f) {
  typename net::detail::awaitable_signature<std::invoke_result_t<std::decay_t<F> &>>::type;
};

// Completion signature of co_spawn for an awaitable or a function returning one.
template <typename Spawnable> struct SpawnSignature {
  using type = typename net::detail::awaitable_signature<
      std::invoke_result_t<Spawnable &>>::type;
};
template <typename T, typename E> struct SpawnSignature<net::awaitable<T, E>> {
  using type = typename net::detail::awaitable_signature<net::awaitable<T, E>>::type;
};

template <typename Signature> struct Refusal;
template <typename... Results> struct Refusal<void(std::exception_ptr, Results...)> {
  // Completes the handler as Asio completes a co_spawn that threw.
  template <typename Executor, typename Handler>
  static void complete(const Executor &ex, Handler &&handler, const SiteState &site,
                       error_code why) {
    auto error = std::make_exception_ptr(SpawnRejected(why, site.label()));
    net::post(ex, bind_completion(std::forward<Handler>(handler), error, std::decay_t<Results>{}...));
  }
};

// The executor type of the coroutine a spawnable makes.
template <typename Spawnable> struct FrameExecutorOf {
  using type = typename std::invoke_result_t<Spawnable &>::executor_type;
};
template <typename T, typename E> struct FrameExecutorOf<net::awaitable<T, E>> {
  using type = E;
};

// Hands the admitted task to Asio on `ex`. A task of a cancellable site gets
// the guard's cancellation slot, armed once co_spawn has installed its
// handler in it (when its executor can be type-erased; else it is never
// cancelled).
template <typename HandlerType, typename Executor, typename Spawnable, typename Handler>
void spawn_on(const Executor &ex, Spawnable &&spawnable, Handler &&handler, TaskRecord *record) {
  if (record->cancellable()) {
    // Kept here: the task may be over, its record gone, when co_spawn returns.
    std::shared_ptr<CancelPoint> point = static_cast<CancellableRecord *>(record)->point;
    net::co_spawn(ex, std::forward<Spawnable>(spawnable),
                  CancellableCompletion<HandlerType>(std::forward<Handler>(handler), record));
    if constexpr (std::is_constructible_v<net::any_io_executor, const Executor &>) {
      point->arm(net::any_io_executor(ex)); // a no-op if the task is over already
    }
    return;
  }
  net::co_spawn(ex, std::forward<Spawnable>(spawnable),
                TrackedCompletion<HandlerType>(std::forward<Handler>(handler), record));
}

// A task in the task tree runs on a TaskExecutor, so that what it spawns
// records it as parent (with_task_executor says when it cannot). Apart and
// not inlined: the spawn path of a guard without the tree stays as it was.
template <typename HandlerType, typename Executor, typename Spawnable, typename Handler>
[[gnu::noinline]] void spawn_in_tree(const Executor &ex, Spawnable &&spawnable, Handler &&handler,
                                     TaskRecord *record) {
  using FrameExecutor = typename FrameExecutorOf<std::decay_t<Spawnable>>::type;
  with_task_executor<FrameExecutor>(ex, static_cast<TreeRecord *>(record)->id,
                                    [&](const auto &on) {
                                      spawn_on<HandlerType>(on, std::forward<Spawnable>(spawnable),
                                                            std::forward<Handler>(handler), record);
                                    });
}

template <typename HandlerType, typename Executor, typename Spawnable, typename Handler>
void spawn_tracked(const Executor &ex, Spawnable &&spawnable, Handler &&handler,
                   TaskRecord *record) {
  if (record->in_tree()) [[unlikely]] {
    spawn_in_tree<HandlerType>(ex, std::forward<Spawnable>(spawnable),
                               std::forward<Handler>(handler), record);
    return;
  }
  spawn_on<HandlerType>(ex, std::forward<Spawnable>(spawnable), std::forward<Handler>(handler),
                        record);
}

template <typename Signature> struct InitiateGuardedSpawn {
  template <typename Handler, typename Executor, typename Spawnable>
  void operator()(Handler &&handler, const Executor &ex, Spawnable &&spawnable, SiteState *site,
                  Admission admission) const {
    using HandlerType = std::decay_t<Handler>;
    TaskRecord *record = admission.take_record();
    if (record == nullptr) {
      if (admission.decided()) { // refused before the call
        Refusal<Signature>::complete(ex, std::forward<Handler>(handler), *site, admission.error());
        return;
      }
      auto decision = site->try_admit();
      if (decision.must_wait) {
        wait_then_spawn(HandlerType(std::forward<Handler>(handler)), ex,
                        std::decay_t<Spawnable>(std::forward<Spawnable>(spawnable)), site);
        return;
      }
      if (decision.record == nullptr) {
        Refusal<Signature>::complete(ex, std::forward<Handler>(handler), *site,
                                     make_error_code(decision.refusal));
        return;
      }
      record = decision.record;
    }
    spawn_tracked<HandlerType>(ex, std::forward<Spawnable>(spawnable),
                               std::forward<Handler>(handler), record);
  }

  template <typename HandlerType, typename Executor, typename Spawnable>
  static void wait_then_spawn(HandlerType handler, const Executor &ex, Spawnable spawnable,
                              SiteState *site) {
    site->semaphore().async_acquire(
        ex, site->wait_timeout(),
        [handler = std::move(handler), ex, spawnable = std::move(spawnable),
         site](error_code ec, Permit permit) mutable {
          TaskRecord *record = ec ? nullptr : site->start_task(true);
          if (record == nullptr) {
            site->count_rejected(); // the permit, if any, goes back as it is destroyed
            Refusal<Signature>::complete(ex, std::move(handler), *site,
                                         ec ? ec : make_error_code(errc::out_of_memory));
            return;
          }
          permit.detach();
          spawn_tracked<HandlerType>(ex, std::move(spawnable), std::move(handler), record);
        });
  }
};

template <typename Executor, typename Spawnable, typename Token>
auto guarded_co_spawn(SiteState &site, Admission admission, const Executor &ex,
                      Spawnable &&spawnable, Token &&token) {
  using Signature = typename SpawnSignature<std::decay_t<Spawnable>>::type;
  return net::async_initiate<Token, Signature>(InitiateGuardedSpawn<Signature>{}, token,
                                                       ex, std::forward<Spawnable>(spawnable),
                                                       &site, std::move(admission));
}

enum class Submit { post, dispatch, defer };

template <Submit how> struct InitiateGuardedSubmit {
  template <typename Handler, typename Executor>
  void operator()(Handler &&handler, const Executor &ex, SiteState *site,
                  Admission admission) const {
    using HandlerType = std::decay_t<Handler>;
    TaskRecord *record = admission.take_record();
    if (record == nullptr) {
      auto decision = admission.decided() ? AdmissionDecision{nullptr, false, errc::limit_reached}
                                          : site->try_admit();
      if (decision.must_wait) {
        site->semaphore().async_acquire(
            ex, site->wait_timeout(),
            [handler = HandlerType(std::forward<Handler>(handler)), ex,
             site](error_code ec, Permit permit) mutable {
              TaskRecord *record = ec ? nullptr : site->start_task(true);
              if (record == nullptr) {
                site->count_rejected();
                return; // a void() handler has no error channel: the work is dropped
              }
              permit.detach();
              submit(ex, TrackedBody<HandlerType>(std::move(handler), record));
            });
        return;
      }
      if (decision.record == nullptr) {
        // post() has no error channel: the caller is told by this exception.
        throw SpawnRejected(admission.decided() ? admission.error()
                                                : make_error_code(decision.refusal),
                            site->label());
      }
      record = decision.record;
    }
    submit(ex, TrackedBody<HandlerType>(std::forward<Handler>(handler), record));
  }

  template <typename Executor, typename Body> static void submit(const Executor &ex, Body &&body) {
    if constexpr (how == Submit::post) {
      net::post(ex, std::forward<Body>(body));
    } else if constexpr (how == Submit::dispatch) {
      net::dispatch(ex, std::forward<Body>(body));
    } else {
      net::defer(ex, std::forward<Body>(body));
    }
  }
};

template <Submit how, typename Executor, typename Token>
auto guarded_submit(SiteState &site, Admission admission, const Executor &ex, Token &&token) {
  return net::async_initiate<Token, void()>(InitiateGuardedSubmit<how>{}, token, ex,
                                                    &site, std::move(admission));
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

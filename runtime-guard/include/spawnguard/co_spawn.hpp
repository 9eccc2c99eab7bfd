// spawnguard::co_spawn: boost::asio::co_spawn with the same arguments, token
// model and completion, counted at a spawn site. The site is the caller's
// file:line (in Guard::global()) unless a Site or an Admission comes first.
#pragma once

#include "spawnguard/guard.hpp"
#include "spawnguard/detail/guarded_spawn.hpp"

#include <source_location>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

// co_spawn(ex, awaitable, token): the caller's file:line in Guard::global().
template <typename ExecutorOrContext, typename T, typename AwaitableExecutor, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext>
auto co_spawn(ExecutorOrContext &&ex, detail::net::awaitable<T, AwaitableExecutor> a,
              Token &&token, std::source_location where = std::source_location::current()) {
  return detail::guarded_co_spawn(Guard::global().here(where).state(), Admission{},
                                  detail::executor_of(ex), std::move(a),
                                  std::forward<Token>(token));
}

// co_spawn(ex, function returning an awaitable, token).
template <typename ExecutorOrContext, typename F, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext> && detail::SpawnFunction<F>
auto co_spawn(ExecutorOrContext &&ex, F &&f, Token &&token,
              std::source_location where = std::source_location::current()) {
  return detail::guarded_co_spawn(Guard::global().here(where).state(), Admission{},
                                  detail::executor_of(ex), std::forward<F>(f),
                                  std::forward<Token>(token));
}

// co_spawn(site, ex, awaitable, token): counted at `site` (any guard).
template <typename ExecutorOrContext, typename T, typename AwaitableExecutor, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext>
auto co_spawn(Site site, ExecutorOrContext &&ex, detail::net::awaitable<T, AwaitableExecutor> a,
              Token &&token) {
  return detail::guarded_co_spawn(site.state(), Admission{}, detail::executor_of(ex),
                                  std::move(a), std::forward<Token>(token));
}

template <typename ExecutorOrContext, typename F, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext> && detail::SpawnFunction<F>
auto co_spawn(Site site, ExecutorOrContext &&ex, F &&f, Token &&token) {
  return detail::guarded_co_spawn(site.state(), Admission{}, detail::executor_of(ex),
                                  std::forward<F>(f), std::forward<Token>(token));
}

// co_spawn(admission, ex, awaitable, token): runs in the slot taken by
// Site::try_admit(); a refused admission completes with SpawnRejected.
template <typename ExecutorOrContext, typename T, typename AwaitableExecutor, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext>
auto co_spawn(Admission admission, ExecutorOrContext &&ex,
              detail::net::awaitable<T, AwaitableExecutor> a, Token &&token) {
  auto &site = *admission.site_state();
  return detail::guarded_co_spawn(site, std::move(admission), detail::executor_of(ex),
                                  std::move(a), std::forward<Token>(token));
}

template <typename ExecutorOrContext, typename F, typename Token>
  requires detail::ExecutorOrContext<ExecutorOrContext> && detail::SpawnFunction<F>
auto co_spawn(Admission admission, ExecutorOrContext &&ex, F &&f, Token &&token) {
  auto &site = *admission.site_state();
  return detail::guarded_co_spawn(site, std::move(admission), detail::executor_of(ex),
                                  std::forward<F>(f), std::forward<Token>(token));
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

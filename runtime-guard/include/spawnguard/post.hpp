// spawnguard::post / dispatch / defer: the Asio functions with the same
// arguments and token model, the submitted function counted as a task at a
// spawn site. A refused submission throws SpawnRejected from the call (a
// void() handler has no error channel); a wait-policy site queues it.
#pragma once

#include "spawnguard/guard.hpp"
#include "spawnguard/detail/guarded_spawn.hpp"

#include <source_location>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

#define SPAWNGUARD_SUBMIT_WRAPPERS(name)                                                          \
  template <typename ExecutorOrContext, typename Token>                                          \
    requires detail::ExecutorOrContext<ExecutorOrContext>                                        \
  auto name(ExecutorOrContext &&ex, Token &&token,                                               \
            std::source_location where = std::source_location::current()) {                     \
    return detail::guarded_submit<detail::Submit::name>(Guard::global().here(where).state(),     \
                                                        Admission{}, detail::executor_of(ex),    \
                                                        std::forward<Token>(token));             \
  }                                                                                              \
  template <typename ExecutorOrContext, typename Token>                                          \
    requires detail::ExecutorOrContext<ExecutorOrContext>                                        \
  auto name(Site site, ExecutorOrContext &&ex, Token &&token) {                                  \
    return detail::guarded_submit<detail::Submit::name>(                                         \
        site.state(), Admission{}, detail::executor_of(ex), std::forward<Token>(token));         \
  }                                                                                              \
  template <typename ExecutorOrContext, typename Token>                                          \
    requires detail::ExecutorOrContext<ExecutorOrContext>                                        \
  auto name(Admission admission, ExecutorOrContext &&ex, Token &&token) {                        \
    auto &site = *admission.site_state();                                                        \
    return detail::guarded_submit<detail::Submit::name>(                                         \
        site, std::move(admission), detail::executor_of(ex), std::forward<Token>(token));        \
  }

SPAWNGUARD_SUBMIT_WRAPPERS(post)
SPAWNGUARD_SUBMIT_WRAPPERS(dispatch)
SPAWNGUARD_SUBMIT_WRAPPERS(defer)

#undef SPAWNGUARD_SUBMIT_WRAPPERS

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

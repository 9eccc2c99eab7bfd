// spawnguard-detached-thread: std::thread::detach() anywhere (C++ Core
// Guidelines CP.26): the thread can no longer be counted, joined or stopped.
#pragma once

#include "checks/Check.hpp"

namespace spawnguard {

class DetachedThreadCheck : public Check {
public:
  static constexpr const char *Name = "spawnguard-detached-thread";
  using Check::Check;
  void registerMatchers(clang::ast_matchers::MatchFinder &finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override;
};

} // namespace spawnguard

// goleak for spawnguard: GoogleTest checks that fail a test which leaves
// spawned tasks alive, naming each one's site and age. Link spawnguard::testing.
//
//   TEST(Server, ClosesEveryConnection) {
//     spawnguard::testing::LeakCheck leaks(guard);   // or Guard::global()
//     ... spawn, run ...
//   }                                                // fails here if tasks are left
#pragma once

#include "spawnguard/guard.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::testing {

// Adds a GoogleTest failure for every site of `guard` with live tasks (one
// line per site: how many, where, their ages). Returns whether none were live.
bool ExpectNoLiveTasks(const Guard &guard = Guard::global());

// Remembers how many tasks each site has live when made; when destroyed (or
// on Verify()) fails the test for every site that has more.
class LeakCheck {
public:
  explicit LeakCheck(const Guard &guard = Guard::global());
  ~LeakCheck();
  LeakCheck(const LeakCheck &) = delete;
  LeakCheck &operator=(const LeakCheck &) = delete;

  // Checks now instead of at destruction; returns whether nothing leaked.
  bool Verify();

private:
  const Guard &guard_;
  std::map<std::string, std::int64_t, std::less<>> baseline_;
  bool verified_ = false;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::testing

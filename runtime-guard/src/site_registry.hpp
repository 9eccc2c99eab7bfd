// SiteRegistry: finds a spawn site's state from a std::source_location without
// a lock (an open-addressing table keyed by file pointer and line), and by
// label for named sites. Holds at most max_sites; later sites share one.
#pragma once

#include "spawnguard/detail/site_state.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SiteRegistry {
public:
  static constexpr std::size_t max_sites = 2048;
  static constexpr std::string_view overflow_label = "(other sites)";

  // on_new_site runs once for each site created (the guard applies configured
  // limits there), under the registry's lock.
  SiteRegistry(const std::atomic<bool> &shedding, std::function<void(SiteState &)> on_new_site);
  ~SiteRegistry();

  SiteState &at(const std::source_location &where);
  SiteState &named(const SpawnSite &site);
  SiteState *find(std::string_view label) const;
  std::vector<SiteState *> all() const;

private:
  struct Slot {
    std::atomic<const char *> file{nullptr};
    std::atomic<std::uint_least32_t> line{0};
    std::atomic<SiteState *> site{nullptr};
  };
  static constexpr std::size_t slot_count = 2 * max_sites;

  SiteState &create_locked(SpawnSite site);

  const std::atomic<bool> &shedding_;
  std::function<void(SiteState &)> on_new_site_;
  std::unique_ptr<Slot[]> slots_;
  mutable std::mutex mutex_;
  std::map<std::string, SiteState *, std::less<>> by_label_;
  std::vector<std::unique_ptr<SiteState>> sites_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

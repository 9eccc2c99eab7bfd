// Names of the limit policies, as the config and the reports spell them.
#include "spawnguard/site_limit.hpp"

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

std::string_view to_string(LimitPolicy policy) noexcept {
  switch (policy) {
  case LimitPolicy::reject:
    return "reject";
  case LimitPolicy::wait:
    return "wait";
  case LimitPolicy::observe:
    return "observe";
  }
  return "observe";
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

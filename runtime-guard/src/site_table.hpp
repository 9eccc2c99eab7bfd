// The process-wide table of SiteStates by index: a task record names its
// site in 22 bits, so that the record fits the allocator's smallest block.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstdint>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

class SiteState;

// Files `site` and returns its index (never reused); throws std::length_error
// past 2^22 sites in one process.
std::uint32_t register_site(SiteState *site);
void unregister_site(std::uint32_t index) noexcept;
SiteState *site_at(std::uint32_t index) noexcept;

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

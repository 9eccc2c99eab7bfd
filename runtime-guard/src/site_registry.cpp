// SiteRegistry: lock-free lookups by source location, a mutex for new sites.
#include "site_registry.hpp"

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

std::size_t slot_hash(const char *file, std::uint_least32_t line) {
  auto bits = (reinterpret_cast<std::uintptr_t>(file) >> 3) ^ (std::uintptr_t{line} << 20) ^ line;
  return static_cast<std::size_t>(bits * 0x9E3779B97F4A7C15ULL >> 32);
}

} // namespace

SiteRegistry::SiteRegistry(const std::atomic<bool> &shedding,
                           std::function<void(SiteState &)> on_new_site)
    : shedding_(shedding), on_new_site_(std::move(on_new_site)),
      slots_(std::make_unique<Slot[]>(slot_count)) {}

SiteRegistry::~SiteRegistry() = default;

SiteState &SiteRegistry::at(const std::source_location &where) {
  const char *file = where.file_name();
  const auto line = where.line();
  const auto start = slot_hash(file, line);
  for (std::size_t probe = 0; probe < slot_count; ++probe) {
    Slot &slot = slots_[(start + probe) % slot_count];
    SiteState *site = slot.site.load(std::memory_order_acquire);
    if (site == nullptr) {
      break; // not there yet: take the lock below
    }
    if (slot.file.load(std::memory_order_relaxed) == file &&
        slot.line.load(std::memory_order_relaxed) == line) {
      return *site;
    }
  }

  std::lock_guard lock(mutex_);
  SpawnSite spawn_site = SpawnSite::here(where);
  SiteState *site = nullptr;
  if (auto it = by_label_.find(spawn_site.label()); it != by_label_.end()) {
    site = it->second;
  } else {
    site = &create_locked(std::move(spawn_site));
  }
  for (std::size_t probe = 0; probe < slot_count; ++probe) {
    Slot &slot = slots_[(start + probe) % slot_count];
    SiteState *taken = slot.site.load(std::memory_order_relaxed);
    if (taken != nullptr && slot.file.load(std::memory_order_relaxed) == file &&
        slot.line.load(std::memory_order_relaxed) == line) {
      return *taken; // another thread filed it while we waited for the lock
    }
    if (taken == nullptr) {
      slot.file.store(file, std::memory_order_relaxed);
      slot.line.store(line, std::memory_order_relaxed);
      slot.site.store(site, std::memory_order_release);
      break;
    }
  }
  return *site; // a full table still answers, through the lock
}

SiteState &SiteRegistry::named(const SpawnSite &site) {
  std::lock_guard lock(mutex_);
  if (auto it = by_label_.find(site.label()); it != by_label_.end()) {
    return *it->second;
  }
  return create_locked(site);
}

SiteState &SiteRegistry::create_locked(SpawnSite site) {
  if (sites_.size() >= max_sites) {
    if (auto it = by_label_.find(overflow_label); it != by_label_.end()) {
      return *it->second;
    }
    site = SpawnSite::named(overflow_label);
  }
  auto &created = *sites_.emplace_back(std::make_unique<SiteState>(std::move(site), shedding_));
  by_label_.emplace(created.label(), &created);
  if (on_new_site_) {
    on_new_site_(created);
  }
  return created;
}

SiteState *SiteRegistry::find(std::string_view label) const {
  std::lock_guard lock(mutex_);
  auto it = by_label_.find(label);
  return it == by_label_.end() ? nullptr : it->second;
}

std::vector<SiteState *> SiteRegistry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<SiteState *> out;
  out.reserve(sites_.size());
  for (const auto &site : sites_) {
    out.push_back(site.get());
  }
  return out;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

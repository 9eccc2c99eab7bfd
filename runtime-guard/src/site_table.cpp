// The process-wide site table: two levels of atomic pointers, so that only
// used chunks take memory and lookups take no lock.
#include "site_table.hpp"

#include "spawnguard/detail/task_record.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

// Every SiteState of the process by index: a record names its site in 22 bits.
// Two levels so that only used chunks take memory; indexes are not reused.
class SiteTable {
public:
  static constexpr std::size_t chunk_size = 4096;
  static constexpr std::size_t chunk_count = (std::size_t{1} << TaskRecord::index_bits) / chunk_size;

  std::uint32_t add(SiteState *site) {
    std::lock_guard lock(mutex_);
    if (next_ == chunk_count * chunk_size) {
      throw std::length_error("spawnguard: more than 4M spawn sites created in this process");
    }
    const auto index = next_++;
    auto &chunk = chunks_[index / chunk_size];
    if (!chunk.load(std::memory_order_relaxed)) {
      chunk.store(new std::atomic<SiteState *>[chunk_size](), std::memory_order_release);
    }
    chunk.load(std::memory_order_relaxed)[index % chunk_size].store(site, std::memory_order_release);
    return static_cast<std::uint32_t>(index);
  }
  void remove(std::uint32_t index) {
    chunks_[index / chunk_size].load(std::memory_order_acquire)[index % chunk_size].store(nullptr);
  }
  SiteState *at(std::uint32_t index) const noexcept {
    return chunks_[index / chunk_size].load(std::memory_order_acquire)[index % chunk_size].load(
        std::memory_order_acquire);
  }

private:
  std::mutex mutex_;
  std::size_t next_ = 0;
  std::array<std::atomic<std::atomic<SiteState *> *>, chunk_count> chunks_{};
};

SiteTable &site_table() {
  static SiteTable *const table = new SiteTable; // outlives every static guard
  return *table;
}

} // namespace

std::uint32_t register_site(SiteState *site) { return site_table().add(site); }

void unregister_site(std::uint32_t index) noexcept { site_table().remove(index); }

SiteState *site_at(std::uint32_t index) noexcept { return site_table().at(index); }

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

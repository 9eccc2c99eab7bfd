// The spawnguard error category and SpawnRejected.
#include "spawnguard/errors.hpp"

#include <string>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

class Category : public detail::error_category_base {
public:
  virtual ~Category() = default;
  const char *name() const noexcept override { return "spawnguard"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
    case errc::limit_reached:
      return "spawn site is at its live-task limit";
    case errc::shed:
      return "spawn shed: memory is critical and the site is sheddable";
    case errc::wait_timeout:
      return "timed out waiting for a free slot at the spawn site";
    case errc::too_many_waiters:
      return "too many spawns already waiting for a slot at the spawn site";
    case errc::out_of_memory:
      return "no memory for the task's record: the spawn did not happen";
    }
    return "unknown spawnguard error";
  }
};

} // namespace

const detail::error_category_base &error_category() noexcept {
  static const Category category;
  return category;
}

SpawnRejected::SpawnRejected(error_code why, std::string site_label)
    : detail::system_error_base(why, "spawn at " + site_label + " refused"),
      site_(std::move(site_label)) {}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

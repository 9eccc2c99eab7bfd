// Why a guarded spawn or a permit request did not happen: error codes and the
// exception a guarded co_spawn completes with when its site refuses it.
#pragma once

#include "spawnguard/detail/asio.hpp"

#include <string>
#include <type_traits>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

enum class errc {
  limit_reached = 1, // the site's limit is full and its policy is reject
  shed,              // the guard is critical and the site is sheddable
  wait_timeout,      // a wait-policy spawn or permit waited longer than its timeout
  too_many_waiters,  // the wait queue already holds its maximum
  out_of_memory,     // the task's record could not be allocated: the spawn did not happen
};

const detail::error_category_base &error_category() noexcept;

inline error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// The exception_ptr a refused co_spawn completes with: a server turns it into
// 503 + Retry-After. code() says why; site() names the refusing site.
class SpawnRejected : public detail::system_error_base {
public:
  SpawnRejected(error_code why, std::string site_label);
  const std::string &site() const noexcept { return site_; }

private:
  std::string site_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

#ifdef SPAWNGUARD_STANDALONE_ASIO
template <> struct std::is_error_code_enum<spawnguard::errc> : std::true_type {};
#else
template <> struct boost::system::is_error_code_enum<spawnguard::errc> : std::true_type {};
#endif

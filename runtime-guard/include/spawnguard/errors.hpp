// Why a guarded spawn or a permit request did not happen: error codes and the
// exception a guarded co_spawn completes with when its site refuses it.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <string>
#include <type_traits>

namespace spawnguard {

enum class errc {
  limit_reached = 1, // the site's limit is full and its policy is reject
  shed,              // the guard is critical and the site is sheddable
  wait_timeout,      // a wait-policy spawn or permit waited longer than its timeout
  too_many_waiters,  // the wait queue already holds its maximum
};

const boost::system::error_category &error_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// The exception_ptr a refused co_spawn completes with: a server turns it into
// 503 + Retry-After. code() says why; site() names the refusing site.
class SpawnRejected : public boost::system::system_error {
public:
  SpawnRejected(boost::system::error_code why, std::string site_label);
  const std::string &site() const noexcept { return site_; }

private:
  std::string site_;
};

} // namespace spawnguard

template <> struct boost::system::is_error_code_enum<spawnguard::errc> : std::true_type {};

// Site: a handle on one spawn site of a Guard — its counters, its limit,
// whether it may be shed — and Admission, a slot reserved at a site before
// spawning (for servers that answer 503 instead of spawning).
#pragma once

#include "spawnguard/detail/site_state.hpp"

#include <optional>
#include <string>
#include <utility>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

// A live-task slot taken at a site, or the reason none was. Pass it to
// spawnguard::co_spawn / post; dropped unused, it frees the slot.
class Admission {
public:
  Admission() = default;
  Admission(Admission &&other) noexcept
      : record_(std::exchange(other.record_, nullptr)), site_(other.site_),
        refusal_(other.refusal_) {}
  Admission &operator=(Admission &&other) noexcept {
    if (this != &other) {
      reset();
      record_ = std::exchange(other.record_, nullptr);
      site_ = other.site_;
      refusal_ = other.refusal_;
    }
    return *this;
  }
  Admission(const Admission &) = delete;
  Admission &operator=(const Admission &) = delete;
  ~Admission() { reset(); }

  explicit operator bool() const noexcept { return record_ != nullptr; }
  // Why there is no slot: errc::limit_reached, errc::shed or errc::out_of_memory.
  error_code error() const noexcept {
    return refusal_ == errc{} ? error_code{} : make_error_code(refusal_);
  }

  // Internal: the wrappers take the reserved record over.
  detail::TaskRecord *take_record() noexcept { return std::exchange(record_, nullptr); }
  detail::SiteState *site_state() const noexcept { return site_; }
  bool decided() const noexcept { return record_ != nullptr || refusal_ != errc{}; }

private:
  friend class Site;
  Admission(detail::SiteState &site, detail::TaskRecord *record, errc refusal)
      : record_(record), site_(&site), refusal_(refusal) {}
  void reset() noexcept {
    if (record_ != nullptr) {
      detail::SiteState::end_task(std::exchange(record_, nullptr), detail::TaskEnd::finished);
    }
  }

  detail::TaskRecord *record_ = nullptr;
  detail::SiteState *site_ = nullptr;
  errc refusal_{};
};

class Site {
public:
  explicit Site(detail::SiteState &state) noexcept : state_(&state) {}

  const std::string &label() const noexcept { return state_->label(); }
  const SpawnSite &spawn_site() const noexcept { return state_->site(); }
  std::int64_t live() const noexcept { return state_->live(); }
  SiteStats stats() const { return state_->stats(detail::coarse_now_ns()); }

  void set_limit(const SiteLimit &limit) { state_->set_limit(limit); }
  void clear_limit() { state_->clear_limit(); }
  std::optional<SiteLimit> limit() const { return state_->limit(); }
  // Sheddable sites refuse spawns (errc::shed) while the guard is critical and
  // Config::shed_at_critical is on.
  void set_sheddable(bool sheddable) noexcept { state_->set_sheddable(sheddable); }
  // While the guard is critical, the oldest live tasks of a cancellable site
  // are cancelled (a terminal per-operation cancellation on their executor:
  // their pending operation completes with operation_aborted), oldest first,
  // Config::cancel_fraction of them per sample, until the level drops. Only
  // tasks spawned by spawnguard::co_spawn after this call can be cancelled;
  // run them on a strand when their io_context has several threads, as Asio
  // asks of any cancellation.
  void set_cancellable(bool cancellable) noexcept { state_->set_cancellable(cancellable); }

  // Takes a slot now without queueing. A wait-policy site with no free slot
  // answers errc::limit_reached here; a refusal counts as rejected.
  Admission try_admit() {
    auto decision = state_->try_admit();
    if (decision.must_wait) {
      state_->count_rejected();
      return Admission(*state_, nullptr, errc::limit_reached);
    }
    return Admission(*state_, decision.record, decision.refusal);
  }

  detail::SiteState &state() const noexcept { return *state_; }
  friend bool operator==(const Site &a, const Site &b) noexcept { return a.state_ == b.state_; }

private:
  detail::SiteState *state_;
};

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR

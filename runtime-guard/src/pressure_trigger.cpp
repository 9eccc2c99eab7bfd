// PressureTrigger: registering a PSI trigger (Documentation/accounting/psi.rst)
// and waiting for its POLLPRI through Asio's reactor (EPOLLPRI: wait_error).
#include "pressure_trigger.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

namespace {

std::string seconds_text(std::chrono::microseconds us) {
  return fmt::format("{:g}s", static_cast<double>(us.count()) / 1e6);
}

// Only procfs and cgroupfs files are PSI files: a write to anything else
// would "succeed" and never fire.
bool on_kernel_pressure_fs(int fd) {
  struct statfs fs {};
  if (fstatfs(fd, &fs) != 0) {
    return false;
  }
  const auto type = static_cast<unsigned long>(fs.f_type);
  return type == PROC_SUPER_MAGIC || type == CGROUP2_SUPER_MAGIC || type == CGROUP_SUPER_MAGIC;
}

bool write_line(int fd, const std::string &line) {
  // The kernel takes the trigger with its terminating NUL, as psi.rst shows.
  return ::write(fd, line.c_str(), line.size() + 1) == static_cast<ssize_t>(line.size() + 1);
}

} // namespace

std::string trigger_line(const Config::PressureTrigger &trigger) {
  return fmt::format("{} {} {}", trigger.full ? "full" : "some", trigger.threshold.count(),
                     trigger.window.count());
}

PressureTrigger::PressureTrigger(const net::any_io_executor &ex, const std::string &file,
                                 const Config::PressureTrigger &trigger) {
  status_.file = file;
  const int fd = ::open(file.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    status_.note = fmt::format("cannot open {} for writing: {}", file, std::strerror(errno));
    return;
  }
  if (!on_kernel_pressure_fs(fd)) {
    ::close(fd);
    status_.note = fmt::format("{} is not a kernel PSI file (not on procfs or cgroupfs)", file);
    return;
  }
  auto wanted = trigger;
  auto line = trigger_line(wanted);
  if (!write_line(fd, line)) {
    int error = errno;
    // Without CAP_SYS_RESOURCE the kernel takes only windows that are whole
    // multiples of 2 s: the nearest such window, the same stall threshold.
    constexpr std::chrono::microseconds unprivileged_step{2'000'000};
    if (error == EINVAL && wanted.window % unprivileged_step != std::chrono::microseconds{0}) {
      wanted.window = (wanted.window / unprivileged_step + 1) * unprivileged_step;
      line = trigger_line(wanted);
      if (write_line(fd, line)) {
        status_.note = fmt::format("window raised from {} to {}: without CAP_SYS_RESOURCE the "
                                   "kernel takes only multiples of 2s",
                                   seconds_text(trigger.window), seconds_text(wanted.window));
        error = 0;
      } else {
        error = errno;
      }
    }
    if (error != 0) {
      ::close(fd);
      status_.note = fmt::format("the kernel refused the trigger '{}' on {}: {}",
                                 trigger_line(trigger), file, std::strerror(error));
      return;
    }
  }
  status_.armed = true;
  status_.trigger = line;
  descriptor_.emplace(ex, fd);
}

PressureTrigger::~PressureTrigger() { close(); }

PressureTriggerStatus PressureTrigger::status() const {
  auto out = status_;
  out.fires = fires_.load(std::memory_order_relaxed);
  return out;
}

void PressureTrigger::close() {
  if (descriptor_) {
    error_code ignored;
    descriptor_->close(ignored); // unregisters the trigger
    descriptor_.reset();
  }
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail

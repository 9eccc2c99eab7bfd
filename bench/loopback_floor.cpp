// loopback_floor: what this machine alone does to request latency. One
// blocking TCP connection over loopback, a responder thread and a sender
// thread pinned like the server benchmark's service and load generator,
// requests sent at a fixed rate with latency counted from each request's
// scheduled time (as the load generator counts it). No Asio, no HTTP, no
// parsing: whatever tail this shows, no server on this machine can beat.
#include "latency/latency_histogram.hpp"

#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

using slow_query::LatencyHistogram;

constexpr const char *kUsage = R"(usage: loopback_floor [options]
  --rate N             requests per second (default 5000)
  --duration-s N       measured seconds (default 10)
  --warmup-s N         seconds sent first and kept out of the figures (default 1)
  --request-bytes N    bytes per request (default 164: the server benchmark's HTTP request)
  --response-bytes N   bytes per response (default 83: the service's /work response)
  --sender-cpu N       pin the sender thread to CPU N (default: not pinned)
  --responder-cpu N    pin the responder thread to CPU N (default: not pinned)
  --spin 0|1           busy-poll instead of sleeping, both threads (default 0): shows
                       what is left when no thread ever waits to be woken
Prints one JSON object: latency (scheduled -> response read), send lag
(scheduled -> request written) and round trip (written -> response read).
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SystemError : std::runtime_error {
  explicit SystemError(std::string_view what)
      : std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno))) {}
};

struct Options {
  double rate = 5000;
  double duration_s = 10;
  double warmup_s = 1;
  std::size_t request_bytes = 164;
  std::size_t response_bytes = 83;
  int sender_cpu = -1;
  int responder_cpu = -1;
  bool spin = false;
};

double number(std::string_view flag, std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0)
    throw UsageError(fmt::format("{} '{}': expected a non-negative number", flag, text));
  return value;
}

// A CPU this process may run on, or -1 for "not pinned".
void check_cpu(std::string_view flag, int cpu) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (cpu >= 0 && (cpu >= CPU_SETSIZE || ::sched_getaffinity(0, sizeof allowed, &allowed) != 0 ||
                   !CPU_ISSET(cpu, &allowed)))
    throw UsageError(fmt::format("{} {}: not a CPU this process may use (see nproc)", flag, cpu));
}

// Pins the calling thread (checked by check_cpu beforehand).
void pin_to(int cpu) {
  if (cpu < 0)
    return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set);
}

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 == argc)
      throw UsageError(fmt::format("unknown option or missing value: '{}' (see --help)", flag));
    double value = number(flag, argv[++i]);
    if (flag == "--rate")
      options.rate = value;
    else if (flag == "--duration-s")
      options.duration_s = value;
    else if (flag == "--warmup-s")
      options.warmup_s = value;
    else if (flag == "--request-bytes")
      options.request_bytes = static_cast<std::size_t>(value);
    else if (flag == "--response-bytes")
      options.response_bytes = static_cast<std::size_t>(value);
    else if (flag == "--sender-cpu")
      options.sender_cpu = static_cast<int>(value);
    else if (flag == "--responder-cpu")
      options.responder_cpu = static_cast<int>(value);
    else if (flag == "--spin")
      options.spin = value != 0;
    else
      throw UsageError(fmt::format("unknown option '{}' (see --help)", flag));
  }
  if (options.rate <= 0)
    throw UsageError("--rate: must be above 0");
  if (options.duration_s <= 0)
    throw UsageError("--duration-s: must be above 0");
  check_cpu("--sender-cpu", options.sender_cpu);
  check_cpu("--responder-cpu", options.responder_cpu);
  if (options.spin && (options.sender_cpu < 0 || options.sender_cpu == options.responder_cpu))
    throw UsageError("--spin 1: give --sender-cpu and --responder-cpu, two different CPUs (two "
                     "busy-polling threads on one CPU wait for each other's time slice)");
  if (options.request_bytes == 0 || options.response_bytes == 0)
    throw UsageError("--request-bytes, --response-bytes: at least 1");
  return options;
}

// Full-length transfers; false when the peer has gone. A busy-polling
// socket (MSG_DONTWAIT) retries at once instead of sleeping.
bool read_exactly(int socket, char *data, std::size_t size, bool spin) {
  while (size > 0) {
    ssize_t got = ::recv(socket, data, size, spin ? MSG_DONTWAIT : 0);
    if (got < 0 && spin && (errno == EAGAIN || errno == EWOULDBLOCK))
      continue;
    if (got <= 0)
      return false;
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int socket, const char *data, std::size_t size) {
  while (size > 0) {
    ssize_t sent = ::send(socket, data, size, MSG_NOSIGNAL);
    if (sent <= 0)
      return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

class Socket {
public:
  explicit Socket(int fd) : fd_(fd) {
    if (fd_ < 0)
      throw SystemError("socket");
  }
  Socket(Socket &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket(const Socket &) = delete;
  ~Socket() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int fd() const { return fd_; }
  void no_delay() const {
    int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }

private:
  int fd_;
};

struct Figures {
  LatencyHistogram latency, send_lag, round_trip;
};

using Clock = std::chrono::steady_clock;

std::uint64_t microseconds(Clock::duration elapsed) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
}

void sleep_until(Clock::time_point due, bool spin) {
  if (spin) {
    while (Clock::now() < due) {
    }
    return;
  }
  // steady_clock is CLOCK_MONOTONIC on Linux; an absolute sleep does not drift.
  auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(due.time_since_epoch());
  timespec until{static_cast<time_t>(since_epoch.count() / 1'000'000'000),
                 static_cast<long>(since_epoch.count() % 1'000'000'000)};
  while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
  }
}

// Sends at the fixed rate; a request due while the previous one is still
// out goes as soon as its answer is in, its lateness counted.
Figures send_schedule(const Socket &connection, const Options &options) {
  Figures figures;
  std::string request(options.request_bytes, 'q');
  std::vector<char> response(options.response_bytes);
  auto interval = std::chrono::duration<double>(1.0 / options.rate);
  auto total = static_cast<std::uint64_t>(options.rate * (options.warmup_s + options.duration_s));
  auto start = Clock::now();
  auto measured_from = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(options.warmup_s));
  for (std::uint64_t next = 0; next < total; ++next) {
    auto due =
        start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(next));
    if (due > Clock::now())
      sleep_until(due, options.spin);
    auto sending = Clock::now();
    if (!write_all(connection.fd(), request.data(), request.size()) ||
        !read_exactly(connection.fd(), response.data(), response.size(), options.spin))
      throw SystemError("loopback connection closed early");
    auto answered = Clock::now();
    if (due < measured_from)
      continue;
    figures.latency.record(microseconds(answered - due));
    figures.send_lag.record(microseconds(sending - due));
    figures.round_trip.record(microseconds(answered - sending));
  }
  return figures;
}

void respond(Socket connection, const Options &options) {
  pin_to(options.responder_cpu);
  connection.no_delay();
  std::vector<char> request(options.request_bytes);
  std::string response(options.response_bytes, 'r');
  while (read_exactly(connection.fd(), request.data(), request.size(), options.spin) &&
         write_all(connection.fd(), response.data(), response.size())) {
  }
}

int run(const Options &options) {
  Socket listener(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener.fd(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
      ::listen(listener.fd(), 1) != 0 ||
      ::getsockname(listener.fd(), reinterpret_cast<sockaddr *>(&address), &length) != 0)
    throw SystemError("loopback listener");

  pin_to(options.sender_cpu);
  Socket connection(::socket(AF_INET, SOCK_STREAM, 0));
  if (::connect(connection.fd(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
    throw SystemError("connect to the loopback responder");
  connection.no_delay();
  Socket accepted(::accept(listener.fd(), nullptr, nullptr));
  std::jthread responder(respond, std::move(accepted), options);
  // Destroyed before the responder is joined, also when sending throws: the
  // shut-down connection ends the responder's read.
  struct EndsResponder {
    const Socket &connection;
    ~EndsResponder() { ::shutdown(connection.fd(), SHUT_RDWR); }
  } ends_responder{connection};
  Figures figures = send_schedule(connection, options);
  fmt::print("{{\"rate\": {}, \"duration_s\": {}, \"warmup_s\": {}, \"request_bytes\": {}, "
             "\"response_bytes\": {}, \"spin\": {}, \"latency_ms\": {}, \"send_lag_ms\": {}, "
             "\"round_trip_ms\": {}}}\n",
             options.rate, options.duration_s, options.warmup_s, options.request_bytes,
             options.response_bytes, options.spin, figures.latency.percentiles_json(),
             figures.send_lag.percentiles_json(), figures.round_trip.percentiles_json());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    }
  try {
    return run(parse(argc, argv));
  } catch (const UsageError &e) {
    fmt::print(stderr, "loopback_floor: {}\n", e.what());
    return 2;
  } catch (const SystemError &e) {
    fmt::print(stderr, "loopback_floor: {}\n", e.what());
    return 2;
  }
}

// PostgresConnection against a real PostgreSQL 15 server that is stopped and
// started again under open connections: every connection notices, connects
// again and runs statements, whatever descriptor numbers libpq reuses.
#include "database/postgres_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace slow_query {
namespace {

namespace asio = boost::asio;

// A throwaway server of scripts/postgres.sh, stopped and removed at the end.
class Server {
public:
  Server()
      : state_(std::filesystem::temp_directory_path() /
               ("spawnguard-pgconn-" + std::to_string(::getpid()) + ".state")) {
    uri_ = run("start");
  }
  ~Server() { run("stop"); }
  const std::string &uri() const { return uri_; }
  void pause() { run("pause"); }
  void resume() { run("resume"); }

private:
  std::string run(const std::string &command) {
    const std::string line = "SPAWNGUARD_PG_STATE='" + state_.string() + "' bash '" +
                             SPAWNGUARD_SCRIPTS_DIR "/postgres.sh' " + command;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(::popen(line.c_str(), "r"), ::pclose);
    if (!pipe)
      throw std::runtime_error("cannot run " + line);
    std::string out;
    std::array<char, 256> chunk{};
    while (std::fgets(chunk.data(), chunk.size(), pipe.get()))
      out += chunk.data();
    while (!out.empty() && out.back() == '\n')
      out.pop_back();
    return out;
  }

  std::filesystem::path state_;
  std::string uri_;
};

// Runs body on io and the loop until it returns, at most 30 s; true when it
// returned (false: a wait never ended).
bool finishes(asio::io_context &io, std::function<asio::awaitable<void>()> body) {
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await body();
        done = true;
      },
      asio::detached);
  io.restart();
  io.run_for(std::chrono::seconds(30));
  return done;
}

TEST(PostgresConnection, ConnectionsRecoverFromARestartInWhateverOrderTheyReconnect) {
  if (!std::filesystem::exists("/usr/lib/postgresql/15/bin/initdb"))
    GTEST_SKIP() << "no PostgreSQL 15 binaries (scripts/install-deps.sh installs them)";
  Server server;
  asio::io_context io(1);
  PostgresConnection first(io, server.uri());
  PostgresConnection second(io, server.uri());
  const char *statement = "SELECT 1";

  server.pause();
  // Each connection learns of the stop from a failed statement; libpq then
  // closes its descriptor, freeing the number for the next socket.
  ASSERT_TRUE(finishes(io, [&]() -> asio::awaitable<void> {
    for (PostgresConnection *connection : {&first, &second})
      for (int attempt = 0; attempt < 3 && !connection->broken(); ++attempt)
        EXPECT_EQ(co_await connection->execute(statement, {}), AuditOutcome::failed);
  }));
  EXPECT_TRUE(first.broken());
  EXPECT_TRUE(second.broken());

  server.resume();
  // The second connects first and takes the lowest free number, the first's
  // old one; the first connecting afterwards must not disturb it.
  AuditOutcome first_outcome = AuditOutcome::failed, second_outcome = AuditOutcome::failed;
  ASSERT_TRUE(finishes(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await second.reconnect()) << second.error_message();
    EXPECT_TRUE(co_await first.reconnect()) << first.error_message();
    second_outcome = co_await second.execute(statement, {});
    first_outcome = co_await first.execute(statement, {});
  })) << "a statement after the reconnects never ended";
  EXPECT_EQ(second_outcome, AuditOutcome::recorded) << second.error_message();
  EXPECT_EQ(first_outcome, AuditOutcome::recorded) << first.error_message();
  EXPECT_FALSE(first.broken());
  EXPECT_FALSE(second.broken());
}

} // namespace
} // namespace slow_query

// Input for the missing-deadline interface tests: a project's own query
// function (a wait only once configured), a timeout wrapper (a deadline only
// once configured), a task started once from main (reported only with
// --strict), and a NOLINT on a wait.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace net = boost::asio;

namespace db {
void query(const char *sql);
void set_timeout(int milliseconds);
} // namespace db

net::awaitable<void> audit_plain(net::ip::tcp::socket socket) {
  db::query("insert into audit values (1)");
  co_return;
}

net::awaitable<void> audit_with_timeout(net::ip::tcp::socket socket) {
  db::set_timeout(250);
  db::query("insert into audit values (2)");
  co_return;
}

net::awaitable<void> echo_suppressed(net::ip::tcp::socket socket) {
  char data[64];
  co_await socket.async_read_some(net::buffer(data), net::use_awaitable); // NOLINT(spawnguard-missing-deadline)
}

net::awaitable<void> listener(net::ip::tcp::acceptor acceptor) {
  net::ip::tcp::socket first = co_await acceptor.async_accept(net::use_awaitable);
  char hello[16];
  co_await first.async_read_some(net::buffer(hello), net::use_awaitable);
  for (;;) {
    net::co_spawn(acceptor.get_executor(), audit_plain(co_await acceptor.async_accept(net::use_awaitable)),
                  net::detached);
    net::co_spawn(acceptor.get_executor(), audit_with_timeout(co_await acceptor.async_accept(net::use_awaitable)),
                  net::detached);
    net::co_spawn(acceptor.get_executor(), echo_suppressed(co_await acceptor.async_accept(net::use_awaitable)),
                  net::detached);
  }
}

int main() {
  net::io_context context;
  net::co_spawn(context, listener(net::ip::tcp::acceptor(context)), net::detached);
  context.run();
}

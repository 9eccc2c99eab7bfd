// Fuzzes the slow-query service's request handling: the input is the bytes a
// client sends on one connection to the real server core (Beast's parser with
// the service's limits, the framing checks, the router), then the client
// half-closes. Whatever it sent, the server answers with HTTP responses or
// closes, and the connection is gone before the next input.
#include "server/connection.hpp"
#include "server/router.hpp"
#include "server/server.hpp"

#include "fuzz_input_file.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdlib>
#include <memory>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace slow_query;

// The work path's loop, as the service's modes run it, with an immediate answer.
asio::awaitable<void> answer_work(Connection &connection) {
  for (;;) {
    std::optional<Request> request = co_await connection.read_request();
    if (!request)
      co_return;
    co_await connection.reply(make_response(*request, http::status::ok,
                                            "ok " + std::to_string(request->body().size()) + "\n"));
  }
}

struct Harness {
  asio::io_context io{1};
  Router router{"/work"};
  std::unique_ptr<Server> server;

  Harness() {
    // The service's default limits (service_options.cpp).
    server = std::make_unique<Server>(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                                      ServerLimits{}, router, answer_work);
    router.add("/healthz", [](const Request &request) {
      return make_response(request, http::status::ok, "ok\n");
    });
    router.add_debug("/metrics", [this](const Request &request) {
      return make_response(request, http::status::ok, server->metrics_text());
    });
    router.add_slow_debug("/debug/tasks",
                          [](const Request &request) -> asio::awaitable<Response> {
                            co_return make_response(request, http::status::ok, "tasks\n");
                          });
    server->start();
  }
};

asio::awaitable<void> send_and_read(tcp::endpoint endpoint, std::string_view bytes,
                                    std::string &answer, bool &done) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(endpoint, asio::use_awaitable);
  // The server may answer and close before reading everything: the write
  // then fails, which is what a real client would see too.
  auto [write_error, written] =
      co_await asio::async_write(socket, asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
  (void)write_error;
  (void)written;
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  auto [read_error, read] = co_await asio::async_read(socket, asio::dynamic_buffer(answer),
                                                      asio::as_tuple(asio::use_awaitable));
  (void)read_error;
  (void)read;
  // RST on close: no TIME_WAIT per input, so the ephemeral ports last.
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
  done = true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static Harness &harness = *new Harness; // never destroyed: its accept loop runs to the end
  std::string answer;
  bool done = false;
  asio::co_spawn(harness.io,
                 send_and_read(harness.server->local_endpoint(),
                               spawnguard::fuzz::as_text(data, size), answer, done),
                 [](std::exception_ptr failure) {
                   if (failure)
                     std::rethrow_exception(failure);
                 });
  while (!done || harness.server->live_connections() > 0)
    harness.io.run_one();
  if (!answer.empty() && !answer.starts_with("HTTP/1.")) {
    std::fprintf(stderr, "the server answered something that is not HTTP: %.80s\n", answer.c_str());
    std::abort();
  }
  return 0;
}

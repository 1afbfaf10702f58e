#pragma once
// The network side of `kaidah serve`: HTTP/1.1 with keep-alive on Boost.Beast, every limit an
// option, signals for reload and shutdown, and a line of access log per request.

#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>

#include "serve/service.h"

namespace kaidah::serve {

struct ListenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  unsigned short port = 8080;      // 0: any free port (the one bound is passed to `listening`)
  unsigned threads = 0;            // 0: one per core
  std::size_t max_body_bytes = 16 * 1024 * 1024;  // a larger body is answered 413 before it is read
  std::size_t max_connections = 10'000;  // more are closed at once, with a 503
  std::size_t max_concurrent = 64;     // requests being answered at once; more are answered 503
  // A request's header must arrive within header_timeout of the connection being ready for it
  // (an idle keep-alive connection is closed then), its body within body_timeout, and a response
  // must be taken within body_timeout: a slow client holds a connection, never a thread.
  std::chrono::seconds header_timeout{10}, body_timeout{60};
  std::chrono::seconds shutdown_timeout{30};  // requests in flight get this long to finish
  std::FILE* access_log = stderr;             // nullptr: no access log
};

// Serves `service` until SIGINT or SIGTERM (then stops accepting, finishes the requests in
// flight, closes idle connections and returns); SIGHUP reloads the rulebook. Calls `listening`
// with the address bound ("127.0.0.1:8080") once connections are accepted. Throws ListenError
// when the host is not an address or the address cannot be bound.
void serve(Service& service, const ServerOptions& options, const std::function<void(const std::string&)>& listening);

}  // namespace kaidah::serve

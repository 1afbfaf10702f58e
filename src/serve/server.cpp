#include "serve/server.h"

#include <array>
#include <csignal>
#include <limits>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kaidah::serve {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class Session;

// No body limit. (Not boost::none: Boost 1.74's Beast compares a Content-Length with it, and every
// length is larger than none.)
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

// Boost 1.74's Beast has its own string_view.
std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

// What every connection shares: the service, the options, the sessions open (to close the idle
// ones at shutdown) and the access log.
struct Shared {
  Shared(Service& s, const ServerOptions& o) : service(s), options(o) {}
  Service& service;
  const ServerOptions& options;
  std::atomic<bool> draining{false};
  std::mutex mutex;  // guards sessions and the access log
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;

  void log(const std::string& line) {
    if (!options.access_log) return;
    std::lock_guard lock(mutex);
    std::fputs(line.c_str(), options.access_log);
    std::fflush(options.access_log);
  }
};

// A request target as the access log writes it: printable ASCII, at most 200 bytes.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += (c > 32 && c < 127 && c != '"') ? c : '?';
  return text.size() > 200 ? out + "..." : out;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// One connection: requests read and answered one after another (HTTP/1.1 keep-alive), on its own
// strand, so that a session's handlers never run at once.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    boost::system::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "-" : endpoint.address().to_string();
    shared_.service.metrics().connections.fetch_add(1);
  }
  ~Session() {
    shared_.service.metrics().connections.fetch_sub(1);
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Past --max-connections: a 503 before any request is read, and the connection closed.
  void start_refused() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->busy_ = true;
      self->refuse(503, "busy", "too many connections: try again (--max-connections)", {{"Retry-After", "1"}});
    });
  }

  // At shutdown: a connection waiting for a request is closed; one answering finishes first.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read_header() {
    busy_ = false;
    if (shared_.draining) return close();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // The limit depends on the endpoint (a streamed batch has none): set once the header is read.
    parser_->body_limit(kNoLimit);
    stream_.expires_after(shared_.options.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();  // the client left, or kept the connection idle past the header timeout
    busy_ = true;
    started_ = Clock::now();
    if (ec == http::error::body_limit) return refuse(413, "body_too_large", too_large());
    if (ec == http::error::header_limit) return refuse(431, "header_too_large", "the request's header is larger than 16 KiB");
    if (ec) return refuse(400, "malformed_http", "malformed HTTP request: " + ec.message());
    const auto& header = parser_->get();
    if (header.method() == http::verb::post && route_of(view(header.target())) == Route::batch) return start_batch();
    if (parser_->content_length().value_or(0) > shared_.options.max_body_bytes) return refuse(413, "body_too_large", too_large());
    parser_->body_limit(shared_.options.max_body_bytes);  // a chunked body, as it comes
    if (header[http::field::expect] == "100-continue") {
      // curl asks before sending a body past 1 KiB; answering at once saves it a second's wait.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      stream_.expires_after(shared_.options.body_timeout);
      return http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
        if (e) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(shared_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      // The stream closed itself at the deadline: the 408 is for the log and the metrics alone.
      Response r;
      r.status = 408;
      record(r, 0);
      return close();
    }
    if (ec == http::error::body_limit) return refuse(413, "body_too_large", too_large());
    if (ec == asio::error::connection_reset || ec == asio::error::eof || ec == http::error::partial_message ||
        ec == asio::error::operation_aborted)
      return close();  // the client left mid-request
    if (ec) return refuse(400, "malformed_http", "malformed HTTP request: " + ec.message());

    const auto& req = parser_->get();
    Metrics& metrics = shared_.service.metrics();
    Response r;
    if (static_cast<std::size_t>(metrics.in_flight.fetch_add(1) + 1) > shared_.options.max_concurrent) {
      metrics.busy.fetch_add(1);
      r.status = 503;
      r.body = "{\"error\": {\"status\": 503, \"kind\": \"busy\", \"message\": \"the service is answering as many requests as "
               "--max-concurrent allows: try again\"}}\n";
      r.headers.emplace_back("Retry-After", "1");
    } else {
      r = shared_.service.handle({view(req.method_string()), view(req.target()), req.body(),
                                  view(req[http::field::content_type]), view(req[http::field::authorization])});
    }
    metrics.in_flight.fetch_sub(1);
    send(std::move(r), req.keep_alive() && !shared_.draining);
  }

  // POST /v1/batch: the body read a buffer at a time, each buffer's complete lines answered and
  // written as a chunk before the next is read, so that memory holds a buffer and a line.
  void start_batch() {
    const auto& header = parser_->get();
    auto started = shared_.service.start_batch({view(header.method_string()), view(header.target()), {},
                                                view(header[http::field::content_type]), view(header[http::field::authorization])},
                                               shared_.options.max_body_bytes);
    if (auto* refused = std::get_if<Response>(&started)) return send(std::move(*refused), false, true);
    batch_ = std::move(std::get<std::unique_ptr<BatchStream>>(started));
    const bool expects_continue = header[http::field::expect] == "100-continue";
    batch_parser_.emplace(std::move(*parser_));
    batch_parser_->body_limit(kNoLimit);  // any length: it is streamed
    in_.resize(64 * 1024);
    out_ = expects_continue ? "HTTP/1.1 100 Continue\r\n\r\n" : "";
    out_ += "HTTP/1.1 200 OK\r\nServer: kaidah\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n";
    write_batch(false);
  }

  void read_batch() {
    auto& body = batch_parser_->get().body();
    body.data = in_.data();
    body.size = in_.size();
    stream_.expires_after(shared_.options.body_timeout);
    http::async_read(stream_, buffer_, *batch_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_batch(ec);
    });
  }

  void on_batch(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = in_.size() - batch_parser_->get().body().size;
    const bool done = !ec && batch_parser_->is_done();
    std::string answers;
    try {
      if (!ec) batch_->feed(std::string_view(in_.data(), got), answers);
      if (done) batch_->finish(answers);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kaidah serve: a batch stopped: %s\n", e.what());
      ec = asio::error::operation_aborted;
    }
    if (ec) {
      // The client left, stalled past the body timeout, or sent a malformed chunk: the answer
      // stops without its last chunk, so that no client takes it for whole.
      Response r;
      r.status = ec == beast::error::timeout ? 408 : 400;
      r.route = Route::batch;
      r.rows = static_cast<std::size_t>(batch_->rows());
      record(r, 0);
      batch_.reset();
      return close();
    }
    out_.clear();
    if (!answers.empty()) {
      char size[20];
      std::snprintf(size, sizeof size, "%zx\r\n", answers.size());
      out_ = size + answers + "\r\n";
    }
    if (done) out_ += "0\r\n\r\n";
    if (out_.empty()) return read_batch();
    write_batch(done);
  }

  void write_batch(bool done) {
    stream_.expires_after(shared_.options.body_timeout);  // a client that does not read its answers
    asio::async_write(stream_, asio::buffer(out_), [self = shared_from_this(), done](beast::error_code ec, std::size_t) {
      if (ec || done) {
        Response r;
        r.status = ec ? 499 : 200;  // 499: the client left before the answer was written
        r.route = Route::batch;
        r.rows = static_cast<std::size_t>(self->batch_->rows());
        self->record(r, 0);
        self->batch_.reset();
        return self->close();
      }
      self->read_batch();
    });
  }

  std::string too_large() const {
    return "the request's body is larger than the service takes (" + std::to_string(shared_.options.max_body_bytes) +
           " bytes, --max-body-bytes): send the cases in parts, or stream them to /v1/batch";
  }

  // A request that cannot be read is answered, and its connection closed: what follows it on the
  // connection cannot be trusted to start where it ends.
  void refuse(unsigned status, const std::string& kind, const std::string& message,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    Response r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = "{\"error\": {\"status\": " + std::to_string(status) + ", \"kind\": " + json_quote(kind) +
             ", \"message\": " + json_quote(message) + "}}\n";
    send(std::move(r), false, true);
  }

  // After a refusal the client may still be sending (a 1 GB body): its bytes are read and dropped
  // for a moment before the connection closes, since closing on unread bytes resets the connection
  // and the client may never see why.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    drain();
  }
  void drain() {
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->lingered_ += n;
      if (ec || self->lingered_ > 16 * 1024 * 1024) return self->close();
      self->drain();
    });
  }

  void send(Response r, bool keep_alive, bool refused = false) {
    const bool head = parser_ && parser_->is_header_done() && parser_->get().method() == http::verb::head;
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "kaidah");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    const std::size_t bytes = r.body.size();
    record(r, bytes);
    if (!head) res->body() = std::move(r.body);
    res->content_length(bytes);
    stream_.expires_after(shared_.options.body_timeout);  // a client that does not read its answer
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, refused](beast::error_code ec, std::size_t) {
      if (!ec && refused) return self->linger();
      if (ec || !keep_alive) return self->close();
      self->read_header();
    });
  }

  // The metrics and the access log line of a request answered (or given up on).
  void record(const Response& r, std::size_t bytes) {
    const auto took = Clock::now() - started_;
    shared_.service.metrics().request(r.route, r.status, took);
    if (shared_.options.access_log) {
      std::string method = "-", target = "-";
      if (batch_parser_) {
        method = printable(view(batch_parser_->get().method_string()));
        target = printable(view(batch_parser_->get().target()));
      } else if (parser_ && parser_->is_header_done()) {
        method = printable(view(parser_->get().method_string()));
        target = printable(view(parser_->get().target()));
      }
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.3f", std::chrono::duration<double, std::milli>(took).count());
      shared_.log(utc_now() + " " + peer_ + " \"" + method + " " + target + "\" " + std::to_string(r.status) + " " +
                  std::to_string(bytes) + " " + ms + "ms rows=" + std::to_string(r.rows) + "\n");
    }
  }

  void close() {
    busy_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // A streamed batch's: its parser (the body a buffer at a time), the stream, the buffer read and
  // the chunk being written.
  std::optional<http::request_parser<http::buffer_body>> batch_parser_;
  std::unique_ptr<BatchStream> batch_;
  std::vector<char> in_;
  std::string out_;
  Shared& shared_;
  std::string peer_;
  Clock::time_point started_ = Clock::now();
  bool busy_ = false;  // between a request's header and its response written
  std::array<char, 16384> discard_;
  std::size_t lingered_ = 0;
};

class Listener {
 public:
  Listener(asio::io_context& ioc, Shared& shared, const tcp::endpoint& endpoint)
      : ioc_(ioc), acceptor_(ioc), retry_(ioc), shared_(shared) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;  // shutting down
      if (ec) {
        // Out of file descriptors (EMFILE) or the like: wait, rather than spin on the error.
        std::fprintf(stderr, "kaidah serve: accept failed: %s; trying again in 100 ms\n", ec.message().c_str());
        retry_.expires_after(std::chrono::milliseconds(100));
        return retry_.async_wait([this](beast::error_code e) {
          if (!e) accept();
        });
      }
      Metrics& metrics = shared_.service.metrics();
      if (static_cast<std::size_t>(metrics.connections.load()) >= shared_.options.max_connections) {
        metrics.connections_refused.fetch_add(1);
        std::make_shared<Session>(std::move(socket), shared_)->start_refused();
      } else {
        std::make_shared<Session>(std::move(socket), shared_)->start();
      }
      accept();
    });
  }

  void stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  }

 private:
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  Shared& shared_;
};

}  // namespace

void serve(Service& service, const ServerOptions& options, const std::function<void(const std::string&)>& listening) {
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  Shared shared(service, options);  // before the io_context: handlers it destroys still use it
  asio::io_context ioc(static_cast<int>(threads));
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, ec);
  if (ec) throw ListenError("'" + options.host + "' is not an IP address (127.0.0.1, ::1, 0.0.0.0 for every interface…)");
  std::optional<Listener> listening_on;
  try {
    listening_on.emplace(ioc, shared, tcp::endpoint(address, options.port));
  } catch (const boost::system::system_error& e) {
    throw ListenError(e.code().message());
  }
  Listener& listener = *listening_on;
  listener.accept();

  // A reload loads the rulebook on its own thread: the service answers with the old one meanwhile.
  asio::thread_pool reloads(1);
  asio::signal_set signals(ioc, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer drain_timer(ioc);
  Clock::time_point deadline;
  std::function<void()> wait_for_signal;
  std::function<void()> check_drained = [&] {
    if (service.metrics().connections.load() <= 0 || Clock::now() >= deadline) return ioc.stop();
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([&](beast::error_code ec) {
      if (!ec) check_drained();
    });
  };
  wait_for_signal = [&] {
    signals.async_wait([&](beast::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        asio::post(reloads, [&service] {
          const std::string failed = service.reload();
          const auto now = service.loaded();
          if (failed.empty()) {
            std::fprintf(stderr, "kaidah serve: reloaded %s %s (generation %ld)\n", now->base.name().c_str(),
                         now->base.version().c_str(), now->generation);
          } else {
            std::fprintf(stderr, "kaidah serve: reload failed; generation %ld stays in service:\n%s\n", now->generation,
                         failed.c_str());
          }
        });
        return wait_for_signal();
      }
      std::fprintf(stderr, "kaidah serve: shutting down: finishing the requests in flight\n");
      shared.draining = true;
      service.drain();
      listener.stop();
      std::vector<std::shared_ptr<Session>> open;
      {
        std::lock_guard lock(shared.mutex);
        for (auto& [key, weak] : shared.sessions) {
          if (auto s = weak.lock()) open.push_back(std::move(s));
        }
      }
      for (auto& s : open) s->close_if_idle();
      deadline = Clock::now() + options.shutdown_timeout;
      check_drained();
    });
  };
  wait_for_signal();

  const auto bound = listener.local_endpoint();
  listening((bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string()) + ":" +
            std::to_string(bound.port()));

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  reloads.join();
}

}  // namespace kaidah::serve

#include "serve/server.h"

#include <array>
#include <cerrno>
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
  Shared(Service& s, const ServerOptions& o, asio::thread_pool& w) : service(s), options(o), workers(w) {}
  Service& service;
  const ServerOptions& options;
  // Where requests are computed: the network threads only read and write, so that a heavy request
  // never keeps /healthz or another connection waiting.
  asio::thread_pool& workers;
  std::atomic<bool> draining{false};
  std::mutex mutex;  // guards sessions
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
  std::mutex log_mutex;  // a stalled log blocks its writers, not the sessions' bookkeeping

  void log(const std::string& line) {
    if (!options.access_log) return;
    std::lock_guard lock(log_mutex);
    std::fputs(line.c_str(), options.access_log);
    std::fflush(options.access_log);
  }
};

// The endpoints whose answers are computed on the workers; the others are answered at once.
bool computed(Route route) {
  return route == Route::evaluate || route == Route::explain || route == Route::compare || route == Route::reload;
}

// A request target as the access log writes it: printable ASCII, at most 200 bytes.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += (c > 32 && c < 127 && c != '"') ? c : '?';
  return text.size() > 200 ? out + "..." : out;
}

// Text as a header's value: printable ASCII and spaces, anything else '?'.
std::string header_value(std::string_view text) {
  std::string out;
  for (char c : text) out += (c >= 32 && c < 127) ? c : '?';
  return out;
}

// A stream's notes as one header's value: " | " between them (a note may hold a ";"), at most
// 4 KiB in all (a roster may have a hundred columns ignored, and a client reads so many headers).
std::string notes_header(const std::vector<std::string>& notes) {
  std::string out;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::string note = header_value(notes[i].substr(0, 512));
    if (out.size() + note.size() > 4096) return out + " | and " + std::to_string(notes.size() - i) + " more";
    out += (out.empty() ? "" : " | ") + note;
  }
  return out;
}

// One connection: requests read and answered one after another (HTTP/1.1 keep-alive), on its own
// strand, so that a session's handlers never run at once.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared)
      : stream_(std::move(socket)), strand_(stream_.get_executor()), shared_(shared) {
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
    route_ = route_of(view(header.target()));
    if (header.method() == http::verb::post && route_ == Route::batch) return start_batch();
    // Who asks, and for what, is checked before the body is read: no body is held for a request
    // that will be refused (a wrong token, a wrong method or media type).
    if (auto refused = shared_.service.refused_at_header({view(header.method_string()), view(header.target()), {},
                                               view(header[http::field::content_type]), view(header[http::field::authorization])})) {
      refused->route = route_;
      return send(std::move(*refused), false, true);
    }
    if (parser_->content_length().value_or(0) > shared_.options.max_body_bytes) return refuse(413, "body_too_large", too_large());
    parser_->body_limit(shared_.options.max_body_bytes);  // a chunked body, as it comes
    if (beast::iequals(header[http::field::expect], "100-continue")) {
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
      r.route = route_;
      record(r, 0);
      return close();
    }
    if (ec == http::error::body_limit) return refuse(413, "body_too_large", too_large());
    if (ec == asio::error::connection_reset || ec == asio::error::eof || ec == http::error::partial_message ||
        ec == asio::error::operation_aborted)
      return close();  // the client left mid-request
    if (ec) return refuse(400, "malformed_http", "malformed HTTP request: " + ec.message());

    const auto& req = parser_->get();
    auto answer = [this, &req] {
      return shared_.service.handle({view(req.method_string()), view(req.target()), req.body(),
                                     view(req[http::field::content_type]), view(req[http::field::authorization]), true});
    };
    if (!computed(route_)) return send(answer(), req.keep_alive() && !shared_.draining);
    Metrics& metrics = shared_.service.metrics();
    if (static_cast<std::size_t>(metrics.in_flight.fetch_add(1) + 1) > shared_.options.max_concurrent) {
      metrics.in_flight.fetch_sub(1);
      metrics.busy.fetch_add(1);
      return refuse(503, "busy", "the service is answering as many requests as --max-concurrent allows: try again",
                    {{"Retry-After", "1"}}, true);
    }
    // Computed on a worker; the session touches nothing of the request until the answer is back.
    asio::post(shared_.workers, [self = shared_from_this(), answer] {
      Response r = answer();
      asio::post(self->strand_, [self, r = std::move(r)]() mutable {
        self->shared_.service.metrics().in_flight.fetch_sub(1);
        self->send(std::move(r), self->parser_->get().keep_alive() && !self->shared_.draining);
      });
    });
  }

  // POST /v1/batch: the body read a buffer at a time, each buffer's complete rows answered and
  // written as a chunk before the next is read, so that memory holds a buffer and a chunk. The
  // answer's head is written with its first rows: a stream refused by its first rows (a roster's
  // header) is answered with the error, not a 200.
  void start_batch() {
    const auto& header = parser_->get();
    const Request request{view(header.method_string()), view(header.target()), {}, view(header[http::field::content_type]),
                          view(header[http::field::authorization])};
    if (auto refused = shared_.service.refused_at_header(request)) {
      refused->route = Route::batch;
      return send(std::move(*refused), false, true);
    }
    // A stream is a request computed for as long as it lasts: counted in --max-concurrent.
    Metrics& metrics = shared_.service.metrics();
    if (static_cast<std::size_t>(metrics.in_flight.fetch_add(1) + 1) > shared_.options.max_concurrent) {
      metrics.in_flight.fetch_sub(1);
      metrics.busy.fetch_add(1);
      return refuse(503, "busy", "the service is answering as many requests as --max-concurrent allows: try again",
                    {{"Retry-After", "1"}});
    }
    auto started = shared_.service.start_batch(request, shared_.options.max_body_bytes);
    if (auto* refused = std::get_if<Response>(&started)) {
      metrics.in_flight.fetch_sub(1);
      refused->route = Route::batch;
      return send(std::move(*refused), false, true);
    }
    batch_ = std::move(std::get<std::unique_ptr<BatchStream>>(started));
    const bool expects_continue = beast::iequals(header[http::field::expect], "100-continue");
    batch_parser_.emplace(std::move(*parser_));
    parser_.reset();
    batch_parser_->body_limit(kNoLimit);  // any length: it is streamed
    in_.resize(1024 * 1024);
    if (!expects_continue) return read_batch();
    out_ = "HTTP/1.1 100 Continue\r\n\r\n";
    write_batch(false);
  }

  // The body a read at a time, each with its own deadline: a host that sends slowly but steadily
  // is not cut off, one that stalls for --body-timeout is.
  void read_batch() {
    if (batch_parser_->is_done()) return answer_batch(true, true);  // no body, or none left (Content-Length: 0)
    auto& body = batch_parser_->get().body();
    body.data = in_.data() + filled_;
    body.size = in_.size() - filled_;
    stream_.expires_after(shared_.options.body_timeout);
    http::async_read_some(stream_, buffer_, *batch_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_batch(ec);
    });
  }

  void on_batch(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return end_batch(ec);
    filled_ = in_.size() - batch_parser_->get().body().size;
    const bool done = batch_parser_->is_done();
    // A full buffer is read on from; a read that found no more waiting (the host pauses, or
    // waits for answers) has its rows answered now.
    if (!done && filled_ < in_.size() && stream_.socket().available() > 0) return read_batch();
    answer_batch(done, done || filled_ < in_.size());
  }

  // What was read (filled_ bytes of in_) fed to the stream on a worker, and its answers written.
  void answer_batch(bool done, bool flush) {
    asio::post(shared_.workers, [self = shared_from_this(), done, flush] {
      std::string answers, stopped;
      beast::error_code failed;
      try {
        self->batch_->feed(std::string_view(self->in_.data(), self->filled_), answers);
        if (done) self->batch_->finish(answers);
        else if (flush) self->batch_->flush(answers);
      } catch (const BatchStream::Stopped& e) {
        stopped = e.what();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "kaidah serve: a batch stopped: %s\n", e.what());
        failed = asio::error::operation_aborted;
      }
      asio::post(self->strand_, [self, done, failed, stopped = std::move(stopped), answers = std::move(answers)] {
        self->filled_ = 0;
        if (failed) return self->end_batch(failed);
        if (!stopped.empty() && !self->head_written_ && answers.empty()) {  // refused before any answer
          self->finish_batch();
          return self->refuse(422, "bad_roster", stopped);
        }
        self->out_.clear();
        if (!self->head_written_ && (!answers.empty() || done || !stopped.empty())) {
          self->head_written_ = true;
          self->out_ = "HTTP/1.1 200 OK\r\nServer: kaidah\r\nContent-Type: " + self->batch_->content_type() + "\r\n";
          if (const std::string notes = notes_header(self->batch_->notes()); !notes.empty()) self->out_ += "Kaidah-Notes: " + notes + "\r\n";
          self->out_ += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        }
        if (!answers.empty()) {
          char size[20];
          std::snprintf(size, sizeof size, "%zx\r\n", answers.size());
          self->out_ += size + answers + "\r\n";
        }
        // A stream stopped midway ends without its last chunk, so that no client takes it for whole.
        if (done && stopped.empty()) self->out_ += "0\r\n\r\n";
        if (self->out_.empty()) return self->read_batch();
        self->write_batch(done || !stopped.empty(), stopped.empty() ? 200 : 422);
      });
    });
  }

  // The client left (499), stalled past the body timeout (408) or sent a malformed chunk (400): the
  // answer stops without its last chunk, so that no client takes it for whole.
  void end_batch(beast::error_code ec) {
    Response r;
    const bool left = ec == asio::error::eof || ec == asio::error::connection_reset || ec == http::error::partial_message;
    r.status = ec == beast::error::timeout ? 408 : left ? 499 : 400;
    r.route = Route::batch;
    r.rows = static_cast<std::size_t>(batch_->rows());
    record(r, 0);
    finish_batch();
    close();
  }

  // `last`: the answer ends with this write, as `status` (a stream stopped midway: 422).
  void write_batch(bool last, unsigned status = 200) {
    stream_.expires_after(shared_.options.body_timeout);  // a client that does not read its answers
    asio::async_write(stream_, asio::buffer(out_), [self = shared_from_this(), last, status](beast::error_code ec, std::size_t) {
      if (ec || last) {
        Response r;
        r.status = ec ? 499 : status;  // 499: the client left before the answer was written
        r.route = Route::batch;
        r.rows = static_cast<std::size_t>(self->batch_->rows());
        self->record(r, 0);
        self->finish_batch();
        // Stopped midway, the rest of the body is read and dropped a moment, so that a client
        // still sending sees the answer and its last row, not a reset.
        if (!ec && !self->batch_parser_->is_done()) return self->linger();
        return self->close();
      }
      self->read_batch();
    });
  }

  void finish_batch() {
    batch_.reset();  // a CSV stream's reader stops, unwound
    shared_.service.metrics().in_flight.fetch_sub(1);
  }

  std::string too_large() const {
    return "the request's body is larger than the service takes (" + std::to_string(shared_.options.max_body_bytes) +
           " bytes, --max-body-bytes): send the cases in parts, or stream them to /v1/batch";
  }

  // A request that cannot be read is answered, and its connection closed: what follows it on the
  // connection cannot be trusted to start where it ends.
  // `whole`: the request was read whole, so the connection may serve the next one.
  void refuse(unsigned status, const std::string& kind, const std::string& message,
              std::vector<std::pair<std::string, std::string>> headers = {}, bool whole = false) {
    Response r;
    r.status = status;
    r.route = route_;
    r.headers = std::move(headers);
    r.body = "{\"error\": {\"status\": " + std::to_string(status) + ", \"kind\": " + json_quote(kind) +
             ", \"message\": " + json_quote(message) + "}}\n";
    if (whole) return send(std::move(r), parser_->get().keep_alive() && !shared_.draining);
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
      shared_.log(now_utc() + " " + peer_ + " \"" + method + " " + target + "\" " + std::to_string(r.status) + " " +
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
  const asio::any_io_executor strand_;  // the connection's strand, where a worker hands its answer back
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // A streamed batch's: its parser (the body a buffer at a time), the stream, the buffer read and
  // the chunk being written.
  std::optional<http::request_parser<http::buffer_body>> batch_parser_;
  std::unique_ptr<BatchStream> batch_;
  bool head_written_ = false;
  std::vector<char> in_;
  std::size_t filled_ = 0;  // bytes of in_ read and not yet fed
  std::string out_;
  Route route_ = Route::other;
  Shared& shared_;
  std::string peer_;
  Clock::time_point started_ = Clock::now();
  bool busy_ = false;  // between a request's header and its response written
  std::array<char, 16384> discard_;
  std::size_t lingered_ = 0;
};

class Listener {
 public:
  // The acceptor and its retry timer live on a strand of their own: stop() comes from the signal
  // handler, on another thread.
  Listener(asio::io_context& ioc, Shared& shared, const tcp::endpoint& endpoint)
      : ioc_(ioc), strand_(asio::make_strand(ioc)), acceptor_(strand_), retry_(strand_), shared_(shared) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (stopped_ || ec == asio::error::operation_aborted) return;  // shutting down
      const bool out_of_resources = ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                                    ec == asio::error::no_memory || ec.value() == ENFILE;
      if (ec && !out_of_resources) return accept();  // that connection failed (it was reset before it was taken)
      if (ec) {
        // Out of file descriptors (EMFILE) or memory: wait, rather than spin on the error.
        std::fprintf(stderr, "kaidah serve: accept failed: %s; trying again in 100 ms\n", ec.message().c_str());
        retry_.expires_after(std::chrono::milliseconds(100));
        return retry_.async_wait([this](beast::error_code e) {
          if (!e && !stopped_) accept();
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
    asio::post(strand_, [this] {
      stopped_ = true;
      beast::error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
    });
  }

 private:
  asio::io_context& ioc_;
  asio::strand<asio::io_context::executor_type> strand_;
  bool stopped_ = false;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  Shared& shared_;
};

}  // namespace

void serve(Service& service, const ServerOptions& options, const std::function<void(const std::string&)>& listening) {
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  // Declared in this order: the workers are joined before the io_context goes (they hand answers
  // to it), and `shared` outlives the handlers the io_context destroys.
  asio::thread_pool workers(threads);
  Shared shared(service, options, workers);
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
      if (shared.draining) {
        std::fprintf(stderr, "kaidah serve: stopping now\n");  // a second Ctrl-C does not wait
        return ioc.stop();
      }
      std::fprintf(stderr, "kaidah serve: shutting down: finishing the requests in flight (Ctrl-C again stops now)\n");
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
      wait_for_signal();
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
  workers.join();
  reloads.join();
}

}  // namespace kaidah::serve

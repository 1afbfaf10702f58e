#pragma once
// What `kaidah serve` answers, apart from the network: a request in, a response out. The rulebook
// in service is swapped whole on reload; a request keeps the one it started with.

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <variant>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kaidah/kaidah.h"
#include "serve/metrics.h"

namespace kaidah::serve {

struct Settings {
  std::filesystem::path rulebook;
  std::vector<std::filesystem::path> reforms;  // files; each is offered under its name
  std::size_t max_rows = 10'000;               // cases in one /v1/evaluate, /v1/explain or /v1/compare
  std::string token;                           // "": no authentication (admin endpoints are then off)
  LoadOptions load;
};

struct Request {
  std::string_view method, target, body, content_type, authorization;
  bool admitted = false;  // refused_at_header() passed it already: not checked again
};

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  Route route = Route::other;
  std::size_t rows = 0;  // cases evaluated, for the access log
  std::vector<std::pair<std::string, std::string>> headers;  // more headers: Allow, WWW-Authenticate
};

// The rulebook in service with its reforms, and what is written from them once per load.
struct Loaded {
  explicit Loaded(Rulebook rules) : base(std::move(rules)) {}
  Rulebook base;
  std::vector<std::pair<std::string, Rulebook>> reforms;  // name -> the base with that reform
  long generation = 0;
  std::string loaded_at;  // UTC, ISO 8601
  std::string rulebook_json;  // the body of GET /v1/rulebook
  std::string openapi_json;   // the body of GET /v1/openapi.json
  std::string explorer_html;  // the body of GET /: the explorer, with the rulebook in it
  std::string labels;         // kaidah_rulebook_info's labels
  // The decisions' names of the base ("") and of each reform, sorted: a request's names are
  // checked against them, not against Rulebook::decisions(), which describes every decision anew.
  std::map<std::string, std::vector<std::string>, std::less<>> decision_names;
  const Rulebook* reform(std::string_view name) const;
};

// POST /v1/batch: cases streamed in, answered as they come, a chunk of rows at a time, so that
// memory holds a chunk whatever the length of the stream. The server feeds it the body as it is
// read, and sends what each call appends to `out`.
class BatchStream {
 public:
  // The body cannot be read on (a roster's header is wrong, bytes that are not text): the answers
  // appended before stand, the rest of the body is not answered; what() says why.
  struct Stopped : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  virtual ~BatchStream() = default;
  // Appends to `out` the answers of the rows `bytes` completes, a chunk at a time (a row not
  // ended waits for more). Throws Stopped.
  virtual void feed(std::string_view bytes, std::string& out) = 0;
  // At the end of the body: the answers of the rows read and not yet answered.
  virtual void finish(std::string& out) = 0;
  // The answers of the rows read so far, now (the host paused: it may be waiting for them).
  virtual void flush(std::string& out) = 0;
  virtual long rows() const = 0;
  // The answer's media type; and what the host should know of how the body was read (a column
  // ignored), known once the first answer is.
  virtual std::string content_type() const = 0;
  virtual std::vector<std::string> notes() const { return {}; }
};

// NDJSON in and out: a JSON object a line, each answered by a line: {"line", "id" (the host's
// own, when the rulebook has no input of that name), "ok", "values", "errors", "refused"}, as
// /v1/evaluate answers a case. Rows are answered 4,096 at a time (or 8 MiB of lines, or fewer
// when the host pauses). A line that is not a JSON object, or is longer than the limit, is answered
// with its "error", and the lines after it are read.
class NdjsonStream final : public BatchStream {
 public:
  struct Plan;  // the rulebook, date and decisions of the stream, and its Batch
  NdjsonStream(std::unique_ptr<Plan> plan, Metrics& metrics, std::size_t max_line_bytes);
  ~NdjsonStream() override;
  void feed(std::string_view bytes, std::string& out) override;
  void finish(std::string& out) override;
  void flush(std::string& out) override { answer_rows(out); }
  long rows() const override { return rows_; }
  std::string content_type() const override { return "application/x-ndjson"; }

 private:
  static constexpr std::size_t kChunk = 4096;  // rows evaluated at once, column by column
  static constexpr std::size_t kChunkBytes = 8 * 1024 * 1024;  // or fewer, when their lines are long
  struct Row;
  void take_line();                  // the line read becomes a row of the chunk
  void read_row(Row& row) const;     // its JSON read (on either of two threads)
  void answer_rows(std::string& out);
  std::unique_ptr<Plan> plan_;
  Metrics& metrics_;
  std::size_t max_line_bytes_;
  std::string pending_;  // the line being read
  bool too_long_ = false;
  std::vector<Row> rows_read_;
  std::size_t bytes_read_ = 0;  // the lines of rows_read_
  // A chunk's input columns, as text: views of its lines' values, read the quick way.
  std::vector<std::vector<std::string_view>> texts_;
  std::vector<std::vector<std::uint8_t>> missing_;
  std::vector<TypedColumn> typed_;
  BatchResult result_;
  long line_ = 0, rows_ = 0;
};

// Which endpoint a request target is for.
Route route_of(std::string_view target);

class Service {
 public:
  // Loads the rulebook and the reforms; throws LoadError (with every diagnostic) if one does not load.
  explicit Service(Settings settings);

  // The response to `request`; never throws (an unexpected failure is a 500 with its message).
  Response handle(const Request& request);

  // Loads the rulebook and reforms again, aside, and puts them in service when all loaded; the
  // ones in service stay otherwise. Returns "" or why the new ones did not load.
  std::string reload();

  // The answer that refuses `header` (a request's header, its body not read yet) before its body is
  // read: a missing or wrong token, an endpoint that does not exist, a wrong method or media type.
  std::optional<Response> refused_at_header(const Request& header) const;

  // A streaming batch for `request`'s header (its query names date, decisions and reform, as a
  // /v1/evaluate body does; and for a CSV, locale): the stream to feed the body to, an NdjsonStream
  // or a CSV one (serve/csv_batch.h) by its media type, or the response that refuses it.
  std::variant<std::unique_ptr<BatchStream>, Response> start_batch(const Request& request, std::size_t max_line_bytes);

  // /readyz answers 503 from now on (the server is shutting down).
  void drain() { draining_ = true; }

  std::shared_ptr<const Loaded> loaded() const;
  Metrics& metrics() { return metrics_; }
  const Settings& settings() const { return settings_; }

 private:
  std::shared_ptr<const Loaded> load(long generation) const;
  void admit(const Request& request, Route route) const;  // throws the Problem that refuses it
  Response route(const Request& request, const Loaded& loaded);
  Response evaluate(const Request& request, const Loaded& loaded, bool explain);
  Response compare(const Request& request, const Loaded& loaded);
  Response rulebook(std::string_view path, const Loaded& loaded);
  Response admin_reload(const Request& request);

  Settings settings_;
  mutable std::mutex mutex_;  // guards loaded_ (the pointer; what it points to is immutable)
  std::shared_ptr<const Loaded> loaded_;
  std::mutex reload_mutex_;  // one reload at a time
  Metrics metrics_;
  std::atomic<bool> draining_{false};
};

// GET /v1/rulebook's JSON: `r` with its inputs, decisions and parameters (each value of each history
// with its citation), the `reforms` loaded beside it, and which load it is.
std::string rulebook_json(const Rulebook& r, const std::vector<std::string>& reforms, long generation,
                          const std::string& loaded_at);

// Now, in UTC, as ISO 8601: "2026-12-03T09:15:55Z".
std::string now_utc();

// Compares two tokens in time that depends on their lengths only, not on where they differ.
bool same_token(std::string_view given, std::string_view expected);

}  // namespace kaidah::serve

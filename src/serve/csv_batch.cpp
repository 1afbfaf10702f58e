#include "serve/csv_batch.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <streambuf>
#include <thread>

#include "cli/channel.h"
#include "cli/roster.h"
#include "serve/answerer.h"

namespace kaidah::serve {
namespace {

using cli::RosterRow;

// A request's body as a std::streambuf that a reader pulls from (the roster's CSV reader, which
// reads a file) while the network pushes it a piece at a time. The reader runs on a thread of its
// own, and the two take turns, never running at once: give() hands the reader a piece and waits
// until it has taken all of it and waits for more, or has returned. So what the reader writes
// between two turns is the owner's to read during its turn, with no other lock.
class BodyReader : public std::streambuf {
 public:
  explicit BodyReader(std::function<void(std::streambuf&)> read) {
    thread_ = std::thread([this, read = std::move(read)] { run(read); });
  }
  // A reader still waiting for more is stopped (what it was reading is unwound) and joined.
  ~BodyReader() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      turn_ = Turn::reader;
    }
    changed_.notify_all();
    thread_.join();
  }
  BodyReader(const BodyReader&) = delete;
  BodyReader& operator=(const BodyReader&) = delete;

  // The reader takes `piece` (valid until this returns); the caller waits for its turn again.
  void give(std::string_view piece) {
    if (!piece.empty()) hand_over(piece, false);  // a read of the network may bring no byte of the body
  }
  // The end of the body: the reader sees it, and runs until it returns.
  void end() { hand_over({}, true); }
  // The reader threw what it should have caught (no memory): what it wrote may be incomplete.
  bool failed() const { return failed_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::unique_lock lock(mutex_);
    while (piece_.empty() && !ended_) {  // all given is taken: the owner's turn, until it gives more
      turn_ = Turn::owner;
      changed_.notify_all();
      changed_.wait(lock, [&] { return turn_ == Turn::reader; });
      if (stopping_) throw Stop{};
    }
    if (piece_.empty()) return traits_type::eof();
    char* const p = const_cast<char*>(piece_.data());  // only read: a get area is of char*
    setg(p, p, p + piece_.size());
    piece_ = {};
    return traits_type::to_int_type(*gptr());
  }
  // What is there, without waiting for the rest of `n` (a reader asks for 64 KiB at a time).
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    if (gptr() == egptr() && traits_type::eq_int_type(underflow(), traits_type::eof())) return 0;
    const std::streamsize taken = std::min<std::streamsize>(n, egptr() - gptr());
    std::memcpy(s, gptr(), static_cast<std::size_t>(taken));
    gbump(static_cast<int>(taken));
    return taken;
  }

 private:
  enum class Turn { owner, reader };
  struct Stop {};  // thrown out of a read the owner gave up on; no std::exception, so none catches it

  void hand_over(std::string_view piece, bool end) {
    std::unique_lock lock(mutex_);
    if (returned_) return;
    piece_ = piece;
    ended_ = end;
    turn_ = Turn::reader;
    changed_.notify_all();
    changed_.wait(lock, [&] { return turn_ == Turn::owner; });
  }

  void run(const std::function<void(std::streambuf&)>& read) {
    bool stopped;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return turn_ == Turn::reader; });
      stopped = stopping_;
    }
    try {
      if (!stopped) read(*this);
    } catch (const Stop&) {
    } catch (...) {  // `read` answers its own failures; this one it could not
      failed_ = true;
    }
    std::lock_guard lock(mutex_);
    returned_ = true;
    turn_ = Turn::owner;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  Turn turn_ = Turn::owner;
  std::string_view piece_;
  bool ended_ = false, stopping_ = false, returned_ = false, failed_ = false;
  std::thread thread_;
};

// The roster's messages name the sweep's option, "--locale id"; the service takes it in its
// query, "locale=id".
std::string as_service_says(std::string message) {
  for (std::size_t at; (at = message.find("--locale ")) != std::string::npos;) message.replace(at, 9, "locale=");
  return message;
}

// Two stages, as in the sweep: the reader reads rows into chunks (on the BodyReader's thread), and
// the answerer (serve/answerer.h) evaluates each chunk and writes its people.csv rows on a thread
// of its own, so that reading the next chunk and answering this one run at once. The answers wait
// there for the owner's turn.
class CsvStream final : public BatchStream {
 public:
  CsvStream(CsvPlan plan, Metrics& metrics) : plan_(std::move(plan)), metrics_(metrics) {
    for (Chunk& c : chunks_) empty_.push(&c);
    body_.emplace([this](std::streambuf& in) { read(in); });
  }

  void feed(std::string_view bytes, std::string& out) override {
    body_->give(bytes);
    take(out);
  }
  void finish(std::string& out) override {
    body_->end();
    answerer_.wait();
    take(out);
  }
  // The reader waits for more (its turn is over): the rows it has read whole are answered now.
  void flush(std::string& out) override {
    if (filling_ && answered_ < read_) {
      send({filling_, answered_, read_, false});
      answered_ = read_;
    }
    answerer_.wait();
    take(out);
  }
  long rows() const override { return rows_; }
  std::string content_type() const override { return "text/csv; charset=utf-8"; }
  std::vector<std::string> notes() const override { return notes_; }

 private:
  static constexpr std::size_t kChunk = 4096;  // rows evaluated at once, column by column
  static constexpr std::size_t kChunkBytes = 8 * 1024 * 1024;  // or fewer, when they are long
  struct Chunk {
    std::vector<RosterRow> rows = std::vector<RosterRow>(kChunk);
  };
  struct Range {  // rows [begin, end) of a chunk, to answer; `last`: the chunk is free after them
    Chunk* chunk = nullptr;
    std::size_t begin = 0, end = 0;
    bool last = false;
  };

  // On the reader's thread: the roster's header, then its rows, a chunk at a time.
  void read(std::streambuf& in) {
    try {
      cli::CsvOptions options;
      options.encoding = plan_.encoding;
      options.max_fields = 256;  // a row at most 16 MiB, as --max-body-bytes holds a request
      cli::Roster roster(in, "roster", *plan_.rules, options, plan_.indonesian);
      const std::vector<cli::RosterColumn>& columns = roster.columns();
      for (const cli::Note& note : roster.notes()) notes_.push_back(as_service_says(cli::note_text(note, "en")));
      const auto field_named = [&](std::string_view name) {  // where a carried column is, or past every row's end
        const auto at = std::find_if(columns.begin(), columns.end(), [&](const cli::RosterColumn& c) { return c.name == name; });
        return at == columns.end() ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(at - columns.begin());
      };
      id_field_ = field_named("id");
      name_field_ = field_named("name");
      cells_.emplace(columns);
      BatchOptions options_of_batch;
      options_of_batch.typed_results = true;
      options_of_batch.threads = 1;  // the answerer's own: the reader is the other thread
      batch_.emplace(*plan_.rules, cells_->inputs(), plan_.date, plan_.requested, options_of_batch);
      answerer_.send([header = cli::people_header(plan_.decisions)](std::string& out) { cli::append_csv_row(out, header); });
      empty_.pop(filling_);
      for (std::size_t bytes = 0;;) {
        if (read_ == kChunk || bytes >= kChunkBytes) {
          send({filling_, answered_, read_, true});
          read_ = answered_ = bytes = 0;
          filling_ = nullptr;
          empty_.pop(filling_);  // waits while the answerer is behind
        }
        if (!roster.next(filling_->rows[read_])) break;
        bytes += filling_->rows[read_++].fields.bytes();
      }
    } catch (const std::exception& e) {
      failure_ = as_service_says(e.what());  // what was read before stands: it is answered below
    }
    if (filling_) send({filling_, answered_, read_, true});
    answered_ = read_;
    filling_ = nullptr;
  }

  // The rows of a range answered on the answerer's thread; the chunk back to the reader after its last.
  void send(const Range& r) {
    answerer_.send([this, r](std::string& out) {
      try {
        answer(std::span<const RosterRow>(r.chunk->rows.data() + r.begin, r.end - r.begin), out);
      } catch (...) {
        if (r.last) empty_.push(r.chunk);  // the reader may wait for it
        throw;
      }
      if (r.last) empty_.push(r.chunk);
    });
  }

  void answer(std::span<const RosterRow> rows, std::string& out) {
    if (rows.empty()) return;
    cells_->fill(rows);
    batch_->run(cells_->columns(), cells_->refused(), result_);
    std::vector<std::string> reasons(rows.size());
    for (std::size_t k = 0; k < result_.errors.size();) {
      std::size_t end = k;
      while (end < result_.errors.size() && result_.errors[end].row == result_.errors[k].row) ++end;
      const std::size_t answers = plan_.decisions.size();
      reasons[result_.errors[k].row] = describe_failures(cli::as_said(std::span(result_.errors).subspan(k, end - k), answers), result_.decisions);
      k = end;
    }
    std::uint64_t with_errors = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const RosterRow& row = rows[i];
      const bool read = row.error.empty();
      const auto carried = [&](std::size_t field) { return field < row.fields.size() ? row.fields[field] : std::string_view(); };
      cli::append_person(out, row.line, carried(id_field_), carried(name_field_), read ? &result_ : nullptr, i,
                         plan_.decisions.size(), read ? reasons[i] : row.error);
      with_errors += read && reasons[i].empty() ? 0 : 1;
    }
    rows_ += static_cast<long>(rows.size());
    metrics_.rows(rows.size(), with_errors);
  }

  // The owner's turn: the answers written so far are sent; a stage that failed stops the stream,
  // once what was read before it is answered.
  void take(std::string& out) {
    if (body_->failed() && failure_.empty()) failure_ = "kaidah could not read the roster on (no memory?)";
    if (!failure_.empty()) answerer_.wait();
    try {
      answerer_.take(out);
    } catch (const std::exception& e) {
      if (failure_.empty()) failure_ = std::string("kaidah could not answer rows: ") + e.what();
    }
    if (failure_.empty()) return;
    if (batch_) {  // past the header: the failure is the answer's last row, and the answer is cut off
      std::string row = ",,";
      row.append(plan_.decisions.size() + 1, ',');
      cli::append_csv_field(row, failure_ + "; the rest of the roster is not read");
      out += row + "\n";
    }
    throw Stopped(std::exchange(failure_, {}));
  }

  CsvPlan plan_;
  Metrics& metrics_;
  // The reader's, read by the owner in its turn (the reader then waits for more, or has returned).
  std::vector<std::string> notes_;
  std::string failure_;
  Chunk* filling_ = nullptr;  // the chunk being read into: rows [answered_, read_) not yet sent
  std::size_t read_ = 0, answered_ = 0;
  // Set by the reader before it sends a range; then the answerer's alone.
  std::size_t id_field_ = 0, name_field_ = 0;
  std::optional<cli::RosterCells> cells_;
  std::optional<Batch> batch_;
  BatchResult result_;
  std::array<Chunk, 3> chunks_;
  cli::Channel<Chunk*> empty_{3};
  std::atomic<long> rows_{0};
  Answerer answerer_{4};  // after what its jobs use: it stops before they go
  std::optional<BodyReader> body_;  // last: the reader stops before what it reads into goes
};

}  // namespace

std::unique_ptr<BatchStream> csv_stream(CsvPlan plan, Metrics& metrics) {
  return std::make_unique<CsvStream>(std::move(plan), metrics);
}

}  // namespace kaidah::serve

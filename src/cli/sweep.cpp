// kaidah sweep: the PESIAR job. Every person of a roster (CSV) is evaluated with the rulebook;
// people.csv gets one row per person, the summary adds them up exactly, report.html shows both.
// The roster is read and written in chunks, so memory does not grow with its size.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "args.h"
#include "channel.h"
#include "csv.h"
#include "report.h"
#include "roster.h"

namespace kaidah::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = 8192;  // rows read, evaluated and written at a time

// A row of the roster; its error is also a cell's or the evaluation's.
using Row = RosterRow;

// The ids of a roster's rows, each with the line it was first on: every id kept exactly, one after
// another in one string, found through a table of 8-byte slots, with no allocation per id (a
// million ids, about 40 MB).
class IdLines {
 public:
  // What first_line() and prefetch() place `id` by.
  static std::uint64_t hash(std::string_view id) { return std::hash<std::string_view>()(id) & kHash; }

  // The line `id` (of hash(id)) was first on; nothing the first time, when `line` is kept for it.
  std::optional<long> first_line(std::string_view id, std::uint64_t hash, long line) {
    if (entries_.size() == kMaxIds) throw Error("more than " + std::to_string(kMaxIds) + " rows with an id");
    if (2 * (entries_.size() + 1) > slots_.size()) reserve(2 * entries_.size() + 1);
    for (std::size_t at = place(hash);; at = (at + 1) & (slots_.size() - 1)) {
      const std::uint64_t slot = slots_[at];
      if (slot == 0) {
        text_ += id;
        entries_.push_back({text_.size(), line});
        slots_[at] = hash | entries_.size();
        return std::nullopt;
      }
      const std::size_t entry = (slot & ~kHash) - 1;
      if ((slot & kHash) == hash && this->id(entry) == id) return entries_[entry].line;
    }
  }

  // Asks for the slot where an id of `hash` is looked for to be brought into the cache: a million
  // ids' table is past the caches, so the look a few rows later waits less.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[place(hash)]);
  }

  // Room for `ids` in all (a roster's rows, estimated from its size once a chunk is read), so
  // that the ids kept are not placed again as more come: twice as many slots, a power of two.
  void reserve(std::size_t ids) {
    std::size_t size = 1024;
    while (size < 2 * ids) size *= 2;
    if (size <= slots_.size()) return;
    std::vector<std::uint64_t> old(size, 0);
    old.swap(slots_);
    for (const std::uint64_t slot : old) {  // each placed again from its own bits
      if (slot == 0) continue;
      std::size_t at = place(slot & kHash);
      while (slots_[at] != 0) at = (at + 1) & (slots_.size() - 1);
      slots_[at] = slot;
    }
  }

 private:
  // A slot: the high half of the id's hash, which places it, and its entry + 1 (0: empty).
  static constexpr std::uint64_t kHash = 0xFFFFFFFF00000000ULL;
  static constexpr std::size_t kMaxIds = 0xFFFFFFFEULL;
  struct Entry {
    std::size_t end;  // where the id ends in text_ (it starts where the one before ends)
    long line;
  };
  std::string_view id(std::size_t entry) const {
    const std::size_t begin = entry ? entries_[entry - 1].end : 0;
    return std::string_view(text_).substr(begin, entries_[entry].end - begin);
  }
  std::size_t place(std::uint64_t hash) const { return (hash >> 32) & (slots_.size() - 1); }

  std::string text_;
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> slots_;  // never more than half full
};

std::size_t column_of(const std::string& name, const std::vector<std::string>& requested) {
  if (name.empty()) return FigureValue::kNone;
  return static_cast<std::size_t>(std::find(requested.begin(), requested.end(), name) - requested.begin());
}

// A figure of the summary, none counted yet, reading its decisions at their columns in `requested`.
FigureValue figure_of(const SummaryFigureInfo& info, const std::vector<std::string>& requested) {
  FigureValue f{&info, {}, {}, {}, column_of(info.decision, requested), column_of(info.by, requested), column_of(info.when, requested)};
  for (const SummaryFigureInfo& g : info.figures) f.figures.push_back(figure_of(g, requested));
  return f;
}

// Adds row `row` of the batch's typed results to figure `f`. A blank value (a fact missing) is in no
// figure, never as zero: a blank answer is counted in SweepSummary::missing_answers; a blank that
// only a figure reads, of a person with `every_answer` given, in the figure's `undecided`.
// `key`: room for a value's text, reused from row to row.
void add(FigureValue& f, const BatchResult& r, std::size_t row, bool every_answer, std::string& key) {
  for (FigureValue& g : f.figures) add(g, r, row, every_answer, key);
  if (f.info->kind == SummaryFigureInfo::Kind::section) return;
  const auto blank = [&](std::size_t c) {
    if (c == FigureValue::kNone || r.typed[c].has_value(row)) return false;
    if (every_answer) ++f.undecided;
    return true;
  };
  const auto text_of = [&](std::size_t c) -> const std::string& {
    key.clear();
    r.typed[c].append_text(row, key);
    return key;
  };
  if (blank(f.when_column) || (f.when_column != FigureValue::kNone && !r.typed[f.when_column].value(row).as_bool())) return;
  if (blank(f.column) || blank(f.by_column)) return;
  const ResultColumn& column = r.typed[f.column];
  try {
    switch (f.info->kind) {
      case SummaryFigureInfo::Kind::count:
        if (column.value(row).as_bool()) f.total += Decimal(1);
        return;
      case SummaryFigureInfo::Kind::count_by:
        f.by[f.info->bands.empty() ? text_of(f.column) : band_of(f.info->bands, column.value(row).as_integer())] += Decimal(1);
        return;
      case SummaryFigureInfo::Kind::sum:
        (f.by_column == FigureValue::kNone ? f.total : f.by[text_of(f.by_column)]) += column.value(row).as_number();
        return;
      case SummaryFigureInfo::Kind::section:
        return;
    }
  } catch (const std::overflow_error& e) {
    throw Error("summary figure '" + f.info->name + "': " + e.what());
  }
}

// The figures some people could not be counted in, each said in a note ("arrears.people").
void say_undecided(const FigureValue& f, const std::string& section, std::vector<Note>& notes) {
  const std::string name = section.empty() ? f.info->name : section + "." + f.info->name;
  if (f.undecided) notes.push_back({"figure_undecided", {std::to_string(f.undecided), name}});
  for (const FigureValue& g : f.figures) say_undecided(g, name, notes);
}

// The rulebook's work lists, then the sweep's own list of the people whose facts are missing, as
// the report shows them; and the batch's decisions: the outputs (people.csv's columns), then each
// list's condition that is not among them (`when_column`: where each list's condition is).
struct WorkLists {
  std::vector<WorkListView> views;
  std::vector<std::string> requested;
  std::vector<std::size_t> when_column;
};

WorkLists work_lists(const Rulebook& r, const Words& words) {
  WorkLists out;
  out.requested = sweep_decisions(r);
  for (const WorkListInfo& l : r.work_lists()) {
    std::vector<std::string> columns = {"id", "name"};
    columns.insert(columns.end(), l.columns.begin(), l.columns.end());
    out.views.push_back({l.name, words.label(l.label, l.name), words.label(l.note, ""), columns});
    out.when_column.push_back(column_of(l.when, out.requested));
  }
  out.views.push_back({"incomplete", words("list_incomplete"), words("list_incomplete_note"), {"line", "id", "name", "error"}});
  return out;
}

// A failure for want of an input the case does not give (a refused value is a failure of kind
// input, which gathers every decision it blanked).
bool missing_input(const RowError& e) { return e.kind == RowError::Kind::decision && !e.input.empty(); }

// A row's failures for the officer, in the report's language with the rulebook's labels, one
// reason each with the answers it leaves blank: "Kelas rawat (kolom kelas) belum diisi — belum
// bisa dihitung: Pembayar iuran, Iuran per bulan". (people.csv has describe_failures' codes.)
// `own`: the officer's words for a refusal the roster's reader made (input -> its reason).
std::string officer_reasons_of(std::span<const RowError> errors, const std::vector<std::string>& decisions,
                               const Words& words, const std::map<std::string, std::string>& own) {
  std::vector<std::pair<std::string, std::string>> said;  // reason -> the answers it leaves blank
  for (const RowError& e : errors) {
    std::string reason;
    if (e.kind == RowError::Kind::input) {
      const auto said_so = own.find(e.field);
      reason = words.input(e.field) + " " + words("refused") + ": " + (said_so != own.end() ? said_so->second : e.message);
    } else if (missing_input(e)) {
      reason = words.input(e.input) + " " + words("not_given");
    } else {
      reason = e.message;
    }
    auto it = std::find_if(said.begin(), said.end(), [&](const auto& r) { return r.first == reason; });
    if (it == said.end()) it = said.insert(said.end(), {reason, ""});
    for (const std::size_t d : e.columns) it->second += (it->second.empty() ? "" : ", ") + words.decision(decisions[d]);
  }
  std::string out;
  for (const auto& [reason, blank] : said)
    out += (out.empty() ? "" : "; ") + reason + (blank.empty() ? "" : " — " + words("blank_of") + ": " + blank);
  return out;
}

// An input a roster needs for some answers, and those answers.
struct NeededInput {
  InputInfo input;
  std::vector<std::string> answers;  // the decisions asked that may read it
};

// The inputs the decisions `asked` may read, in the rulebook's order of inputs.
std::vector<NeededInput> needed_inputs(const Rulebook& r, const std::vector<std::string>& asked) {
  const std::vector<DecisionInfo> decisions = r.decisions();
  std::vector<NeededInput> out;
  for (InputInfo& in : r.inputs()) {
    NeededInput need{std::move(in), {}};
    for (const std::string& name : asked) {
      const auto d = std::find_if(decisions.begin(), decisions.end(), [&](const DecisionInfo& i) { return i.name == name; });
      if (std::find(d->inputs.begin(), d->inputs.end(), need.input.name) != d->inputs.end()) need.answers.push_back(name);
    }
    if (!need.answers.empty()) out.push_back(std::move(need));
  }
  return out;
}

// The inputs a sweep's roster needs: those of the outputs, then any that only a work list's
// condition or a summary figure reads (without it nobody could be put on that list or counted).
std::vector<NeededInput> sweep_inputs(const Rulebook& r) {
  std::vector<NeededInput> out = needed_inputs(r, r.outputs());
  const std::vector<std::string> all = sweep_decisions(r);
  const std::vector<std::string> beside(all.begin() + static_cast<std::ptrdiff_t>(r.outputs().size()), all.end());
  for (NeededInput& n : needed_inputs(r, beside)) {
    const auto known = [&](const NeededInput& k) { return k.input.name == n.input.name; };
    if (std::none_of(out.begin(), out.end(), known)) out.push_back(std::move(n));
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The rulebook's outputs: people.csv's columns, which a sweep needs.
void require_outputs(const Rulebook& r) {
  if (r.outputs().empty()) throw Error("rulebook " + r.name() + " declares no outputs (the decisions a sweep writes for each person)");
}

}  // namespace

// kaidah template [RULEBOOK] [--decisions a,b] [--format csv|text]: the roster's columns for the
// answers asked (the sweep's by default): a header line to fill in, or each column with its type
// and the answers that need it.
int template_command(const Args& a) {
  if (a.positional.size() > 1) throw UsageError("expected [RULEBOOK]");
  const std::string format = a.format == "text" && !a.format_given ? "csv" : a.format;
  if (format != "csv" && format != "text") throw UsageError("--format must be csv or text");
  const Rulebook r = load_rulebook(a, a.positional.size() == 1);
  check_decision_names(r, a.decisions);
  std::vector<std::string> asked = a.decisions;
  if (asked.empty()) {
    require_outputs(r);
    asked = r.outputs();
  }
  const std::vector<NeededInput> needed = a.decisions.empty() ? sweep_inputs(r) : needed_inputs(r, asked);
  if (format == "csv") {
    std::vector<std::string> header = {"id", "name"};
    for (const NeededInput& n : needed) header.push_back(n.input.name);
    write_csv_row(std::cout, header);
    return 0;
  }
  std::cout << "Roster columns for " << r.name() << " " << r.version() << " (the answers: " << joined(asked) << ")\n"
            << "id, name: carried into the results. An empty cell is 'not given': its default, or no\n"
            << "value for the answers that need it (they are left blank, with the reason).\n\n";
  for (const NeededInput& n : needed) {
    const InputInfo& in = n.input;
    const std::string given = in.default_value.has_value() ? "default " + in.default_value.to_string()
                              : in.may_be_left_out                ? "may be left out"
                                                                  : "needed where read";
    std::cout << in.name << " (" << (in.values.empty() ? in.type : "one of " + joined(in.values)) << "; " << given << ")\n"
              << "    " << in.description << "\n    needed for: " << joined(n.answers) << "\n";
  }
  return 0;
}

int sweep_command(const Args& a) {
  if (a.positional.empty() || a.positional.size() > 2) throw UsageError("expected [RULEBOOK] ROSTER.csv");
  const Date date = required_date(a);
  const Rulebook r = load_rulebook(a, a.positional.size() == 2);
  require_outputs(r);
  const std::vector<std::string>& decisions = r.outputs();  // people.csv's columns
  const fs::path roster_path = a.positional.back();
  Roster roster(roster_path, r, a.csv, a.indonesian);
  const std::vector<RosterColumn>& columns = roster.columns();
  const fs::path out_dir = a.out.value_or("kaidah-sweep");
  StreamedOutput people_file(out_dir, "people.csv", {"summary.txt", "summary.json", "report.html"});
  std::ofstream& people = people_file.stream();

  SweepSummary s;
  s.roster = roster_path.string();
  s.rulebook = r.name() + " " + r.version();
  s.date = date;
  s.column_problems = roster.notes();
  const Words words(a.language, r.decisions(), r.inputs());
  const WorkLists lists = work_lists(r, words);
  s.list_views = lists.views;
  s.list_sizes.assign(lists.views.size(), 0);
  s.list_undecided.assign(lists.views.size(), 0);
  for (const SummaryFigureInfo& f : r.summary()) s.figures.push_back(figure_of(f, lists.requested));
  s.lists.resize(lists.views.size());
  // Up front: the inputs some answers need, with no default, that the roster has no column for.
  // Not an error (each person it concerns gets the other answers); said with how many people
  // needed each, so that a column nobody here needs (a pension, for a village) is no noise.
  std::vector<NeededInput> absent;
  for (NeededInput& n : sweep_inputs(r)) {
    if (n.input.default_value.has_value() || n.input.may_be_left_out) continue;
    if (std::any_of(columns.begin(), columns.end(), [&](const RosterColumn& c) { return c.name == n.input.name; })) continue;
    absent.push_back(std::move(n));
  }
  std::map<std::string, long> needed_absent;  // absent input -> people whose answers needed it
  const std::vector<std::string> out_header = people_header(decisions);
  write_csv_row(people, out_header);
  s.people_header = out_header;

  // Ids seen, with their first line: a roster pasted into itself would count people twice.
  IdLines ids;
  std::vector<std::uint64_t> id_hashes;  // a chunk's ids', hashed once
  long repeated_ids = 0;
  struct {
    std::string id;
    long first_line = 0, line = 0;
  } first_repeat;
  const bool progress = a.progress.value_or(isatty(STDERR_FILENO) != 0);
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  const auto field_named = [&](std::string_view name) {  // where a carried column is, or past every row's end
    const auto at = std::find_if(columns.begin(), columns.end(), [&](const RosterColumn& c) { return c.name == name; });
    return at == columns.end() ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(at - columns.begin());
  };
  const std::size_t id_field = field_named("id"), name_field = field_named("name");
  BatchOptions options{a.threads};
  options.typed_results = true;  // people.csv and the summary read machine values: no Value a cell
  const Batch batch(r, RosterCells(columns).inputs(), date, lists.requested, options);

  // Three stages on their own threads, a chunk of rows passing from one to the next: the reader
  // reads rows and hands their cells to the batch as text (TypedColumn's text: the batch
  // converts them, on its threads, and refuses a cell not of its input's type as a value that
  // does not fit); the batch evaluates; the writer writes people.csv and adds up the summary, in
  // the roster's order. The chunks are few and reused, so memory does not grow with the roster,
  // and each stage waits for the next when it is ahead.
  struct Chunk {
    std::vector<Row> rows;
    RosterCells cells;  // the rows' inputs, as the batch's columns
    BatchResult out;
    std::uintmax_t position = 0;  // how far through the file the reading was, for the progress bar
  };
  constexpr std::size_t kChunks = 3;
  std::vector<Chunk> chunks(kChunks, Chunk{{}, RosterCells(columns), {}, 0});
  Channel<Chunk*> empty(kChunks), read(kChunks), evaluated(kChunks);
  for (Chunk& c : chunks) empty.push(&c);
  std::mutex failure_mutex;
  std::exception_ptr failure;  // the first stage's failure stops them all, and is thrown here
  const auto stage = [&](const std::function<void()>& body) {
    try {
      body();
    } catch (...) {
      {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
      for (auto* channel : {&empty, &read, &evaluated}) channel->abort();
    }
  };

  bool more = true;  // rows left: once the roster has ended it is not read again (a pipe would wait)
  const auto read_chunk = [&](Chunk& c) {  // false at the end of the roster
    // The chunk's rows are read into in place: their strings keep their capacity from chunk to chunk.
    std::size_t n = 0;
    while (more && n < kChunk) {
      if (n == c.rows.size()) c.rows.emplace_back();
      if (!roster.next(c.rows[n])) {
        more = false;
        break;
      }
      ++n;
    }
    c.rows.resize(n);
    c.cells.fill(c.rows);  // once the rows stand still (a row's text moves while c.rows grows)
    c.position = roster.position();
    return n > 0;
  };

  std::string written, key;  // a chunk's rows of people.csv, written at once; a figure's key
  const auto write_chunk = [&](Chunk& c) {
    std::vector<Row>& rows = c.rows;
    if (s.rows == 0 && c.position > 0 && id_field < columns.size()) {
      ids.reserve(roster.size() / c.position * rows.size());  // a file's rows, about
    }
    const BatchResult& out = c.out;
    std::vector<std::string> reasons(rows.size()), officer_reasons(rows.size());
    std::vector<std::size_t> missing(rows.size());
    std::vector<char> blank(rows.size());  // an answer left blank (not only a list's condition)
    for (std::size_t k = 0; k < out.errors.size();) {
      const std::size_t row = out.errors[k].row;
      std::size_t end = k;
      while (end < out.errors.size() && out.errors[end].row == row) ++end;
      // A malformed row: nothing of it was read, its own error stands.
      if (rows[row].error.empty()) {
        const std::vector<RowError> failures = as_said(std::span(out.errors).subspan(k, end - k), decisions.size());
        for (const RowError& e : failures) {
          const auto answers = std::count_if(e.columns.begin(), e.columns.end(), [&](std::size_t c) { return c < decisions.size(); });
          missing[row] += static_cast<std::size_t>(answers);
          if (answers > 0 || e.columns.empty()) blank[row] = 1;
        }
        reasons[row] = describe_failures(failures, lists.requested);
        std::map<std::string, std::string> own;  // the reader's refusals, in the officer's language
        for (const auto& [column, note] : rows[row].refused) own[columns[column].name] = words.note(note);
        officer_reasons[row] = officer_reasons_of(failures, lists.requested, words, own);
        std::set<std::string> needed;
        for (const RowError& e : failures)
          if (missing_input(e)) needed.insert(e.input);
        for (const NeededInput& n : absent) needed_absent[n.input.name] += needed.count(n.input.name);
      }
      k = end;
    }
    written.clear();
    // Each row's id hashed once, its slot fetched a few rows ahead of its look.
    constexpr std::size_t kAhead = 8;
    id_hashes.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      id_hashes[i] = id_field < rows[i].fields.size() ? IdLines::hash(rows[i].fields[id_field]) : 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      ++s.rows;
      const auto carried = [&](std::size_t field) { return field < row.fields.size() ? row.fields[field] : std::string_view(); };
      const std::string_view id = carried(id_field), name = carried(name_field);
      if (i + kAhead < rows.size()) ids.prefetch(id_hashes[i + kAhead]);
      if (!id.empty()) {
        if (const std::optional<long> first = ids.first_line(id, id_hashes[i], row.line); first && repeated_ids++ == 0) {
          first_repeat = {std::string(id), *first, row.line};
        }
      }
      // The row as people.csv has it (line, id, name, the answers, the reason), for the report's
      // tables: made only for the rows they keep.
      const auto line = [&] {
        std::vector<std::string> fields = {std::to_string(row.line), std::string(id), std::string(name)};
        for (std::size_t d = 0; d < decisions.size(); ++d) {
          fields.emplace_back();
          if (row.error.empty()) out.typed[d].append_text(i, fields.back());
        }
        fields.push_back(row.error.empty() ? reasons[i] : row.error);
        return fields;
      };
      append_person(written, row.line, id, name, row.error.empty() ? &out : nullptr, i, decisions.size(),
                    row.error.empty() ? reasons[i] : row.error);
      if (row.error.empty()) {
        // Every answer its facts allow; the others blank, with the reason.
        ++(blank[i] ? s.partial : s.evaluated);
        s.missing_answers += static_cast<long>(missing[i]);
        for (FigureValue& f : s.figures) add(f, out, i, !blank[i], key);
        if (!reasons[i].empty() && s.row_errors.size() < SweepSummary::kKeptRows) s.row_errors.emplace_back(row.line, reasons[i]);
        // The lists the person is on (several, maybe: in arrears and REHAB-eligible); the last, of
        // the facts missing, has the reasons in the report's words. A condition that could not be
        // decided while every answer was given (a fact only it reads) is counted for its list.
        const std::size_t incomplete = lists.when_column.size();
        for (std::size_t k = 0; k <= incomplete; ++k) {
          const ResultColumn* when = k < incomplete ? &out.typed[lists.when_column[k]] : nullptr;
          if (when && !blank[i] && !when->has_value(i)) ++s.list_undecided[k];
          const bool on = when ? when->has_value(i) && when->value(i).as_bool() : blank[i] != 0;
          if (!on || s.list_sizes[k]++ >= static_cast<long>(SweepSummary::kKeptRows)) continue;
          s.lists[k].push_back(line());
          if (!when) s.lists[k].back().back() = officer_reasons[i];
        }
      } else {
        ++s.failed;
        // A row not read is kept apart from the partial answers' cap: many of those never hide it.
        if (s.unread_rows.size() < SweepSummary::kKeptRows) {
          s.unread_rows.emplace_back(row.line, row.error);
          s.row_errors.emplace_back(row.line, row.error);
        }
      }
      if (s.people_rows.size() < SweepSummary::kKeptRows) s.people_rows.push_back(line());
    }
    people.write(written.data(), static_cast<std::streamsize>(written.size()));
    const auto now = std::chrono::steady_clock::now();
    if (progress && now - start > std::chrono::seconds(1) && now - last_report > std::chrono::milliseconds(250)) {
      last_report = now;
      const double seconds = std::chrono::duration<double>(now - start).count();
      const int percent = roster.size() ? static_cast<int>(100 * static_cast<double>(c.position) / static_cast<double>(roster.size())) : 0;
      std::cerr << "\r  swept " << s.rows << " people (" << percent << "%, " << static_cast<long>(s.rows / seconds)
                << " a second)   " << std::flush;
    }
  };

  std::jthread reader([&] {
    stage([&] {
      for (Chunk* c = nullptr; empty.pop(c) && read_chunk(*c) && read.push(c);) {
      }
      read.close();
    });
  });
  std::jthread writer;
  try {
    writer = std::jthread([&] {
      stage([&] {
        for (Chunk* c = nullptr; evaluated.pop(c);) {
          write_chunk(*c);
          if (!empty.push(c)) break;
        }
      });
    });
  } catch (...) {  // no thread: the reader is stopped before it is joined
    for (auto* channel : {&empty, &read, &evaluated}) channel->abort();
    throw;
  }
  stage([&] {
    for (Chunk* c = nullptr; read.pop(c);) {
      batch.run(c->cells.columns(), c->cells.refused(), c->out);
      if (!evaluated.push(c)) break;
    }
    evaluated.close();
  });
  reader.join();
  writer.join();
  if (failure) std::rethrow_exception(failure);
  people_file.finish();
  for (const NeededInput& n : absent) {
    if (const long people_needing = needed_absent[n.input.name]) {
      s.column_problems.push_back({"column_needed", {n.input.name, std::to_string(people_needing)}, n.answers});
    }
  }
  for (Note& note : roster.row_notes()) s.column_problems.push_back(std::move(note));
  for (const FigureValue& f : s.figures) say_undecided(f, "", s.column_problems);
  if (repeated_ids) {
    s.column_problems.push_back({"ids_repeated", {std::to_string(repeated_ids), first_repeat.id,
                                                  std::to_string(first_repeat.first_line), std::to_string(first_repeat.line)}});
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress && s.seconds > 1) std::cerr << "\n";

  write_summary_files(s, words, out_dir);
  std::cout << summary_text(s, words);
  std::cout << "\n" << words("written") << ": " << (out_dir / "people.csv").string() << ", " << (out_dir / "summary.txt").string()
            << ", " << (out_dir / "summary.json").string()
            << ", " << (out_dir / "report.html").string() << "\n";
  const bool undecided = std::any_of(s.list_undecided.begin(), s.list_undecided.end(), [](long n) { return n > 0; }) ||
                         std::any_of(s.column_problems.begin(), s.column_problems.end(), [](const Note& n) { return n.key == "figure_undecided"; });
  return s.failed == 0 && s.partial == 0 && !undecided ? 0 : 1;
}

}  // namespace kaidah::cli

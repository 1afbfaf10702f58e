#include "roster.h"

#include <algorithm>
#include <functional>
#include <map>

#include "args.h"
#include "load/fields.h"
#include "text/reader.h"

namespace kaidah::cli {
namespace {

namespace fs = std::filesystem;

// A column's name as a message shows it: characters that cannot be seen (a byte-order mark,
// zero-width, no-break and soft-hyphen spaces, tabs) written as \uXXXX, so that "did you mean
// 'kelas'?" does not read as the same name twice.
std::string shown(const std::string& name) {
  static const std::pair<std::string_view, std::string_view> kInvisible[] = {
      {"\xEF\xBB\xBF", "\\uFEFF"}, {"\xE2\x80\x8B", "\\u200B"}, {"\xC2\xA0", "\\u00A0"},
      {"\xC2\xAD", "\\u00AD"}, {"\t", "\\t"}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool replaced = false;
    for (const auto& [bytes, escape] : kInvisible) {
      if (std::string_view(name).substr(i).starts_with(bytes)) {
        out += escape;
        i += bytes.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += name[i++];
  }
  return out;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number as Indonesian spreadsheets write it ("Rp 3.500.000,50", "-1.250", "0,05") in kaidah's
// form ("3500000.50"); "" when it is not written so (a '.' grouping other than by threes, two
// commas, a letter).
std::string indonesian_number(std::string_view cell) {
  std::string_view s = cell;
  auto trim = [&] {
    while (!s.empty() && (s.front() == ' ')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ')) s.remove_suffix(1);
  };
  trim();
  std::string sign;
  if (!s.empty() && s.front() == '-') {
    sign = "-";
    s.remove_prefix(1);
    trim();
  }
  if (s.starts_with("Rp")) {
    s.remove_prefix(2);
    if (!s.empty() && s.front() == '.') s.remove_prefix(1);  // "Rp. 3.500.000"
    trim();
  }
  const std::size_t comma = s.find(',');
  const std::string_view whole = s.substr(0, comma);
  const std::string_view fraction = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  if (comma != std::string_view::npos && !digits(fraction)) return "";
  std::string out = sign;
  std::size_t group = 0;
  for (std::size_t start = 0;; ++group) {
    const std::size_t dot = whole.find('.', start);
    const std::string_view part = whole.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!digits(part) || (group > 0 && part.size() != 3) || (group == 0 && dot != std::string_view::npos && part.size() > 3))
      return "";
    out += part;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!fraction.empty()) out += "." + std::string(fraction);
  return out;
}

// 24/11/2026 (or 1/2/2026) as 2026-11-24; 11/2026 as 2026-11 for a month; kaidah's own form
// (2026-11-24, 2026-11), which no one reads another way, as it is; "" otherwise.
std::string indonesian_date(std::string_view s, bool month) {
  const bool iso = s.size() == (month ? 7u : 10u) && s[4] == '-' && (month || s[7] == '-');
  if (iso) return std::string(s);
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() != (month ? 2u : 3u)) return "";
  for (const auto& p : parts) if (!digits(p)) return "";
  const std::string_view year = parts.back();
  if (year.size() != 4 || parts[0].size() > 2 || (!month && parts[1].size() > 2)) return "";
  auto two = [](std::string_view p) { return p.size() == 1 ? "0" + std::string(p) : std::string(p); };
  return month ? std::string(year) + "-" + two(parts[0]) : std::string(year) + "-" + two(parts[1]) + "-" + two(parts[0]);
}

// Whether the roster's header line is written as a spreadsheet set to Indonesian writes it: ';'
// between the names and no ',' (a name has neither).
bool header_in_indonesian(std::string_view line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  return line.find(';') != std::string::npos && line.find(',') == std::string::npos && line.find('\t') == std::string::npos;
}

}  // namespace

Roster::HeaderAhead::HeaderAhead(std::streambuf& in) : in_(in) {
  // To the first line end (LF, CR or CRLF), or 64 KiB: a header is never longer.
  for (int c; line_.size() < 65536 && (c = in_.sbumpc()) != traits_type::eof();) {
    line_ += static_cast<char>(c);
    if (c == '\n') break;
    if (c == '\r') {
      if (in_.sgetc() == '\n') line_ += static_cast<char>(in_.sbumpc());
      break;
    }
  }
  setg(line_.data(), line_.data(), line_.data() + line_.size());
}

Roster::HeaderAhead::int_type Roster::HeaderAhead::underflow() {
  return gptr() < egptr() ? traits_type::to_int_type(*gptr()) : in_.sgetc();
}

// Past the header, the input's own: no byte of it is held here.
Roster::HeaderAhead::int_type Roster::HeaderAhead::uflow() {
  if (gptr() == egptr()) return in_.sbumpc();
  const int_type c = traits_type::to_int_type(*gptr());
  gbump(1);
  return c;
}

std::streamsize Roster::HeaderAhead::showmanyc() {
  return gptr() < egptr() ? egptr() - gptr() : in_.in_avail();
}

std::streamsize Roster::HeaderAhead::xsgetn(char* s, std::streamsize n) {
  const std::streamsize ahead = std::min<std::streamsize>(n, egptr() - gptr());
  if (ahead == 0) return in_.sgetn(s, n);  // past the header: read as the input gives it
  std::copy(gptr(), gptr() + ahead, s);
  gbump(static_cast<int>(ahead));
  return ahead;
}

Roster::Roster(const fs::path& path, const Rulebook& rulebook, CsvOptions options, std::optional<bool> indonesian)
    : source_(path.string()), file_(path, std::ios::binary) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw FileError("roster " + source_ + " is a folder, not a file");
  if (!file_) throw FileError("cannot read roster " + source_ + ": " + detail::why_unreadable(path));
  if (fs::is_regular_file(path, ec)) size_ = fs::file_size(path, ec);
  open(*file_.rdbuf(), rulebook, options, indonesian);
}

Roster::Roster(std::streambuf& in, std::string source, const Rulebook& rulebook, CsvOptions options,
               std::optional<bool> indonesian)
    : source_(std::move(source)) {
  open(in, rulebook, options, indonesian);
}

void Roster::open(std::streambuf& in, const Rulebook& rulebook, CsvOptions options, std::optional<bool> indonesian) {
  input_.emplace(in);
  indonesian_ = indonesian ? *indonesian : header_in_indonesian(input_->line());
  options.separator = indonesian_ ? ';' : ',';
  reader_.emplace(*input_, source_, options);
  if (!indonesian && indonesian_) {
    notes_.push_back({"locale_detected", {}});
  }
  auto fail = [&](long column, const std::string& message) {
    throw FileError(to_string(Diagnostic{Severity::error, {source_, 1, static_cast<int>(column)}, message}));
  };
  CsvRow header_row;
  std::string error;
  try {
    if (!reader_->next(header_row, error) || (header_row.size() == 1 && header_row[0].empty())) {
      fail(1, "the roster is empty: its first line must name the columns");
    }
  } catch (const LoadError& e) {
    throw FileError(to_string(e.diagnostics().front()));
  }
  if (!error.empty()) fail(1, "the header is malformed: " + error);
  const std::vector<std::string> header = header_row.strings();
  const std::vector<long>& at = reader_->field_columns();

  std::vector<std::string> known = {"id", "name"};  // what a column may be named
  std::map<std::string, std::string> types;
  for (const InputInfo& in : rulebook.inputs()) {
    known.push_back(in.name);
    types[in.name] = in.type;
  }
  std::map<std::string, std::size_t> seen;
  bool any_input = false;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& name = header[c];
    if (!indonesian_ && name.find(';') != std::string::npos) {
      fail(at[c], "the columns are separated by ';', not ',': a spreadsheet set to Indonesian writes them so, "
                  "with numbers as 3.500.000,00 and dates as 24/11/2026; --locale id reads it that way");
    }
    if (indonesian_ && name.find(',') != std::string::npos) {
      fail(at[c], "the columns are separated by ',', not ';': leave out --locale id to read this roster");
    }
    if (name.find('\t') != std::string::npos) {
      fail(at[c], "the columns are separated by tabs, not " + std::string(indonesian_ ? "';'" : "','") +
                      " (a tab-separated export); save the roster as CSV");
    }
    if (name.empty()) {  // Excel writes a trailing ",," where cells past the header hold something
      columns_.push_back({name, RosterColumn::ignored, ""});
      notes_.push_back({"column_unnamed", {std::to_string(c + 1)}});
      continue;
    }
    if (const auto [first, added] = seen.emplace(name, c + 1); !added) {
      fail(at[c], "column '" + shown(name) + "' appears twice (columns " + std::to_string(first->second) + " and " +
                      std::to_string(c + 1) + "); which one to read is not clear");
    }
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      const bool carried = name == "id" || name == "name";
      any_input = any_input || !carried;
      columns_.push_back({name, carried ? RosterColumn::carried : RosterColumn::input, carried ? "" : types[name]});
      continue;
    }
    // A name written another way is an error: its values would be lost. So is a likely typo of a
    // longer name; a short one ("age", one letter from "wage") is as likely another column.
    Note note{"column_ignored", {shown(name), rulebook.name()}};
    if (const std::string guess = detail::closest(name, known); !guess.empty()) {
      if (detail::name_as_meant(name) == guess || name.size() >= 5) {
        fail(at[c], "column '" + shown(name) + "' is not an input of " + rulebook.name() + "; did you mean '" + guess +
                        "'? (a column's name must be the input's name exactly, or its values are not read)");
      }
      note = {"column_ignored_guess", {shown(name), rulebook.name(), guess}};
    }
    columns_.push_back({name, RosterColumn::ignored, ""});
    notes_.push_back(std::move(note));
  }
  if (!any_input) {
    fail(1, "no column is named after an input of " + rulebook.name() +
                " (its inputs are listed by `kaidah reference`); is the roster separated by ',' and its first "
                "line the column names?");
  }
}

std::vector<Note> Roster::row_notes() const {
  std::vector<Note> notes;
  if (multi_line_rows_) notes.push_back({"rows_multi_line", {std::to_string(multi_line_rows_), std::to_string(first_multi_line_)}});
  if (blank_rows_) notes.push_back({"rows_blank", {std::to_string(blank_rows_)}});
  return notes;
}

bool Roster::next(RosterRow& row) {
  for (;;) {
    try {
      if (!reader_->next(row.fields, row.error)) return false;
    } catch (const LoadError& e) {
      throw FileError(to_string(e.diagnostics().front()));
    }
    row.line = reader_->line();
    bool blank = row.error.empty();
    for (std::size_t c = 0; blank && c < row.fields.size(); ++c) blank = row.fields[c].empty();
    if (blank) {
      ++blank_rows_;
      continue;
    }
    if (row.error.empty() && row.fields.size() != columns_.size()) {
      row.error = "has " + std::to_string(row.fields.size()) + " fields, the header has " + std::to_string(columns_.size());
    }
    row.refused.clear();
    if (indonesian_ && row.error.empty()) {  // each input's cell in kaidah's form
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::string_view cell = row.fields[c];
        const std::string& type = columns_[c].type;
        if (cell.empty() || columns_[c].role != RosterColumn::input) continue;
        const bool number = type == "decimal" || type == "integer", date = type == "date", month = type == "month";
        if (!number && !date && !month) continue;
        const std::string rewritten = number ? indonesian_number(cell) : indonesian_date(cell, month);
        if (rewritten.empty()) {
          row.refused.emplace_back(c, Note{number ? "not_a_number" : month ? "not_a_month" : "not_a_date", {std::string(cell)}, {}});
        } else {
          row.fields.replace(c, rewritten);
        }
      }
    }
    if (reader_->last_line() > row.line) {  // a quote not closed where meant swallows lines
      if (!row.error.empty()) {
        row.error += " (the row runs from line " + std::to_string(row.line) + " to line " +
                     std::to_string(reader_->last_line()) + ": a quoted field holds line breaks; is a closing quote missing?)";
      } else if (multi_line_rows_++ == 0) {
        first_multi_line_ = row.line;
      }
    }
    return true;
  }
}

RosterCells::RosterCells(const std::vector<RosterColumn>& columns) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].role != RosterColumn::input) continue;
    inputs_.push_back(columns[c].name);
    fields_.push_back(c);
  }
  texts_.resize(inputs_.size());
  missing_.resize(inputs_.size());
  TypedColumn text;
  text.type = TypedColumn::Type::text;
  typed_.assign(inputs_.size(), text);
}

void RosterCells::fill(std::span<const RosterRow> rows) {
  const std::size_t n = rows.size();
  refused_.clear();
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    texts_[i].resize(n);
    missing_[i].resize(n);
    typed_[i].data = texts_[i].data();
    typed_[i].missing = missing_[i].data();
    typed_[i].rows = n;
  }
  columns_.assign(typed_.begin(), typed_.end());  // here, not at construction: a copy's point to its own
  for (std::size_t k = 0; k < n; ++k) {  // row by row: a row's fields are read while in the cache
    const RosterRow& row = rows[k];
    const bool readable = row.error.empty();  // a malformed row: nothing of it is read
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      texts_[i][k] = readable ? row.fields[fields_[i]] : std::string_view();
      missing_[i][k] = texts_[i][k].empty();  // empty: not given
    }
    if (!readable) continue;
    for (const auto& [field, note] : row.refused) {  // cells the roster's locale did not read
      const auto input = std::find(fields_.begin(), fields_.end(), field);
      if (input == fields_.end()) continue;
      const auto i = static_cast<std::size_t>(input - fields_.begin());
      missing_[i][k] = 1;
      refused_.push_back({k, i, note_text(note, "en")});
    }
  }
}

std::vector<std::string> sweep_decisions(const Rulebook& r) {
  std::vector<std::string> out = r.outputs();
  const auto add = [&](const std::string& name) {
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  for (const WorkListInfo& l : r.work_lists()) add(l.when);
  const std::function<void(const SummaryFigureInfo&)> read = [&](const SummaryFigureInfo& f) {
    for (const std::string& name : {f.decision, f.by, f.when}) add(name);
    for (const SummaryFigureInfo& g : f.figures) read(g);
  };
  for (const SummaryFigureInfo& f : r.summary()) read(f);
  return out;
}

std::vector<RowError> as_said(std::span<const RowError> failures, std::size_t outputs) {
  std::vector<RowError> out;
  for (const RowError& e : failures) {
    RowError kept = e;
    std::erase_if(kept.columns, [&](std::size_t c) { return c >= outputs; });
    out.push_back(kept.columns.empty() ? e : std::move(kept));
  }
  return out;
}

std::vector<std::string> people_header(const std::vector<std::string>& decisions) {
  std::vector<std::string> header = {"line", "id", "name"};
  header.insert(header.end(), decisions.begin(), decisions.end());
  header.push_back("error");
  return header;
}

void append_person(std::string& out, long line, std::string_view id, std::string_view name, const BatchResult* result,
                   std::size_t row, std::size_t answers, std::string_view error) {
  out += std::to_string(line);
  out += ',';
  append_csv_field(out, id);
  out += ',';
  append_csv_field(out, name);
  for (std::size_t d = 0; d < answers; ++d) {
    out += ',';
    if (!result) continue;
    const std::size_t begin = out.size();
    result->typed[d].append_text(row, out);
    quote_csv_field(out, begin);
  }
  out += ',';
  append_csv_field(out, error);
  out += '\n';
}

}  // namespace kaidah::cli

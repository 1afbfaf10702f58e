#include "roster.h"

#include <algorithm>
#include <map>

#include "args.h"
#include "load/fields.h"

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

}  // namespace

Roster::Roster(const fs::path& path, const Rulebook& rulebook, const CsvOptions& options)
    : source_(path.string()), file_(path, std::ios::binary), reader_(file_, source_, options) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw FileError("roster " + source_ + " is a folder, not a file");
  if (!file_) throw FileError("cannot read roster " + source_);
  if (fs::is_regular_file(path, ec)) size_ = fs::file_size(path, ec);
  auto fail = [&](long column, const std::string& message) {
    throw FileError(to_string(Diagnostic{Severity::error, {source_, 1, static_cast<int>(column)}, message}));
  };
  std::vector<std::string> header;
  std::string error;
  try {
    if (!reader_.next(header, error) || (header.size() == 1 && header[0].empty())) {
      fail(1, "the roster is empty: its first line must name the columns");
    }
  } catch (const LoadError& e) {
    throw FileError(to_string(e.diagnostics().front()));
  }
  if (!error.empty()) fail(1, "the header is malformed: " + error);
  const std::vector<long>& at = reader_.field_columns();

  std::vector<std::string> known = {"id", "name"};  // what a column may be named
  for (const InputInfo& in : rulebook.inputs()) known.push_back(in.name);
  std::map<std::string, std::size_t> seen;
  bool any_input = false;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& name = header[c];
    for (const auto& [separator, written] : {std::pair{';', "';'"}, std::pair{'\t', "tabs"}}) {
      if (name.find(separator) != std::string::npos) {
        fail(at[c], std::string("the columns are separated by ") + written +
                        ", not ',' (a spreadsheet set to a region that writes decimal commas, or a tab-separated "
                        "export, does this); save the roster as CSV with ',' between columns and '.' in numbers");
      }
    }
    if (name.empty()) {  // Excel writes a trailing ",," where cells past the header hold something
      columns_.push_back({name, RosterColumn::ignored});
      notes_.push_back("column " + std::to_string(c + 1) + " has no name; it is ignored");
      continue;
    }
    if (const auto [first, added] = seen.emplace(name, c + 1); !added) {
      fail(at[c], "column '" + shown(name) + "' appears twice (columns " + std::to_string(first->second) + " and " +
                      std::to_string(c + 1) + "); which one to read is not clear");
    }
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      const bool carried = name == "id" || name == "name";
      any_input = any_input || !carried;
      columns_.push_back({name, carried ? RosterColumn::carried : RosterColumn::input});
      continue;
    }
    // A name written another way is an error: its values would be lost. So is a likely typo of a
    // longer name; a short one ("age", one letter from "wage") is as likely another column.
    std::string note = "column '" + shown(name) + "' is not an input of " + rulebook.name() + "; it is ignored";
    if (const std::string guess = detail::closest(name, known); !guess.empty()) {
      if (detail::name_as_meant(name) == guess || name.size() >= 5) {
        fail(at[c], "column '" + shown(name) + "' is not an input of " + rulebook.name() + "; did you mean '" + guess +
                        "'? (a column's name must be the input's name exactly, or its values are not read)");
      }
      note += " (if it is '" + guess + "', name it so)";
    }
    columns_.push_back({name, RosterColumn::ignored});
    notes_.push_back(note);
  }
  if (!any_input) {
    fail(1, "no column is named after an input of " + rulebook.name() +
                " (its inputs are listed by `kaidah reference`); is the roster separated by ',' and its first "
                "line the column names?");
  }
}

std::vector<std::string> Roster::row_notes() const {
  std::vector<std::string> notes;
  if (multi_line_rows_) {
    notes.push_back(std::to_string(multi_line_rows_) + " row(s) run over several lines, the first from line " +
                    std::to_string(first_multi_line_) +
                    " (a quoted field holds a line break); if none should, a closing quote is missing and rows were "
                    "read as one");
  }
  if (blank_rows_) notes.push_back(std::to_string(blank_rows_) + " blank row(s) (every field empty) skipped");
  return notes;
}

bool Roster::next(RosterRow& row) {
  for (;;) {
    try {
      if (!reader_.next(row.fields, row.error)) return false;
    } catch (const LoadError& e) {
      throw FileError(to_string(e.diagnostics().front()));
    }
    row.line = reader_.line();
    const bool blank = row.error.empty() &&
                       std::all_of(row.fields.begin(), row.fields.end(), [](const std::string& f) { return f.empty(); });
    if (blank) {
      ++blank_rows_;
      continue;
    }
    if (row.error.empty() && row.fields.size() != columns_.size()) {
      row.error = "has " + std::to_string(row.fields.size()) + " fields, the header has " + std::to_string(columns_.size());
    }
    if (reader_.last_line() > row.line) {  // a quote not closed where meant swallows lines
      if (!row.error.empty()) {
        row.error += " (the row runs from line " + std::to_string(row.line) + " to line " +
                     std::to_string(reader_.last_line()) + ": a quoted field holds line breaks; is a closing quote missing?)";
      } else if (multi_line_rows_++ == 0) {
        first_multi_line_ = row.line;
      }
    }
    return true;
  }
}

}  // namespace kaidah::cli

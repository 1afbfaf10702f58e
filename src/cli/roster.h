#pragma once
// A roster: the CSV of people that `sweep` and `diff` read, one person a row, its header naming
// a rulebook's inputs. The header is checked before any row is read, so that no column a user
// meant as an input is dropped: what is near an input's name is an error with a suggestion.

#include <filesystem>
#include <optional>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "csv.h"
#include "words.h"
#include "kaidah/kaidah.h"

namespace kaidah::cli {

struct RosterColumn {
  std::string name;
  enum Role { input, carried, ignored } role;  // carried: "id" and "name", copied to the output
  std::string type;                            // an input's declared type ("decimal", "date", ...)
};

struct RosterRow {
  long line = 0;
  CsvRow fields;  // one per column
  std::string error;                // a malformed row: its fields are not to be read
  // Cells of inputs written in no form the roster's locale takes: (column, why, a Note for the
  // user's language). Each is refused alone; what does not read it is still answered.
  std::vector<std::pair<std::size_t, Note>> refused;
};

class Roster {
 public:
  // Opens the roster and checks its header. A FileError, located "roster.csv:1:12: error: ...",
  // for a file that cannot be read, an empty one, columns separated by another character than
  // the locale's, a column named twice, and a column whose name is close to an input's ("Kelas",
  // " kelas", "kelass"). With `indonesian` (--locale id), as a spreadsheet set to Indonesian
  // writes it: ';' between columns, numbers as 3.500.000,00 (Rp before them allowed), dates as
  // 24/11/2026 and months as 11/2026; each cell of an input is rewritten to kaidah's form, and a
  // number or date written otherwise is refused (RosterRow::refused), never read another way. `indonesian`
  // not given: detected from the header line (';' between its names and no ','), and said in
  // notes().
  Roster(const std::filesystem::path& path, const Rulebook& rulebook, CsvOptions options,
         std::optional<bool> indonesian = false);

  const std::vector<RosterColumn>& columns() const { return columns_; }
  // The columns ignored, and why ("column 'notes' is not an input of jkn; it is ignored"), and
  // the locale detected.
  const std::vector<Note>& notes() const { return notes_; }

  // The next person, or false at the end. A row whose fields are all empty (a blank line, or the
  // ",,,," a spreadsheet writes for a row it formatted) is no person: it is skipped and counted
  // in row_notes().
  // Bytes that are not text end the roster with a FileError at their line and column.
  bool next(RosterRow& row);
  // What the rows read so far would hide: rows over several lines (a quoted field with a line
  // break, or a quote closed on a later line than meant, which swallows rows), skipped blank rows.
  std::vector<Note> row_notes() const;

  // How far through the file the reading is, and its size (0 for a pipe), for a progress bar.
  std::uintmax_t position() { return file_.tellg() < 0 ? size_ : static_cast<std::uintmax_t>(file_.tellg()); }
  std::uintmax_t size() const { return size_; }

 private:
  std::string source_;
  std::ifstream file_;
  std::uintmax_t size_ = 0;
  CsvReader reader_;
  std::vector<RosterColumn> columns_;
  bool indonesian_ = false;
  std::vector<Note> notes_;
  long blank_rows_ = 0;
  long multi_line_rows_ = 0, first_multi_line_ = 0;
};

}  // namespace kaidah::cli

#pragma once
// A roster: the CSV of people that `sweep` and `diff` read, one person a row, its header naming
// a rulebook's inputs. The header is checked before any row is read, so that no column a user
// meant as an input is dropped: what is near an input's name is an error with a suggestion.

#include <filesystem>
#include <optional>
#include <fstream>
#include <span>
#include <streambuf>
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
  // The same, read from `in` (a request's body, a pipe); `source` names it in errors.
  Roster(std::streambuf& in, std::string source, const Rulebook& rulebook, CsvOptions options,
         std::optional<bool> indonesian = false);
  Roster(const Roster&) = delete;  // its reader reads from its own members
  Roster& operator=(const Roster&) = delete;

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
  // The header line, read ahead to see which separator it has, and then the rest of the input:
  // what the CSV reader reads, so that a pipe or a request's body is read once.
  class HeaderAhead : public std::streambuf {
   public:
    explicit HeaderAhead(std::streambuf& in);
    const std::string& line() const { return line_; }

   protected:
    int_type underflow() override;
    int_type uflow() override;
    std::streamsize showmanyc() override;
    std::streamsize xsgetn(char* s, std::streamsize n) override;

   private:
    std::streambuf& in_;
    std::string line_;  // the bytes read ahead: the header line and its line end
  };
  void open(std::streambuf& in, const Rulebook& rulebook, CsvOptions options, std::optional<bool> indonesian);

  std::string source_;
  std::ifstream file_;  // when the roster is a file
  std::uintmax_t size_ = 0;
  std::optional<HeaderAhead> input_;
  std::optional<CsvReader> reader_;
  std::vector<RosterColumn> columns_;
  bool indonesian_ = false;
  std::vector<Note> notes_;
  long blank_rows_ = 0;
  long multi_line_rows_ = 0, first_multi_line_ = 0;
};

// A roster's rows as a batch's input columns, a chunk at a time: each input's cells are views of
// the rows' fields, as text (the batch reads each as its input's type, on its threads); a cell is
// missing where it is empty, or refused where the roster's locale did not read it; a malformed
// row gives none. Valid while the rows are not changed.
class RosterCells {
 public:
  explicit RosterCells(const std::vector<RosterColumn>& columns);
  void fill(std::span<const RosterRow> rows);
  const std::vector<std::string>& inputs() const { return inputs_; }  // the columns' names, in order
  const std::vector<BatchColumn>& columns() const { return columns_; }
  const std::vector<RefusedCell>& refused() const { return refused_; }

 private:
  std::vector<std::string> inputs_;
  std::vector<std::size_t> fields_;  // where each input is in a row
  std::vector<std::vector<std::string_view>> texts_;
  std::vector<std::vector<std::uint8_t>> missing_;
  std::vector<TypedColumn> typed_;
  std::vector<BatchColumn> columns_;
  std::vector<RefusedCell> refused_;
};

// The decisions a sweep evaluates: the outputs (people.csv's columns), then those that the work
// lists' conditions and the summary's figures read and that are not among them.
std::vector<std::string> sweep_decisions(const Rulebook& r);

// A row's failures as people.csv says them: a failure that blanks answers (the batch's first
// `outputs` columns) names those only, not the lists' conditions it blanked too; one that blanks
// only a list's condition (a fact only that condition reads) is said with the condition's name,
// so that nobody is left off a list in silence.
std::vector<RowError> as_said(std::span<const RowError> failures, std::size_t outputs);

// people.csv, the answer to a roster (`kaidah sweep`'s, and /v1/batch's for a CSV): a row for each
// person, with its line in the roster, the id and name carried, each answer, and why any is
// blank. Its header: line, id, name, the decisions, error.
std::vector<std::string> people_header(const std::vector<std::string>& decisions);
// Appends person `row` of the batch's typed `result` (null for a row not read, whose answers are
// blank): its first `answers` decisions, and `error`.
void append_person(std::string& out, long line, std::string_view id, std::string_view name, const BatchResult* result,
                   std::size_t row, std::size_t answers, std::string_view error);

}  // namespace kaidah::cli

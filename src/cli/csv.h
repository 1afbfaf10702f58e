#pragma once
// CSV as RFC 4180 writes it: comma-separated, fields optionally in double quotes (a quote inside
// doubled), quoted fields may hold commas and line breaks. The bytes are read as kaidah reads
// every user's file (text/reader.h): a byte-order mark dropped, LF, CRLF or CR line ends, UTF-8
// checked (or Windows-1252 decoded when asked).

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "text/reader.h"

namespace kaidah::cli {

struct CsvOptions {
  std::size_t max_field = 64 * 1024;   // bytes in one field
  std::size_t max_fields = 1024;       // fields in one row
  detail::Encoding encoding = detail::Encoding::utf8;
  char separator = ',';                // ';' for a spreadsheet set to Indonesian (--locale id)
};

// A row's fields, one after another in one string: reading a row allocates nothing once a row
// as long was read into the same CsvRow.
class CsvRow {
 public:
  std::size_t size() const { return ends_.size(); }
  std::size_t bytes() const { return text_.size(); }  // of all its fields
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i ? ends_[i - 1] : 0;
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Field i rewritten (a cell in kaidah's form where the roster's locale wrote it otherwise).
  void replace(std::size_t i, std::string_view field);
  // The fields as strings.
  std::vector<std::string> strings() const;

 private:
  friend class CsvReader;
  std::string text_;
  std::vector<std::size_t> ends_;  // where each field ends in text_ (it starts where the one before ends)
};

class CsvReader {
 public:
  // `source` names the input in errors ("roster.csv").
  CsvReader(std::istream& in, std::string source, CsvOptions options = {}) : CsvReader(*in.rdbuf(), std::move(source), options) {}
  CsvReader(std::streambuf& in, std::string source, CsvOptions options = {})
      : text_(in, {0, options.encoding}), source_(std::move(source)), options_(options) {}

  // Reads the next row into `fields`. Returns false at the end of the input. A malformed row
  // (a quoted field not closed, text after a closing quote, a field or row past the limits) sets
  // `error` and still consumes the row, so the next call continues with the following one. Bytes
  // that are not text (not UTF-8, a NUL) end the input: a LoadError at their line and column.
  bool next(CsvRow& fields, std::string& error);
  // The 1-based lines on which the row last returned started and ended.
  long line() const { return row_line_; }
  long last_line() const { return row_last_line_; }
  // The 1-based column (in characters) at which each field of that row started.
  const std::vector<long>& field_columns() const { return field_columns_; }

 private:
  bool read_row(CsvRow& fields, std::string& error);

  detail::TextReader text_;
  std::string source_;
  CsvOptions options_;
  long row_line_ = 0, row_last_line_ = 0;
  std::vector<long> field_columns_;
};

// Writes one row, quoting the fields that need it; or appends it to `out` (many rows written at
// once); or appends one field (a row written field by field, the caller adding the commas); or
// quotes, if it needs it, the field written at the end of `out` from `begin` on.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);
void append_csv_row(std::string& out, const std::vector<std::string>& fields);
void append_csv_field(std::string& out, std::string_view field);
void quote_csv_field(std::string& out, std::size_t begin);

}  // namespace kaidah::cli

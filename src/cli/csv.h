#pragma once
// CSV as RFC 4180 writes it: comma-separated, fields optionally in double quotes (a quote inside
// doubled), quoted fields may hold commas and line breaks; LF or CRLF line ends.

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kaidah::cli {

struct CsvLimits {
  std::size_t max_field = 64 * 1024;   // bytes in one field
  std::size_t max_fields = 1024;       // fields in one row
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvLimits limits = {}) : in_(in), limits_(limits) {}

  // Reads the next row into `fields`. Returns false at the end of the input. A malformed row
  // (unterminated quote, a field or row past the limits) sets `error` and still consumes the
  // row, so the next call continues with the following one.
  bool next(std::vector<std::string>& fields, std::string& error);
  // The 1-based line on which the row last returned started.
  long line() const { return row_line_; }

 private:
  std::istream& in_;
  CsvLimits limits_;
  long next_line_ = 1;
  long row_line_ = 0;
};

// Writes one row, quoting the fields that need it.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace kaidah::cli

#include "csv.h"

namespace kaidah::cli {

bool CsvReader::next(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  error.clear();
  row_line_ = next_line_;
  // The stream's buffer, read a character at a time: istream::get() builds a sentry for each one,
  // which made reading a roster's bytes a fifth of a sweep.
  std::streambuf& in = *in_.rdbuf();
  constexpr int eof = std::char_traits<char>::eof();
  if (in.sgetc() == eof) return false;
  std::string field;
  bool quoted = false, in_quotes = false, too_long = false;
  auto end_field = [&] {
    if (fields.size() < limits_.max_fields) fields.push_back(std::move(field));
    else if (error.empty()) error = "more than " + std::to_string(limits_.max_fields) + " fields";
    field.clear();
    quoted = false;
  };
  for (int c; (c = in.sbumpc()) != eof;) {
    if (in_quotes) {
      if (c == '"') {
        if (in.sgetc() == '"') {
          in.sbumpc();
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++next_line_;
        field += static_cast<char>(c);
      }
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && in.sgetc() == '\n') {
      continue;
    } else if (c == '\n') {
      ++next_line_;
      end_field();
      return true;
    } else {
      field += static_cast<char>(c);
    }
    if (field.size() > limits_.max_field && !too_long) {
      too_long = true;
      if (error.empty()) error = "a field longer than " + std::to_string(limits_.max_field) + " bytes";
    }
    if (too_long) field.clear();
  }
  if (in_quotes && error.empty()) error = "a quoted field is not closed before the end of the file";
  end_field();
  return true;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out << f;
      continue;
    }
    out << '"';
    for (char c : f) {
      if (c == '"') out.put('"');  // a quote inside is doubled
      out.put(c);
    }
    out << '"';
  }
  out << '\n';
}

}  // namespace kaidah::cli

#include "csv.h"

#include <ios>

#include "kaidah/error.h"

namespace kaidah::cli {

bool CsvReader::next(std::vector<std::string>& fields, std::string& error) {
  try {
    return read_row(fields, error);
  } catch (const std::ios_base::failure& e) {  // the system could not read (EIO): where it stopped
    throw LoadError({{Severity::error, {source_, static_cast<int>(text_.line()), static_cast<int>(text_.column())},
                      std::string("cannot read the file here: ") + e.what()}});
  }
}

bool CsvReader::read_row(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  error.clear();
  field_columns_.clear();
  row_line_ = text_.line();
  long field_column = text_.column();
  constexpr int eof = detail::TextReader::eof;
  int c = text_.get();
  if (c == eof) {
    if (const auto& p = text_.problem()) {
      throw LoadError({detail::diagnostic_of(*p, source_)});
    }
    return false;
  }
  std::string field;
  enum { start, unquoted, quoted, after_quote } state = start;  // where in a field
  long quote_line = 0, quote_column = 0;
  bool too_long = false;
  auto end_field = [&] {
    if (fields.size() < options_.max_fields) {
      fields.push_back(std::move(field));
      field_columns_.push_back(field_column);
    } else if (error.empty()) error = "more than " + std::to_string(options_.max_fields) + " fields";
    field.clear();
    state = start;
  };
  auto add = [&](int ch) {
    if (field.size() < options_.max_field) {
      field += static_cast<char>(ch);
    } else if (!too_long) {
      too_long = true;
      if (error.empty()) error = "a field longer than " + std::to_string(options_.max_field) + " bytes";
    }
  };
  for (;; c = text_.get()) {
    if (c == eof) {
      if (const auto& p = text_.problem()) {
        throw LoadError({detail::diagnostic_of(*p, source_)});
      }
      if (state == quoted && error.empty()) {
        error = "the quoted field opened on line " + std::to_string(quote_line) + ", column " +
                std::to_string(quote_column) + " is not closed before the end of the file";
      }
      break;
    }
    if (state == quoted) {
      if (c == '"') state = after_quote;
      else add(c);
      continue;
    }
    if (state == after_quote && c == '"') {  // a quote inside, doubled
      add('"');
      state = quoted;
      continue;
    }
    if (c == options_.separator) {
      end_field();
      field_column = text_.column();
    } else if (c == '\n') {
      break;
    } else if (state == after_quote) {
      if (error.empty()) {
        error = "text after the closing quote of field " + std::to_string(fields.size() + 1) + " (line " +
                std::to_string(text_.line()) + ", column " + std::to_string(text_.column() - 1) + ")";
      }
      add(c);
    } else if (c == '"' && state == start) {
      state = quoted;
      quote_line = text_.line();
      quote_column = text_.column() - 1;
    } else {
      state = unquoted;
      add(c);
    }
  }
  end_field();
  row_last_line_ = text_.line() - (c == '\n' ? 1 : 0);
  return true;
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';  // a quote inside is doubled
      out += c;
    }
    out += '"';
  }
  out += '\n';
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  std::string row;
  append_csv_row(row, fields);
  out << row;
}

}  // namespace kaidah::cli

#include "csv.h"

#include <algorithm>
#include <ios>

#include "kaidah/error.h"

namespace kaidah::cli {

bool CsvReader::next(CsvRow& fields, std::string& error) {
  try {
    return read_row(fields, error);
  } catch (const std::ios_base::failure& e) {  // the system could not read (EIO): where it stopped
    throw LoadError({{Severity::error, {source_, static_cast<int>(text_.line()), static_cast<int>(text_.column())},
                      std::string("cannot read the file here: ") + e.what()}});
  }
}

bool CsvReader::read_row(CsvRow& row, std::string& error) {
  error.clear();
  field_columns_.clear();
  row.text_.clear();
  row.ends_.clear();
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
  std::string& text = row.text_;
  std::size_t field_begin = 0;  // where the field being read starts in `text`
  enum { start, unquoted, quoted, after_quote } state = start;  // where in a field
  long quote_line = 0, quote_column = 0;
  bool too_long = false;
  // end_field and add are inlined: they run for each field (26 million in a million-row roster),
  // and a call each was a fifth of the reading.
  const auto end_field = [&]() __attribute__((always_inline)) {
    if (row.ends_.size() < options_.max_fields) {
      row.ends_.push_back(text.size());
      field_columns_.push_back(field_column);
    } else {
      text.resize(field_begin);
      if (error.empty()) error = "more than " + std::to_string(options_.max_fields) + " fields";
    }
    field_begin = text.size();
    state = start;
  };
  const auto add = [&](std::string_view bytes) __attribute__((always_inline)) {
    const std::size_t room = options_.max_field - std::min(text.size() - field_begin, options_.max_field);
    text.append(bytes.substr(0, room));
    if (bytes.size() > room && !too_long) {
      too_long = true;
      if (error.empty()) error = "a field longer than " + std::to_string(options_.max_field) + " bytes";
    }
  };
  const auto add_byte = [&](int byte) {
    const char b = static_cast<char>(byte);
    add({&b, 1});
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
      if (c == '"') {
        state = after_quote;
      } else {
        add_byte(c);
        for (std::string_view run; !(run = text_.take_plain('"')).empty();) add(run);
      }
      continue;
    }
    if (state == after_quote && c == '"') {  // a quote inside, doubled
      add("\"");
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
        error = "text after the closing quote of field " + std::to_string(row.ends_.size() + 1) + " (line " +
                std::to_string(text_.line()) + ", column " + std::to_string(text_.column() - 1) + ")";
      }
      add_byte(c);
    } else if (c == '"' && state == start) {
      state = quoted;
      quote_line = text_.line();
      quote_column = text_.column() - 1;
    } else {
      state = unquoted;
      add_byte(c);
      for (std::string_view run; !(run = text_.take_plain(options_.separator)).empty();) add(run);
    }
  }
  end_field();
  row_last_line_ = text_.line() - (c == '\n' ? 1 : 0);
  return true;
}

void CsvRow::replace(std::size_t i, std::string_view field) {
  const std::size_t begin = i ? ends_[i - 1] : 0, old_size = ends_[i] - begin;
  text_.replace(begin, old_size, field);
  for (std::size_t k = i; k < ends_.size(); ++k) ends_[k] = ends_[k] - old_size + field.size();
}

std::vector<std::string> CsvRow::strings() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

void quote_csv_field(std::string& out, std::size_t begin) {
  const auto special = [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; };
  if (std::none_of(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end(), special)) return;
  const std::string field = out.substr(begin);
  out.resize(begin);
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';  // a quote inside is doubled
    out += c;
  }
  out += '"';
}

void append_csv_field(std::string& out, std::string_view field) {
  const std::size_t begin = out.size();
  out += field;
  quote_csv_field(out, begin);
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, fields[i]);
  }
  out += '\n';
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  std::string row;
  append_csv_row(row, fields);
  out << row;
}

}  // namespace kaidah::cli

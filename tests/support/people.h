#pragma once
// Generated JKN people for batch tests and benchmarks: the 320 rows of examples/data/population.csv
// (every segment, class, family shape and arrears history the sweep meets), tiled to any number
// of rows, as Batch input columns.

#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/csv.h"
#include "kaidah/kaidah.h"

namespace kaidah::testing {

struct PeopleColumns {
  std::vector<std::string> names;                 // JKN inputs, in the roster's column order
  std::vector<std::vector<Value>> columns;        // columns[i][row]
};

// Rows of the tests that hold a fast path equal to one-by-one evaluation: 100,000 by default; the
// sanitizer build runs fewer (KAIDAH_EQUALITY_ROWS), as it is 20x slower.
inline std::size_t equality_rows() {
  const char* rows = std::getenv("KAIDAH_EQUALITY_ROWS");
  return rows ? std::stoul(rows) : 100'000;
}

// `rows` people. Copy k of the roster (rows 320k..320k+319) has, when `vary` is set, its
// last_month_paid moved k % 30 months earlier and its wage k x 1,000 rupiah higher, so that
// arrears from 0 to 5 years and wages off the round numbers all occur. `last_month_paid`, when
// given, replaces everybody's (e.g. 24 months before the evaluation date for a full payment
// history).
inline PeopleColumns generated_people(const Rulebook& jkn, std::size_t rows, bool vary,
                                      std::optional<Month> last_month_paid = std::nullopt) {
  std::ifstream file(KAIDAH_SOURCE_DIR "/examples/data/population.csv", std::ios::binary);
  cli::CsvReader reader(file, "population.csv");
  cli::CsvRow header_row, fields;
  std::string error;
  if (!reader.next(header_row, error)) throw std::runtime_error("population.csv is empty");
  const std::vector<std::string> header = header_row.strings();
  PeopleColumns out;
  std::vector<std::size_t> keep;  // roster columns that are inputs
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "id" || header[c] == "name") continue;
    keep.push_back(c);
    out.names.push_back(header[c]);
  }
  std::vector<std::vector<Value>> roster(keep.size());
  while (reader.next(fields, error)) {
    if (!error.empty()) throw std::runtime_error("population.csv:" + std::to_string(reader.line()) + ": " + error);
    for (std::size_t k = 0; k < keep.size(); ++k) roster[k].push_back(jkn.parse_input(header[keep[k]], std::string(fields[keep[k]])));
  }
  const std::size_t n = roster.front().size();
  out.columns.assign(keep.size(), std::vector<Value>(rows));
  for (std::size_t k = 0; k < keep.size(); ++k) {
    const bool is_wage = out.names[k] == "wage", is_last_paid = out.names[k] == "last_month_paid";
    for (std::size_t row = 0; row < rows; ++row) {
      const Value& v = roster[k][row % n];
      const auto copy = static_cast<int>(row / n);
      if (is_last_paid && last_month_paid) {
        out.columns[k][row] = *last_month_paid;
      } else if (vary && is_last_paid && v.has_value()) {
        out.columns[k][row] = v.as_month().plus(-(copy % 30));
      } else if (vary && is_wage && v.has_value()) {
        out.columns[k][row] = v.as_decimal() + Decimal(std::int64_t{copy} * 1000);
      } else {
        out.columns[k][row] = v;
      }
    }
  }
  return out;
}

}  // namespace kaidah::testing

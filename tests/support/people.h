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

// Adds the two list inputs of scalars the roster has no column for: months_unpaid (a payment
// history with gaps, given instead of last_month_paid) for one row in 7, newest first so that
// the rulebook's sorted() has work, [] for one in 14; public_holidays (dates near a due date,
// the 10th) for one row in 3. The others are not given.
inline void add_list_inputs(PeopleColumns& people) {
  const std::size_t rows = people.columns.empty() ? 0 : people.columns.front().size();
  std::vector<Value> unpaid(rows), holidays(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    if (row % 7 == 3) {
      std::vector<Value> months;
      if (row % 14 != 10)
        for (std::size_t k = 0; k <= row % 4; ++k) months.emplace_back(Month(2026, 10).plus(-static_cast<int>(row % 5 + 3 * k)));
      unpaid[row] = Value(std::move(months));
    }
    if (row % 3 == 0) {
      std::vector<Value> days = {Value(Date(2026, 11, 10)), Value(Date(2026, 12, 25))};
      if (row % 9 == 0) days.insert(days.begin(), Value(Date(2026, 10, 12)));
      holidays[row] = Value(std::move(days));
    }
  }
  people.names.insert(people.names.end(), {"months_unpaid", "public_holidays"});
  people.columns.push_back(std::move(unpaid));
  people.columns.push_back(std::move(holidays));
}

}  // namespace kaidah::testing

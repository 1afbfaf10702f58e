#pragma once
// Shared by the libFuzzer targets. Each target lets nothing but kaidah::Error out of the library:
// any other exception, a crash, a sanitizer report or a hang is a finding. A finding becomes a
// regression test (tests/unit or tests/diagnostics) once it is fixed.

#include <algorithm>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "kaidah/kaidah.h"
#include "support/text_columns.h"
#include "support/typed_copy.h"

namespace kaidah::fuzz {

// A folder of this process's own for the files a target writes.
inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("kaidah-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A difference between a batch and one-by-one evaluation: printed, then a crash, so that
// libFuzzer keeps the input as a finding.
[[noreturn]] inline void differ(std::size_t row, const std::string& what) {
  std::fprintf(stderr, "batch and one-by-one evaluation differ in row %zu: %s\n", row, what.c_str());
  std::abort();
}

// Row `row` of `columns` as one case, its refused cells refused (Case::refuse).
inline Case case_of(const std::vector<std::string>& names, const std::vector<std::vector<Value>>& columns,
                    std::span<const RefusedCell> refused, std::size_t row) {
  Case c;
  for (std::size_t k = 0; k < names.size(); ++k)
    if (columns[k][row].has_value()) c.set(names[k], columns[k][row]);
  for (const RefusedCell& r : refused)
    if (r.row == row) c.refuse(names[r.column], r.reason);
  return c;
}

// Batch `a` (its Values, or its typed results) has the failures and cells of batch `b` (Values):
// else a finding, said with `what`.
inline void same_results(const BatchResult& a, const BatchResult& b, const std::string& what) {
  if (a.errors.size() != b.errors.size()) differ(0, what + ": a different number of failures");
  for (std::size_t k = 0; k < b.errors.size(); ++k) {
    if (a.errors[k].row != b.errors[k].row || a.errors[k].message != b.errors[k].message)
      differ(b.errors[k].row, what + ": a different failure");
  }
  for (std::size_t d = 0; d < b.decisions.size(); ++d) {
    for (std::size_t row = 0; row < b.rows(); ++row) {
      const Value x = a.typed.empty() ? a.columns[d][row] : a.typed[d].value(row);
      const Value& y = b.columns[d][row];
      if (x.kind() != y.kind() || x.to_string() != y.to_string()) differ(row, what + ": " + b.decisions[d] + " differs");
    }
  }
}

// A batch of text columns (TypedColumn::Type::text, kaidah sweep's cells) gives the cells and
// failures of the same texts as Values.
inline void compare_text_columns(const Rulebook& rules, const std::vector<std::string>& names,
                                 const std::vector<std::vector<std::string>>& texts) {
  const testing::TextColumns cells(texts);
  const Batch batch(rules, names, Date(2026, 11, 24), {}, {.threads = 1});
  BatchResult from_text, from_values;
  batch.run(cells.columns, {}, from_text);
  batch.run(cells.values, {}, from_values);
  same_results(from_text, from_values, "text");
}

// Every decision of `rules` for each row of `columns` with partial answers, as a batch and one
// case at a time (OnError::keep): each cell has the value it has alone, or none where alone it
// failed; a row has failures exactly when alone it has errors or refused values. The same batch
// from typed columns and into typed results gives the same cells and failures, and a prepared
// Query (its compiled form) each row's Result.
inline void evaluate_partially(const Rulebook& rules, const std::vector<std::string>& names,
                               const std::vector<std::vector<Value>>& columns, std::span<const RefusedCell> refused,
                               const Date& date) {
  BatchResult out, typed;
  Batch(rules, names, date, {}, {.threads = 1}).run(columns, refused, out);
  testing::TypedCopy copy;
  testing::make_typed(columns, copy, Decimal::kScale);
  Batch(rules, names, date, {}, {.threads = 1, .typed_results = true}).run(copy.columns, refused, typed);
  same_results(typed, out, "typed");
  const Query query(rules, names);
  std::vector<Value> request(names.size());
  std::size_t next_error = 0;
  for (std::size_t row = 0; row < out.rows(); ++row) {
    std::size_t failures = 0;
    while (next_error < out.errors.size() && out.errors[next_error].row == row) ++failures, ++next_error;
    const Result one = rules.evaluate(case_of(names, columns, refused, row), date, out.decisions, OnError::keep);
    if ((failures == 0) != one.ok()) differ(row, "partial: the row has failures in one way only");
    bool host_refused = false;
    for (const RefusedCell& r : refused) host_refused = host_refused || r.row == row;
    if (!host_refused) {  // a Query is given values, not refusals: from its 8th request on, compiled
      for (std::size_t k = 0; k < names.size(); ++k) request[k] = columns[k][row];
      for (int times = row == 0 ? 8 : 1; times > 0; --times) {
        const Result q = query.evaluate(request, date, OnError::keep);
        if (q.values().size() != one.values().size() || q.errors().size() != one.errors().size() ||
            q.refused_inputs().size() != one.refused_inputs().size())
          differ(row, "a Query gives another Result");
        for (std::size_t k = 0; k < q.values().size(); ++k) {
          const Value &a = q.values()[k].second, &b = one.values()[k].second;
          if (q.values()[k].first != one.values()[k].first || a.kind() != b.kind() || a.to_string() != b.to_string())
            differ(row, "a Query gives another value of " + one.values()[k].first);
        }
        for (std::size_t k = 0; k < q.errors().size(); ++k)
          if (std::string(q.errors()[k].error.what()) != one.errors()[k].error.what()) differ(row, "a Query fails otherwise");
      }
    }
    for (std::size_t d = 0; d < out.decisions.size(); ++d) {
      const Value& a = out.columns[d][row];
      const auto b = std::find_if(one.values().begin(), one.values().end(), [&](const auto& v) { return v.first == out.decisions[d]; });
      if (b == one.values().end() ? a.has_value() : a.kind() != b->second.kind() || a.to_string() != b->second.to_string())
        differ(row, "partial: " + out.decisions[d] + " differs");
    }
  }
}

// Every decision of `rules` for each row of `columns` (input `names[k]` in columns[k]; none: not
// given), as a batch and one case at a time: values or kaidah::Error, nothing else, and the
// batch must give each row exactly what it gives alone: with whole_row, the value, or the error
// and its message; with partial answers, as evaluate_partially() checks.
// Refused cells (a cell the host could not read) are refused alone, as Case::refuse.
inline void evaluate_everything(const Rulebook& rules, const std::vector<std::string>& names,
                                const std::vector<std::vector<Value>>& columns, std::span<const RefusedCell> refused = {}) {
  static const Date date(2026, 11, 25);
  BatchResult out;
  try {
    Batch(rules, names, date, {}, {.threads = 1, .whole_row = true}).run(columns, refused, out);
  } catch (const Error&) {
    return;  // a column that is not an input: nothing to compare
  }
  evaluate_partially(rules, names, columns, refused, date);
  std::size_t next_error = 0;
  for (std::size_t row = 0; row < out.rows(); ++row) {
    const RowError* error = next_error < out.errors.size() && out.errors[next_error].row == row ? &out.errors[next_error++] : nullptr;
    const Case c = case_of(names, columns, refused, row);
    try {
      const Result one = rules.evaluate(c, date, out.decisions);
      if (error) differ(row, "the batch failed (" + error->field + ": " + error->message + "), alone it did not");
      for (std::size_t d = 0; d < one.values().size(); ++d) {
        const Value& a = out.columns[d][row];
        const Value& b = one.values()[d].second;
        if (a.kind() != b.kind() || a.to_string() != b.to_string())
          differ(row, out.decisions[d] + " is " + a.to_string() + " in the batch, " + b.to_string() + " alone");
      }
    } catch (const CaseError& e) {
      if (!error || error->kind != RowError::Kind::input || error->field != e.field() || error->message != e.reason())
        differ(row, std::string("alone, input ") + e.field() + ": " + e.reason() + (error ? "; in the batch: " + error->message : ""));
    } catch (const EvaluationError& e) {
      if (!error || error->kind != RowError::Kind::decision || error->field != e.decision() || error->message != e.what())
        differ(row, std::string("alone: ") + e.what() + (error ? "; in the batch: " + error->message : ""));
    }
  }
  if (next_error != out.errors.size()) differ(out.errors[next_error].row, "an error out of order");
}

// The same for one case, and a row that gives nothing.
inline void evaluate_everything(const Rulebook& rules, const Case& c) {
  std::vector<std::string> names;
  std::vector<std::vector<Value>> columns;
  for (const auto& [name, value] : c.values()) {
    names.push_back(name);
    columns.push_back({value, Value()});
  }
  evaluate_everything(rules, names, columns);
}

}  // namespace kaidah::fuzz

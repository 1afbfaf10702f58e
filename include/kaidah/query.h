#pragma once
/// \file
/// One kind of request, prepared once: a host answering many requests of the same shape (the
/// same inputs given, the same decisions asked) resolves their names once, not per request.
///
/// **Example** (a cooperative's payroll asking for each worker's shares):
/// \code
///   const kaidah::Rulebook rules = kaidah::Rulebook::load("rules/jkn");
///   const kaidah::Query shares(rules, {"citizenship", "work_status", "employer_type", "wage", "minimum_wage"},
///                              {"iuran_employer", "iuran_worker"});
///   const kaidah::Value worker[] = {"indonesian", "employee", "cooperative", kaidah::Decimal(3'500'000),
///                                   kaidah::Decimal(2'500'000)};
///   const kaidah::Result r = shares.evaluate(worker, kaidah::Date(2026, 11, 24));
///   // r["iuran_employer"] is 140000, r["iuran_worker"] 35000: as rules.evaluate() of that Case
/// \endcode

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kaidah/result.h"
#include "kaidah/rulebook.h"
#include "kaidah/value.h"

namespace kaidah {

/// The inputs a request gives and the decisions it asks for, resolved to the rulebook's own
/// places once. evaluate() then looks no name up: it gives the same values, errors and
/// explanation as Rulebook::evaluate() and explain() of the Case with those values, for less
/// work a request. From a date's few first requests on, evaluate() runs the same compiled form
/// as a Batch (one row wide), built once for that date; a case it is unsure of, and every
/// explain(), is evaluated as Rulebook::evaluate() does. Immutable to its user (copies share
/// the rulebook and the compiled forms); safe to use from many threads at once.
class Query {
 public:
  /// Throws CaseError for a name that is not an input (or is given twice), EvaluationError for a
  /// decision the rulebook lacks. `decisions` empty: every decision, in rulebook order.
  Query(const Rulebook& rules, std::vector<std::string> inputs, std::vector<std::string> decisions = {});

  const std::vector<std::string>& inputs() const { return inputs_; }
  const std::vector<std::string>& decisions() const { return decisions_; }

  /// Evaluates the decisions for the case whose input `inputs()[i]` has `values[i]` (none: not
  /// given, its default applies) as of `date`. Throws std::invalid_argument when the number of
  /// values is not the number of inputs; otherwise as Rulebook::evaluate(), `on_error` included.
  Result evaluate(std::span<const Value> values, const Date& date, OnError on_error = OnError::raise) const;
  /// Like evaluate(), and records the explanation.
  Result explain(std::span<const Value> values, const Date& date, OnError on_error = OnError::raise) const;

  /// Whether evaluate() at `date` now runs the compiled form: from the date's 8th request on,
  /// among the 8 dates asked for last, when the form computes any of the decisions. It never
  /// changes a value, only the speed: a figure for tests and benchmarks.
  bool compiled(const Date& date) const;

 private:
  Result run(std::span<const Value> values, const Date& date, bool explain, OnError on_error) const;
  struct Forms;  // the compiled forms by date (query.cpp)
  Rulebook rules_;
  std::vector<std::string> inputs_, decisions_;
  std::vector<int> input_slots_, decision_slots_;
  // The inputs in the order of their names, the order in which Rulebook::evaluate reads a Case:
  // a request with two values that do not fit reports the same one either way.
  std::vector<std::size_t> check_order_;
  std::shared_ptr<Forms> forms_;
};

}  // namespace kaidah

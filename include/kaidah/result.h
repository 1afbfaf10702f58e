#pragma once
/// \file
/// What an evaluation returns: the decisions' values and, on request, why.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kaidah/error.h"
#include "kaidah/value.h"

namespace kaidah {

namespace detail {
struct RulebookAccess;  // kaidah's own runners fill a Result (src/rulebook_access.h)
}

/// An input as a decision read it.
struct InputRead {
  std::string name;
  Value value;
  bool defaulted = false;  ///< the case did not give it; the declared default was used
  std::string description, unit;
};

/// A parameter value as decisions read it: the value, the date it took effect and the regulation
/// that set it. Reads of the same value at several dates (an aggregation over months) are merged.
struct ParameterRead {
  std::string name;
  Value value;
  Date effective_from;
  std::string legal_basis;
  std::string description, unit;
  Date first_asked, last_asked;  ///< the dates it was looked up for
  int times = 0;                 ///< how many look-ups this read merges
  bool from_reform = false;      ///< the value was set by a reform overlay
};

/// One decision's value and the reasons for it.
struct DecisionTrace {
  std::string name;
  Value value;
  std::string description, legal_basis, unit;
  std::string formula;                  ///< the formula, or the `then` of the row that fired
  int row = 0;                          ///< the table row that fired, 1-based; 0 for a formula
  std::vector<std::string> conditions;  ///< that row's `when` conditions (empty: the default row)
  std::string row_legal_basis;
  std::vector<std::string> decisions;  ///< decisions it used, in order of first use
  std::vector<InputRead> inputs;
  std::vector<ParameterRead> parameters;
  bool from_reform = false;  ///< the decision was added or replaced by a reform overlay
  std::string error;  ///< why it has no value (OnError::keep): the failure's message; "" when computed
};

/// The tree of decisions behind a result: each decision with its value, formula or fired table
/// row, legal basis, the inputs it read and each parameter value with the date it took effect
/// and its citation. Decisions used by several others appear once.
class Explanation {
 public:
  Date date{2000, 1, 1};           ///< the evaluation date
  std::vector<std::string> roots;  ///< the decisions asked for
  std::vector<DecisionTrace> decisions;

  /// The trace of `name`, or nullptr if it was not computed.
  const DecisionTrace* find(std::string_view name) const;
  /// An indented, readable legal argument, one decision per block.
  std::string to_text() const;
  /// {"date": ..., "roots": [...], "decisions": {name: {...}}}: decimals as strings.
  std::string to_json() const;
};

/// Why a decision asked for has no value for a case (OnError::keep, and a batch's rows).
struct DecisionError {
  std::string decision;   ///< the decision asked for
  EvaluationError error;  ///< why: the decision where it arose, the input behind it, where, what
};

/// What Rulebook::evaluate does with a decision that cannot be computed for the case (a
/// missing input, a value refused, no parameter value in force, overflow…).
enum class OnError {
  raise,  ///< throw it: the whole case has no answer (CaseError for a refused value, else EvaluationError)
  keep,   ///< compute every decision that does not depend on it, and keep it in Result::errors()
};

/// The values of the requested decisions, in the order asked, and the explanation if asked for.
class Result {
 public:
  /// The value of `decision`. Throws std::out_of_range if it was not requested, and its
  /// EvaluationError if it could not be computed (OnError::keep): a failure is never read as none.
  const Value& operator[](std::string_view decision) const;
  /// The requested decisions that have a value, and their values.
  const std::vector<std::pair<std::string, Value>>& values() const { return values_; }
  /// The requested decisions that could not be computed, in the order asked (OnError::keep).
  const std::vector<DecisionError>& errors() const { return errors_; }
  /// The inputs whose value the case gave but that does not fit them (OnError::keep), whether or
  /// not a requested decision reads them: a bad value is never left unsaid.
  const std::vector<CaseError>& refused_inputs() const { return refused_; }
  /// Every requested decision has a value and every value given was accepted.
  bool ok() const { return errors_.empty() && refused_.empty(); }
  bool has_explanation() const { return explained_; }
  /// Throws std::logic_error if evaluated without explanation.
  const Explanation& explanation() const;
  /// {"decision": value, ...} with decimals as strings: the decisions that have a value.
  std::string to_json() const;

 private:
  friend struct detail::RulebookAccess;
  std::vector<std::pair<std::string, Value>> values_;
  std::vector<DecisionError> errors_;
  std::vector<CaseError> refused_;
  bool keep_errors_ = false;
  bool explained_ = false;
  Explanation explanation_;
};

}  // namespace kaidah

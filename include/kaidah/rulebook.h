#pragma once
/// \file
/// Load a rulebook once; evaluate cases against it from any number of threads.
///
/// **Example**:
/// \code
///   const kaidah::Rulebook rules = kaidah::Rulebook::load("rules/jkn");
///   kaidah::Case worker;  // a Kopdes employee: Rp 3,500,000 where the UMK is Rp 2,500,000
///   worker.set("citizenship", "indonesian").set("work_status", "employee").set("employer_type", "cooperative")
///       .set("wage", kaidah::Decimal(3'500'000)).set("minimum_wage", kaidah::Decimal(2'500'000));
///   const std::vector<std::string> wanted = {"iuran_employer", "iuran_worker"};
///   const kaidah::Result r = rules.explain(worker, kaidah::Date(2026, 11, 24), wanted);
///   std::cout << r["iuran_worker"].to_string() << "\n" << r.explanation().to_text();  // 35000, and why
/// \endcode

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/error.h"
#include "kaidah/result.h"
#include "kaidah/value.h"

namespace kaidah {

namespace detail {
struct Program;
struct RulebookAccess;  // kaidah's own runners (src/rulebook_access.h)
}

/// Limits and settings applied when a rulebook loads and when it evaluates. Each must be at
/// least 1 and at most its ceiling (the `[1, N]` below); Rulebook::load throws a LoadError
/// naming the option otherwise ("max_iterations is -1; it must be between 1 and 1000000000").
/// The two depths stop at their defaults: they bound how deep evaluation recurses, and deeper
/// is not known to fit a thread's stack.
struct LoadOptions {
  int max_errors = 50;              ///< diagnostics collected before the rest are left out [1, 10000]
  int max_expression_depth = 64;    ///< nesting of one expression (parentheses, operators, calls) [1, 64]
  int max_expression_length = 4096; ///< characters in one expression [1, 1000000]
  long max_iterations = 1'000'000;  ///< aggregation steps in one evaluation, over all decisions [1, 10^9]
  /// Decisions in the longest chain of decisions that use decisions: bounds how deep an
  /// evaluation recurses, so that no rulebook can exhaust the stack. [1, 256]
  int max_dependency_depth = 256;
  int max_inputs = 10'000;      ///< inputs a rulebook declares [1, 1000000]
  int max_parameters = 10'000;  ///< parameters a rulebook declares [1, 1000000]
  int max_decisions = 10'000;   ///< decisions a rulebook declares [1, 1000000]
  /// Items in one list given for an input (a case's payment history, family…): a longer list is
  /// the case's error (CaseError naming the input), for single cases and batches alike.
  /// [1, 10000000]
  long max_list_items = 100'000;
  /// Bytes in one YAML file: each rulebook file, a reform, a case given to read_case. [1, 1 GiB]
  std::uintmax_t max_file_bytes = 16 * 1024 * 1024;
  /// Values in one YAML file once its aliases are expanded (mapping values, list items and the
  /// file itself): a small file of nested aliases ("billion laughs") is refused, quickly.
  /// [1, 100000000]
  long max_yaml_values = 1'000'000;

  /// The largest value the option named may take ("max_iterations" -> 1000000000), or 0 for a
  /// name that is not an option. Every option is at least 1.
  static std::uintmax_t ceiling(std::string_view option);
  /// The options' names, in the order above: for hosts that take them by name (Python, a CLI).
  static const std::vector<std::string_view>& names();
  /// The value of the option named, or nothing for a name that is not an option.
  std::optional<long long> get(std::string_view option) const;
  /// Sets the option named. Throws std::invalid_argument for a name that is not an option, and
  /// for a value outside [1, ceiling] ("max_iterations is -1; it must be between 1 and
  /// 1000000000"), the message Rulebook::load gives.
  void set(std::string_view option, long long value);
};

/// The facts of one case: input name → value. Checked against the rulebook when evaluated: an
/// integer is accepted for a decimal input, and text for any typed input is parsed strictly by
/// its declared type ("2025-01" for a month, "150000.50" for a decimal, "true" for a bool), so
/// that values read from CSV or forms need no conversion by the host.
class Case {
 public:
  /// Sets input `name` (replacing any earlier value or refusal). Returns *this for chaining.
  Case& set(std::string name, Value value);
  /// Input `name` was given a value the host could not read as one (a float where money must be
  /// exact, a form field in no format the input takes): evaluating refuses it with `reason`, as a
  /// value that does not fit the input (CaseError; with OnError::keep, in
  /// Result::refused_inputs(), and what reads it has no value). Replaces any value set.
  Case& refuse(std::string name, std::string reason);
  const std::map<std::string, Value>& values() const { return values_; }
  const std::map<std::string, std::string>& refused() const { return refused_; }  ///< input -> reason

 private:
  std::map<std::string, Value> values_;
  std::map<std::string, std::string> refused_;
};

/// What people read for an input or a decision and for each of its enum values, by language
/// ("id" -> "Tindakan berikutnya"), as the rulebook declares them (`label`, `value_labels`).
struct Labels {
  std::map<std::string, std::string> name;                           ///< language -> text
  std::map<std::string, std::map<std::string, std::string>> values;  ///< enum value -> language -> text
  /// The label of the name in `language`, or "" when the rulebook gives none.
  std::string of_name(const std::string& language) const;
  /// The label of `value` in `language`, or "" when the rulebook gives none.
  std::string of_value(const std::string& value, const std::string& language) const;
};

/// A work list of the sweep's report (the manifest's `report.work_lists`): the people for whom the
/// bool decision `when` holds, shown with the outputs `columns` (after their id and name), under a
/// title and a note in each language the rulebook gives.
struct WorkListInfo {
  std::string name, when;
  std::vector<std::string> columns;
  std::map<std::string, std::string> label, note;  ///< language -> text
};

/// A figure of the sweep's summary (the manifest's `report.summary`), or a section of figures.
/// The figures are exact: people counted, amounts summed as decimals; a person whose value is
/// blank (a fact missing) is in no figure that reads it. Only the people for whom the bool decision
/// `when` holds are in it, when one is named.
struct SummaryFigureInfo {
  enum class Kind {
    count,     ///< the people for whom the bool decision `decision` holds
    count_by,  ///< the people by `decision`'s values (an enum or a bool), or by its `bands` (an integer)
    sum,       ///< the total of the number decision `decision`, by the values of `by` when named
    section,   ///< `figures` under one title; `headline` (a count or sum among them) beside it
  };
  std::string name;  ///< its key in summary.json
  Kind kind = Kind::count;
  std::string decision, by, when;
  std::vector<std::int64_t> bands;  ///< count_by an integer: the lowest value of each band, ascending
  std::map<std::string, std::string> label;  ///< language -> text; none: the decision's own label
  std::vector<SummaryFigureInfo> figures;    ///< a section's
  std::string headline;                      ///< a section's figure shown beside its title, or ""
};

/// A field of the records of a `list of record` input.
struct FieldInfo {
  std::string name, type, description;
  std::vector<std::string> values;  ///< allowed values of an enum
  Value default_value;              ///< none when the field must be given
};

/// An input as declared: what a case may give.
struct InputInfo {
  std::string name, type, description, unit, legal_basis;
  std::vector<std::string> values;  ///< allowed values of an enum
  Value default_value;              ///< none when the input has no default
  std::vector<FieldInfo> fields;    ///< for `list of record`
  /// A rule asks whether it is given (`has(name)`): leaving it out is itself a fact (not laid
  /// off, no payment history), not a gap. An input with no default and no such rule is needed by
  /// whatever reads it.
  bool may_be_left_out = false;
  Labels labels;
};

/// One dated value of a parameter.
struct ParameterValue {
  Date effective_from;
  Value value;  ///< none: the parameter ended on effective_from
  std::string legal_basis;
  bool from_reform = false;  ///< set by a reform overlay
};

/// A parameter as declared, with its full history.
struct ParameterInfo {
  std::string name, type, description, unit;
  std::vector<std::string> values;
  std::vector<ParameterValue> history;
};

/// A decision as declared.
struct DecisionInfo {
  std::string name, type, description, unit, legal_basis;
  std::vector<std::string> values;
  bool optional = false;  ///< may have no value (none) for some cases
  bool from_reform = false;  ///< added or replaced by a reform overlay
  std::string formula;  ///< empty for a decision table
  /// The inputs it may read, itself or through the decisions it uses, in the rulebook's order of
  /// inputs: what a roster needs for this answer (a branch not taken reads nothing).
  std::vector<std::string> inputs;
  Labels labels;
  struct Row {
    std::vector<std::string> when;
    std::string then, legal_basis;
  };
  std::vector<Row> table;
};

/// An immutable, compiled rulebook. Copies share one compiled program; every member function is
/// const and safe to call from many threads at once.
class Rulebook {
 public:
  /// Loads, checks and compiles the rulebook folder `dir` (rulebook.yaml plus every *.yaml
  /// outside tests/ and reforms/). Throws LoadError carrying every diagnostic found (up to
  /// options.max_errors); never returns a half-loaded rulebook.
  static Rulebook load(const std::filesystem::path& dir, const LoadOptions& options = {});

  /// Loads the rulebook in `base_dir` with the reform overlay `reform_file` applied (see
  /// docs/language.md, "Reforms"), checked as a whole like a rulebook: every diagnostic, with
  /// its file and place, including changes to names the base does not have. The base is not
  /// touched; load it separately to compare the two.
  static Rulebook load_reform(const std::filesystem::path& base_dir, const std::filesystem::path& reform_file,
                              const LoadOptions& options = {});

  /// Evaluates the requested decisions (all when empty) for `input` as of `date`. Only those
  /// decisions and what they depend on are computed.
  /// Throws CaseError for an unknown input, EvaluationError for a requested decision that does
  /// not exist. With OnError::raise (the default) it also throws CaseError for a value of the
  /// wrong type or outside its allowed values, and EvaluationError naming the decision when one
  /// cannot be computed (a missing input, no parameter value in force, overflow…). With
  /// OnError::keep every decision that does not depend on the failure is computed, and each that
  /// does is in Result::errors() with its reason (a refused value also in refused_inputs()):
  /// a villager who has not chosen a class still gets whether and how to enrol.
  Result evaluate(const Case& input, const Date& date, std::span<const std::string> decisions = {},
                  OnError on_error = OnError::raise) const;

  /// Like evaluate(), and records the explanation (Result::explanation()); with OnError::keep a
  /// decision that failed is in it with its `error`.
  Result explain(const Case& input, const Date& date, std::span<const std::string> decisions = {},
                 OnError on_error = OnError::raise) const;

  /// Reads a case from YAML or JSON text (a mapping of input names to values), converting each
  /// value by its input's declared type. Throws LoadError for malformed text, CaseError naming
  /// the field for a value that does not fit; with OnError::keep, a value that does not fit is
  /// kept as refused (Case::refuse), so that evaluating with OnError::keep refuses that input alone.
  Case read_case(const std::string& text, const std::string& source_name = "case", OnError on_error = OnError::raise) const;

  /// The value of input `input` written as `text`, as in a CSV cell: scalars in their YAML form
  /// ("150000.50", "2025-01", "ppu"), lists and records in YAML flow form
  /// ("[{relation: spouse, birth_date: 1990-01-01}]"). Empty text is no value. Throws CaseError
  /// naming the input for an unknown input or a value that does not fit.
  Value parse_input(const std::string& input, const std::string& text) const;

  const std::string& name() const;
  const std::string& version() const;
  const std::string& description() const;
  /// The name of the reform applied, or "" for a rulebook as written.
  const std::string& reform() const;
  /// The decisions the rulebook answers for a person (the manifest's `outputs`), in its order:
  /// what a comparison reports unless asked for others; empty when the manifest declares none.
  const std::vector<std::string>& outputs() const;
  /// Who pays what (the manifest's `payers`): payer -> the decision of the amount it pays, for the
  /// cost of a change to each payer.
  const std::vector<std::pair<std::string, std::string>>& payers() const;
  /// The decision a comparison groups people by (the manifest's `report.group_by`), or "".
  const std::string& group_by() const;
  /// The edges of the bands a comparison counts changes in, either way (`report.change_bands`,
  /// ascending whole numbers in the unit of the amounts); empty: no distribution.
  const std::vector<Decimal>& change_bands() const;
  /// The sweep's work lists (`report.work_lists`), in the order written; empty: none.
  const std::vector<WorkListInfo>& work_lists() const;
  /// The sweep's summary (`report.summary`): its figures and sections, in the order written.
  const std::vector<SummaryFigureInfo>& summary() const;
  std::vector<InputInfo> inputs() const;
  std::vector<ParameterInfo> parameters() const;
  std::vector<DecisionInfo> decisions() const;

 private:
  friend struct detail::RulebookAccess;
  explicit Rulebook(std::shared_ptr<const detail::Program> program) : program_(std::move(program)) {}
  Result run(const Case& input, const Date& date, std::span<const std::string> decisions, bool explain,
             OnError on_error) const;
  std::shared_ptr<const detail::Program> program_;  // cheap to copy, shared, immutable
};

}  // namespace kaidah

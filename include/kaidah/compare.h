#pragma once
/// \file
/// What a change does: the same case under a base rulebook and a reform, or under one rulebook at
/// several dates, and the sums over a population. One implementation serves the CLI
/// (`kaidah diff`, `kaidah timeline`) and Python (`kaidah.compare`, `Rulebook.timeline`).

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kaidah/rulebook.h"

namespace kaidah {

/// One decision whose value differs.
struct DecisionChange {
  std::string decision;
  Value before, after;
  std::optional<Decimal> difference;  ///< after - before, for numbers
  /// Why: the reform's parameter values ("rate from 2027-01-01") and decisions it read, or the
  /// parameter values that took effect between two dates.
  std::vector<std::string> causes;
};

/// The requested decisions (all when empty) for `input` under `base` and `reform` at `date`;
/// only those that differ. Throws like Rulebook::evaluate when either cannot be evaluated; given
/// `unanswered`, compares the decisions that have a value under both instead, and appends the
/// others to it (the reform's reason, else the base's), as OnError::keep (a refused value still
/// throws its CaseError: the case, not a decision, is wrong).
std::vector<DecisionChange> compare(const Rulebook& base, const Rulebook& reform, const Case& input, const Date& date,
                                    std::span<const std::string> decisions = {},
                                    std::vector<DecisionError>* unanswered = nullptr);

/// The same case at each of `dates` (in order): for each date after the first, what changed since
/// the previous one and the parameter values that took effect in between.
struct DatedChanges {
  Date from{2000, 1, 1}, to{2000, 1, 1};
  std::vector<DecisionChange> changes;
};
std::vector<DatedChanges> timeline(const Rulebook& rulebook, const Case& input, std::span<const Date> dates,
                                   std::span<const std::string> decisions = {});

/// Sums over a population compared case by case. Feed it every case's changes; numbers are exact.
class ComparisonSummary {
 public:
  /// Adds one case: `group` is its group (e.g. its segment), `changes` what compare() returned.
  void add(const std::string& group, const std::vector<DecisionChange>& changes);
  /// Adds a case that could not be compared.
  void add_error() { ++errors_; }
  /// Counts a case added whose decisions were compared only in part (some have no value).
  void add_partial() { ++partial_; }
  /// Who pays what (Rulebook::payers()), for payer_costs(); a payer whose decision is not among
  /// `compared` (empty: every decision was) is left out.
  void set_payers(const std::vector<std::pair<std::string, std::string>>& payers, std::span<const std::string> compared = {});
  /// The change in what each payer pays, summed over the cases (the total change of its decision),
  /// in the order of the rulebook's `payers`.
  std::vector<std::pair<std::string, Decimal>> payer_costs() const;

  struct Totals {
    long increased = 0, decreased = 0, changed = 0;  ///< cases whose value went up, down, changed
    Decimal total_change;                           ///< the sum of the differences
    std::optional<Decimal> largest_increase, largest_decrease;
    /// How many differences fall in each band of change_bands() (numbers only).
    std::map<std::string, long> distribution;
    /// For a decision that is not a number (an enum, a bool, a date): how many cases went from
    /// one value to another, "pay_arrears -> apply_for_rehab" (none written "none").
    std::map<std::string, long> transitions;
  };
  /// The edges of the bands the differences are counted in, either way (Rulebook::change_bands():
  /// ascending whole numbers); none, the default, counts no distribution.
  void set_change_bands(const std::vector<Decimal>& edges);
  /// The bands of the distribution, from the largest decrease to the largest increase: for edges
  /// 10,000 and 100,000, "down 100,000 or more", "down 10,000 to 99,999", "down less than 10,000",
  /// "up less than 10,000", "up 10,000 to 99,999", "up 100,000 or more".
  const std::vector<std::string>& change_bands() const { return bands_; }
  long cases() const { return cases_; }
  long changed_cases() const { return changed_; }
  long errors() const { return errors_; }
  long partial() const { return partial_; }
  /// Per decision, over all cases.
  const std::map<std::string, Totals>& by_decision() const { return by_decision_; }
  /// Per group, then per decision.
  const std::map<std::string, std::map<std::string, Totals>>& by_group() const { return by_group_; }
  /// The summary as JSON (amounts as exact decimal strings).
  std::string to_json() const;

 private:
  long cases_ = 0, changed_ = 0, errors_ = 0, partial_ = 0;
  std::vector<std::pair<std::string, std::string>> payers_;
  std::vector<Decimal> edges_;
  std::vector<std::string> bands_;
  std::map<std::string, Totals> by_decision_;
  std::map<std::string, std::map<std::string, Totals>> by_group_;
};

/// Compares one case (compare()) and adds it to `summary`, in the group named by `group_by`: the
/// reform's value of that decision, or the case's value of that input ("none" when not given;
/// "all" when `group_by` is empty). The CLI's diff and Python's compare both go through here, so
/// their figures agree. Throws like compare(); EvaluationError when `group_by` names neither.
/// Given `unanswered`, compares in part as compare() does (a case whose group decision has no
/// value is in group "(no value)") and counts a case with unanswered decisions as partial.
std::vector<DecisionChange> compare_into(ComparisonSummary& summary, const Rulebook& base, const Rulebook& reform,
                                         const Case& input, const Date& date, std::span<const std::string> decisions,
                                         const std::string& group_by, std::vector<DecisionError>* unanswered = nullptr);

/// Unanswered decisions as one line, by reason: "needs kelas, not given (no iuran_total, payer);
/// file:line:col: decision 'x': … (no y)".
std::string unanswered_text(const std::vector<DecisionError>& unanswered);

/// What a comparison compares unless asked: the rulebook's `outputs` and its payers' decisions,
/// in that order; empty (every decision) when its manifest declares no outputs.
std::vector<std::string> default_comparison(const Rulebook& rulebook);

/// The decision comparisons are grouped by: the rulebook's `report.group_by` (Rulebook::group_by()), or "".
std::string default_group(const Rulebook& rulebook);

}  // namespace kaidah

#include "kaidah/compare.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "kaidah/batch.h"
#include "text/numbers.h"

namespace kaidah {
namespace {

bool numeric(const Value& v) { return v.kind() == Kind::integer || v.kind() == Kind::decimal; }

// Every decision `root` rests on (itself included), through the explanation.
void collect(const Explanation& x, const std::string& root, std::set<std::string>& seen) {
  if (!seen.insert(root).second) return;
  if (const DecisionTrace* d = x.find(root))
    for (const std::string& used : d->decisions) collect(x, used, seen);
}

// What in `x` made `decision` what it is, among the parameter values and decisions `relevant`
// accepts: "name = value from date (citation)" or "decision name".
template <class Relevant>
std::vector<std::string> causes_of(const Explanation& x, const std::string& decision, Relevant relevant) {
  std::set<std::string> names;
  collect(x, decision, names);
  std::vector<std::string> out;
  for (const std::string& name : names) {
    const DecisionTrace* d = x.find(name);
    if (!d) continue;
    if (d->from_reform) out.push_back("decision " + name);
    for (const ParameterRead& p : d->parameters) {
      if (!relevant(p)) continue;
      const std::string cause = p.name + " = " + p.value.to_string() + " from " + p.effective_from.to_string() +
                                " (" + p.legal_basis + ")";
      if (std::find(out.begin(), out.end(), cause) == out.end()) out.push_back(cause);
    }
  }
  return out;
}

// The decisions that have a value in both results, paired by name, that differ.
template <class Relevant>
std::vector<DecisionChange> differences(const Result& before, const Result& after, Relevant relevant) {
  std::vector<DecisionChange> out;
  for (const auto& entry : after.values()) {
    const std::string& name = entry.first;  // not a structured binding: clang's lambdas cannot capture one
    const Value& now = entry.second;
    const auto was = std::find_if(before.values().begin(), before.values().end(), [&](const auto& v) { return v.first == name; });
    if (was == before.values().end()) continue;  // no value before (OnError::keep): in the unanswered list
    const Value& then = was->second;
    if (then == now) continue;
    DecisionChange c{name, then, now, std::nullopt, causes_of(after.explanation(), name, relevant)};
    if (numeric(then) && numeric(now)) c.difference = now.as_number() - then.as_number();
    out.push_back(std::move(c));
  }
  return out;
}

std::string json_totals(const ComparisonSummary::Totals& t, const std::vector<std::string>& bands) {
  auto optional = [](const std::optional<Decimal>& d) { return d ? json_quote(d->to_string()) : std::string("null"); };
  std::string distribution = "{";
  for (const std::string& band : bands) {
    const auto it = t.distribution.find(band);
    if (it == t.distribution.end()) continue;
    distribution += (distribution.size() > 1 ? ", " : "") + json_quote(band) + ": " + std::to_string(it->second);
  }
  distribution += "}";
  return "{\"changed\": " + std::to_string(t.changed) + ", \"increased\": " + std::to_string(t.increased) +
         ", \"decreased\": " + std::to_string(t.decreased) + ", \"total_change\": " + json_quote(t.total_change.to_string()) +
         ", \"largest_increase\": " + optional(t.largest_increase) + ", \"largest_decrease\": " + optional(t.largest_decrease) +
         ", \"distribution\": " + distribution + ", \"transitions\": " + [&] {
           std::string out = "{";
           for (const auto& [from_to, n] : t.transitions)
             out += (out.size() > 1 ? ", " : "") + json_quote(from_to) + ": " + std::to_string(n);
           return out + "}";
         }() + "}";
}

// The band of a difference among the 2n + 2 bands of n edges: below the first edge, between two,
// or from the last on, down or up (no change counts as up: "up less than ...").
const std::string& band_of(const Decimal& d, const std::vector<Decimal>& edges, const std::vector<std::string>& bands) {
  const Decimal magnitude = d.abs();
  const auto size = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), magnitude) - edges.begin());
  return bands[d.sign() < 0 ? edges.size() - size : edges.size() + 1 + size];
}

// {"decision": totals, ...}
std::string json_totals_map(const std::map<std::string, ComparisonSummary::Totals>& totals,
                            const std::vector<std::string>& bands) {
  std::string out = "{";
  for (const auto& [name, t] : totals) out += (out.size() > 1 ? ", " : "") + json_quote(name) + ": " + json_totals(t, bands);
  return out + "}";
}

void count(ComparisonSummary::Totals& t, const DecisionChange& c, const std::vector<Decimal>& edges,
           const std::vector<std::string>& bands) {
  ++t.changed;
  if (!c.difference) {
    // From one value to another, for values a person reads in one word (not lists or records).
    auto word = [](const Value& v) { return v.kind() != Kind::list && v.kind() != Kind::record; };
    if (word(c.before) && word(c.after)) ++t.transitions[c.before.to_string() + " -> " + c.after.to_string()];
    return;
  }
  const Decimal d = *c.difference;
  if (!edges.empty()) ++t.distribution[band_of(d, edges, bands)];
  t.total_change += d;
  if (d.sign() > 0) {
    ++t.increased;
    t.largest_increase = t.largest_increase ? std::max(*t.largest_increase, d) : d;
  } else if (d.sign() < 0) {
    ++t.decreased;
    t.largest_decrease = t.largest_decrease ? std::min(*t.largest_decrease, d) : d;
  }
}

}  // namespace

std::vector<DecisionChange> compare(const Rulebook& base, const Rulebook& reform, const Case& input, const Date& date,
                                    std::span<const std::string> decisions, std::vector<DecisionError>* unanswered) {
  std::vector<std::string> names(decisions.begin(), decisions.end());
  if (names.empty()) {
    for (const DecisionInfo& d : reform.decisions()) {
      // A decision the reform adds has no "before": compare what both have.
      bool in_base = false;
      for (const DecisionInfo& b : base.decisions()) in_base = in_base || b.name == d.name;
      if (in_base) names.push_back(d.name);
    }
  }
  const OnError on_error = unanswered ? OnError::keep : OnError::raise;
  const Result before = base.evaluate(input, date, names, on_error);
  const Result after = reform.explain(input, date, names, on_error);
  if (unanswered) {
    // A bad value is the case's error, under either rulebook (a reform may accept what the base refuses).
    if (!after.refused_inputs().empty()) throw after.refused_inputs().front();
    if (!before.refused_inputs().empty()) throw before.refused_inputs().front();
    // Without a value under either rulebook: the reform's reason first.
    for (const DecisionError& e : after.errors()) unanswered->push_back(e);
    for (const DecisionError& e : before.errors()) {
      const bool listed = std::any_of(unanswered->begin(), unanswered->end(),
                                      [&](const DecisionError& u) { return u.decision == e.decision; });
      if (!listed) unanswered->push_back(e);
    }
  }
  return differences(before, after, [](const ParameterRead& p) { return p.from_reform; });
}

std::vector<DatedChanges> timeline(const Rulebook& rulebook, const Case& input, std::span<const Date> dates,
                                   std::span<const std::string> decisions) {
  std::vector<DatedChanges> out;
  for (std::size_t i = 1; i < dates.size(); ++i) {
    const Date from = dates[i - 1], to = dates[i];
    const Result before = rulebook.evaluate(input, from, decisions);
    const Result after = rulebook.explain(input, to, decisions);
    // The parameter values that took effect after `from`, up to `to`.
    auto took_effect = [&](const ParameterRead& p) { return from < p.effective_from && p.effective_from <= to; };
    out.push_back({from, to, differences(before, after, took_effect)});
  }
  return out;
}

namespace {

// The group of one case: the case's value of input `group_by`, or its value of decision
// `group_by` (the rulebook's name lists are copies: read only when a case gives neither).
std::string group_of(const Rulebook& reform, const Case& input, const Date& date, const std::string& group_by,
                     bool partial) {
  if (group_by.empty()) return "all";
  if (const auto given = input.values().find(group_by); given != input.values().end()) return given->second.to_string();
  try {
    return reform.evaluate(input, date, std::vector<std::string>{group_by})[group_by].to_string();
  } catch (const EvaluationError&) {
    for (const DecisionInfo& d : reform.decisions())
      if (d.name == group_by) {
        if (partial) return "(no value)";  // its reason is among the case's unanswered decisions
        throw;  // the decision failed for this case
      }
  }
  for (const InputInfo& i : reform.inputs())  // an input the case leaves out: its default
    if (i.name == group_by) return i.default_value.has_value() ? i.default_value.to_string() : "none";
  throw EvaluationError(group_by, "no decision or input '" + group_by + "' to group by");
}

}  // namespace

std::vector<DecisionChange> compare_into(ComparisonSummary& summary, const Rulebook& base, const Rulebook& reform,
                                         const Case& input, const Date& date, std::span<const std::string> decisions,
                                         const std::string& group_by, std::vector<DecisionError>* unanswered) {
  std::vector<DecisionChange> changes = compare(base, reform, input, date, decisions, unanswered);
  summary.add(group_of(reform, input, date, group_by, unanswered != nullptr), changes);
  if (unanswered && !unanswered->empty()) summary.add_partial();
  return changes;
}

std::string unanswered_text(const std::vector<DecisionError>& unanswered) {
  // As a batch's row errors, one decision a column: compare() throws a refused value as the
  // case's error, so an input named here is one not given.
  std::vector<std::string> names;
  std::vector<RowError> row;
  for (const DecisionError& u : unanswered) {
    row.push_back({0, RowError::Kind::decision, u.error.decision(), u.error.what(), u.error.input(), {names.size()}});
    names.push_back(u.decision);
  }
  return describe_failures(row, names);
}

std::vector<std::string> default_comparison(const Rulebook& rulebook) {
  std::vector<std::string> names = rulebook.outputs();
  if (names.empty()) return names;
  for (const auto& [payer, decision] : rulebook.payers())
    if (std::find(names.begin(), names.end(), decision) == names.end()) names.push_back(decision);
  return names;
}

void ComparisonSummary::set_payers(const std::vector<std::pair<std::string, std::string>>& payers,
                                   std::span<const std::string> compared) {
  payers_.clear();
  for (const auto& p : payers)
    if (compared.empty() || std::find(compared.begin(), compared.end(), p.second) != compared.end()) payers_.push_back(p);
}

std::vector<std::pair<std::string, Decimal>> ComparisonSummary::payer_costs() const {
  std::vector<std::pair<std::string, Decimal>> out;
  for (const auto& [payer, decision] : payers_) {
    const auto it = by_decision_.find(decision);
    out.emplace_back(payer, it == by_decision_.end() ? Decimal() : it->second.total_change);
  }
  return out;
}

std::string default_group(const Rulebook& rulebook) { return rulebook.group_by(); }

void ComparisonSummary::set_change_bands(const std::vector<Decimal>& edges) {
  for (std::size_t k = 0; k < edges.size(); ++k) {
    if (!edges[k].is_integer() || edges[k].sign() <= 0 || (k > 0 && edges[k] <= edges[k - 1]))
      throw std::invalid_argument("change bands: the edges must be ascending whole numbers above 0, got " + edges[k].to_string());
  }
  edges_ = edges;
  bands_.clear();
  const std::size_t n = edges.size();
  if (n == 0) return;
  auto grouped = [](const Decimal& d) { return detail::group_digits(d, ',', '.'); };  // summary.json is English
  auto between = [&](std::size_t k) { return grouped(edges[k]) + " to " + grouped(edges[k + 1] - Decimal(1)); };
  bands_.push_back("down " + grouped(edges[n - 1]) + " or more");
  for (std::size_t k = n - 1; k-- > 0;) bands_.push_back("down " + between(k));
  bands_.push_back("down less than " + grouped(edges[0]));
  bands_.push_back("up less than " + grouped(edges[0]));
  for (std::size_t k = 0; k + 1 < n; ++k) bands_.push_back("up " + between(k));
  bands_.push_back("up " + grouped(edges[n - 1]) + " or more");
}

void ComparisonSummary::add(const std::string& group, const std::vector<DecisionChange>& changes) {
  ++cases_;
  if (!changes.empty()) ++changed_;
  for (const DecisionChange& c : changes) {
    count(by_decision_[c.decision], c, edges_, bands_);
    count(by_group_[group][c.decision], c, edges_, bands_);
  }
}

std::string ComparisonSummary::to_json() const {
  std::string out = "{\"cases\": " + std::to_string(cases_) + ", \"changed\": " + std::to_string(changed_) +
                    ", \"partial\": " + std::to_string(partial_) + ", \"errors\": " + std::to_string(errors_) +
                    ", \"by_payer\": " + [&] {
                      std::string p = "{";
                      for (const auto& [payer, cost] : payer_costs())
                        p += (p.size() > 1 ? ", " : "") + json_quote(payer) + ": " + json_quote(cost.to_string());
                      return p + "}";
                    }() + ", \"by_decision\": " + json_totals_map(by_decision_, bands_) +
                    ", \"by_group\": {";
  bool first = true;
  for (const auto& [group, decisions] : by_group_) {
    out += (first ? "" : ", ") + json_quote(group) + ": " + json_totals_map(decisions, bands_);
    first = false;
  }
  return out + "}}";
}

}  // namespace kaidah

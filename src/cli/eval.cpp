#include <algorithm>
#include <iostream>

#include "args.h"

namespace kaidah::cli {

// eval and explain: [RULEBOOK] CASE --date D [--decisions a,b] [--format text|json]
int eval_command(const Args& a, bool explain) {
  if (a.positional.empty() || a.positional.size() > 2) throw UsageError("expected [RULEBOOK] CASE");
  if (a.format != "text" && a.format != "json") throw UsageError("--format must be text or json");
  const Date date = required_date(a);
  const Rulebook r = load_rulebook(a, a.positional.size() == 2);
  check_decision_names(r, a.decisions);
  const std::string& case_file = a.positional.back();
  const Case c = read_case_file(r, case_file, OnError::keep);
  // Every answer the case's facts allow; what they do not allow is said, with its reason, on
  // stderr, and the exit status is not 0.
  const Result result = explain ? r.explain(c, date, a.decisions, OnError::keep) : r.evaluate(c, date, a.decisions, OnError::keep);
  if (a.format == "json") {
    std::cout << (explain ? result.explanation().to_json() : result.to_json()) << "\n";
  } else if (explain) {
    std::cout << result.explanation().to_text();
  } else {
    for (const auto& [name, value] : result.values()) std::cout << name << " = " << value.to_string() << "\n";
  }
  std::cout.flush();
  for (const CaseError& e : result.refused_inputs()) std::cerr << "kaidah: bad case: " << e.what() << "\n";
  // One line per cause, with the decisions it leaves without value (often many: one missing fact).
  // A missing or refused input is one cause wherever in the rules it was read.
  std::vector<std::pair<std::string, std::string>> causes;
  for (const DecisionError& e : result.errors()) {
    const std::string cause = e.error.input().empty() ? e.error.what() : e.error.message();
    auto it = std::find_if(causes.begin(), causes.end(), [&](const auto& c) { return c.first == cause; });
    if (it == causes.end()) it = causes.insert(causes.end(), {cause, ""});
    it->second += (it->second.empty() ? "" : ", ") + e.decision;
  }
  for (const auto& [cause, decisions] : causes) std::cerr << "kaidah: " << cause << " (no value for " << decisions << ")\n";
  if (!result.refused_inputs().empty()) return 2;
  return result.errors().empty() ? 0 : 1;
}

}  // namespace kaidah::cli

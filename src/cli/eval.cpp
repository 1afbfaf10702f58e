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
  const Case c = read_case_file(r, case_file);
  const Result result = explain ? r.explain(c, date, a.decisions) : r.evaluate(c, date, a.decisions);
  if (a.format == "json") {
    std::cout << (explain ? result.explanation().to_json() : result.to_json()) << "\n";
  } else if (explain) {
    std::cout << result.explanation().to_text();
  } else {
    for (const auto& [name, value] : result.values()) std::cout << name << " = " << value.to_string() << "\n";
  }
  return 0;
}

}  // namespace kaidah::cli

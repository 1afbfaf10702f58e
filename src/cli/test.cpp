#include <iostream>

#include "args.h"

namespace kaidah::cli {

// test [RULEBOOK] [PATH]: the rulebook's scenarios (PATH: a file or folder, default RULEBOOK/tests).
int test_command(const Args& a) {
  if (a.positional.size() > 2) throw UsageError("expected [RULEBOOK] [PATH]");
  const std::filesystem::path rulebook = a.positional.empty() ? bundled_rulebook() : std::filesystem::path(a.positional[0]);
  const Rulebook r = Rulebook::load(rulebook);
  const std::filesystem::path path = a.positional.size() == 2 ? std::filesystem::path(a.positional[1]) : rulebook / "tests";
  const ScenarioReport report = run_scenarios(r, path);
  for (const auto& o : report.outcomes) {
    if (!o.passed) std::cout << "FAIL " << to_string(o.location) << ": " << o.name << "\n" << o.message << "\n";
  }
  std::cout << report.summary() << "\n";
  return report.failed() == 0 ? 0 : 1;
}

}  // namespace kaidah::cli

#include <gtest/gtest.h>

#include "kaidah/kaidah.h"
#include "temp_rulebook.h"

namespace kaidah {
namespace {

using testing::TempRulebook;

const char* kRules = R"Y(inputs:
  wage: {type: decimal, description: monthly wage}
decisions:
  iuran: {type: decimal, description: 5% of the wage, legal_basis: Perpres 64/2020, formula: "round(wage * 0.05, 0, half_up)"}
)Y";

TEST(Scenarios, PassFailAndLocatedProblems) {
  TempRulebook files({{"rules.yaml", kRules},
                      {"tests/a.yaml", R"Y(tests:
  - {name: five percent, date: 2025-01-01, inputs: {wage: 5000000}, expect: {iuran: 250000}}
  - {name: wrong on purpose, date: 2025-01-01, inputs: {wage: 5000000}, expect: {iuran: 250001}}
  - {name: bad input, date: 2025-01-01, inputs: {wage: lots}, expect: {iuran: 1}}
  - {name: missing wage, date: 2025-01-01, expect_error: {decision: iuran, message: "input 'wage' has no value"}}
  - {name: no expectation, date: 2025-01-01}
)Y"},
                      {"tests/b.yaml", "tests: [\n"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const ScenarioReport report = run_scenarios(rules, files.dir() / "tests");
  ASSERT_EQ(report.outcomes.size(), 6u);
  EXPECT_EQ(report.summary(), "2 passed, 4 failed");
  EXPECT_TRUE(report.outcomes[0].passed);
  EXPECT_EQ(report.outcomes[1].name, "wrong on purpose");
  EXPECT_EQ(report.outcomes[1].message.substr(0, report.outcomes[1].message.find('\n')),
            "tests/a.yaml:3:89: iuran: expected 250001, got 250000");
  EXPECT_NE(report.outcomes[1].message.find("explanation:\niuran = 250000"), std::string::npos);
  EXPECT_EQ(report.outcomes[2].message,
            "tests/a.yaml:4:56: error: input 'wage': expected a number like 150000 or 0.05, got 'lots'\n");
  EXPECT_TRUE(report.outcomes[3].passed) << report.outcomes[3].message;
  EXPECT_EQ(report.outcomes[4].message,
            "tests/a.yaml:6:5: error: a scenario needs 'expect' (decision: value), 'expect_error' or 'changes'\n");
  EXPECT_EQ(report.outcomes[5].location.file, "tests/b.yaml");
  EXPECT_NE(report.outcomes[5].message.find("tests/b.yaml:2:1: error: YAML syntax"), std::string::npos)
      << report.outcomes[5].message;
}

}  // namespace
}  // namespace kaidah

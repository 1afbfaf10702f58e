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

// Review U13: a scenario that could never fail is refused where it is written: an empty
// expected message (every error contains it), null expected of a decision that always has a
// value, and a second scenario of the same name in a file (which one failed?).
TEST(Scenarios, AScenarioThatCouldNotFailIsRefused) {
  TempRulebook files({{"rules.yaml", kRules},
                      {"tests/a.yaml", R"Y(tests:
  - {name: any error, date: 2025-01-01, expect_error: {decision: iuran, message: ""}}
  - {name: null iuran, date: 2025-01-01, inputs: {wage: 100}, expect: {iuran: null}}
  - {name: five percent, date: 2025-01-01, inputs: {wage: 5000000}, expect: {iuran: 250000}}
  - {name: five percent, date: 2025-01-01, inputs: {wage: 100}, expect: {iuran: 5}}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const ScenarioReport report = run_scenarios(rules, files.dir() / "tests");
  ASSERT_EQ(report.outcomes.size(), 4u);
  EXPECT_EQ(report.summary(), "1 passed, 3 failed");
  EXPECT_EQ(report.outcomes[0].message,
            "tests/a.yaml:2:82: error: 'message' is empty, so it would match any error; give the text the error must "
            "contain\n");
  EXPECT_EQ(report.outcomes[1].message,
            "tests/a.yaml:3:79: error: decision 'iuran' is not optional: it always has a value (or fails), so it cannot "
            "be expected to be null; expect its value, or use expect_error\n");
  EXPECT_TRUE(report.outcomes[2].passed);
  EXPECT_EQ(report.outcomes[3].message,
            "tests/a.yaml:5:5: error: scenario name 'five percent' is used twice in this file (first at line 4)\n");
}

// A partial answer (issue #18): `expect` and `expect_error` together. The expected decisions
// have their values and the one named fails for that reason; an expected decision without value
// is a mismatch with its reason, never matched by the expect_error text.
TEST(Scenarios, APartialAnswerIsTestedValueByValue) {
  TempRulebook files({{"rules.yaml", R"Y(inputs:
  wage: {type: decimal, description: monthly wage}
decisions:
  fee: {type: decimal, description: a flat fee, legal_basis: r, formula: "1000"}
  iuran: {type: decimal, description: 5% of the wage, legal_basis: r, formula: "round(wage * 0.05, 0, half_up)"}
  half: {type: decimal, description: half of it, legal_basis: r, formula: "round(iuran / 2, 0, half_up)"}
)Y"},
                      {"tests/a.yaml", R"Y(tests:
  - {name: partial, date: 2025-01-01, expect: {fee: 1000}, expect_error: {decision: iuran, message: "input 'wage' has no value"}}
  - {name: blank expected, date: 2025-01-01, expect: {fee: 1000, half: 3}, expect_error: {decision: iuran, message: "input 'wage' has no value"}}
  - {name: no failure, date: 2025-01-01, expect: {half: 3}, expect_error: {decision: fee, message: "anything"}}
  - {name: unnamed, date: 2025-01-01, expect: {fee: 1000}, expect_error: {message: "input 'wage' has no value"}}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const ScenarioReport report = run_scenarios(rules, files.dir() / "tests");
  ASSERT_EQ(report.outcomes.size(), 4u);
  EXPECT_EQ(report.summary(), "1 passed, 3 failed");
  EXPECT_TRUE(report.outcomes[0].passed) << report.outcomes[0].message;
  EXPECT_EQ(report.outcomes[1].message.substr(0, report.outcomes[1].message.find(": expected")),
            "tests/a.yaml:3:72: half");
  EXPECT_NE(report.outcomes[1].message.find("half: expected 3, got no value: "), std::string::npos) << report.outcomes[1].message;
  EXPECT_NE(report.outcomes[2].message.find("fee: expected an error containing 'anything', got 1000"), std::string::npos)
      << report.outcomes[2].message;
  EXPECT_NE(report.outcomes[3].message.find("names the decision that fails"), std::string::npos) << report.outcomes[3].message;
}

}  // namespace
}  // namespace kaidah

#include <gtest/gtest.h>

#include "kaidah/kaidah.h"
#include "temp_rulebook.h"

namespace kaidah {
namespace {

const char* kBase = R"Y(inputs:
  wage: {type: decimal, description: monthly wage}
parameters:
  rate:
    type: decimal
    description: contribution rate
    history:
      - {effective_from: 2014-01-01, value: 0.045, legal_basis: Reg A}
      - {effective_from: 2015-07-01, value: 0.05, legal_basis: Reg B}
      - {effective_from: 2030-01-01, value: 0.06, legal_basis: Reg C}
decisions:
  iuran: {type: decimal, description: the contribution, legal_basis: Reg B, formula: "round(wage * rate, 0, half_up)"}
  label: {type: text, description: a label, legal_basis: Reg B, formula: "'base'"}
)Y";

TEST(Reform, ChangesValuesFromItsDateOnReplacesAndAddsAndMarksWhatItChanged) {
  testing::TempRulebook files(std::map<std::string, std::string>{
      {"rules.yaml", kBase},
      {"reforms/r.yaml", R"Y(reform: {name: higher, base: test, description: a higher rate from 2027}
parameters:
  rate:
    history:
      - {effective_from: 2027-01-01, value: 0.07, legal_basis: HYPOTHETICAL}
decisions:
  label: {type: text, description: a label, legal_basis: HYPOTHETICAL, formula: "'reform'"}
new_parameters:
  bonus: {type: decimal, description: a bonus, history: [{effective_from: 2027-01-01, value: 1000, legal_basis: HYPOTHETICAL}]}
new_decisions:
  total: {type: decimal, description: with the bonus, legal_basis: HYPOTHETICAL, formula: "iuran + bonus"}
)Y"}});
  const Rulebook base = Rulebook::load(files.dir());
  const Rulebook reform = Rulebook::load_reform(files.dir(), files.dir() / "reforms" / "r.yaml");
  EXPECT_EQ(base.reform(), "");
  EXPECT_EQ(reform.reform(), "higher");
  const Case c = Case().set("wage", Decimal(5'000'000));
  // Before the reform's date both agree; from it, 7% replaces the base's 5% (and its 6% of 2030).
  EXPECT_EQ(reform.evaluate(c, Date(2026, 12, 31), std::vector<std::string>{"iuran"})["iuran"], Value(Decimal(250'000)));
  EXPECT_EQ(reform.evaluate(c, Date(2031, 1, 1), std::vector<std::string>{"iuran"})["iuran"], Value(Decimal(350'000)));
  EXPECT_EQ(base.evaluate(c, Date(2031, 1, 1), std::vector<std::string>{"iuran"})["iuran"], Value(Decimal(300'000)));
  const Result r = reform.explain(c, Date(2027, 6, 1), std::vector<std::string>{"total", "label"});
  EXPECT_EQ(r["total"], Value(Decimal(351'000)));
  EXPECT_EQ(r["label"], Value("reform"));
  EXPECT_TRUE(r.explanation().find("total")->from_reform);
  EXPECT_TRUE(r.explanation().find("label")->from_reform);
  EXPECT_FALSE(r.explanation().find("iuran")->from_reform);
  EXPECT_TRUE(r.explanation().find("iuran")->parameters[0].from_reform);
  EXPECT_NE(r.explanation().to_text().find("rate = 0.07, in force from 2027-01-01 (HYPOTHETICAL) [reform]"), std::string::npos);
  const auto history = reform.parameters()[0].history;
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2].effective_from, Date(2027, 1, 1));
  EXPECT_TRUE(history[2].from_reform);
}

// The diagnostics of loading `reform` (a reforms/bad.yaml text) on the base above.
std::string diagnostics_of(const char* reform) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", kBase}, {"reforms/bad.yaml", reform}});
  try {
    Rulebook::load_reform(files.dir(), files.dir() / "reforms" / "bad.yaml");
  } catch (const LoadError& e) {
    return to_string(e.diagnostics());
  }
  return "(loaded without errors)";
}

TEST(Reform, MistakesAreRefusedWithEveryDiagnosticLocated) {
  EXPECT_EQ(diagnostics_of(R"Y(reform: {name: bad, base: other}
parameters:
  rat:
    history:
      - {effective_from: 2027-01-01, value: 0.07, legal_basis: x}
  rate:
    history:
      - {effective_from: 2028-01-01, value: 0.07, legal_basis: x}
      - {effective_from: 2027-01-01, value: 0.08, legal_basis: x}
decisions:
  iuran: {type: decimal, description: x, legal_basis: y, formula: "wage + 'text'"}
  nope: {type: decimal, description: x, legal_basis: y, formula: "1"}
new_decisions:
  label: {type: text, description: x, legal_basis: y, formula: "'again'"}
)Y"),
            "bad.yaml:1:27: error: this reform is for the rulebook 'other', not 'test'\n"
            "bad.yaml:3:3: error: no parameter 'rat' in the base rulebook test; did you mean 'rate'? (to add one, declare it under new_parameters)\n"
            "bad.yaml:12:3: error: no decision 'nope' in the base rulebook test (to add one, declare it under new_decisions)\n"
            "bad.yaml:14:3: error: 'label' is already in the base rulebook test; new_decisions only adds new names\n");
  // Fixing those, the merged rulebook is checked as a whole: type errors and dates out of order.
  EXPECT_EQ(diagnostics_of(R"Y(reform: {name: bad}
parameters:
  rate:
    history:
      - {effective_from: 2028-01-01, value: 0.07, legal_basis: x}
      - {effective_from: 2027-01-01, value: 0.08, legal_basis: x}
decisions:
  iuran: {type: decimal, description: x, legal_basis: y, formula: "wage + 'text'"}
)Y"),
            "bad.yaml:6:9: error: values of parameter 'rate' must be in date order: 2027-01-01 does not come after 2028-01-01\n"
            "bad.yaml:8:73: error: cannot apply '+' to decimal and text\n");
}

}  // namespace
}  // namespace kaidah

namespace kaidah {
namespace {

// Issue #19 part 4: how a comparison groups people and which bands it counts a change in are the
// rulebook's (`report:` in rulebook.yaml), not the engine's. Edges 50 and 500: six bands; -600 is
// "down 500 or more", -50 "down 50 to 499", 0 and 49 "up less than 50", 499 "up 50 to 499".
TEST(Comparison, TheRulebookDeclaresTheGroupAndTheBands) {
  testing::TempRulebook files(std::map<std::string, std::string>{
      {"rulebook.yaml", "name: fees\nversion: 1\nreport:\n  group_by: kind\n  change_bands: [50, 500]\n"},
      {"rules.yaml", R"Y(decisions:
  fee: {type: decimal, description: d, legal_basis: r, formula: "1000"}
  kind: {type: enum, values: [a, b], description: d, legal_basis: r, formula: "'a'"}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  EXPECT_EQ(default_group(rules), "kind");
  ASSERT_EQ(rules.change_bands(), (std::vector<Decimal>{Decimal(50), Decimal(500)}));
  ComparisonSummary summary;
  EXPECT_TRUE(summary.change_bands().empty());  // none declared: no distribution
  summary.set_change_bands(rules.change_bands());
  EXPECT_EQ(summary.change_bands(), (std::vector<std::string>{"down 500 or more", "down 50 to 499", "down less than 50",
                                                               "up less than 50", "up 50 to 499", "up 500 or more"}));
  for (const int d : {-600, -50, 0, 49, 499}) {
    summary.add("a", {DecisionChange{"fee", Decimal(1000), Decimal(1000 + d), Decimal(d), {}}});
  }
  const auto& distribution = summary.by_decision().at("fee").distribution;
  EXPECT_EQ(distribution, (std::map<std::string, long>{
                              {"down 500 or more", 1}, {"down 50 to 499", 1}, {"up less than 50", 2}, {"up 50 to 499", 1}}));
  EXPECT_THROW(summary.set_change_bands({Decimal(500), Decimal(50)}), std::invalid_argument);  // not ascending
  EXPECT_THROW(summary.set_change_bands({Decimal::parse("1.5")}), std::invalid_argument);
  // Without a report section: no group, no bands.
  testing::TempRulebook plain(std::map<std::string, std::string>{
      {"rules.yaml", "decisions:\n  fee: {type: decimal, description: d, legal_basis: r, formula: '1000'}\n"}});
  EXPECT_EQ(default_group(Rulebook::load(plain.dir())), "");
  EXPECT_TRUE(Rulebook::load(plain.dir()).change_bands().empty());
}

}  // namespace
}  // namespace kaidah

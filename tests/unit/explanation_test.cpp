#include <gtest/gtest.h>

#include "kaidah/kaidah.h"

namespace kaidah {
namespace {

const std::string kMiniJkn = std::string(KAIDAH_SOURCE_DIR) + "/examples/mini-jkn";

// jkn.md §6 + Perpres 64/2020 Pasal 34: class III, last paid 2020-09, evaluated 2021-03-15:
// Oct-Dec 2020 at 25,500 and Jan-Feb 2021 at 35,000.
class Explain : public ::testing::Test {
 protected:
  Rulebook rules_ = Rulebook::load(kMiniJkn);
  Result explain(const Case& c, Date date, std::vector<std::string> names) { return rules_.explain(c, date, names); }
};

TEST_F(Explain, RecordsEachParameterValueWithItsDateAndCitation) {
  const Result r = explain(Case().set("segment", "pbpu").set("last_month_paid", Month(2020, 9)), Date(2021, 3, 15),
                           {"arrears_amount"});
  EXPECT_EQ(r["arrears_amount"], Value(Decimal(146500)));
  const DecisionTrace* t = r.explanation().find("arrears_amount");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->legal_basis, "Perpres 82/2018 Pasal 34 and 42 as amended by Perpres 64/2020");
  ASSERT_EQ(t->parameters.size(), 2u);
  EXPECT_EQ(t->parameters[0].name, "iuran_kelas_3");
  EXPECT_EQ(t->parameters[0].value, Value(Decimal(25500)));
  EXPECT_EQ(t->parameters[0].effective_from, Date(2020, 7, 1));
  EXPECT_EQ(t->parameters[0].legal_basis, "Perpres 64/2020 Pasal 34 ayat (2)");
  EXPECT_EQ(t->parameters[0].times, 3);
  EXPECT_EQ(t->parameters[0].first_asked, Date(2020, 10, 1));
  EXPECT_EQ(t->parameters[0].last_asked, Date(2020, 12, 1));
  EXPECT_EQ(t->parameters[1].value, Value(Decimal(35000)));
  EXPECT_EQ(t->parameters[1].times, 2);
  ASSERT_EQ(t->inputs.size(), 2u);
  EXPECT_EQ(t->inputs[0].name, "last_month_paid");
  EXPECT_FALSE(t->inputs[0].defaulted);
  EXPECT_EQ(t->inputs[1].name, "kelas");
  EXPECT_TRUE(t->inputs[1].defaulted);
}

// A row's conditions must all hold; one with an 'or' of its own is bracketed in the text, or
// "a and not b or c" would read as "(a and not b) or c". The JKN rulebook's next_action for a
// spouse covered by a PPU worker (row 3: covered_as_ppu_family, and not enrolled elsewhere).
TEST(ExplainText, BracketsAConditionWithAnOrOfItsOwn) {
  const Rulebook jkn = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/rules/jkn");
  const Case spouse = Case().set("citizenship", "indonesian").set("work_status", "not_working")
                          .set("covered_as_family_of", "ppu_badan_usaha");
  const std::vector<std::string> asked = {"next_action"};
  const std::string text = jkn.explain(spouse, Date(2026, 11, 24), asked).explanation().to_text();
  EXPECT_NE(text.find("fired: when covered_as_ppu_family and (not has(enrolled_segment) or enrolled_segment == required_segment)\n"),
            std::string::npos) << text;
}

TEST_F(Explain, TableRowsAndNestedDecisions) {
  const Result r = explain(Case().set("segment", "ppu").set("wage", Decimal(3500000)).set("minimum_wage", Decimal(2000000)),
                           Date(2025, 1, 15), {"monthly_iuran"});
  // 3,500,000 x 4% = 140,000 and x 1% = 35,000.
  EXPECT_EQ(r["monthly_iuran"], Value(Decimal(175000)));
  const Explanation& x = r.explanation();
  const DecisionTrace* t = x.find("monthly_iuran");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->row, 1);
  EXPECT_EQ(t->conditions, std::vector<std::string>{"segment == 'ppu'"});
  EXPECT_EQ(t->row_legal_basis, "Perpres 82/2018 Pasal 30");
  EXPECT_EQ(t->formula, "iuran_employer + iuran_worker");
  EXPECT_EQ(t->decisions, (std::vector<std::string>{"iuran_employer", "iuran_worker"}));
  ASSERT_NE(x.find("wage_base"), nullptr);
  EXPECT_EQ(x.find("wage_base")->value, Value(Decimal(3500000)));

  const std::string text = x.to_text();
  EXPECT_NE(text.find("monthly_iuran = 175000 rupiah\n"), std::string::npos) << text;
  EXPECT_NE(text.find("table row 1 fired: when segment == 'ppu'"), std::string::npos) << text;
  EXPECT_NE(text.find("    iuran_employer = 140000 rupiah"), std::string::npos) << text;
  EXPECT_NE(text.find("parameter ppu_wage_ceiling = 12000000 rupiah, in force from 2020-01-01 (Perpres 75/2019 Pasal 32 ayat (1))"),
            std::string::npos) << text;
  // wage_base is used by both shares: explained once, then referred to.
  EXPECT_NE(text.find("(explained above)"), std::string::npos) << text;

  const std::string json = x.to_json();
  EXPECT_NE(json.find("\"monthly_iuran\": {\"value\": \"175000\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"row\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("{\"name\": \"ppu_employer_rate\", \"value\": \"0.04\", \"effective_from\": \"2014-01-01\""),
            std::string::npos) << json;
}

TEST_F(Explain, EvaluateWithoutExplanationHasNone) {
  const Result r = rules_.evaluate(Case().set("segment", "pbi"), Date(2025, 1, 1), std::vector<std::string>{"monthly_iuran"});
  EXPECT_FALSE(r.has_explanation());
  EXPECT_THROW(r.explanation(), std::logic_error);
  EXPECT_EQ(r.to_json(), "{\"monthly_iuran\": \"42000\"}");
}

}  // namespace
}  // namespace kaidah

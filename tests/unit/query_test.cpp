// Query: a request's inputs and decisions resolved once; the same values, errors and explanation
// as Rulebook::evaluate() of the same Case.

#include <gtest/gtest.h>

#include <stdexcept>

#include "kaidah/kaidah.h"
#include "support/rulebooks.h"

namespace {

using kaidah::Case;
using kaidah::Date;
using kaidah::Decimal;
using kaidah::Month;
using kaidah::Query;
using kaidah::Value;
using kaidah::testing::jkn;

// rules/jkn/tests/contributions.yaml, "PPU BU, wage above the floor" (kalkupro.com Contoh 1):
// 5% of 5,000,000 split 4% / 1%: 200,000 and 50,000.
TEST(Query, GivesTheValuesOfTheCaseWithThoseInputs) {
  const Query q(jkn(), {"citizenship", "work_status", "employer_type", "wage", "minimum_wage"},
                {"iuran_employer", "iuran_worker", "iuran_total"});
  const Value ppu[] = {"indonesian", "employee", "business_entity", Decimal(5'000'000), Decimal(2'000'000)};
  const kaidah::Result r = q.evaluate(ppu, Date(2025, 6, 15));
  ASSERT_EQ(r.values().size(), 3u);
  EXPECT_EQ(r.values()[0].first, "iuran_employer");
  EXPECT_EQ(r["iuran_employer"], Value(Decimal(200'000)));
  EXPECT_EQ(r["iuran_worker"], Value(Decimal(50'000)));
  EXPECT_EQ(r["iuran_total"], Value(Decimal(250'000)));
  EXPECT_FALSE(r.has_explanation());

  // The same query, another request: the wage above the ceiling of 12,000,000 (help.staffany.com,
  // Perpres 75/2019 Pasal 32): 4% and 1% of 12,000,000.
  const Value high[] = {"indonesian", "employee", "business_entity", Decimal(20'000'000), Decimal(2'000'000)};
  const kaidah::Result h = q.evaluate(high, Date(2025, 6, 15));
  EXPECT_EQ(h["iuran_employer"], Value(Decimal(480'000)));
  EXPECT_EQ(h["iuran_worker"], Value(Decimal(120'000)));
}

// rules/jkn/tests/arrears.yaml: class III unpaid since October 2020, on 24 November 2026:
// 3 x 25,500 + 70 x 35,000 = 2,526,500; 24 x 35,000 billed; reactivation 24 x 35,000 + 35,000.
TEST(Query, EveryDecisionWhenNoneIsNamedAsEvaluateGivesThem) {
  const Query q(jkn(), {"citizenship", "work_status", "enrolled_segment", "kelas", "last_month_paid"});
  EXPECT_EQ(q.decisions().size(), jkn().decisions().size());
  const Value person[] = {"indonesian", "self_employed", "pbpu", "kelas_3", Month(2020, 9)};
  const kaidah::Result r = q.evaluate(person, Date(2026, 11, 24));
  EXPECT_EQ(r["arrears_months"], Value(73));
  EXPECT_EQ(r["arrears_amount"], Value(Decimal(2'526'500)));
  EXPECT_EQ(r["billed_arrears_amount"], Value(Decimal(840'000)));
  EXPECT_EQ(r["reactivation_amount"], Value(Decimal(875'000)));

  Case c;
  c.set("citizenship", "indonesian").set("work_status", "self_employed").set("enrolled_segment", "pbpu");
  c.set("kelas", "kelas_3").set("last_month_paid", Month(2020, 9));
  const kaidah::Result one = jkn().evaluate(c, Date(2026, 11, 24));
  ASSERT_EQ(r.values().size(), one.values().size());
  for (std::size_t i = 0; i < one.values().size(); ++i) {
    EXPECT_EQ(r.values()[i].first, one.values()[i].first);
    EXPECT_EQ(r.values()[i].second, one.values()[i].second) << one.values()[i].first;
  }
}

TEST(Query, NoValueMeansNotGivenAndTextIsReadByTheInputsType) {
  // family not given: its default, no one (a single person pays); the month given as text, as
  // read from a CSV cell. The arrears of rules/jkn/tests/arrears.yaml's class III case, as above.
  const Query q(jkn(), {"citizenship", "work_status", "enrolled_segment", "kelas", "last_month_paid", "family"},
                {"arrears_months", "arrears_amount"});
  const Value person[] = {"indonesian", "self_employed", "pbpu", "kelas_3", "2020-09", Value()};
  const kaidah::Result r = q.evaluate(person, Date(2026, 11, 24));
  EXPECT_EQ(r["arrears_months"], Value(73));
  EXPECT_EQ(r["arrears_amount"], Value(Decimal(2'526'500)));
}

TEST(Query, ExplainsAsExplainDoes) {
  const Query q(jkn(), {"citizenship", "work_status", "employer_type", "wage", "minimum_wage"}, {"iuran_worker"});
  const Value ppu[] = {"indonesian", "employee", "business_entity", Decimal(5'000'000), Decimal(2'000'000)};
  const kaidah::Result r = q.explain(ppu, Date(2025, 6, 15));
  Case c;
  c.set("citizenship", "indonesian").set("work_status", "employee").set("employer_type", "business_entity");
  c.set("wage", Decimal(5'000'000)).set("minimum_wage", Decimal(2'000'000));
  const kaidah::Result one = jkn().explain(c, Date(2025, 6, 15), std::vector<std::string>{"iuran_worker"});
  ASSERT_TRUE(r.has_explanation());
  EXPECT_EQ(r.explanation().to_json(), one.explanation().to_json());
  EXPECT_NE(r.explanation().to_text().find("iuran_worker"), std::string::npos);
}

// "field: message" of the CaseError `f` throws, or "no error".
template <class F>
std::string case_error(F f) {
  try {
    f();
  } catch (const kaidah::CaseError& e) {
    return e.field() + ": " + e.what();
  }
  return "no error";
}

TEST(Query, NamesAreCheckedWhenPrepared) {
  const std::string unknown = case_error([] { Query(jkn(), {"citizenship", "wages"}); });
  EXPECT_EQ(unknown.substr(0, 7), "wages: ");
  EXPECT_NE(unknown.find("did you mean 'wage'?"), std::string::npos) << unknown;
  const std::string twice = case_error([] { Query(jkn(), {"wage", "wage"}); });
  EXPECT_EQ(twice.substr(0, 6), "wage: ");
  EXPECT_NE(twice.find("the input is given twice"), std::string::npos) << twice;
  EXPECT_THROW(Query(jkn(), {"wage"}, {"iuran_worker", "iuran_nobody"}), kaidah::EvaluationError);
}

TEST(Query, ABadRequestSaysWhichFieldAndWhyAsEvaluateDoes) {
  const Query q(jkn(), {"work_status", "wage", "kelas"}, {"iuran_worker"});
  const Value two[] = {"employee", Decimal(1)};
  EXPECT_THROW(q.evaluate(two, Date(2025, 6, 15)), std::invalid_argument);

  // Two values that do not fit: the one evaluate() reports too (inputs are read in name order).
  const Value bad[] = {"employee", "lots", "kelas_9"};
  Case c;
  c.set("work_status", "employee").set("wage", "lots").set("kelas", "kelas_9");
  const std::string from_query = case_error([&] { q.evaluate(bad, Date(2025, 6, 15)); });
  const std::string from_case =
      case_error([&] { jkn().evaluate(c, Date(2025, 6, 15), std::vector<std::string>{"iuran_worker"}); });
  EXPECT_EQ(from_query.substr(0, 6), "kelas:");
  EXPECT_EQ(from_query, from_case);
}

}  // namespace

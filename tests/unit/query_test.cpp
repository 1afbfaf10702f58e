// Query: a request's inputs and decisions resolved once; the same values, errors and explanation
// as Rulebook::evaluate() of the same Case.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kaidah/kaidah.h"
#include "support/people.h"
#include "support/rulebooks.h"
#include "temp_rulebook.h"

namespace {

using kaidah::Case;
using kaidah::Date;
using kaidah::Decimal;
using kaidah::Month;
using kaidah::OnError;
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

// A result as one text: its values (kind and value), its errors (with the input behind each) and
// its refused inputs, in order.
std::string describe(const kaidah::Result& r) {
  std::string out;
  for (const auto& [name, v] : r.values()) out += name + " = " + std::string(kaidah::to_string(v.kind())) + " " + v.to_string() + "\n";
  for (const auto& e : r.errors()) out += e.decision + " failed: " + e.error.what() + " [" + e.error.input() + "]\n";
  for (const auto& e : r.refused_inputs()) out += e.field() + " refused: " + e.reason() + "\n";
  return out;
}

// What `f` gives with OnError::raise: its result described, or the error it throws.
template <class F>
std::string outcome(F f) {
  try {
    return describe(f());
  } catch (const kaidah::CaseError& e) {
    return "CaseError " + e.field() + ": " + e.what();
  } catch (const kaidah::EvaluationError& e) {
    return std::string("EvaluationError ") + e.what() + " [" + e.input() + "]";
  }
}

// Issue #20 part 4: from a date's 8th request on, a Query runs the Batch's compiled form one row
// wide. Every generated person (with the bad cells and missing facts the batch equality test
// injects) gets Rulebook::evaluate()'s values, errors and refused inputs, with either OnError.
TEST(Query, TheCompiledFormGivesWhatEvaluateGivesForEveryGeneratedPerson) {
  const std::size_t rows = kaidah::testing::equality_rows() / 5;
  auto people = kaidah::testing::generated_people(jkn(), rows, true);
  const auto column = [&](std::string_view name) -> std::vector<Value>& {
    return people.columns[std::find(people.names.begin(), people.names.end(), name) - people.names.begin()];
  };
  for (std::size_t row = 0; row < rows; row += 997) column("wage")[row] = Value("abc");
  for (std::size_t row = 500; row < rows; row += 1013) column("kelas")[row] = Value("kelas_9");
  for (std::size_t row = 1; row < rows; row += 320) column("wage")[row] = Value();  // an employee's

  const Query q(jkn(), people.names);
  const Date date(2026, 11, 24);
  std::vector<Value> values(people.names.size());
  const auto read_row = [&](std::size_t row) {
    for (std::size_t k = 0; k < values.size(); ++k) values[k] = people.columns[k][row];
  };
  read_row(0);
  for (int request = 1; request < 8; ++request) q.evaluate(values, date, OnError::keep);
  EXPECT_FALSE(q.compiled(date));
  q.evaluate(values, date, OnError::keep);
  EXPECT_TRUE(q.compiled(date));

  std::size_t failed = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    read_row(row);
    Case c;
    for (std::size_t k = 0; k < values.size(); ++k) c.set(people.names[k], values[k]);
    const kaidah::Result one = jkn().evaluate(c, date, q.decisions(), OnError::keep);
    const std::string mine = describe(q.evaluate(values, date, OnError::keep));
    EXPECT_EQ(mine, describe(one)) << "row " << row;
    if (mine != describe(one)) return;
    if (row % 10 == 0) {
      EXPECT_EQ(outcome([&] { return q.evaluate(values, date); }),
                outcome([&] { return jkn().evaluate(c, date, q.decisions()); }))
          << "row " << row;
    }
    failed += !one.ok();
  }
  EXPECT_GT(failed, rows / 1000);  // the injected failures were met
}

// A decision the compiled form does not compute (plain text) is evaluated given the values it
// computed; a case that fails so is evaluated again from nothing, for evaluate()'s own errors.
// Only the 8 dates asked for last keep their compiled form.
TEST(Query, DecisionsTheCompiledFormLeavesAreEvaluatedGivenItsValues) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  a: {type: integer, minimum: 0, description: a count}
  nickname: {type: text, description: a name}
decisions:
  twice: {type: integer, description: t, legal_basis: t, formula: "a * 2"}
  label: {type: text, description: t, legal_basis: t, formula: "if twice > 4 then 'big' else nickname"}
  share: {type: decimal, description: t, legal_basis: t, formula: "round(100 / a, 2, half_up)"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  const Query q(rules, {"a"});
  const Date date(2026, 11, 24);
  const Value three[] = {Value(3)};
  for (int request = 0; request < 8; ++request) q.evaluate(three, date);
  ASSERT_TRUE(q.compiled(date));
  // 3 x 2 = 6 > 4: 'big'; 100 / 3 = 33.333... rounded half up to 2 places.
  const kaidah::Result r = q.evaluate(three, date);
  EXPECT_EQ(r["twice"], Value(6));
  EXPECT_EQ(r["label"], Value("big"));
  EXPECT_EQ(r["share"], Value(Decimal::parse("33.33")));
  // 1: the label needs the nickname, not given; 0: and 100 / 0 fails; -1: below the minimum;
  // none: a is not given.
  for (const Value& a : {Value(3), Value(1), Value(0), Value(-1), Value()}) {
    const Value given[] = {a};
    Case c;
    c.set("a", a);
    EXPECT_EQ(describe(q.evaluate(given, date, OnError::keep)), describe(rules.evaluate(c, date, {}, OnError::keep)))
        << a.to_string();
    EXPECT_EQ(outcome([&] { return q.evaluate(given, date); }), outcome([&] { return rules.evaluate(c, date); }))
        << a.to_string();
  }
  const Value one[] = {Value(1)};
  EXPECT_EQ(q.evaluate(one, date, OnError::keep).errors().at(0).error.input(), "nickname");

  for (int day = 1; day <= 8; ++day)
    for (int request = 0; request < 8; ++request) q.evaluate(three, Date(2026, 12, day));
  EXPECT_FALSE(q.compiled(date));  // the 9th date asked for: the first is forgotten
  EXPECT_TRUE(q.compiled(Date(2026, 12, 8)));
  EXPECT_EQ(q.evaluate(three, date)["share"], Value(Decimal::parse("33.33")));
}

// Threads share a Query and the compiled form it builds while they ask: every answer is still
// Rulebook::evaluate()'s (the sanitizer build runs this too).
TEST(Query, ThreadsShareTheCompiledForm) {
  const auto people = kaidah::testing::generated_people(jkn(), 320, false);
  const Query q(jkn(), people.names, {"iuran_total", "arrears_amount", "next_action"});
  const Date date(2026, 11, 24);
  std::vector<std::string> expected(320);
  for (std::size_t row = 0; row < expected.size(); ++row) {
    Case c;
    for (std::size_t k = 0; k < people.names.size(); ++k) c.set(people.names[k], people.columns[k][row]);
    expected[row] = describe(jkn().evaluate(c, date, q.decisions(), OnError::keep));
  }
  std::vector<std::size_t> wrong(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      std::vector<Value> values(people.names.size());
      for (std::size_t n = 0; n < 2 * expected.size(); ++n) {
        const std::size_t row = (n * 7 + t * 80) % expected.size();
        for (std::size_t k = 0; k < values.size(); ++k) values[k] = people.columns[k][row];
        wrong[t] += describe(q.evaluate(values, date, OnError::keep)) != expected[row];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(q.compiled(date));
  EXPECT_EQ(wrong, std::vector<std::size_t>(4, 0));
}

}  // namespace

// Batch evaluation: columns in, columns out, failed rows as data, and the same values as
// Rulebook::evaluate gives one case at a time.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "kaidah/kaidah.h"
#include "support/people.h"
#include "temp_rulebook.h"

namespace {

using kaidah::Batch;
using kaidah::BatchResult;
using kaidah::Date;
using kaidah::Decimal;
using kaidah::RowError;
using kaidah::Value;

const kaidah::Rulebook& contribution_set() {
  static const kaidah::Rulebook r = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/bench/contribution");
  return r;
}

const kaidah::Rulebook& jkn() {
  static const kaidah::Rulebook r = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  return r;
}

// bench/contribution/tests/contribution-set.yaml computes these by hand (Perpres 64/2020, 75/2019).
TEST(Batch, ComputesEachRowAndKeepsAFailedRowAsData) {
  const Batch batch(contribution_set(), {"segment", "kelas", "wage", "minimum_wage", "arrears_months", "ina_cbg_estimate"},
                    Date(2026, 11, 24), {"iuran_employer", "iuran_worker", "reactivation_amount", "denda"});
  const std::vector<std::vector<Value>> columns = {
      {"ppu", "pbpu", "ppu", "pbpu"},
      {Value(), "kelas_2", Value(), "kelas_1"},
      {Decimal(5'000'000), Value(), Decimal(-1), Value()},
      {Decimal(2'500'000), Value(), Decimal(2'500'000), Value()},
      {Value(), std::int64_t{30}, Value(), std::int64_t{14}},
      {Value(), Decimal(10'000'000), Value(), Decimal(80'000'000)}};
  const BatchResult r = batch.run(columns);
  ASSERT_EQ(r.rows(), 4u);
  EXPECT_EQ(r.decisions, (std::vector<std::string>{"iuran_employer", "iuran_worker", "reactivation_amount", "denda"}));
  // Wage 5,000,000: 4% = 200,000 and 1% = 50,000.
  EXPECT_EQ(r.columns[0][0], Value(Decimal(200'000)));
  EXPECT_EQ(r.columns[1][0], Value(Decimal(50'000)));
  // Class II, 30 months -> 24 x 100,000; penalty 5% x 10,000,000 x 12 = 6,000,000.
  EXPECT_EQ(r.columns[2][1], Value(Decimal(2'400'000)));
  EXPECT_EQ(r.columns[3][1], Value(Decimal(6'000'000)));
  // Row 2 has a negative wage: refused, with nothing computed for it; row 3 is unaffected.
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 2u);
  EXPECT_EQ(r.errors[0].kind, RowError::Kind::input);
  EXPECT_EQ(r.errors[0].field, "wage");
  EXPECT_EQ(r.errors[0].message, "-1 is below the minimum 0");
  for (const auto& column : r.columns) EXPECT_FALSE(column[2].has_value());
  // Class I, 14 months -> 14 x 150,000; 5% x 80,000,000 x 12 = 48,000,000 -> cap 30,000,000.
  EXPECT_EQ(r.columns[2][3], Value(Decimal(2'100'000)));
  EXPECT_EQ(r.columns[3][3], Value(Decimal(30'000'000)));
}

// The README's example (mini-jkn): Rp 3,500,000 where the UMK is Rp 2,000,000 -> 4% = 140,000 and
// 1% = 35,000; a PBPU participant pays no PPU shares.
TEST(Batch, ReadmeExample) {
  const kaidah::Rulebook rules = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/examples/mini-jkn");
  const kaidah::Batch batch(rules, {"segment", "wage", "minimum_wage"}, kaidah::Date(2026, 1, 15),
                            {"iuran_employer", "iuran_worker"}, {.threads = 0});
  std::vector<std::vector<kaidah::Value>> columns = {{"ppu", "pbpu"},
                                                     {kaidah::Decimal(3'500'000), kaidah::Value()},
                                                     {kaidah::Decimal(2'000'000), kaidah::Value()}};
  kaidah::BatchResult out;
  batch.run(columns, out);
  EXPECT_EQ(out.columns[0], (std::vector<Value>{Decimal(140'000), Decimal(0)}));
  EXPECT_EQ(out.columns[1], (std::vector<Value>{Decimal(35'000), Decimal(0)}));
  EXPECT_TRUE(out.errors.empty());
}

TEST(Batch, ADecisionThatFailsNamesItAndLeavesTheRowEmpty) {
  // A PPU row without a wage: wage_base cannot be computed, so iuran_employer fails.
  const Batch batch(contribution_set(), {"segment", "minimum_wage"}, Date(2026, 11, 24), {"iuran_participant", "iuran_employer"});
  const BatchResult r = batch.run({{"ppu", "pbpu"}, {Decimal(2'500'000), Value()}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 0u);
  EXPECT_EQ(r.errors[0].kind, RowError::Kind::decision);
  EXPECT_EQ(r.errors[0].field, "wage_base");
  EXPECT_NE(r.errors[0].message.find("input 'wage' has no value in this case and no default"), std::string::npos)
      << r.errors[0].message;
  EXPECT_FALSE(r.columns[0][0].has_value());  // iuran_participant was computed, then cleared
  EXPECT_EQ(r.columns[0][1], Value(Decimal(35'000)));  // class III by default: 35,000
}

TEST(Batch, RefusesColumnsThatDoNotMatch) {
  EXPECT_THROW(Batch(contribution_set(), {"segmen"}, Date(2026, 11, 24)), kaidah::CaseError);
  EXPECT_THROW(Batch(contribution_set(), {"wage", "wage"}, Date(2026, 11, 24)), kaidah::CaseError);
  EXPECT_THROW(Batch(contribution_set(), {"wage"}, Date(2026, 11, 24), {"iuran"}), kaidah::EvaluationError);
  const Batch batch(contribution_set(), {"segment", "wage"}, Date(2026, 11, 24));
  EXPECT_THROW(batch.run({{"ppu"}}), std::invalid_argument);
  EXPECT_THROW(batch.run({{"ppu"}, {}}), std::invalid_argument);
  EXPECT_EQ(batch.run({{}, {}}).rows(), 0u);
}

std::string describe(const Value& v) { return std::string(kaidah::to_string(v.kind())) + " " + v.to_string(); }

// `batch` equals Rulebook::evaluate of each row alone: values, and errors with their messages.
// Returns the number of rows that failed for an input and for a decision.
std::pair<std::size_t, std::size_t> expect_equal_one_by_one(const kaidah::Rulebook& rules, const std::vector<std::string>& names,
                                                            const std::vector<std::vector<Value>>& columns, const Date& date,
                                                            const BatchResult& batch) {
  const std::size_t rows = columns.empty() ? 0 : columns[0].size();
  EXPECT_EQ(batch.rows(), rows);
  std::size_t next_error = 0, input_errors = 0, decision_errors = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    kaidah::Case c;
    for (std::size_t k = 0; k < names.size(); ++k) c.set(names[k], columns[k][row]);
    const RowError* error = next_error < batch.errors.size() && batch.errors[next_error].row == row
                                ? &batch.errors[next_error++] : nullptr;
    try {
      const kaidah::Result one = rules.evaluate(c, date, batch.decisions);
      EXPECT_EQ(error, nullptr) << "row " << row << " failed in the batch only: " << error->message;
      if (error) return {input_errors, decision_errors};
      for (std::size_t d = 0; d < one.values().size(); ++d) {
        EXPECT_EQ(describe(batch.columns[d][row]), describe(one.values()[d].second))
            << "row " << row << ", decision " << batch.decisions[d];
        if (describe(batch.columns[d][row]) != describe(one.values()[d].second)) return {input_errors, decision_errors};
      }
    } catch (const kaidah::CaseError& e) {
      EXPECT_NE(error, nullptr) << "row " << row << " failed alone only: " << e.what();
      if (!error) return {input_errors, decision_errors};
      EXPECT_EQ(error->kind, RowError::Kind::input);
      EXPECT_EQ(error->field, e.field());
      EXPECT_EQ(error->message, e.reason());
      ++input_errors;
    } catch (const kaidah::EvaluationError& e) {
      EXPECT_NE(error, nullptr) << "row " << row << " failed alone only: " << e.what();
      if (!error) return {input_errors, decision_errors};
      EXPECT_EQ(error->kind, RowError::Kind::decision);
      EXPECT_EQ(error->field, e.decision());
      EXPECT_EQ(error->message, e.what());
      ++decision_errors;
    }
  }
  EXPECT_EQ(next_error, batch.errors.size());
  return {input_errors, decision_errors};
}

// Every decision of the JKN rulebook for `rows` generated people, in one batch with `threads`,
// equals Rulebook::evaluate of each person alone - values, and errors with their messages.
void expect_batch_equals_one_by_one(std::size_t rows, unsigned threads) {
  auto people = kaidah::testing::generated_people(jkn(), rows, true);
  // Some rows that must fail, in three ways: a wage that is not a number, a class that does not
  // exist, and a PPU worker whose wage is missing (a decision fails, not the input).
  std::size_t wage_col = 0, kelas_col = 0;
  for (std::size_t c = 0; c < people.names.size(); ++c) {
    if (people.names[c] == "wage") wage_col = c;
    if (people.names[c] == "kelas") kelas_col = c;
  }
  for (std::size_t row = 0; row < rows; row += 997) people.columns[wage_col][row] = Value("abc");
  for (std::size_t row = 500; row < rows; row += 1013) people.columns[kelas_col][row] = Value("kelas_9");
  for (std::size_t row = 1; row < rows; row += 320) people.columns[wage_col][row] = Value();  // an employee

  const Date date(2026, 11, 24);
  const Batch batch(jkn(), people.names, date, {}, {threads});
  // Some decisions are computed column by column, the arrears (lists of months) row by row: both
  // paths, and their meeting, are compared here.
  const auto columnar = batch.columnar_decisions();
  for (const char* name : {"contribution_segment", "iuran_employer", "iuran_worker", "wage_base", "class_rate",
                           "denda_payer", "newborn_registration_deadline", "must_enroll", "denda"})
    EXPECT_NE(std::find(columnar.begin(), columnar.end(), name), columnar.end()) << name;
  EXPECT_EQ(std::find(columnar.begin(), columnar.end(), "arrears_amount"), columnar.end());
  const auto [input_errors, decision_errors] =
      expect_equal_one_by_one(jkn(), people.names, people.columns, date, batch.run(people.columns));
  EXPECT_GT(input_errors, rows / 1000);  // the injected bad cells were met
  EXPECT_GT(decision_errors, rows / 1000);
}

// The columnar form keeps the Evaluator's meaning where it is easiest to lose: an error counts
// only on the branch taken, 'and'/'or' stop early, a table with no matching row fails, integer
// arithmetic overflows where decimal would not, at() reads the value in force each month. Every
// row is compared with one-by-one evaluation, and some values are worked out by hand.
TEST(Batch, ColumnarFormKeepsTheEvaluatorsMeaning) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  seg: {type: enum, values: [p, q, r], description: a segment}
  a: {type: integer, description: a count}
  x: {type: decimal, description: an amount}
  y: {type: decimal, description: another amount, default: 0}
  flag: {type: bool, description: a flag, default: false}
  on: {type: date, description: a day}
  m: {type: month, description: a month}
parameters:
  rate:
    type: decimal
    description: a rate
    history:
      - {effective_from: 2020-01-01, value: 0.04, legal_basis: Reg 1}
      - {effective_from: 2025-01-01, value: 0.05, legal_basis: Reg 2}
  mode:
    type: enum
    values: [half_up, half_even]
    description: how amounts are rounded
    history:
      - {effective_from: 2020-01-01, value: half_even, legal_basis: Reg 1}
decisions:
  guarded: {type: decimal, description: t, legal_basis: t, formula: "if seg == 'p' then x * rate else 0"}
  shortcut: {type: bool, description: t, legal_basis: t, formula: "seg == 'q' or x > 10"}
  both: {type: bool, description: t, legal_basis: t, formula: "seg == 'p' and x > 10"}
  picked:
    type: integer
    description: t
    legal_basis: t
    table:
      - {when: "seg == 'p'", then: 1}
      - {when: [seg == 'q', flag], then: 2}
  mixed: {type: decimal, description: t, legal_basis: t, formula: "(if flag then a else 0.5) * a"}
  dated: {type: decimal, description: t, legal_basis: t, formula: "at(rate, m)"}
  given: {type: bool, description: t, legal_basis: t, formula: "has(a)"}
  divided: {type: decimal, description: t, legal_basis: t, formula: "round(y / a, 2, mode)"}
  age: {type: integer, description: t, legal_basis: t, formula: "age_on(on, evaluation_date)"}
  which: {type: bool, description: t, legal_basis: t, formula: "seg in ['p', 'r']"}
  clamped: {type: decimal, description: t, legal_basis: t, formula: "clamp(y, 10, x)"}
  later: {type: month, description: t, legal_basis: t, formula: "add_months(m, a)"}
  chosen:
    type: enum
    values: [low, high]
    optional: true
    description: t
    legal_basis: t
    table:
      - {when: "seg == 'p'", then: "'low'"}
      - {when: "seg == 'q'", then: "'high'"}
      - {then: none}
  chosen_or_not: {type: bool, description: t, legal_basis: t, formula: "if has(chosen) then chosen == 'high' else false"}
  deadline: {type: date, optional: true, description: t, legal_basis: t, formula: "if flag then add_days(on, 45) else none"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  const std::vector<std::string> names = {"seg", "a", "x", "y", "flag", "on", "m"};
  const Date date(2026, 11, 24);
  const Batch batch(rules, names, date, {}, {1});
  // Every decision here is in the scalar part of the language: none goes the slow way.
  EXPECT_EQ(batch.columnar_decisions(), batch.decisions());

  // Each row is one case; the first rows are worked out by hand below, the rest vary every input.
  std::vector<std::vector<Value>> columns(names.size());
  auto add = [&](Value seg, Value a, Value x, Value y, Value flag, Value on, Value m) {
    for (auto [k, v] : {std::pair{0, seg}, {1, a}, {2, x}, {3, y}, {4, flag}, {5, on}, {6, m}}) columns[k].push_back(v);
  };
  add("p", 4, Decimal(1000), Decimal(7), Value(), Date(2000, 2, 29), kaidah::Month(2024, 6));
  add("q", 3, Value(), Value(), true, Date(2000, 2, 29), kaidah::Month(2025, 1));
  add("p", std::int64_t{3'037'000'500}, Decimal(5), Decimal(1), true, Date(2000, 2, 29), kaidah::Month(2025, 1));
  const Value segs[] = {"p", "q", "r"};
  const Value as[] = {Value(), 0, 2, -5, std::int64_t{3'037'000'500}};
  const Value xs[] = {Value(), Decimal(5), Decimal::parse("10.5"), Decimal(-3)};
  const Value ys[] = {Value(), Decimal::parse("0.125"), Decimal(20)};
  const Value flags[] = {Value(), true, false};
  const Value ms[] = {kaidah::Month(2019, 12), kaidah::Month(2024, 12), kaidah::Month(2025, 1)};
  for (const Value& seg : segs)
    for (const Value& a : as)
      for (const Value& x : xs)
        for (const Value& y : ys)
          for (const Value& flag : flags)
            for (const Value& m : ms) add(seg, a, x, y, flag, Date(1990, 3, 1), m);

  const BatchResult out = batch.run(columns);
  const auto [input_errors, decision_errors] = expect_equal_one_by_one(rules, names, columns, date, out);
  EXPECT_EQ(input_errors, 0u);
  EXPECT_GT(decision_errors, 100u);
  auto at = [&](const char* decision, std::size_t row) {
    const auto d = std::find(out.decisions.begin(), out.decisions.end(), decision) - out.decisions.begin();
    return out.columns[d][row];
  };
  // Row 0: 1000 x 5% (the rate in force on the evaluation date) = 50; June 2024 had 4%;
  // 7 / 4 = 1.75; born 29 Feb 2000, 26 on 24 Nov 2026; clamp(7, 10, 1000) = 10; 2024-06 + 4 = 2024-10.
  EXPECT_EQ(at("guarded", 0), Value(Decimal(50)));
  EXPECT_EQ(at("dated", 0), Value(Decimal::parse("0.04")));
  EXPECT_EQ(at("divided", 0), Value(Decimal::parse("1.75")));
  EXPECT_EQ(at("age", 0), Value(26));
  EXPECT_EQ(at("clamped", 0), Value(Decimal(10)));
  EXPECT_EQ(at("later", 0), Value(kaidah::Month(2024, 10)));
  EXPECT_EQ(at("picked", 0), Value(1));
  EXPECT_EQ(at("chosen", 0), Value("low"));
  EXPECT_EQ(at("chosen_or_not", 0), Value(false));
  EXPECT_EQ(at("deadline", 0), Value());  // no flag: none, an optional decision's value
  // Segment r, flag: chosen is none, so chosen_or_not is false; 1 March 1990 + 45 days = 15 April.
  const Batch optional(rules, {"seg", "flag", "on"}, date, {"chosen", "chosen_or_not", "deadline"}, {1});
  EXPECT_EQ(optional.columnar_decisions(), optional.decisions());
  const BatchResult r = optional.run({{"r", "q"}, {true, true}, {Date(1990, 3, 1), Date(1990, 3, 1)}});
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.columns[0], (std::vector<Value>{Value(), "high"}));
  EXPECT_EQ(r.columns[1], (std::vector<Value>{false, true}));
  EXPECT_EQ(r.columns[2], (std::vector<Value>{Date(1990, 4, 15), Date(1990, 4, 15)}));
  // Row 1 has no x: 'guarded' takes the else branch (0) and 'shortcut' stops at seg == 'q', but
  // 'clamped' needs x, so the row fails there and is kept as an error with nothing written.
  ASSERT_FALSE(out.errors.empty());
  EXPECT_EQ(out.errors[0].row, 1u);
  EXPECT_EQ(out.errors[0].field, "clamped");
  // Row 2: flag, so a x a in 64-bit integers: 3,037,000,500^2 > 2^63 - 1 overflows (as decimals
  // it would not); the row fails on 'mixed', as it does alone.
  ASSERT_GE(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[1].row, 2u);
  EXPECT_EQ(out.errors[1].field, "mixed");
  EXPECT_NE(out.errors[1].message.find("integer overflow"), std::string::npos) << out.errors[1].message;
}

// 100,000 by default; the sanitizer build runs fewer (KAIDAH_EQUALITY_ROWS), as it is 20x slower.
std::size_t equality_rows() {
  const char* rows = std::getenv("KAIDAH_EQUALITY_ROWS");
  return rows ? std::stoul(rows) : 100'000;
}

TEST(Batch, EqualsOneByOneOnGeneratedPeopleWithOneThread) { expect_batch_equals_one_by_one(equality_rows(), 1); }
TEST(Batch, EqualsOneByOneOnGeneratedPeopleWithAllThreads) { expect_batch_equals_one_by_one(equality_rows(), 0); }

}  // namespace

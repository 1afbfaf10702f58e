// Batch evaluation: columns in, columns out, failed rows as data, and the same values as
// Rulebook::evaluate gives one case at a time.

#include <gtest/gtest.h>

#include <cstdlib>

#include "kaidah/kaidah.h"
#include "support/people.h"

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
  const BatchResult batch = Batch(jkn(), people.names, date, {}, {threads}).run(people.columns);
  ASSERT_EQ(batch.rows(), rows);
  std::size_t next_error = 0, input_errors = 0, decision_errors = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    kaidah::Case c;
    for (std::size_t k = 0; k < people.names.size(); ++k) c.set(people.names[k], people.columns[k][row]);
    const RowError* error = next_error < batch.errors.size() && batch.errors[next_error].row == row
                                ? &batch.errors[next_error++] : nullptr;
    try {
      const kaidah::Result one = jkn().evaluate(c, date);
      ASSERT_EQ(error, nullptr) << "row " << row << " failed in the batch only: " << error->message;
      for (std::size_t d = 0; d < one.values().size(); ++d) {
        ASSERT_EQ(describe(batch.columns[d][row]), describe(one.values()[d].second))
            << "row " << row << ", decision " << batch.decisions[d];
      }
    } catch (const kaidah::CaseError& e) {
      ASSERT_NE(error, nullptr) << "row " << row << " failed alone only: " << e.what();
      EXPECT_EQ(error->kind, RowError::Kind::input);
      EXPECT_EQ(error->field, e.field());
      EXPECT_EQ(error->message, e.reason());
      ++input_errors;
    } catch (const kaidah::EvaluationError& e) {
      ASSERT_NE(error, nullptr) << "row " << row << " failed alone only: " << e.what();
      EXPECT_EQ(error->kind, RowError::Kind::decision);
      EXPECT_EQ(error->field, e.decision());
      EXPECT_EQ(error->message, e.what());
      ++decision_errors;
    }
  }
  EXPECT_EQ(next_error, batch.errors.size());
  EXPECT_GT(input_errors, rows / 1000);  // the injected bad cells were met
  EXPECT_GT(decision_errors, rows / 1000);
}

// 100,000 by default; the sanitizer build runs fewer (KAIDAH_EQUALITY_ROWS), as it is 20x slower.
std::size_t equality_rows() {
  const char* rows = std::getenv("KAIDAH_EQUALITY_ROWS");
  return rows ? std::stoul(rows) : 100'000;
}

TEST(Batch, EqualsOneByOneOnGeneratedPeopleWithOneThread) { expect_batch_equals_one_by_one(equality_rows(), 1); }
TEST(Batch, EqualsOneByOneOnGeneratedPeopleWithAllThreads) { expect_batch_equals_one_by_one(equality_rows(), 0); }

}  // namespace

// Typed input columns (issue #20 part 1): a batch reads machine values in place (NumPy's and
// Arrow's layouts) and gives what the same cells as Values give, refusals and their reasons
// included.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kaidah/kaidah.h"
#include "support/people.h"
#include "support/rulebooks.h"
#include "support/text_columns.h"
#include "support/typed_copy.h"
#include "temp_rulebook.h"

namespace {

using kaidah::Batch;
using kaidah::BatchColumn;
using kaidah::BatchResult;
using kaidah::Date;
using kaidah::Decimal;
using kaidah::Month;
using kaidah::RowError;
using kaidah::TypedColumn;
using kaidah::Value;
using kaidah::testing::jkn;

std::string describe(const Value& v) { return std::string(kaidah::to_string(v.kind())) + " " + v.to_string(); }

// Every cell and every error of two results, as text: equal when the results are.
std::string describe(const BatchResult& r) {
  std::string out;
  for (std::size_t d = 0; d < r.columns.size(); ++d)
    for (std::size_t row = 0; row < r.columns[d].size(); ++row) out += r.decisions[d] + "[" + std::to_string(row) + "] " + describe(r.columns[d][row]) + "\n";
  for (const RowError& e : r.errors) {
    out += std::to_string(e.row) + (e.kind == RowError::Kind::input ? " input " : " decision ") + e.field + ": " + e.message +
           " [" + e.input + "] (";
    for (std::size_t c : e.columns) out += std::to_string(c) + " ";
    out += ")\n";
  }
  return out;
}

// bench/contribution/tests/contribution-set.yaml's cases, as Batch.ComputesEachRowAndKeepsAFailedRowAsData
// has them in Values: money as cents (scale 2), the enums as codes of a categorical whose
// categories include one the rulebook does not know.
TEST(TypedColumns, ReadInPlaceGiveTheValuesOfTheSameCells) {
  const kaidah::Rulebook rules = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/bench/contribution");
  const std::vector<std::string> inputs = {"segment", "kelas", "wage", "minimum_wage", "arrears_months", "ina_cbg_estimate"};
  const Batch batch(rules, inputs, Date(2026, 11, 24), {"iuran_employer", "iuran_worker", "reactivation_amount", "denda"});
  const std::vector<std::int64_t> segment = {0, 1, 0, 1, 1}, kelas = {-1, 1, -1, 3, 2};
  const std::vector<std::int64_t> wage = {500'000'000, 0, -100, 0, 0}, minimum = {250'000'000, 0, 250'000'000, 0, 0};
  const std::vector<std::uint8_t> no_wage = {0, 1, 0, 1, 1};
  const std::vector<std::int64_t> months = {0, 30, 0, 14, 2};
  const std::vector<std::uint8_t> no_months = {1, 0, 1, 0, 0};
  const std::vector<std::int64_t> cbg = {0, 10'000'000, 0, 80'000'000, 0};
  const std::vector<std::uint8_t> no_cbg = {1, 0, 1, 0, 1};
  const TypedColumn typed[] = {
      {TypedColumn::Type::code, segment.data(), nullptr, 5, 0, {"ppu", "pbpu"}},
      {TypedColumn::Type::code, kelas.data(), nullptr, 5, 0, {"kelas_1", "kelas_2", "kelas_9", "kelas_1"}},
      {TypedColumn::Type::decimal, wage.data(), no_wage.data(), 5, 2, {}},
      {TypedColumn::Type::decimal, minimum.data(), no_wage.data(), 5, 2, {}},
      {TypedColumn::Type::integer, months.data(), no_months.data(), 5, 0, {}},
      {TypedColumn::Type::integer, cbg.data(), no_cbg.data(), 5, 0, {}},  // an integer for a decimal input
  };
  const std::vector<BatchColumn> columns(std::begin(typed), std::end(typed));
  BatchResult r;
  batch.run(columns, {}, r);
  // Wage 5,000,000: 4% = 200,000 and 1% = 50,000 (Perpres 64/2020 Pasal 30).
  EXPECT_EQ(r.columns[0][0], Value(Decimal(200'000)));
  EXPECT_EQ(r.columns[1][0], Value(Decimal(50'000)));
  // Class II, 30 months -> 24 x 100,000; penalty 5% x 10,000,000 x 12 = 6,000,000.
  EXPECT_EQ(r.columns[2][1], Value(Decimal(2'400'000)));
  EXPECT_EQ(r.columns[3][1], Value(Decimal(6'000'000)));
  // Class I, 14 months -> 14 x 150,000; 5% x 80,000,000 x 12 = 48,000,000 -> cap 30,000,000.
  EXPECT_EQ(r.columns[2][3], Value(Decimal(2'100'000)));
  EXPECT_EQ(r.columns[3][3], Value(Decimal(30'000'000)));
  // Row 2: -1.00 is below the minimum wage of 0; row 4: 'kelas_9' is no class.
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].row, 2u);
  EXPECT_EQ(r.errors[0].field, "wage");
  EXPECT_EQ(r.errors[0].message, "-1 is below the minimum 0");
  EXPECT_EQ(r.errors[1].row, 4u);
  EXPECT_EQ(r.errors[1].field, "kelas");
  EXPECT_NE(r.errors[1].message.find("kelas_9"), std::string::npos) << r.errors[1].message;

  // The same cells as Values: the same result, cell for cell and error for error.
  const std::vector<std::vector<Value>> values = {
      {"ppu", "pbpu", "ppu", "pbpu", "pbpu"},
      {Value(), "kelas_2", Value(), "kelas_1", "kelas_9"},
      {Decimal(5'000'000), Value(), Decimal(-1), Value(), Value()},
      {Decimal(2'500'000), Value(), Decimal(2'500'000), Value(), Value()},
      {Value(), std::int64_t{30}, Value(), std::int64_t{14}, std::int64_t{2}},
      {Value(), std::int64_t{10'000'000}, Value(), std::int64_t{80'000'000}, Value()}};
  EXPECT_EQ(describe(r), describe(batch.run(values)));
}

// A typed number is taken in place when it is within its input's bounds, which are whole units
// at the input's places (the minimum's ceiling, the maximum's floor): a bound with more places
// than 4 (0.00005: the least 4-place value within is 0.0001) and bounds past 64 bits there (a
// maximum of 10^20 bounds nothing; a minimum of 10^20 leaves nothing within) refuse exactly the
// values the Values refuse, with the same messages.
TEST(TypedColumns, BoundsPastTheLanesPlacesOrBitsRefuseWhatTheValuesRefuse) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  a: {type: decimal, minimum: 0.00005, maximum: 100000000000000000000, description: a}
  b: {type: decimal, minimum: 100000000000000000000, description: b, default: 100000000000000000000}
  c: {type: integer, minimum: -2.5, maximum: 7.5, description: c, default: 0}
decisions:
  twice_a: {type: decimal, description: t, legal_basis: t, formula: "a * 2"}
  b_is_big: {type: bool, description: t, legal_basis: t, formula: "b > 1"}
  c_plus: {type: integer, description: t, legal_basis: t, formula: "c + 1"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  const Batch batch(rules, {"a", "b", "c"}, Date(2026, 11, 24));
  // a: 0 (below 0.00005), 0.0001 (the least within), 922,337,203,685,477.5807 (the most at 4
  // places), -0.0001; b: 5 (below 10^20; row 1 refuses only it) or missing (the default); c: -3,
  // -2, 7, 8.
  const std::vector<std::int64_t> a = {0, 1, INT64_MAX, -1}, b = {5, 5, 0, 0}, c = {-3, -2, 7, 8};
  const std::vector<std::uint8_t> no_b = {0, 0, 1, 1};
  const TypedColumn typed[] = {{TypedColumn::Type::decimal, a.data(), nullptr, 4, 4, {}},
                               {TypedColumn::Type::decimal, b.data(), no_b.data(), 4, 0, {}},
                               {TypedColumn::Type::integer, c.data(), nullptr, 4, 0, {}}};
  const std::vector<BatchColumn> columns(std::begin(typed), std::end(typed));
  BatchResult r;
  batch.run(columns, {}, r);
  EXPECT_EQ(r.columns[0][1], Value(Decimal::parse("0.0002")));
  EXPECT_EQ(r.columns[0][2], Value(Decimal::parse("1844674407370955.1614")));  // 2 x (2^63 - 1) units
  EXPECT_EQ(r.columns[2][1], Value(std::int64_t{-1}));
  EXPECT_EQ(r.columns[2][2], Value(std::int64_t{8}));
  std::set<std::pair<std::size_t, std::string>> refused;
  for (const RowError& e : r.errors)
    if (e.kind == RowError::Kind::input) refused.insert({e.row, e.field});
  const std::set<std::pair<std::size_t, std::string>> want = {{0, "a"}, {3, "a"}, {0, "b"}, {1, "b"}, {0, "c"}, {3, "c"}};
  EXPECT_EQ(refused, want);
  const std::vector<std::vector<Value>> values = {
      {Decimal(0), Decimal::parse("0.0001"), Decimal::parse("922337203685477.5807"), Decimal::parse("-0.0001")},
      {Decimal(5), Decimal(5), Value(), Value()},
      {std::int64_t{-3}, std::int64_t{-2}, std::int64_t{7}, std::int64_t{8}}};
  EXPECT_EQ(describe(r), describe(batch.run(values)));
}

// Dates and months as NumPy's datetime64[D] and pandas' Period[M] ordinals, bools as bytes; a
// date outside the years kaidah reads is a refused cell, and a malformed column is refused whole.
TEST(TypedColumns, DatesMonthsAndBoolsAsNumbers) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  born: {type: date, description: a birth date}
  paid: {type: month, description: the last month paid}
  member: {type: bool, description: a member, default: false}
decisions:
  age: {type: integer, description: t, legal_basis: t, formula: "age_on(born, evaluation_date)"}
  unpaid: {type: integer, description: t, legal_basis: t, formula: "months_between(paid, month(evaluation_date))"}
  counted: {type: bool, description: t, legal_basis: t, formula: "member and age >= 18"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  const Batch batch(rules, {"born", "paid", "member"}, Date(2026, 11, 24));
  // 2000-01-01 is day 10,957 after 1970-01-01 (30 years, 8 of them leap); 2010-06-15 is 14,775.
  // 2026-08 is month 56 x 12 + 7 = 679 after January 1970.
  const std::vector<std::int64_t> born = {10'957, 14'775, 3'000'000, 0}, paid = {679, 679, 0, 678};
  const std::vector<std::uint8_t> member = {1, 1, 1, 0}, no_born = {0, 0, 0, 1};
  const TypedColumn typed[] = {{TypedColumn::Type::date, born.data(), no_born.data(), 4, 0, {}},
                               {TypedColumn::Type::month, paid.data(), nullptr, 4, 0, {}},
                               {TypedColumn::Type::boolean, member.data(), nullptr, 4, 0, {}}};
  const std::vector<BatchColumn> columns(std::begin(typed), std::end(typed));
  BatchResult r;
  batch.run(columns, {}, r);
  EXPECT_EQ(r.columns[0][0], Value(26));  // born 2000-01-01, on 2026-11-24
  EXPECT_EQ(r.columns[0][1], Value(16));  // born 2010-06-15
  EXPECT_EQ(r.columns[1][0], Value(3));   // 2026-08 to 2026-11
  EXPECT_EQ(r.columns[1][2], Value(682)); // January 1970 to November 2026
  EXPECT_EQ(r.columns[2][0], Value(true));
  EXPECT_EQ(r.columns[2][1], Value(false));
  EXPECT_FALSE(r.columns[0][3].has_value());  // not born: no age
  // Day 3,000,000 after 1970 is in the year 10183.
  ASSERT_GE(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].row, 2u);
  EXPECT_EQ(r.errors[0].kind, RowError::Kind::input);
  EXPECT_EQ(r.errors[0].field, "born");
  EXPECT_EQ(r.errors[0].message, "day 3000000 after 1970-01-01 is outside the dates kaidah reads (1400-01-01 to 9999-12-31)");
  EXPECT_EQ(r.errors[1].row, 3u);  // born not given

  const std::vector<std::vector<Value>> values = {{Date(2000, 1, 1), Date(2010, 6, 15), Value(), Value()},
                                                  {Month(2026, 8), Month(2026, 8), Month(1970, 1), Month(2026, 7)},
                                                  {true, true, true, false}};
  BatchResult v;
  batch.run(values, std::vector<kaidah::RefusedCell>{{2, 0, r.errors[0].message}}, v);
  EXPECT_EQ(describe(r), describe(v));

  // A code outside its codes, a scale past 12 digits, no data: the column is refused whole.
  const std::vector<std::int64_t> codes = {0, 5, 0, 0};
  const TypedColumn bad_code{TypedColumn::Type::code, codes.data(), nullptr, 4, 0, {"a"}};
  const TypedColumn bad_scale{TypedColumn::Type::decimal, codes.data(), nullptr, 4, 13, {}};
  const TypedColumn no_data{TypedColumn::Type::integer, nullptr, nullptr, 4, 0, {}};
  for (const TypedColumn* bad : {&bad_code, &bad_scale, &no_data}) {
    const std::vector<BatchColumn> with_bad = {*bad, typed[1], typed[2]};
    EXPECT_THROW(batch.run(with_bad, {}, r), std::invalid_argument);
  }
  try {
    const std::vector<BatchColumn> with_bad = {bad_code, typed[1], typed[2]};
    batch.run(with_bad, {}, r);
    ADD_FAILURE() << "a code outside its codes was read";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "batch: typed column 'born': row 1 has code 5, outside its 1 codes");
  }
}

// Generated JKN people with every column that holds one type typed (money as cents, enums as
// codes, months, dates, bools, integers; lists of months and of dates as offsets and items: see
// make_typed(); the family, a list of records, stays Values), wrong values injected in both
// forms: the typed batch equals the batch of Values, cell for cell and error for error.
TEST(TypedColumns, EqualTheValuesOnGeneratedPeople) {
  const std::size_t rows = kaidah::testing::equality_rows() / 5;
  auto people = kaidah::testing::generated_people(jkn(), rows, true);
  kaidah::testing::add_list_inputs(people);
  const auto index = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(people.names.begin(), people.names.end(), name) - people.names.begin());
  };
  for (std::size_t row = 0; row < rows; row += 997) people.columns[index("wage")][row] = Value(Decimal(-1));
  for (std::size_t row = 500; row < rows; row += 1013) people.columns[index("kelas")][row] = Value("kelas_9");
  for (std::size_t row = 1; row < rows; row += 320) people.columns[index("wage")][row] = Value();

  kaidah::testing::TypedCopy copy;  // money as cents
  kaidah::testing::make_typed(people.columns, copy, 2);
  std::set<std::string> typed_names;
  for (std::size_t c = 0; c < people.names.size(); ++c)
    if (copy.is_typed(c)) typed_names.insert(people.names[c]);
  const std::vector<BatchColumn>& columns = copy.columns;
  // Money, classes, segments, months and bools among them: the fast path is what is compared.
  for (const char* name : {"wage", "minimum_wage", "kelas", "work_status", "last_month_paid", "kopdes_merah_putih",
                           "months_unpaid", "public_holidays"})
    EXPECT_TRUE(typed_names.count(name)) << name;

  const Batch batch(jkn(), people.names, Date(2026, 11, 24), {}, {2});
  BatchResult from_typed;
  batch.run(columns, {}, from_typed);
  const BatchResult from_values = batch.run(people.columns);
  EXPECT_GT(from_values.errors.size(), rows / 500);  // the injected failures were met
  EXPECT_EQ(from_typed.rows_evaluated_alone, from_values.rows_evaluated_alone);
  const std::string a = describe(from_typed), b = describe(from_values);
  EXPECT_TRUE(a == b) << "the typed batch differs from the batch of Values";
}

// Text columns (a CSV roster's cells, as kaidah sweep gives them): each cell read as the Value of
// its text is, the bad ones refused with the same reasons.
TEST(TypedColumns, TextColumnsAreReadAsTheirTextsAsValues) {
  const std::size_t rows = kaidah::testing::equality_rows() / 5;
  const auto people = kaidah::testing::generated_people(jkn(), rows, true);
  const auto index = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(people.names.begin(), people.names.end(), name) - people.names.begin());
  };
  std::vector<std::vector<std::string>> texts(people.names.size());
  for (std::size_t c = 0; c < people.names.size(); ++c)
    for (const Value& v : people.columns[c]) texts[c].push_back(v.has_value() ? v.to_string() : "");
  // Texts that do not parse, or parse to a value the input refuses, or name no enum value.
  const std::pair<const char*, const char*> bad[] = {
      {"wage", "3.800.000"}, {"wage", "-1"},     {"kelas", "kelas_9"},   {"last_month_paid", "2026-13"},
      {"kopdes_merah_putih", "ya"}, {"dtsen_decile", "1.5"}, {"family", "[{relation: cousin}]"}, {"segment_changed_on", "2026-02-30"}};
  std::size_t k = 0;
  for (std::size_t row = 7; row < rows; row += 331, ++k) texts[index(bad[k % std::size(bad)].first)][row] = bad[k % std::size(bad)].second;

  const kaidah::testing::TextColumns cells(texts);
  const Batch batch(jkn(), people.names, Date(2026, 11, 24), {"iuran_total", "iuran_employer", "arrears_amount", "next_action"}, {2});
  BatchResult from_text;
  batch.run(cells.columns, {}, from_text);
  const BatchResult from_values = batch.run(cells.values);
  // Row 0, a cooperative's employee earning 3,800,000: 5% of it, 4% paid by the employer
  // (Perpres 64/2020 art. 30): 190,000 and 152,000.
  EXPECT_EQ(from_text.columns[0][0], Value(Decimal(190000)));
  EXPECT_EQ(from_text.columns[1][0], Value(Decimal(152000)));
  EXPECT_GT(from_values.errors.size(), rows / 400);  // the bad texts were met
  EXPECT_EQ(from_text.rows_evaluated_alone, from_values.rows_evaluated_alone);
  EXPECT_TRUE(describe(from_text) == describe(from_values)) << "the text columns differ from their texts as Values";
}

// Typed results (BatchOptions::typed_results): every JKN decision of generated people, on 1 and
// 2 threads, holds the batch's Values cell for cell, with the same errors.
TEST(TypedColumns, TypedResultsHoldTheValuesOfEveryDecision) {
  const std::size_t rows = kaidah::testing::equality_rows() / 10;
  auto people = kaidah::testing::generated_people(jkn(), rows, true);
  kaidah::testing::add_list_inputs(people);
  const auto wage = static_cast<std::size_t>(std::find(people.names.begin(), people.names.end(), "wage") - people.names.begin());
  for (std::size_t row = 0; row < rows; row += 997) people.columns[wage][row] = Value("abc");
  for (std::size_t row = 1; row < rows; row += 320) people.columns[wage][row] = Value();
  const Date date(2026, 11, 24);
  const BatchResult values = Batch(jkn(), people.names, date).run(people.columns);
  for (unsigned threads : {1u, 2u}) {
    const BatchResult typed = Batch(jkn(), people.names, date, {}, {.threads = threads, .typed_results = true}).run(people.columns);
    EXPECT_TRUE(typed.columns.empty());
    ASSERT_EQ(typed.typed.size(), values.columns.size());
    EXPECT_EQ(typed.rows(), rows);
    std::size_t typed_columns = 0;
    for (std::size_t d = 0; d < typed.typed.size(); ++d) {
      const kaidah::ResultColumn& c = typed.typed[d];
      typed_columns += c.type.has_value();
      std::size_t differ = 0, texts_differ = 0;
      for (std::size_t row = 0; row < rows; ++row) {
        differ += describe(c.value(row)) != describe(values.columns[d][row]);
        std::string text;  // what people.csv writes: the Value's own text, none where missing
        c.append_text(row, text);
        texts_differ += text != (values.columns[d][row].has_value() ? values.columns[d][row].to_string() : "");
      }
      EXPECT_EQ(differ, 0u) << typed.decisions[d] << ", " << threads << " threads";
      EXPECT_EQ(texts_differ, 0u) << typed.decisions[d] << ", " << threads << " threads";
      if (c.type == TypedColumn::Type::decimal) {
        EXPECT_TRUE(c.wide.empty()) << typed.decisions[d];  // rupiah fit 64 bits
      }
    }
    EXPECT_GT(typed_columns, typed.typed.size() / 2);
    std::string a, b;
    for (const RowError& e : typed.errors) a += std::to_string(e.row) + e.field + e.message + "\n";
    for (const RowError& e : values.errors) b += std::to_string(e.row) + e.field + e.message + "\n";
    EXPECT_EQ(a, b);
  }
}

// A cell's text with no Value made: the shortest exact decimal whatever the column's scale, as
// Decimal::to_string writes it.
TEST(TypedColumns, AResultCellsTextIsTheValuesText) {
  kaidah::ResultColumn money;
  money.type = TypedColumn::Type::decimal;
  money.scale = 2;
  money.numbers = {-5, 5, 120, 0, 19000000, INT64_MIN, -100};
  money.missing = {0, 0, 0, 0, 0, 0, 0};
  const char* expected[] = {"-0.05", "0.05", "1.2", "0", "190000", "-92233720368547758.08", "-1"};
  for (std::size_t i = 0; i < money.rows(); ++i) {
    std::string text = "x";  // appended to what is there
    money.append_text(i, text);
    EXPECT_EQ(text, std::string("x") + expected[i]);
    EXPECT_EQ(text.substr(1), money.value(i).to_string());
  }
  kaidah::ResultColumn segment;
  segment.type = TypedColumn::Type::code;
  segment.codes = {"pbi", "ppu_badan_usaha"};
  segment.numbers = {1, 0};
  segment.missing = {0, 1};
  std::string text;
  segment.append_text(0, text);
  segment.append_text(1, text);  // missing: nothing
  EXPECT_EQ(text, "ppu_badan_usaha");
}

// A decimal column at the fewest digits that hold it, joined across threads; 128-bit raw values
// when 64 bits cannot hold it at one scale; enums as codes, dates as days, lists as offsets and items.
TEST(TypedColumns, TypedResultsNarrowDecimalsAndKeepCodesDatesAndLists) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  x: {type: decimal, description: an amount}
  n: {type: integer, description: a count}
decisions:
  same: {type: decimal, description: t, legal_basis: t, formula: "x"}
  big: {type: decimal, description: t, legal_basis: t, formula: "x * 10000000000000000"}
  size: {type: enum, values: [small, large], description: t, legal_basis: t, formula: "if x > 100 then 'large' else 'small'"}
  due: {type: date, description: t, legal_basis: t, formula: "add_days(evaluation_date, n)"}
  ns: {type: list of integer, description: t, legal_basis: t, formula: "[n, n + 1]"}
  positive: {type: bool, description: t, legal_basis: t, formula: "x > 0"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  // 5,000 rows on 2 threads (2,500 each): whole amounts, but 0.5 in the second thread's last row.
  constexpr std::size_t kRows = 5000;
  std::vector<std::vector<Value>> columns(2, std::vector<Value>(kRows));
  for (std::size_t row = 0; row < kRows; ++row) {
    columns[0][row] = Decimal(static_cast<std::int64_t>(row));
    columns[1][row] = static_cast<std::int64_t>(row % 3);
  }
  columns[0][kRows - 1] = Decimal::parse("0.5");
  columns[0][7] = Value();  // no x: every decision but due and ns fails in row 7
  const Batch batch(rules, {"x", "n"}, Date(2026, 11, 24), {}, {.threads = 2, .typed_results = true});
  const BatchResult r = batch.run(columns);
  const auto& same = r.typed[0];
  ASSERT_EQ(same.type, TypedColumn::Type::decimal);
  EXPECT_EQ(same.scale, 1);  // 0.5 needs one digit: the first thread's rows, joined, too
  EXPECT_EQ(same.numbers[3], 30);
  EXPECT_EQ(same.numbers[4000], 40000);
  EXPECT_EQ(same.numbers[kRows - 2], 49'980);  // in the last block, before the 0.5
  EXPECT_EQ(same.numbers[kRows - 1], 5);
  EXPECT_TRUE(same.missing[7]);
  EXPECT_EQ(same.value(kRows - 1), Value(Decimal::parse("0.5")));
  // x 10^16: from row 923 on (923 x 10^16 > 2^63, about 9.22 x 10^18) 64 bits do not hold it at
  // any scale: the column is raw 128-bit values.
  const auto& big = r.typed[1];
  EXPECT_FALSE(big.wide.empty());
  EXPECT_TRUE(big.numbers.empty());
  EXPECT_EQ(big.scale, 12);
  EXPECT_EQ(big.value(4998), Value(Decimal::parse("49980000000000000000")));
  EXPECT_EQ(big.wide[4998], Decimal::parse("49980000000000000000").raw());
  EXPECT_EQ(big.value(922), Value(Decimal::parse("9220000000000000000")));
  const auto& size = r.typed[2];
  EXPECT_EQ(size.codes, (std::vector<std::string>{"small", "large"}));
  EXPECT_EQ(size.numbers[100], 0);
  EXPECT_EQ(size.numbers[101], 1);
  EXPECT_EQ(size.numbers[7], -1);
  // 2026-11-24 is day 20,781 after 1970-01-01; plus row % 3 days.
  const auto& due = r.typed[3];
  EXPECT_EQ(due.numbers[0], 20'781);
  EXPECT_EQ(due.numbers[2], 20'783);
  EXPECT_EQ(due.value(2), Value(Date(2026, 11, 26)));
  // A list as offsets and items: every row has two, [n, n + 1] (row 4: n = 1).
  const auto& ns = r.typed[4];
  ASSERT_EQ(ns.type, TypedColumn::Type::integer);
  ASSERT_EQ(ns.offsets.size(), kRows + 1);
  EXPECT_EQ(ns.offsets[4], 8);
  EXPECT_EQ(ns.offsets[kRows], 2 * static_cast<std::int64_t>(kRows));
  EXPECT_EQ(ns.numbers[8], 1);
  EXPECT_EQ(ns.numbers[9], 2);
  EXPECT_EQ(ns.value(4), Value(std::vector<Value>{Value(1), Value(2)}));
  const auto& positive = r.typed[5];
  EXPECT_EQ(positive.flags[0], 0);
  EXPECT_EQ(positive.flags[1], 1);
  EXPECT_TRUE(positive.missing[7]);
}

// README.md's example of typed columns (Quick start: C++ hosts), mixed with columns of Values:
// 4% and 1% of Rp 3,500,000 (a Kopdes worker, Perpres 64/2020 Pasal 30) and of Rp 5,000,000 (a
// civil servant, no floor), as Batch.ReadmeExample computes them from Values.
TEST(TypedColumns, ReadmeExample) {
  const kaidah::Rulebook& rules = jkn();
  std::vector<std::vector<kaidah::Value>> columns = {
      {"indonesian", "indonesian"}, {"employee", "employee"}, {"cooperative", "state"},
      {"ppu_badan_usaha", "ppu_penyelenggara_negara"},
      {kaidah::Decimal(3'500'000), kaidah::Decimal(5'000'000)}, {kaidah::Decimal(2'500'000), kaidah::Value()}};
  kaidah::BatchResult out;
  const std::vector<std::int64_t> wage = {350'000'000, 500'000'000};       // Rp 3,500,000.00, in cents
  const std::vector<std::int64_t> floor_wage = {250'000'000, 0};
  const std::vector<std::uint8_t> no_floor = {0, 1};                       // the civil servant has none
  const std::vector<std::int64_t> employer = {0, 1};                       // codes into the spellings below
  const kaidah::TypedColumn typed[] = {
      {kaidah::TypedColumn::Type::decimal, wage.data(), nullptr, 2, 2, {}},
      {kaidah::TypedColumn::Type::decimal, floor_wage.data(), no_floor.data(), 2, 2, {}},
      {kaidah::TypedColumn::Type::code, employer.data(), nullptr, 2, 0, {"cooperative", "state"}}};
  const kaidah::Batch shares(rules, {"wage", "minimum_wage", "employer_type", "citizenship", "work_status", "enrolled_segment"},
                             kaidah::Date(2026, 1, 15), {"iuran_employer", "iuran_worker"}, {.typed_results = true});
  const std::vector<kaidah::BatchColumn> in = {typed[0], typed[1], typed[2], columns[0], columns[1], columns[3]};
  shares.run(in, {}, out);
  EXPECT_TRUE(out.errors.empty());
  EXPECT_EQ(out.typed[0].numbers, (std::vector<std::int64_t>{140'000, 200'000}));
  EXPECT_EQ(out.typed[0].scale, 0);
  EXPECT_EQ(out.typed[1].numbers, (std::vector<std::int64_t>{35'000, 50'000}));
  EXPECT_EQ(out.typed[1].missing, (std::vector<std::uint8_t>{0, 0}));
}

// A column of codes for an input that is a list of enums: a spelling is no list, so the cell is
// refused as the same text would be (a spelling that is also one of the list's values included),
// and the list read from another row is never taken for it.
TEST(TypedColumns, ACodeForAListInputIsReadAsItsText) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  tags: {type: list of enum, values: [a, b], description: some tags, default: []}
decisions:
  tagged: {type: integer, description: t, legal_basis: t, formula: "count(tags)"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  const Batch batch(rules, {"tags"}, Date(2026, 11, 24));
  // A block of "[a, b]" first (its lists read from text into the block), then "a" in the same lanes.
  std::vector<std::int64_t> codes(200, 1);
  std::vector<Value> cells(200, Value("[a, b]"));
  for (std::size_t row = 100; row < 200; ++row) {
    codes[row] = row == 150 ? -1 : 0;
    cells[row] = row == 150 ? Value() : Value("a");
  }
  const TypedColumn typed{TypedColumn::Type::code, codes.data(), nullptr, 200, 0, {"a", "[a, b]"}};
  const std::vector<BatchColumn> columns = {typed};
  BatchResult r;
  batch.run(columns, {}, r);
  const BatchResult v = batch.run(std::vector<std::vector<Value>>{cells});
  EXPECT_EQ(describe(r), describe(v));
  EXPECT_EQ(r.columns[0][0], Value(2));    // "[a, b]" is a list of two
  EXPECT_EQ(r.columns[0][150], Value(0));  // not given: the default, no tag
  EXPECT_FALSE(r.columns[0][120].has_value());
  ASSERT_EQ(r.errors.size(), 99u);  // "a" is text, not a list, in rows 100-199 but 150
  EXPECT_EQ(r.errors[0].row, 100u);
  EXPECT_EQ(r.errors[0].field, "tags");
}

// A row the Evaluator computes (a list longer than a block holds) that needs a finer scale than
// the rows the columnar form wrote before and after it in the same block: they are all rescaled.
TEST(TypedColumns, ARowEvaluatedAloneTakesItsBlocksRowsToItsScale) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  xs: {type: list of integer, description: some numbers, default: []}
decisions:
  half: {type: decimal, description: t, legal_basis: t, formula: "count(xs) / 2"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  std::vector<Value> lists(40, Value(std::vector<Value>{Value(1), Value(2)}));
  lists[5] = Value(std::vector<Value>(1025, Value(7)));  // past kMaxItems: evaluated alone
  const Batch batch(rules, {"xs"}, Date(2026, 11, 24), {}, {.threads = 1, .typed_results = true});
  const BatchResult r = batch.run(std::vector<std::vector<Value>>{lists});
  EXPECT_EQ(r.rows_evaluated_alone, 1u);
  const auto& half = r.typed[0];
  EXPECT_EQ(half.scale, 1);
  EXPECT_EQ(half.numbers[5], 5125);  // 1025 / 2 = 512.5
  EXPECT_EQ(half.numbers[4], 10);    // 2 / 2 = 1, written before it
  EXPECT_EQ(half.numbers[39], 10);   // and after it, by the columnar form, in the same block
}

}  // namespace

namespace {

// A rulebook over lists of each kind a typed column holds: inputs read as offsets and items, and
// list results given as offsets and items.
const char* kListRules = R"Y(inputs:
  unpaid: {type: list of month, description: months unpaid, default: []}
  rates: {type: list of decimal, description: rates in percent, default: []}
  tags: {type: list of enum, values: [a, b, c], description: tags, default: []}
  checks: {type: list of bool, description: checks, default: []}
  wage: {type: decimal, description: a monthly wage}
decisions:
  billed: {type: list of month, description: t, legal_basis: t, formula: "sorted(unpaid)"}
  shares: {type: list of decimal, description: t, legal_basis: t, formula: "map(r in rates, round(wage * r / 100, 2, half_even))"}
  kept: {type: list of enum, values: [a, b, c], description: t, legal_basis: t, formula: "filter(t in tags, t != 'b')"}
  passed: {type: list of bool, description: t, legal_basis: t, formula: "map(c in checks, not c)"}
  owed: {type: decimal, description: t, legal_basis: t, formula: "count(unpaid) * wage"}
  percents: {type: list of decimal, description: t, legal_basis: t, formula: "map(r in rates, wage * r)"}
)Y";

}  // namespace

// Lists as offsets and items (Arrow's list layout), both ways: each row's list of months,
// decimals, codes and bools read in place, and each list result given as offsets and items, on
// 1 and 2 threads, equal to the same cells as Values.
TEST(TypedColumns, ListsAsOffsetsAndItems) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", kListRules}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  // 6,000 rows (3,000 a thread): row r has r % 4 unpaid months, newest first, from October 2026
  // (January 1970 is month 0: October 2026 is 56 x 12 + 9 = 681); rates 4 and 1.5 percent; tags
  // [a, b, c] in every other row; a wage of 3,500,000 + r. Rows 10 and 4,000 have no list.
  constexpr std::size_t kRows = 6000;
  std::vector<std::int64_t> month_offsets = {0}, months, rate_offsets = {0}, rates, tag_offsets = {0}, tags,
                                          check_offsets = {0}, wages;
  std::vector<std::uint8_t> checks, no_list(kRows, 0);
  std::vector<std::vector<Value>> values(5, std::vector<Value>(kRows));
  for (std::size_t r = 0; r < kRows; ++r) {
    no_list[r] = r == 10 || r == 4000;
    std::vector<Value> m, rs, ts, cs;
    if (!no_list[r]) {
      for (std::size_t k = 0; k < r % 4; ++k) {
        months.push_back(681 - static_cast<std::int64_t>(k));
        m.emplace_back(Month(2026, 10).plus(-static_cast<int>(k)));
      }
      rates.insert(rates.end(), {400, 150});  // at 2 places
      rs = {Value(Decimal(4)), Value(Decimal::parse("1.5"))};
      if (r % 2 == 0) {
        tags.insert(tags.end(), {2, 0, 1});  // codes of categories [b, c, a]: a, b, c
        ts = {Value("a"), Value("b"), Value("c")};
      }
      checks.push_back(r % 3 == 0);
      cs = {Value(r % 3 == 0)};
    }
    month_offsets.push_back(static_cast<std::int64_t>(months.size()));
    rate_offsets.push_back(static_cast<std::int64_t>(rates.size()));
    tag_offsets.push_back(static_cast<std::int64_t>(tags.size()));
    check_offsets.push_back(static_cast<std::int64_t>(checks.size()));
    wages.push_back(3'500'000 + static_cast<std::int64_t>(r));
    const bool given = !no_list[r];
    values[0][r] = given ? Value(std::move(m)) : Value();
    values[1][r] = given ? Value(std::move(rs)) : Value();
    values[2][r] = given ? Value(std::move(ts)) : Value();
    values[3][r] = given ? Value(std::move(cs)) : Value();
    values[4][r] = Decimal(wages.back());
  }
  const TypedColumn month_column{TypedColumn::Type::month, months.data(), no_list.data(), kRows, 0, {}, month_offsets.data()};
  const TypedColumn rate_column{TypedColumn::Type::decimal, rates.data(), no_list.data(), kRows, 2, {}, rate_offsets.data()};
  const TypedColumn tag_column{TypedColumn::Type::code, tags.data(), no_list.data(), kRows, 0, {"b", "c", "a"}, tag_offsets.data()};
  const TypedColumn check_column{TypedColumn::Type::boolean, checks.data(), no_list.data(), kRows, 0, {}, check_offsets.data()};
  const TypedColumn wage_column{TypedColumn::Type::decimal, wages.data(), nullptr, kRows, 0, {}};
  const std::vector<BatchColumn> columns = {month_column, rate_column, tag_column, check_column, wage_column};
  const std::vector<std::string> inputs = {"unpaid", "rates", "tags", "checks", "wage"};
  const BatchResult expected = Batch(rules, inputs, Date(2026, 11, 24)).run(values);
  EXPECT_TRUE(expected.errors.empty());
  for (unsigned threads : {1u, 2u}) {
    BatchResult from_typed;
    Batch(rules, inputs, Date(2026, 11, 24)).run(columns, {}, from_typed);
    EXPECT_EQ(describe(from_typed), describe(expected)) << threads << " threads, Values out";
    BatchResult r;
    Batch(rules, inputs, Date(2026, 11, 24), {}, {.threads = threads, .typed_results = true}).run(columns, {}, r);
    ASSERT_EQ(r.typed.size(), 6u);
    for (std::size_t d = 0; d < r.typed.size(); ++d)
      for (std::size_t row = 0; row < kRows; ++row)
        ASSERT_EQ(describe(r.typed[d].value(row)), describe(expected.columns[d][row])) << r.decisions[d] << " row " << row;
    // billed: row 7 has 3 months, sorted: Aug, Sep, Oct 2026 (months 679-681); rows 0-6 have
    // 0 + 1 + 2 + 3 + 0 + 1 + 2 = 9 before it.
    const kaidah::ResultColumn& billed = r.typed[0];
    ASSERT_EQ(billed.type, TypedColumn::Type::month);
    EXPECT_EQ(billed.offsets[7], 9);
    EXPECT_EQ(std::vector<std::int64_t>(billed.numbers.begin() + 9, billed.numbers.begin() + 12),
              (std::vector<std::int64_t>{679, 680, 681}));
    EXPECT_FALSE(billed.missing[10]);  // no list given: the default, [], so none billed
    EXPECT_EQ(billed.offsets[11], billed.offsets[10]);
    // shares: 4% and 1.5% of 3,500,001 (row 1) = 140,000.04 and 52,500.015 -> 52,500.02 (half even
    // rounds 0.015 to 0.02): two places, as cents.
    const kaidah::ResultColumn& shares = r.typed[1];
    ASSERT_EQ(shares.type, TypedColumn::Type::decimal);
    EXPECT_EQ(shares.scale, 2);
    EXPECT_TRUE(shares.wide.empty());
    EXPECT_EQ(shares.offsets[1], 2);
    EXPECT_EQ(shares.numbers[2], 14'000'004);
    EXPECT_EQ(shares.numbers[3], 5'250'002);
    std::string text;
    shares.append_text(1, text);
    EXPECT_EQ(text, "[140000.04, 52500.02]");
    // kept: [a, c] in even rows, as codes of the decision's values [a, b, c]: 0 and 2.
    const kaidah::ResultColumn& kept = r.typed[2];
    EXPECT_EQ(kept.codes, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(kept.offsets[2] - kept.offsets[1], 0);  // row 1: no tags
    EXPECT_EQ(std::vector<std::int64_t>(kept.numbers.begin() + kept.offsets[2], kept.numbers.begin() + kept.offsets[3]),
              (std::vector<std::int64_t>{0, 2}));
    // passed: row 3 (3 % 3 == 0) checked, so not passed.
    const kaidah::ResultColumn& passed = r.typed[3];
    ASSERT_EQ(passed.type, TypedColumn::Type::boolean);
    EXPECT_EQ(passed.flags[static_cast<std::size_t>(passed.offsets[3])], 0);
    EXPECT_EQ(passed.flags[static_cast<std::size_t>(passed.offsets[4])], 1);
    EXPECT_EQ(r.typed[4].value(7), Value(Decimal(3 * 3'500'007)));
    // percents: 3,500,001 x 4 and x 1.5 = 14,000,004 and 5,250,001.5, computed at 8 places (the
    // wage's 4 and the rate's), given at the fewest that hold every item: 1.
    const kaidah::ResultColumn& percents = r.typed[5];
    EXPECT_EQ(percents.scale, 1);
    EXPECT_EQ(percents.numbers[2], 140'000'040);
    EXPECT_EQ(percents.numbers[3], 52'500'015);
  }
}

// A list column's item that holds no value kaidah reads refuses its row, with the item named,
// as the same list as text or Values is refused; offsets that go backwards or below 0 are the
// host's mistake (std::invalid_argument). A slice of a list column reads its rows' items.
TEST(TypedColumns, AListColumnsBadItemsAreRefusedAndBadOffsetsThrow) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", kListRules}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  // Row 0: [2026-10, month 1,000,000 (year 85,303)]; row 1: tags [a, (code -1)]; row 2: fine.
  const std::vector<std::int64_t> months = {681, 1'000'000, 680}, month_offsets = {0, 2, 2, 3};
  const std::vector<std::int64_t> tags = {0, -1, 0}, tag_offsets = {0, 0, 2, 3};
  const std::vector<std::int64_t> wages = {1000, 1000, 1000};
  const TypedColumn month_column{TypedColumn::Type::month, months.data(), nullptr, 3, 0, {}, month_offsets.data()};
  const TypedColumn tag_column{TypedColumn::Type::code, tags.data(), nullptr, 3, 0, {"a"}, tag_offsets.data()};
  const TypedColumn wage_column{TypedColumn::Type::decimal, wages.data(), nullptr, 3, 0, {}};
  const Batch batch(rules, {"unpaid", "tags", "wage"}, Date(2026, 11, 24), {"billed", "kept", "owed"});
  BatchResult r;
  batch.run(std::vector<BatchColumn>{month_column, tag_column, wage_column}, {}, r);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].row, 0u);
  EXPECT_EQ(r.errors[0].field, "unpaid");
  EXPECT_EQ(r.errors[0].message, "item 2: month 1000000 after January 1970 is outside the months kaidah reads (1400-01 to 9999-12)");
  EXPECT_EQ(r.errors[1].row, 1u);
  EXPECT_EQ(r.errors[1].field, "tags");
  EXPECT_EQ(r.errors[1].message, "item 2: code -1: an item without value");
  EXPECT_FALSE(r.columns[0][0].has_value());  // billed reads the refused months
  EXPECT_EQ(r.columns[1][0], Value(std::vector<Value>{}));  // kept does not: no tags, []
  EXPECT_EQ(r.columns[2][2], Value(Decimal(1000)));  // row 2: one month at 1,000
  // Row 2 alone, as a slice: its one month, 680 (September 2026).
  const TypedColumn tail = month_column.slice(2, 1), tail_tags = tag_column.slice(2, 1), tail_wage = wage_column.slice(2, 1);
  BatchResult one;
  batch.run(std::vector<BatchColumn>{tail, tail_tags, tail_wage}, {}, one);
  EXPECT_TRUE(one.errors.empty());
  EXPECT_EQ(one.columns[0][0], Value(std::vector<Value>{Value(Month(2026, 9))}));

  // A row given no list is not looked at, whatever its items hold (Arrow's null slots); a code
  // outside the codes elsewhere is the host's mistake.
  const std::vector<std::int64_t> garbage = {0, 7, 0};
  const std::vector<std::uint8_t> none_given = {1, 0, 0};
  const std::vector<std::int64_t> garbage_offsets = {0, 2, 2, 3};
  const TypedColumn masked{TypedColumn::Type::code, garbage.data(), none_given.data(), 3, 0, {"a"}, garbage_offsets.data()};
  batch.run(std::vector<BatchColumn>{month_column, masked, wage_column}, {}, r);
  EXPECT_EQ(r.columns[1][0], Value(std::vector<Value>{}));  // not given: the default, no tags
  const TypedColumn unmasked{TypedColumn::Type::code, garbage.data(), nullptr, 3, 0, {"a"}, garbage_offsets.data()};
  try {
    batch.run(std::vector<BatchColumn>{month_column, unmasked, wage_column}, {}, r);
    ADD_FAILURE() << "a code outside its codes was read";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "batch: typed column 'tags': row 0's item 2 has code 7, outside its 1 codes");
  }

  const std::vector<std::int64_t> backwards = {0, 2, 1, 3}, negative = {-1, 0, 0, 0};
  for (const auto* offsets : {&backwards, &negative}) {
    const TypedColumn bad{TypedColumn::Type::month, months.data(), nullptr, 3, 0, {}, offsets->data()};
    try {
      batch.run(std::vector<BatchColumn>{bad, tag_column, wage_column}, {}, r);
      ADD_FAILURE() << "bad offsets were read";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), offsets == &backwards
                                           ? "batch: typed column 'unpaid': row 1's items end (offset 1) before they begin (2)"
                                           : "batch: typed column 'unpaid': its first offset is -1; offsets cannot be negative");
    }
  }
}

// A list result with an item without value (an optional list decision may hold none), which no
// item array holds: the column is Values, each row as the batch of Values has it.
TEST(TypedColumns, AListWithAnItemWithoutValueTurnsTheColumnIntoValues) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  n: {type: integer, description: a count}
decisions:
  pair: {type: list of integer, optional: true, description: t, legal_basis: t, formula: "[n, if n > 1 then n else none]"}
  share: {type: decimal, description: t, legal_basis: t, formula: "10 / (n - 1)"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  std::vector<std::vector<Value>> columns(1);
  for (std::int64_t n = 0; n < 5000; ++n) columns[0].emplace_back(n % 4);
  // With partial answers, and whole rows: a row where share fails (n = 1: a division by zero)
  // has no pair either, though pair, [1, none], was computed first.
  for (const bool whole_row : {false, true}) {
    const BatchResult values = Batch(rules, {"n"}, Date(2026, 11, 24), {"pair", "share"}, {.whole_row = whole_row}).run(columns);
    const BatchResult typed =
        Batch(rules, {"n"}, Date(2026, 11, 24), {"pair", "share"}, {.threads = 2, .whole_row = whole_row, .typed_results = true})
            .run(columns);
    EXPECT_EQ(values.columns[0][2], Value(std::vector<Value>{Value(2), Value(2)}));
    if (whole_row) {
      EXPECT_FALSE(values.columns[0][1].has_value());
    } else {
      EXPECT_EQ(values.columns[0][1].as_list().size(), 2u);  // [1, none]
      EXPECT_FALSE(values.columns[0][1].as_list()[1].has_value());
    }
    const kaidah::ResultColumn& pair = typed.typed[0];
    EXPECT_FALSE(pair.type.has_value());
    EXPECT_FALSE(pair.is_list());
    ASSERT_EQ(pair.values.size(), 5000u);
    for (std::size_t row = 0; row < 5000; ++row)
      ASSERT_EQ(describe(pair.values[row]), describe(values.columns[0][row])) << row << (whole_row ? ", whole rows" : "");
  }
}

// Decimal items at the fewest digits that hold them all in 64 bits, as a decimal column's: a
// thread's items move to a finer scale, or a coarser one they allow, where an item needs it;
// raw 128-bit values only where no one scale holds them.
TEST(TypedColumns, DecimalListItemsAtTheFewestDigitsThatHoldThem) {
  kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  wage: {type: decimal, description: a wage}
  n: {type: integer, description: a count}
  rates: {type: list of decimal, description: rates, default: [4, 1.5]}
decisions:
  percents: {type: list of decimal, description: t, legal_basis: t, formula: "map(r in rates, wage * r)"}
  thirds: {type: list of decimal, optional: true, description: t, legal_basis: t, formula: "if n > 2 then [n / 3] else none"}
  huge: {type: list of decimal, description: t, legal_basis: t, formula: "[wage * 10000000000000]"}
  shares: {type: list of decimal, description: t, legal_basis: t, formula: "map(r in rates, round(wage * r / 100, 2, half_even))"}
)Y"}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  // 6,000 rows (two threads take 3,000 each): wages of 3,500,001 + r in the first thread's, 3,500,000
  // in the second's, but 10^14 in row 4,000, whose product with 4, at 8 places (an input's 4 each), is 4 x 10^22 units,
  // past 64 bits: the evaluator's row, the others the columnar form's.
  std::vector<std::vector<Value>> columns(2);
  for (std::int64_t r = 0; r < 6000; ++r) {
    columns[0].emplace_back(r == 4000 ? Decimal::parse("100000000000000") : Decimal(r < 3000 ? 3'500'001 + r : 3'500'000));
    columns[1].emplace_back(r % 5);
  }
  for (unsigned threads : {1u, 2u}) {
    const auto run = [&](const std::string& decision, bool typed) {
      return Batch(rules, {"wage", "n"}, Date(2026, 11, 24), {decision}, {.threads = threads, .typed_results = typed}).run(columns);
    };
    for (const char* decision : {"percents", "thirds", "huge", "shares"}) {
      const BatchResult values = run(decision, false), typed = run(decision, true);
      for (std::size_t row = 0; row < 6000; ++row)
        ASSERT_EQ(describe(typed.typed[0].value(row)), describe(values.columns[0][row])) << decision << " " << row;
    }
    EXPECT_EQ(run("percents", true).rows_evaluated_alone, 1u);
    // 3,500,001 x 1.5 = 5,250,001.5 needs one place; so do 4 x 10^14 and 1.5 x 10^14, in 64 bits.
    const kaidah::ResultColumn percents = run("percents", true).typed[0];
    EXPECT_TRUE(percents.wide.empty()) << threads << " threads";
    EXPECT_EQ(percents.scale, 1);
    EXPECT_EQ(percents.numbers[1], 52'500'015);
    EXPECT_EQ(percents.numbers[8000], 4'000'000'000'000'000);  // row 4,000
    EXPECT_EQ(percents.numbers[8001], 1'500'000'000'000'000);
    // n / 3 at Decimal's 12 places (1.333333333333 x 10^12 units fit 64 bits), 3 / 3 with them.
    const kaidah::ResultColumn thirds = run("thirds", true).typed[0];
    EXPECT_TRUE(thirds.wide.empty());
    EXPECT_EQ(thirds.scale, 12);
    EXPECT_EQ(thirds.numbers[static_cast<std::size_t>(thirds.offsets[3])], 1'000'000'000'000);
    EXPECT_EQ(thirds.value(4), Value(std::vector<Value>{Value(Decimal::parse("1.333333333333"))}));
    // wage x 10^13: 3.5 x 10^19 and more pass 64 bits at any scale: raw values.
    const kaidah::ResultColumn huge = run("huge", true).typed[0];
    EXPECT_FALSE(huge.wide.empty());
    EXPECT_EQ(huge.value(0), Value(std::vector<Value>{Value(Decimal::parse("35000010000000000000"))}));
    // 4% and 1.5% of 3,500,001 need cents (140,000.04; 52,500.015 -> 52,500.02 half to even); of
    // 3,500,000 they are whole (140,000; 52,500): on 2 threads the second thread's items, at 0
    // places, join the first's at 2.
    const kaidah::ResultColumn shares = run("shares", true).typed[0];
    EXPECT_EQ(shares.scale, 2);
    EXPECT_EQ(shares.numbers[0], 14'000'004);
    EXPECT_EQ(shares.numbers[1], 5'250'002);
    EXPECT_EQ(shares.numbers[9000], 14'000'000);  // row 4,500
    EXPECT_EQ(shares.numbers[9001], 5'250'000);
  }
}

#include <fstream>

#include <gtest/gtest.h>

#include "kaidah/kaidah.h"
#include "lang/functions.h"
#include "temp_rulebook.h"

namespace kaidah {
namespace {

using testing::TempRulebook;

Decimal D(const char* s) { return Decimal::parse(s); }

// One rulebook with one decision per language feature; each test asks for the ones it needs.
const char* kInputs = R"Y(inputs:
  n: {type: integer, description: a whole number, default: 0}
  x: {type: decimal, description: a number, default: 0}
  y: {type: decimal, description: another number, minimum: 0, maximum: 100}
  d: {type: date, description: a date}
  m: {type: month, description: a month}
  flag: {type: bool, description: a flag, default: false}
  color: {type: enum, values: [red, green, blue], description: a color, default: red}
  ms: {type: list of month, description: months, default: []}
  xs: {type: list of decimal, description: numbers, default: []}
  note: {type: text, description: free text}
)Y";

const char* kParameters = R"Y(parameters:
  rate:
    type: decimal
    description: a rate that changed and then ended
    history:
      - {effective_from: 2020-01-01, value: 0.025, legal_basis: Reg 1/2020 Pasal 1}
      - {effective_from: 2021-01-01, value: 0.05, legal_basis: Reg 2/2020 Pasal 2}
      - {effective_from: 2030-01-01, value: null, legal_basis: Reg 3/2029 Pasal 3}
  cap:
    type: integer
    description: a cap
    history:
      - {effective_from: 2000-01-01, value: 12, legal_basis: Reg 0/2000}
)Y";

const char* kDecisions = R"Y(decisions:
  arithmetic: {type: decimal, description: t, legal_basis: t, formula: "1 + 2 * 3 - 4 / 8"}
  int_math: {type: integer, description: t, legal_basis: t, formula: "(n + 2) * 3 - -1"}
  int_overflow: {type: integer, description: t, legal_basis: t, formula: "n * n"}
  divide: {type: decimal, description: t, legal_basis: t, formula: "1 / x"}
  rounded: {type: decimal, description: t, legal_basis: t, formula: "round(x * 0.04, 0, half_up)"}
  rounded_even: {type: decimal, description: t, legal_basis: t, formula: "round(x, 1, half_even)"}
  logic: {type: bool, description: t, legal_basis: t, formula: "not flag and (n > 1 or n == -1)"}
  choose: {type: text, description: t, legal_basis: t, formula: "if n > 0 then 'positive' else if n < 0 then 'negative' else 'zero'"}
  member: {type: bool, description: t, legal_basis: t, formula: "color in ['red', 'blue']"}
  not_member: {type: bool, description: t, legal_basis: t, formula: "n not in [1, 2, 3]"}
  minmax: {type: decimal, description: t, legal_basis: t, formula: "min(x, 10) + max(n, 2, 1)"}
  clamped: {type: decimal, description: t, legal_basis: t, formula: "clamp(x, 2000000, 12000000)"}
  absolute: {type: decimal, description: t, legal_basis: t, formula: "abs(x)"}
  rate_now: {type: decimal, description: t, legal_basis: t, formula: rate}
  rate_then: {type: decimal, description: t, legal_basis: t, formula: "at(rate, d)"}
  rate_by_month: {type: decimal, description: t, legal_basis: t, formula: "sum(k in months(m, month(evaluation_date)), at(rate, k))"}
  dates: {type: text, description: t, legal_basis: t, formula: "if add_months(d, 1) == date('2024-02-29') and add_days(d, 29) == date(2024, 2, 29) then 'ok' else 'bad'"}
  date_parts: {type: integer, description: t, legal_basis: t, formula: "year(d) * 10000 + day(end_of_month(d)) + months_between(d, evaluation_date) * 0 + days_between(start_of_month(d), d)"}
  age: {type: integer, description: t, legal_basis: t, formula: "age_on(d, evaluation_date)"}
  month_math: {type: integer, description: t, legal_basis: t, formula: "months_between(m, add_months(m, 14)) + year(m)"}
  eval_month: {type: month, description: t, legal_basis: t, formula: evaluation_month}
  counted: {type: integer, description: t, legal_basis: t, formula: "count(k in ms, k >= m)"}
  any_all: {type: bool, description: t, legal_basis: t, formula: "any(k in ms, k == m) and all(k in xs, k > 0)"}
  sum_list: {type: decimal, description: t, legal_basis: t, formula: "sum(xs) + sum(k in xs, k * 2)"}
  count_list: {type: integer, description: t, legal_basis: t, formula: "count(xs) + count(ms)"}
  min_over: {type: decimal, description: t, legal_basis: t, formula: "min(k in xs, k)"}
  given: {type: bool, description: t, legal_basis: t, formula: "has(note)"}
  uses_d: {type: date, description: t, legal_basis: t, formula: d}
  table:
    type: enum
    values: [low, mid, high]
    description: t
    legal_basis: t
    table:
      - {when: "x < 10", then: "'low'"}
      - {when: ["x >= 10", "x < 100"], then: "'mid'", legal_basis: row law}
      - {then: "'high'"}
  no_default_row:
    type: integer
    description: t
    legal_basis: t
    table:
      - {when: "n > 0", then: n}
  chained: {type: decimal, description: t, legal_basis: t, formula: "arithmetic * 2"}
  far_days: {type: date, description: t, legal_basis: t, formula: "add_days(d, n)"}
  far_months: {type: month, description: t, legal_basis: t, formula: "add_months(m, n)"}
  far_date_months: {type: date, description: t, legal_basis: t, formula: "add_months(d, n)"}
  far_date: {type: date, description: t, legal_basis: t, formula: "date(n, 1, 1)"}
  long_loop: {type: integer, description: t, legal_basis: t, formula: "count(k in months(month('2000-01'), month('2099-12')), k > m)"}
)Y";

class Evaluate : public ::testing::Test {
 protected:
  Evaluate() : files_({{"inputs.yaml", kInputs}, {"parameters.yaml", kParameters}, {"decisions.yaml", kDecisions}}) {}
  Rulebook rules(LoadOptions o = {}) { return Rulebook::load(files_.dir(), o); }
  Value eval(const std::string& decision, const Case& c, Date date = Date(2024, 6, 15)) {
    const std::string names[] = {decision};
    return rules_.evaluate(c, date, names)[decision];
  }
  TempRulebook files_;
  Rulebook rules_ = rules();
};

TEST_F(Evaluate, ArithmeticPrecedenceAndExactness) {
  EXPECT_EQ(eval("arithmetic", {}), Value(D("6.5")));  // 1 + 6 - 0.5
  EXPECT_EQ(eval("int_math", Case().set("n", 4)), Value(19));
  EXPECT_EQ(eval("rounded", Case().set("x", D("2441400"))), Value(D("97656")));
  EXPECT_EQ(eval("rounded", Case().set("x", D("1234567"))), Value(D("49383")));  // 49382.68 → 49383
  EXPECT_EQ(eval("rounded_even", Case().set("x", D("0.25"))), Value(D("0.2")));
  EXPECT_EQ(eval("chained", {}), Value(D("13")));
}

TEST_F(Evaluate, IntegersWidenToDecimalsInCases) {
  EXPECT_EQ(eval("absolute", Case().set("x", -7)), Value(D("7")));
}

TEST_F(Evaluate, TextIsParsedByTheDeclaredType) {
  EXPECT_EQ(eval("rounded", Case().set("x", "2441400")), Value(D("97656")));
  EXPECT_EQ(eval("uses_d", Case().set("d", "2024-02-29")), Value(Date(2024, 2, 29)));
  EXPECT_EQ(eval("logic", Case().set("n", "2").set("flag", "false")), Value(true));
  EXPECT_EQ(eval("counted", Case().set("m", "2024-02").set("ms", std::vector<Value>{"2024-01", "2024-03"})), Value(1));
}

TEST_F(Evaluate, LogicComparisonsAndMembership) {
  EXPECT_EQ(eval("logic", Case().set("n", 2)), Value(true));
  EXPECT_EQ(eval("logic", Case().set("n", -1)), Value(true));
  EXPECT_EQ(eval("logic", Case().set("n", 2).set("flag", true)), Value(false));
  EXPECT_EQ(eval("choose", Case().set("n", -5)), Value("negative"));
  EXPECT_EQ(eval("choose", Case()), Value("zero"));
  EXPECT_EQ(eval("member", Case().set("color", "blue")), Value(true));
  EXPECT_EQ(eval("member", Case().set("color", "green")), Value(false));
  EXPECT_EQ(eval("not_member", Case().set("n", 4)), Value(true));
}

TEST_F(Evaluate, MinMaxClampAbs) {
  EXPECT_EQ(eval("minmax", Case().set("x", D("12.5")).set("n", 1)), Value(D("12")));
  // jkn.md §6: wage 1,800,000 below the floor 2,000,000; 20,000,000 above the ceiling 12,000,000.
  EXPECT_EQ(eval("clamped", Case().set("x", D("1800000"))), Value(D("2000000")));
  EXPECT_EQ(eval("clamped", Case().set("x", D("20000000"))), Value(D("12000000")));
  EXPECT_EQ(eval("clamped", Case().set("x", D("5000000"))), Value(D("5000000")));
}

TEST_F(Evaluate, ParametersByDate) {
  EXPECT_EQ(eval("rate_now", {}, Date(2020, 12, 31)), Value(D("0.025")));
  EXPECT_EQ(eval("rate_now", {}, Date(2021, 1, 1)), Value(D("0.05")));
  EXPECT_EQ(eval("rate_then", Case().set("d", Date(2020, 6, 1)), Date(2024, 1, 1)), Value(D("0.025")));
  // Oct 2020 .. Feb 2021: 3 x 0.025 + 2 x 0.05, each month at its own rate.
  EXPECT_EQ(eval("rate_by_month", Case().set("m", Month(2020, 10)), Date(2021, 2, 15)), Value(D("0.175")));
}

TEST_F(Evaluate, NoParameterValueInForceIsAnErrorNamingTheDecision) {
  try {
    eval("rate_now", {}, Date(2019, 12, 31));
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "rate_now");
    EXPECT_EQ(e.message(), "parameter 'rate' has no value in force on 2019-12-31 (its first value takes effect on 2020-01-01)");
    EXPECT_EQ(e.location().file, "decisions.yaml");
    EXPECT_EQ(e.location().line, 15);
  }
  try {
    eval("rate_now", {}, Date(2030, 1, 1));
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.message(), "parameter 'rate' has no value in force on 2030-01-01 (it ended)");
  }
}

TEST_F(Evaluate, DatesAndMonths) {
  EXPECT_EQ(eval("dates", Case().set("d", Date(2024, 1, 31))), Value("ok"));
  EXPECT_EQ(eval("date_parts", Case().set("d", Date(2024, 2, 10))), Value(20240029 + 9));
  EXPECT_EQ(eval("age", Case().set("d", Date(2004, 2, 29)), Date(2025, 2, 28)), Value(20));
  EXPECT_EQ(eval("month_math", Case().set("m", Month(2020, 11))), Value(14 + 2020));
  EXPECT_EQ(eval("eval_month", {}, Date(2024, 2, 29)), Value(Month(2024, 2)));
}

// A count of days or months beyond an int's range is an error, never wrapped around: 2^32 + 1 days
// is not one day.
TEST_F(Evaluate, DaysAndMonthsBeyondRangeAreErrors) {
  const std::int64_t huge = 4'294'967'297;
  const Case c = Case().set("d", Date(2024, 1, 31)).set("m", Month(2024, 1));
  auto message = [&](const char* decision, std::int64_t n) {
    try {
      eval(decision, Case(c).set("n", n));
    } catch (const EvaluationError& e) {
      return e.message();
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("far_days", huge), "date out of range");
  EXPECT_EQ(message("far_months", huge), "month out of range");
  EXPECT_EQ(message("far_date_months", huge), "date out of range");
  EXPECT_EQ(message("far_date", huge + 2024), "4294969321-01-01 is outside the years 1400 to 9999");
  EXPECT_EQ(message("far_date", 1399), "1399-01-01 is outside the years 1400 to 9999");  // review U14
  EXPECT_EQ(eval("far_days", Case(c).set("n", 1)), Value(Date(2024, 2, 1)));
  EXPECT_EQ(eval("far_months", Case(c).set("n", -2)), Value(Month(2023, 11)));
}

// Review U7: one step past the calendar (9999-12-31, 1400-01-01) says what the docs promise,
// `date out of range`, for add_days and add_months alike (add_days said Boost's "Year is out of
// valid range: 1400..9999", add_months of a date "month out of range"); a month says `month out
// of range`.
TEST_F(Evaluate, ADateOrMonthPastTheCalendarSaysSo) {
  auto message = [&](const char* decision, Case c) {
    try {
      eval(decision, c);
    } catch (const EvaluationError& e) {
      return e.message();
    }
    return std::string("no error");
  };
  const Case last = Case().set("d", Date(9999, 12, 31)).set("m", Month(9999, 12)).set("n", 1);
  const Case first = Case().set("d", Date(1400, 1, 1)).set("m", Month(1400, 1)).set("n", -1);
  for (const Case& c : {last, first}) {
    EXPECT_EQ(message("far_days", c), "date out of range");
    EXPECT_EQ(message("far_date_months", c), "date out of range");
    EXPECT_EQ(message("far_months", c), "month out of range");
  }
  // The last day itself is a date: 9999-12-30 + 1, and 9999-11-30 + 1 month.
  EXPECT_EQ(eval("far_days", Case().set("d", Date(9999, 12, 30)).set("n", 1)), Value(Date(9999, 12, 31)));
  EXPECT_EQ(eval("far_date_months", Case().set("d", Date(9999, 11, 30)).set("n", 1)), Value(Date(9999, 12, 30)));
}

TEST_F(Evaluate, Aggregations) {
  const Case c = Case()
                     .set("m", Month(2024, 2))
                     .set("ms", std::vector<Value>{Month(2024, 1), Month(2024, 2), Month(2024, 3)})
                     .set("xs", std::vector<Value>{D("1.5"), D("2"), D("0.5")});
  EXPECT_EQ(eval("counted", c), Value(2));
  EXPECT_EQ(eval("any_all", c), Value(true));
  EXPECT_EQ(eval("sum_list", c), Value(D("12")));  // 4 + 8
  EXPECT_EQ(eval("count_list", c), Value(6));
  EXPECT_EQ(eval("min_over", c), Value(D("0.5")));
  EXPECT_EQ(eval("counted", Case().set("m", Month(2024, 2))), Value(0));  // empty list
  EXPECT_EQ(eval("any_all", Case().set("m", Month(2024, 2))), Value(false));
}

TEST_F(Evaluate, MinOverAnEmptyListIsAnError) {
  EXPECT_THROW(eval("min_over", {}), EvaluationError);
}

TEST_F(Evaluate, DecisionTables) {
  EXPECT_EQ(eval("table", Case().set("x", 5)), Value("low"));
  EXPECT_EQ(eval("table", Case().set("x", 10)), Value("mid"));
  EXPECT_EQ(eval("table", Case().set("x", 100)), Value("high"));
  try {
    eval("no_default_row", Case().set("n", -1));
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "no_default_row");
    EXPECT_EQ(e.message(), "no row of the decision table matched, and it has no default row (a last row without 'when')");
  }
}

TEST_F(Evaluate, HasTellsWhetherAnInputWasGiven) {
  EXPECT_EQ(eval("given", {}), Value(false));
  EXPECT_EQ(eval("given", Case().set("note", "x")), Value(true));
}

TEST_F(Evaluate, MissingInputIsNeverZero) {
  try {
    eval("uses_d", {});
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "uses_d");
    EXPECT_EQ(e.message(), "input 'd' has no value in this case and no default");
  }
}

TEST_F(Evaluate, ArithmeticErrorsNameTheDecisionAndPlace) {
  try {
    eval("divide", {});
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "divide");
    EXPECT_EQ(e.message(), "division by zero");
    EXPECT_STREQ(e.what(), "decisions.yaml:5:71: decision 'divide': division by zero");
  }
  try {
    eval("int_overflow", Case().set("n", std::int64_t{5'000'000'000}));
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "int_overflow");
    EXPECT_EQ(e.message(), "integer overflow");
  }
}

// Money beyond the Decimal range (about 1.7e26) is an error naming the decision and its place,
// never a wrap or an infinity; sums of every JKN participant's contribution stay far inside it.
TEST(Overflow, AnAmountOutOfRangeNamesTheDecision) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  x: {type: decimal, description: an amount}
decisions:
  square: {type: decimal, description: t, legal_basis: t, formula: "x * x"}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const std::vector<std::string> square = {"square"};
  // 10^13 squared = 10^26: in range, exactly.
  EXPECT_EQ(rules.evaluate(Case().set("x", D("10000000000000")), Date(2026, 1, 1), square)["square"],
            Value(D("100000000000000000000000000")));
  try {
    rules.evaluate(Case().set("x", D("100000000000000")), Date(2026, 1, 1), square);  // 10^28
    FAIL() << "10^28 was taken";
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.decision(), "square");
    EXPECT_STREQ(e.what(), "rules.yaml:4:71: decision 'square': decimal overflow: result out of range");
  }
  // 300,000,000 participants adding Rp 150,000.01 each, as a sweep's totals add them: exact.
  const Decimal each = D("150000.01");
  Decimal total;
  for (int i = 0; i < 300'000'000; ++i) total += each;
  EXPECT_EQ(total, D("45000003000000"));
}

TEST_F(Evaluate, IterationLimit) {
  const Rulebook small = rules(LoadOptions{.max_iterations = 100});
  const std::string names[] = {"long_loop"};
  try {
    small.evaluate(Case().set("m", Month(2024, 1)), Date(2024, 1, 1), names);
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.message(), "more than 100 aggregation steps in one evaluation (max_iterations)");
  }
  EXPECT_EQ(eval("long_loop", Case().set("m", Month(2024, 1))), Value(12 * 100 - 289));
}

TEST_F(Evaluate, OnlyRequestedDecisionsAndTheirDependenciesAreComputed) {
  // `divide` would fail with x = 0, but it is not asked for.
  const std::string names[] = {"chained"};
  const Result r = rules_.evaluate({}, Date(2024, 1, 1), names);
  ASSERT_EQ(r.values().size(), 1u);
  EXPECT_EQ(r["chained"], Value(D("13")));
  EXPECT_THROW(r["arithmetic"], std::out_of_range);
}

TEST_F(Evaluate, UnknownDecisionIsAnError) {
  const std::string names[] = {"nope"};
  EXPECT_THROW(rules_.evaluate({}, Date(2024, 1, 1), names), EvaluationError);
}

TEST_F(Evaluate, CaseErrorsNameTheField) {
  auto case_error = [&](const Case& c) -> std::string {
    try {
      eval("arithmetic", c);
    } catch (const CaseError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(case_error(Case().set("wagee", 1)), "input 'wagee': unknown input");
  EXPECT_EQ(case_error(Case().set("nn", 1)), "input 'nn': unknown input; did you mean 'n'?");
  // A name written another way (capitals, spaces around it) is suggested however far it is in letters.
  EXPECT_EQ(case_error(Case().set("COLOR", "red")), "input 'COLOR': unknown input; did you mean 'color'?");
  EXPECT_EQ(case_error(Case().set(" flag\xC2\xA0", true)), "input ' flag\xC2\xA0': unknown input; did you mean 'flag'?");
  EXPECT_EQ(case_error(Case().set("color", "GREEN")),
            "input 'color': 'GREEN' is not one of: red, green, blue (did you mean 'green'?)");
  EXPECT_EQ(case_error(Case().set("x", "abc")), "input 'x': expected a number like 150000 or 0.05, got 'abc'");
  EXPECT_EQ(case_error(Case().set("d", "2025-02-30")), "input 'd': 2025-02-30 is not a valid date");
  EXPECT_EQ(case_error(Case().set("flag", 1)), "input 'flag': expected a bool, got integer 1");
  EXPECT_EQ(case_error(Case().set("n", D("1.5"))), "input 'n': expected an integer, got decimal 1.5");
  EXPECT_EQ(case_error(Case().set("n", D("5"))), "input 'n': expected an integer, got decimal 5");
  // A whole number past 64 bits (a Python int, a uint64 column) arrives as a decimal: said as such.
  EXPECT_EQ(case_error(Case().set("n", D("9223372036854775808"))),
            "input 'n': the integer 9223372036854775808 is out of range: integers are 64-bit "
            "(-9223372036854775808 to 9223372036854775807)");
  EXPECT_EQ(case_error(Case().set("color", "grene")),
            "input 'color': 'grene' is not one of: red, green, blue (did you mean 'green'?)");
  EXPECT_EQ(case_error(Case().set("y", -1)), "input 'y': -1 is below the minimum 0");
  EXPECT_EQ(case_error(Case().set("y", 101)), "input 'y': 101 is above the maximum 100");
  EXPECT_EQ(case_error(Case().set("ms", std::vector<Value>{Month(2024, 1), 3})),
            "input 'ms': item 2: expected a month, got integer 3");
}

TEST_F(Evaluate, ParsesInputsWrittenAsText) {
  EXPECT_EQ(rules_.parse_input("x", "4200479.19"), Value(D("4200479.19")));
  EXPECT_EQ(rules_.parse_input("m", "2024-02"), Value(Month(2024, 2)));
  EXPECT_EQ(rules_.parse_input("color", "blue"), Value("blue"));
  EXPECT_EQ(rules_.parse_input("ms", "[2024-01, 2024-03]"), Value(std::vector<Value>{Month(2024, 1), Month(2024, 3)}));
  EXPECT_EQ(rules_.parse_input("x", ""), Value());
  auto reason = [&](const char* input, const char* text) -> std::string {
    try {
      rules_.parse_input(input, text);
    } catch (const CaseError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(reason("x", "1,5"), "input 'x': expected a number like 150000 or 0.05, got '1,5'");
  EXPECT_EQ(reason("ms", "[2024-13]"), "input 'ms': item 1: 2024-13 is not a valid month");
  EXPECT_EQ(reason("ms", "[2024-01"), "input 'ms': not a YAML list like [2025-01, 2025-02]: YAML syntax: end of sequence flow not found");
  EXPECT_EQ(reason("wagee", "1"), "input 'wagee': unknown input");
}

TEST_F(Evaluate, ReadsCasesFromYamlAndJson) {
  const Case c = rules_.read_case(R"Y({"x": "2441400", "color": "blue", "ms": ["2024-01"]})Y");
  EXPECT_EQ(eval("rounded", c), Value(D("97656")));
  EXPECT_EQ(eval("member", rules_.read_case("color: green\n")), Value(false));
  try {
    rules_.read_case("d: 2025-02-30\n");
    FAIL();
  } catch (const CaseError& e) {
    EXPECT_EQ(e.field(), "d");
    EXPECT_EQ(e.reason(), "2025-02-30 is not a valid date");
  }
  try {
    rules_.read_case("x: [1\n", "case.yaml");
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].location.file, "case.yaml");
  }
}

TEST_F(Evaluate, Introspection) {
  EXPECT_EQ(rules_.name(), "test");
  const auto params = rules_.parameters();
  ASSERT_EQ(params[0].name, "rate");
  ASSERT_EQ(params[0].history.size(), 3u);
  EXPECT_EQ(params[0].history[1].effective_from, Date(2021, 1, 1));
  EXPECT_EQ(params[0].history[1].value, Value(D("0.05")));
  EXPECT_EQ(params[0].history[1].legal_basis, "Reg 2/2020 Pasal 2");
  EXPECT_FALSE(params[0].history[2].value.has_value());
  const auto inputs = rules_.inputs();
  EXPECT_EQ(inputs[6].name, "color");
  EXPECT_EQ(inputs[6].values, (std::vector<std::string>{"red", "green", "blue"}));
  const auto decisions = rules_.decisions();
  EXPECT_EQ(decisions[0].formula, "1 + 2 * 3 - 4 / 8");
}

}  // namespace
}  // namespace kaidah

namespace kaidah {
namespace {

// Records: a `list of record` input, fields read with `.`, defaults, and case errors per field.
TEST(Records, FieldsDefaultsAndErrors) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  family:
    type: list of record
    description: family members
    fields:
      relation: {type: enum, values: [spouse, child, parent], description: relation}
      birth_date: {type: date, description: birth date}
      in_education: {type: bool, description: in school, default: false}
decisions:
  students:
    type: integer
    description: children in education
    legal_basis: t
    formula: "count(f in family, f.relation == 'child' and f.in_education)"
  oldest:
    type: date
    description: earliest birth date
    legal_basis: t
    formula: "min(f in family, f.birth_date)"
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const std::vector<Value> family = {
      Record{{"relation", "child"}, {"birth_date", Date(2010, 1, 1)}, {"in_education", true}},
      Record{{"birth_date", Date(1985, 6, 1)}, {"relation", "spouse"}},  // any field order; default used
      Record{{"relation", "child"}, {"birth_date", Date(2012, 1, 1)}}};
  const Result r = rules.evaluate(Case().set("family", family), Date(2025, 1, 1));
  EXPECT_EQ(r["students"], Value(1));
  EXPECT_EQ(r["oldest"], Value(Date(1985, 6, 1)));

  auto error_of = [&](const Value& member) -> std::string {
    try {
      rules.evaluate(Case().set("family", std::vector<Value>{member}), Date(2025, 1, 1));
    } catch (const CaseError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of(Record{{"relation", "child"}}), "input 'family': item 1: field 'birth_date' is missing");
  EXPECT_EQ(error_of(Record{{"relation", "cousin"}, {"birth_date", Date(2010, 1, 1)}}),
            "input 'family': item 1: field 'relation': 'cousin' is not one of: spouse, child, parent");
  EXPECT_EQ(error_of(Record{{"relation", "child"}, {"birth_date", Date(2010, 1, 1)}, {"age", 15}}),
            "input 'family': item 1: unknown field 'age'");
  EXPECT_EQ(error_of(Value(3)), "input 'family': item 1: expected a record, got integer 3");

  // The same from YAML text.
  const Case c = rules.read_case("family:\n  - {relation: child, birth_date: 2010-01-01, in_education: true}\n");
  EXPECT_EQ(rules.evaluate(c, Date(2025, 1, 1))["students"], Value(1));
  EXPECT_EQ(rules.inputs()[0].fields.size(), 3u);
  EXPECT_EQ(rules.inputs()[0].fields[2].default_value, Value(false));
}

}  // namespace
}  // namespace kaidah

namespace kaidah {
namespace {

// Optional decisions, `none`, first(), days(), weekday() and a rounding mode set by a parameter.
TEST(Language, OptionalDecisionsFirstDaysWeekdayAndParameterRounding) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  last_paid: {type: month, description: last month paid}
  holidays: {type: list of date, description: public holidays, default: []}
  amount: {type: decimal, description: an amount}
parameters:
  rounding:
    type: enum
    values: [half_up, down]
    description: how amounts are rounded
    history:
      - {effective_from: 2020-01-01, value: half_up, legal_basis: Reg 1}
      - {effective_from: 2024-01-01, value: down, legal_basis: Reg 2}
decisions:
  suspended_since:
    type: date
    optional: true
    description: the first day without coverage, if any
    legal_basis: t
    formula: "if months_between(last_paid, evaluation_month) > 1 then start_of_month(add_months(last_paid, 2)) else none"
  status:
    type: text
    description: t
    legal_basis: t
    formula: "if has(suspended_since) then 'suspended' else 'active'"
  since_plus_one:
    type: date
    description: reads an optional decision without checking it
    legal_basis: t
    formula: add_days(suspended_since, 1)
  due:
    type: date
    description: the 10th, or the next working day
    legal_basis: t
    formula: |
      first(d in days(add_days(start_of_month(evaluation_date), 9), add_days(start_of_month(evaluation_date), 24)),
            weekday(d) <= 5 and not (d in holidays))
  rounded:
    type: decimal
    description: t
    legal_basis: t
    formula: round(amount, 0, rounding)
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  auto eval = [&](const std::string& name, const Case& c, Date date) {
    return rules.evaluate(c, date, std::vector<std::string>{name})[name];
  };
  const Case late = Case().set("last_paid", Month(2024, 1));
  EXPECT_EQ(eval("suspended_since", late, Date(2024, 4, 15)), Value(Date(2024, 3, 1)));
  EXPECT_EQ(eval("status", late, Date(2024, 4, 15)), Value("suspended"));
  const Case current = Case().set("last_paid", Month(2024, 3));
  EXPECT_EQ(eval("suspended_since", current, Date(2024, 4, 15)), Value());
  EXPECT_EQ(eval("status", current, Date(2024, 4, 15)), Value("active"));
  try {
    eval("since_plus_one", current, Date(2024, 4, 15));
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(e.message(), "decision 'suspended_since' has no value for this case (it is optional); check has(suspended_since) first");
  }
  EXPECT_EQ(rules.evaluate(current, Date(2024, 4, 15), std::vector<std::string>{"suspended_since"}).to_json(),
            "{\"suspended_since\": null}");
  // 10 February 2024 is a Saturday: due Monday the 12th; 10 August 2024 (Saturday) with a
  // holiday on Monday the 12th: due Tuesday the 13th; 10 April 2024 is a Wednesday.
  EXPECT_EQ(eval("due", {}, Date(2024, 2, 1)), Value(Date(2024, 2, 12)));
  EXPECT_EQ(eval("due", Case().set("holidays", std::vector<Value>{Date(2024, 8, 12)}), Date(2024, 8, 1)),
            Value(Date(2024, 8, 13)));
  EXPECT_EQ(eval("due", {}, Date(2024, 4, 30)), Value(Date(2024, 4, 10)));
  // half_up until 2024, down from 2024.
  EXPECT_EQ(eval("rounded", Case().set("amount", Decimal::parse("97656.5")), Date(2023, 6, 1)), Value(Decimal(97657)));
  EXPECT_EQ(eval("rounded", Case().set("amount", Decimal::parse("97656.5")), Date(2024, 6, 1)), Value(Decimal(97656)));
}

}  // namespace
}  // namespace kaidah

namespace kaidah {
namespace {

// The language reference lists the functions the table declares (src/lang/builtins.def), and
// every declared name is reserved: the docs cannot drift from the language.
TEST(Language, TheReferenceListsEveryFunctionTheTableDeclares) {
  std::ifstream in(std::string(KAIDAH_SOURCE_DIR) + "/docs/language.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(doc.find(kaidah::detail::functions_markdown()), std::string::npos)
      << "docs/language.md's function table is out of date: run `make reference`";
  EXPECT_NE(doc.find("| `quotient(a, b, mode)` | integer |"), std::string::npos);
  EXPECT_NE(doc.find("| `map(x in L, expr)` | list |"), std::string::npos);
  auto load_with_input = [](const std::string& name) {
    TempRulebook files(std::map<std::string, std::string>{
        {"rules.yaml", "inputs:\n  " + name + ": {type: integer, description: x}\ndecisions:\n"
                       "  d: {type: bool, description: t, legal_basis: t, formula: 'true'}\n"}});
    return Rulebook::load(files.dir());
  };
  EXPECT_NO_THROW(load_with_input("arrears"));
  for (const kaidah::detail::BuiltinInfo& f : kaidah::detail::builtins()) {
    try {
      load_with_input(std::string(f.name));
      ADD_FAILURE() << f.name << " is not reserved";
    } catch (const LoadError& e) {
      EXPECT_NE(std::string(e.what()).find("is a reserved word"), std::string::npos) << e.what();
    }
  }
}

TEST(Language, ListFunctions) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  unpaid: {type: list of month, description: unpaid months}
decisions:
  in_order: {type: list of month, description: t, legal_basis: t, formula: "sorted(filter(m in unpaid, m < month('2026-11')))"}
  prices: {type: list of decimal, description: t, legal_basis: t, formula: "map(m in in_order, if year(m) < 2021 then 25500 else 35000)"}
  recent: {type: decimal, description: t, legal_basis: t, formula: "sum(last(prices, 2))"}
  none_of_them: {type: integer, description: t, legal_basis: t, formula: "count(last(prices, 0))"}
  februaries: {type: integer, description: t, legal_basis: t, formula: "count(m in in_order, month_number(m) == 2)"}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const Case c = Case().set("unpaid", std::vector<Value>{Month(2026, 11), Month(2021, 2), Month(2020, 12), Month(2021, 1)});
  const Result r = rules.evaluate(c, Date(2026, 11, 24));
  EXPECT_EQ(r["in_order"], Value(std::vector<Value>{Month(2020, 12), Month(2021, 1), Month(2021, 2)}));
  EXPECT_EQ(r["prices"], Value(std::vector<Value>{Decimal(25500), Decimal(35000), Decimal(35000)}));
  EXPECT_EQ(r["prices"].as_list()[0].kind(), Kind::decimal);  // integers widen to the declared decimal
  EXPECT_EQ(r["recent"], Value(Decimal(70000)));
  EXPECT_EQ(r["none_of_them"], Value(0));
  EXPECT_EQ(r["februaries"], Value(1));
}

// A decision with a comprehension of its own, first needed inside another decision's
// comprehension, must not overwrite the item the outer one is at (both count their variables
// from slot 0). It did: `extra` computed at the first month overwrote `m` with a family member,
// and at(rate, m) failed ("std::get: wrong index for variant"); the batch engine was right.
TEST(Language, ADecisionFirstNeededInsideAComprehensionKeepsTheOuterItem) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  unpaid: {type: list of month, description: unpaid months}
  family: {type: list of record, description: t, fields: {relation: {type: text, description: t}}}
parameters:
  rate:
    type: decimal
    description: t
    history:
      - {effective_from: 2020-01-01, value: 10, legal_basis: t}
      - {effective_from: 2021-01-01, value: 20, legal_basis: t}
decisions:
  extra: {type: integer, description: t, legal_basis: t, formula: "count(f in family, f.relation == 'parent')"}
  prices: {type: list of decimal, description: t, legal_basis: t, formula: "map(m in unpaid, extra * at(rate, m) + year(m))"}
)Y"}});
  const Rulebook rules = Rulebook::load(files.dir());
  const Case c = Case().set("unpaid", std::vector<Value>{Month(2020, 12), Month(2021, 1)})
                     .set("family", std::vector<Value>{Value(Record{{"relation", "parent"}}), Value(Record{{"relation", "child"}})});
  // 1 parent: 1 x 10 + 2020, 1 x 20 + 2021; asked alone, so that `extra` is first met in the map.
  const std::vector<std::string> asked = {"prices"};
  EXPECT_EQ(rules.evaluate(c, Date(2026, 11, 24), asked)["prices"], Value(std::vector<Value>{Decimal(2030), Decimal(2041)}));
  EXPECT_EQ(rules.explain(c, Date(2026, 11, 24), asked)["prices"], Value(std::vector<Value>{Decimal(2030), Decimal(2041)}));
}

}  // namespace
}  // namespace kaidah

namespace kaidah {
namespace {

// A long chain of decisions (each using the previous one) neither crashes the checker nor the
// evaluator: up to max_dependency_depth it evaluates, beyond it is refused with its place.
TEST(Limits, ChainsOfDecisionsAreBoundedNotACrash) {
  auto chain = [](int n) {
    std::string yaml = "decisions:\n  d0: {type: integer, description: x, legal_basis: y, formula: \"1\"}\n";
    for (int i = 1; i < n; ++i) {
      yaml += "  d" + std::to_string(i) + ": {type: integer, description: x, legal_basis: y, formula: \"d" +
              std::to_string(i - 1) + " + 1\"}\n";
    }
    return yaml;
  };
  testing::TempRulebook ok(std::map<std::string, std::string>{{"rules.yaml", chain(256)}});
  const Rulebook rules = Rulebook::load(ok.dir());
  EXPECT_EQ(rules.evaluate({}, Date(2026, 1, 1), std::vector<std::string>{"d255"})["d255"], Value(256));
  testing::TempRulebook deep(std::map<std::string, std::string>{{"rules.yaml", chain(20'000)}});
  LoadOptions many;
  many.max_decisions = 20'000;  // the chain, not the count, is what meets a limit here
  try {
    Rulebook::load(deep.dir(), many);
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(to_string(e.diagnostics()[0]),
              "rules.yaml:258:3: error: decision 'd256' rests on a chain of 257 decisions; the limit is 256 (max_dependency_depth)");
  }
}

}  // namespace
}  // namespace kaidah

#include "kaidah/decimal.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kaidah {
namespace {

Decimal D(const char* s) { return Decimal::parse(s); }

TEST(Decimal, ParsesAndPrintsExactly) {
  EXPECT_EQ(D("150000").to_string(), "150000");
  EXPECT_EQ(D("-0.05").to_string(), "-0.05");
  EXPECT_EQ(D("4200479.19").to_string(), "4200479.19");
  EXPECT_EQ(D("+12.500").to_string(), "12.5");
  EXPECT_EQ(D("0.000000000001").to_string(), "0.000000000001");
  EXPECT_EQ(D("0").to_string(), "0");
  EXPECT_EQ(D("-0").to_string(), "0");
}

TEST(Decimal, RejectsMalformedTextWithAReason) {
  for (const char* bad : {"", "-", "1.", ".5", "1e3", "1,000", "12a", " 1", "1.2.3", "0x10"}) {
    EXPECT_THROW(D(bad), std::invalid_argument) << bad;
  }
  try {
    D("abc");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "expected a number like 150000 or 0.05, got 'abc'");
  }
  try {
    D("0.0000000000001");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "number '0.0000000000001' has more than 12 decimal places");
  }
  EXPECT_THROW(D("1000000000000000000000000000000"), std::overflow_error);
  EXPECT_FALSE(Decimal::try_parse("x").has_value());
}

TEST(Decimal, ArithmeticIsExact) {
  // 0.1 + 0.2 is exactly 0.3, unlike binary floating point.
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  EXPECT_EQ(D("5000000") * D("0.04"), D("200000"));
  EXPECT_EQ(D("2441400") * D("0.01"), D("24414"));
  EXPECT_EQ(D("2441400") * D("0.04"), D("97656"));
  EXPECT_EQ(D("150000") - D("150000.01"), D("-0.01"));
  EXPECT_EQ(D("1") / D("4"), D("0.25"));
  EXPECT_EQ(-D("3"), D("-3"));
  EXPECT_EQ(D("-7.5").abs(), D("7.5"));
}

TEST(Decimal, DivisionRoundsHalfEvenAtTwelvePlaces) {
  EXPECT_EQ((D("1") / D("3")).to_string(), "0.333333333333");
  EXPECT_EQ((D("2") / D("3")).to_string(), "0.666666666667");
}

TEST(Decimal, SumsOverThreeHundredMillionPeopleStayExact) {
  // 300,000,000 persons x Rp 150,000.01 = 45,000,003,000,000 exactly.
  EXPECT_EQ(D("150000.01") * Decimal(300'000'000), D("45000003000000"));
}

TEST(Decimal, OverflowAndDivisionByZeroRaise) {
  const Decimal big = D("100000000000000000000000000");  // 1e26
  EXPECT_THROW(big * big, std::overflow_error);
  EXPECT_THROW(big * D("10") + big * D("10"), std::overflow_error);
  EXPECT_THROW(D("1") / Decimal(), std::domain_error);
  // A product needing a wide intermediate still comes out exact.
  EXPECT_EQ(D("30000000") * D("30000000"), D("900000000000000"));
}

TEST(Decimal, RoundsInEveryMode) {
  struct Row { const char* in; Rounding mode; const char* out; };
  const Row rows[] = {
      {"2.5", Rounding::half_up, "3"},      {"-2.5", Rounding::half_up, "-3"},
      {"2.4", Rounding::half_up, "2"},      {"2.5", Rounding::half_even, "2"},
      {"3.5", Rounding::half_even, "4"},    {"-2.5", Rounding::half_even, "-2"},
      {"2.51", Rounding::half_even, "3"},   {"2.1", Rounding::up, "3"},
      {"-2.1", Rounding::up, "-3"},         {"2.9", Rounding::down, "2"},
      {"-2.9", Rounding::down, "-2"},       {"2.9", Rounding::floor, "2"},
      {"-2.1", Rounding::floor, "-3"},      {"2.1", Rounding::ceiling, "3"},
      {"-2.9", Rounding::ceiling, "-2"},    {"7", Rounding::up, "7"},
  };
  for (const Row& r : rows) EXPECT_EQ(D(r.in).round(0, r.mode), D(r.out)) << r.in << " " << to_string(r.mode);
  EXPECT_EQ(D("12345.675").round(2, Rounding::half_up), D("12345.68"));
  EXPECT_EQ(D("12345.675").round(2, Rounding::half_even), D("12345.68"));
  EXPECT_EQ(D("12345.665").round(2, Rounding::half_even), D("12345.66"));
  // jkn-sources #10: Surabaya UMK 2020 = 4,200,479.19 rounded down to whole rupiah.
  EXPECT_EQ(D("4200479.19").round(0, Rounding::down), D("4200479"));
  EXPECT_EQ(D("1250").round(-2, Rounding::half_up), D("1300"));
  EXPECT_THROW(D("1").round(13, Rounding::up), std::invalid_argument);
}

TEST(Decimal, RoundingModesHaveTheirYamlSpelling) {
  EXPECT_EQ(to_string(Rounding::half_even), "half_even");
  EXPECT_EQ(parse_rounding("ceiling"), Rounding::ceiling);
  EXPECT_FALSE(parse_rounding("nearest").has_value());
}

TEST(Decimal, ComparesAndConverts) {
  EXPECT_LT(D("-1"), D("0.5"));
  EXPECT_EQ(D("150000.00"), D("150000"));
  EXPECT_TRUE(D("3.000").is_integer());
  EXPECT_FALSE(D("3.1").is_integer());
  EXPECT_EQ(D("-3.9").to_int64(), -3);
  EXPECT_EQ(D("-3.9").sign(), -1);
}

}  // namespace
}  // namespace kaidah

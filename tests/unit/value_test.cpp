#include "kaidah/value.h"

#include <gtest/gtest.h>

namespace kaidah {
namespace {

TEST(Value, KindsAndText) {
  EXPECT_EQ(Value().kind(), Kind::none);
  EXPECT_EQ(Value(true).to_string(), "true");
  EXPECT_EQ(Value(42).kind(), Kind::integer);
  EXPECT_EQ(Value(Decimal::parse("0.05")).to_string(), "0.05");
  EXPECT_EQ(Value(Date(2025, 1, 2)).to_string(), "2025-01-02");
  EXPECT_EQ(Value(Month(2025, 1)).to_string(), "2025-01");
  EXPECT_EQ(Value("ppu").to_string(), "ppu");
  EXPECT_EQ(Value(std::vector<Value>{Month(2025, 1), Month(2025, 2)}).to_string(), "[2025-01, 2025-02]");
}

TEST(Value, JsonKeepsDecimalsExactAsStrings) {
  EXPECT_EQ(Value(Decimal::parse("150000.5")).to_json(), "\"150000.5\"");
  EXPECT_EQ(Value(7).to_json(), "7");
  EXPECT_EQ(Value(false).to_json(), "false");
  EXPECT_EQ(Value().to_json(), "null");
  EXPECT_EQ(Value("a\"b\n").to_json(), "\"a\\\"b\\n\"");
}

TEST(Value, IntegersEqualDecimalsOfTheSameValue) {
  EXPECT_EQ(Value(150000), Value(Decimal::parse("150000.00")));
  EXPECT_FALSE(Value(1) == Value(Decimal::parse("1.5")));
  EXPECT_FALSE(Value("1") == Value(1));
  EXPECT_EQ(Value(std::vector<Value>{1, 2}), Value(std::vector<Value>{1, 2}));
}

}  // namespace
}  // namespace kaidah

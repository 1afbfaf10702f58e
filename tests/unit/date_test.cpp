#include "kaidah/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace kaidah {
namespace {

using testing::StrEq;
using testing::ThrowsMessage;

Date D(const char* s) { return Date::parse(s); }
Month M(const char* s) { return Month::parse(s); }

// weekday() counts from a day number; Boost's calendar gives the same on every day there is.
// 1 January 2026 was a Thursday, 10 January 2026 a Saturday.
TEST(Date, WeekdayIsBoostsOnEveryDay) {
  EXPECT_EQ(weekday(D("2026-01-01")), 4);
  EXPECT_EQ(weekday(D("2026-01-10")), 6);
  EXPECT_EQ(weekday(D("2026-01-11")), 7);
  for (boost::gregorian::date d(1400, 1, 1), last(9999, 12, 31); d <= last; d += boost::gregorian::date_duration(1)) {
    const int sunday_zero = d.day_of_week().as_number();
    ASSERT_EQ(weekday(Date(d)), sunday_zero == 0 ? 7 : sunday_zero) << Date(d).to_string();
  }
}

TEST(Date, ParsesStrictlyWithReasons) {
  EXPECT_EQ(D("2024-02-29").to_string(), "2024-02-29");
  EXPECT_THAT([&] { D("2025-02-30"); }, ThrowsMessage<std::invalid_argument>(StrEq("2025-02-30 is not a valid date")));
  EXPECT_THAT([&] { D("2025-13-01"); }, ThrowsMessage<std::invalid_argument>(StrEq("2025-13-01 is not a valid date")));
  // As date(k, k, k) with k = -1 makes it: "-001--1--1" would not read as a date.
  EXPECT_THAT([&] { Date(-1, -1, -1); },
              ThrowsMessage<std::invalid_argument>(StrEq("year -1, month -1, day -1 is not a valid date")));
  EXPECT_THAT([&] { D("1/2/2025"); },
              ThrowsMessage<std::invalid_argument>(StrEq("expected a date like 2025-01-01, got '1/2/2025'")));
  EXPECT_FALSE(Date::try_parse("2023-02-29").has_value());  // not a leap year
  EXPECT_FALSE(Date::try_parse("2025-1-01").has_value());
}

// Review U14: a day that exists but lies outside the years kept is said to be so, not called
// malformed or invalid (Python's date conversion and the CLI's --date show this message).
TEST(Date, ADayOutsideTheYearsKeptSaysSo) {
  for (auto [text, message] : {std::pair{"1399-12-31", "1399-12-31 is outside the years 1400 to 9999"},
                               {"0001-01-01", "0001-01-01 is outside the years 1400 to 9999"},
                               {"1200-02-29", "1200-02-29 is outside the years 1400 to 9999"},  // 1200 was leap
                               {"1399-02-29", "1399-02-29 is not a valid date"},
                               {"1399-13-01", "1399-13-01 is not a valid date"}}) {
    EXPECT_THAT([&] { D(text); }, ThrowsMessage<std::invalid_argument>(StrEq(message))) << text;
  }
  EXPECT_THAT([&] { M("1399-12"); },
              ThrowsMessage<std::invalid_argument>(StrEq("1399-12 is outside the years 1400 to 9999")));
  EXPECT_EQ(D("1400-01-01").to_string(), "1400-01-01");
  EXPECT_EQ(D("9999-12-31").to_string(), "9999-12-31");
}

TEST(Month, ParsesAndSteps) {
  EXPECT_EQ(M("2020-10").to_string(), "2020-10");
  EXPECT_THROW(M("2025-13"), std::invalid_argument);
  EXPECT_THROW(M("2025-00"), std::invalid_argument);
  EXPECT_EQ(M("2020-12").plus(1), M("2021-01"));
  EXPECT_EQ(M("2021-01").plus(-13), M("2019-12"));
  EXPECT_EQ(M("2024-02").last_day(), D("2024-02-29"));
  EXPECT_EQ(M("2023-02").last_day(), D("2023-02-28"));
  EXPECT_EQ(M("2024-02").first_day(), D("2024-02-01"));
  EXPECT_EQ(Month::of(D("2024-07-31")), M("2024-07"));
  EXPECT_LT(M("2020-12"), M("2021-01"));
}

TEST(Date, AddMonthsKeepsTheDayOrTakesTheMonthEnd) {
  EXPECT_EQ(add_months(D("2024-01-31"), 1), D("2024-02-29"));
  EXPECT_EQ(add_months(D("2023-01-31"), 1), D("2023-02-28"));
  // No "snapping": a month end that is not the 31st stays that day (boost's months() would give 03-31).
  EXPECT_EQ(add_months(D("2024-02-29"), 1), D("2024-03-29"));
  EXPECT_EQ(add_months(D("2024-04-30"), 1), D("2024-05-30"));
  EXPECT_EQ(add_months(D("2024-03-31"), -1), D("2024-02-29"));
  EXPECT_EQ(add_months(D("2020-10-10"), 15), D("2022-01-10"));
  EXPECT_EQ(add_months(D("2024-02-29"), 12), D("2025-02-28"));
}

TEST(Date, AddDays) {
  EXPECT_EQ(add_days(D("9999-12-30"), 1), D("9999-12-31"));
  EXPECT_EQ(add_days(D("1400-01-02"), -1), D("1400-01-01"));
  for (auto [from, n] : {std::pair{"9999-12-31", 1}, {"1400-01-01", -1}, {"2025-01-01", 2'000'000'000}}) {
    // Not Boost's "Year is out of valid range".
    EXPECT_THAT([&] { add_days(D(from), n); }, ThrowsMessage<std::out_of_range>(StrEq("date out of range")))
        << from << " + " << n;
  }
  EXPECT_EQ(add_days(D("2024-02-28"), 1), D("2024-02-29"));
  EXPECT_EQ(add_days(D("2023-02-28"), 1), D("2023-03-01"));
  EXPECT_EQ(add_days(D("2024-06-10"), 45), D("2024-07-25"));
  EXPECT_EQ(add_days(D("2025-01-01"), -1), D("2024-12-31"));
}

TEST(Date, MonthsAndDaysBetween) {
  EXPECT_EQ(months_between(D("2024-01-31"), D("2024-02-29")), 1);
  EXPECT_EQ(months_between(D("2024-01-31"), D("2024-02-28")), 0);
  EXPECT_EQ(months_between(D("2020-10-10"), D("2021-01-09")), 2);
  EXPECT_EQ(months_between(D("2020-10-10"), D("2021-01-10")), 3);
  EXPECT_EQ(months_between(D("2021-01-10"), D("2020-10-10")), -3);
  // Review S5: backwards too, the largest n with add_months(a, n) <= b, a floor. 2025-03-15 - 1
  // month = 2025-02-15 <= 2025-02-20 (0 months would give 2025-03-15, after it): -1.
  // 6247-04-26 - 7 months = 6246-09-26 > 6246-09-19; - 8 months = 6246-08-26 <= it: -8.
  EXPECT_EQ(months_between(D("2025-03-15"), D("2025-02-20")), -1);
  EXPECT_EQ(months_between(D("6247-04-26"), D("6246-09-19")), -8);
  EXPECT_EQ(months_between(D("2025-03-31"), D("2025-02-28")), -1);  // 2025-03-31 - 1 = 2025-02-28
  for (const char* pair : {"2025-03-15 2025-02-20", "6247-04-26 6246-09-19", "2024-03-31 2023-02-28", "2025-01-01 1400-01-01"}) {
    const Date a = D(std::string(pair, 10).c_str()), b = D(pair + 11);
    const int n = months_between(a, b);
    EXPECT_LE(add_months(a, n), b) << pair;
    EXPECT_GT(add_months(a, n + 1), b) << pair;
  }
  EXPECT_EQ(months_between(M("2020-10"), M("2021-01")), 3);
  EXPECT_EQ(days_between(D("2024-06-10"), D("2024-07-26")), 46);
  EXPECT_EQ(days_between(D("2024-02-01"), D("2024-03-01")), 29);
  EXPECT_EQ(days_between(D("2024-03-01"), D("2024-02-01")), -29);
}

TEST(Date, AgeOnBirthdays) {
  EXPECT_EQ(age_on(D("2004-05-10"), D("2025-05-09")), 20);
  EXPECT_EQ(age_on(D("2004-05-10"), D("2025-05-10")), 21);
  // Born on 29 February: the year completes on 1 March in common years, on 29 Feb in leap years.
  EXPECT_EQ(age_on(D("2004-02-29"), D("2025-02-28")), 20);
  EXPECT_EQ(age_on(D("2004-02-29"), D("2025-03-01")), 21);
  EXPECT_EQ(age_on(D("2004-02-29"), D("2028-02-28")), 23);
  EXPECT_EQ(age_on(D("2004-02-29"), D("2028-02-29")), 24);
  EXPECT_EQ(age_on(D("2025-01-01"), D("2025-01-01")), 0);
  EXPECT_EQ(age_on(D("2025-06-01"), D("2025-01-01")), -1);
}

TEST(Date, StartAndEndOfMonth) {
  EXPECT_EQ(start_of_month(D("2024-02-17")), D("2024-02-01"));
  EXPECT_EQ(end_of_month(D("2024-02-17")), D("2024-02-29"));
  EXPECT_EQ(end_of_month(D("2100-02-01")), D("2100-02-28"));  // 2100 is not a leap year
  EXPECT_EQ(end_of_month(D("2000-02-01")), D("2000-02-29"));  // 2000 is
}

}  // namespace
}  // namespace kaidah

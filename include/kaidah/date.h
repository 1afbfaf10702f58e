#pragma once
/// \file
/// Calendar dates and months, on Boost.Date_Time, with kaidah's own month-end and birthday rules.

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kaidah {

/// A calendar day (proleptic Gregorian, years 1400–9999), printed and parsed as YYYY-MM-DD.
class Date {
 public:
  /// Builds the date; throws std::invalid_argument naming it if it does not exist
  /// ("2025-02-30 is not a valid date").
  Date(int year, int month, int day);
  explicit Date(boost::gregorian::date d);

  /// Parses exactly `YYYY-MM-DD`. Throws std::invalid_argument: "expected a date like
  /// 2025-01-01, got '2025-13-01'" or "2025-02-30 is not a valid date".
  static Date parse(std::string_view text);
  static std::optional<Date> try_parse(std::string_view text) noexcept;

  int year() const { return d_.year(); }
  int month() const { return d_.month(); }
  int day() const { return d_.day(); }
  const boost::gregorian::date& boost_date() const { return d_; }
  std::string to_string() const;

  friend bool operator==(const Date&, const Date&) = default;
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    return a.d_ < b.d_ ? std::strong_ordering::less
                       : (b.d_ < a.d_ ? std::strong_ordering::greater : std::strong_ordering::equal);
  }

 private:
  boost::gregorian::date d_;
};

/// A calendar month, printed and parsed as YYYY-MM (the unit of contributions and arrears).
class Month {
 public:
  Month(int year, int month);  ///< throws std::invalid_argument if month is not 1–12
  /// The month that contains `d`.
  static Month of(const Date& d) {
    const auto ymd = d.boost_date().year_month_day();  // once, not for year() and month() each
    return Month(ymd.year, ymd.month);
  }
  /// Parses exactly `YYYY-MM`; throws std::invalid_argument ("expected a month like 2025-01").
  static Month parse(std::string_view text);
  static std::optional<Month> try_parse(std::string_view text) noexcept;

  int year() const { return index_ / 12; }
  int month() const { return index_ % 12 + 1; }
  Date first_day() const;
  Date last_day() const;
  /// The month `n` months later (earlier if n < 0).
  Month plus(int n) const;
  std::string to_string() const;

  friend bool operator==(const Month&, const Month&) = default;
  friend auto operator<=>(const Month&, const Month&) = default;

 private:
  explicit Month(int index, bool) : index_(index) {}
  int index_;  // year * 12 + (month - 1)
};

/// `d` plus `n` days (n may be negative).
Date add_days(const Date& d, int n);

/// `d` plus `n` calendar months. The day of month is kept; where the target month is shorter, the
/// result is that month's last day: 2024-01-31 + 1 = 2024-02-29, 2024-02-29 + 1 = 2024-03-29,
/// 2024-04-30 + 1 = 2024-05-30. (Unlike boost::gregorian::months, a month end does not "snap"
/// to the next month end: a regulation's "one month after 30 April" is 30 May.)
Date add_months(const Date& d, int n);

/// Whole months from `from` to `to`: the largest n with add_months(from, n) <= to, negative
/// when `to` is before `from` (a floor both ways). months_between(2024-01-31, 2024-02-29) == 1,
/// months_between(2025-03-15, 2025-02-20) == -1.
int months_between(const Date& from, const Date& to);
/// `to` minus `from` in months: months_between(2020-10, 2021-01) == 3.
int months_between(const Month& from, const Month& to);
/// `to` minus `from` in days.
int days_between(const Date& from, const Date& to);

/// Age in completed years on `on` of a person born on `birth` (0 before the first birthday;
/// negative if `on` is before `birth`). Someone born on 29 February completes a year on
/// 1 March in common years: born 2004-02-29, age 20 on 2025-02-28 and 21 on 2025-03-01.
int age_on(const Date& birth, const Date& on);

/// The ISO weekday of `d`: 1 for Monday to 7 for Sunday.
int weekday(const Date& d);

Date start_of_month(const Date& d);
Date end_of_month(const Date& d);

}  // namespace kaidah

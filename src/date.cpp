#include "kaidah/date.h"

#include <cstdio>
#include <stdexcept>

namespace kaidah {
namespace greg = boost::gregorian;
namespace {

// Reads exactly `n` ASCII digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

int last_day_of(int year, int month) { return greg::gregorian_calendar::end_of_month_day(year, month); }

// Days in `month` of any year (Boost's calendar refuses years outside 1400-9999).
int days_in(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// A well-formed day or month outside the years kept is not called invalid: 1399-12-31 exists.
constexpr const char* kOutsideYears = " is outside the years 1400 to 9999";

std::string invalid_or_outside(int year, int month, int day) {
  const bool exists = month >= 1 && month <= 12 && day >= 1 && day <= days_in(year, month);
  return exists ? kOutsideYears : " is not a valid date";
}

}  // namespace

Date::Date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > days_in(year, month) || year < 1400 || year > 9999) {
    char text[64];
    if (year < 0 || month < 0 || day < 0) {  // "-001--1--1" would not read as a date
      std::snprintf(text, sizeof text, "year %d, month %d, day %d", year, month, day);
    } else {
      std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    }
    throw std::invalid_argument(text + invalid_or_outside(year, month, day));
  }
  d_ = greg::date(year, month, day);
}

Date::Date(greg::date d) : d_(d) {
  if (d.is_special()) throw std::invalid_argument("not a valid date");
}

Date Date::parse(std::string_view text) {
  auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !y || !m || !d) {
    throw std::invalid_argument("expected a date like 2025-01-01, got '" + std::string(text) + "'");
  }
  return Date(*y, *m, *d);
}

std::optional<Date> Date::try_parse(std::string_view text) noexcept {
  try {
    return parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string Date::to_string() const {
  char text[48];  // room for any int, though years are 1400-9999
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year(), month(), day());
  return text;
}

Month::Month(int year, int month) {
  if (year < 1400 || year > 9999 || month < 1 || month > 12) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    throw std::invalid_argument(std::string(text) + (month < 1 || month > 12 ? " is not a valid month" : kOutsideYears));
  }
  index_ = year * 12 + month - 1;
}

Month Month::parse(std::string_view text) {
  auto y = digits(text, 0, 4), m = digits(text, 5, 2);
  if (text.size() != 7 || text[4] != '-' || !y || !m) {
    throw std::invalid_argument("expected a month like 2025-01, got '" + std::string(text) + "'");
  }
  return Month(*y, *m);
}

std::optional<Month> Month::try_parse(std::string_view text) noexcept {
  try {
    return parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Date Month::first_day() const { return Date(year(), month(), 1); }
Date Month::last_day() const { return Date(year(), month(), last_day_of(year(), month())); }

Month Month::plus(int n) const {
  const long index = static_cast<long>(index_) + n;
  if (index < 1400L * 12 || index > 9999L * 12 + 11) throw std::out_of_range("month out of range");
  return Month(static_cast<int>(index), true);
}

std::string Month::to_string() const {
  char text[48];  // room for any int, though years are 1400-9999
  std::snprintf(text, sizeof text, "%04d-%02d", year(), month());
  return text;
}

Date add_days(const Date& d, int n) {
  // On day numbers, so that a result past 9999 is this message and not Boost's "Year is out of
  // valid range".
  static const long first = greg::date(1400, 1, 1).day_number(), last = greg::date(9999, 12, 31).day_number();
  const long day = static_cast<long>(d.boost_date().day_number()) + n;
  if (day < first || day > last) throw std::out_of_range("date out of range");
  return Date(greg::date(static_cast<greg::date::date_int_type>(day)));
}

Date add_months(const Date& d, int n) {
  const auto ymd = d.boost_date().year_month_day();  // once: each of year(), month(), day() computes it
  const long index = ymd.year * 12L + (ymd.month - 1) + n;
  if (index < 1400L * 12 || index > 9999L * 12 + 11) throw std::out_of_range("date out of range");
  const int year = static_cast<int>(index / 12), month = static_cast<int>(index % 12) + 1;
  return Date(year, month, std::min<int>(ymd.day, last_day_of(year, month)));
}

int months_between(const Date& from, const Date& to) {
  // A floor, in either direction: add_months(from, n) <= to always holds, so that a span in
  // arrears is never overstated. The months apart is n or n + 1.
  int n = months_between(Month::of(from), Month::of(to));
  if (add_months(from, n) > to) --n;
  return n;
}

int months_between(const Month& from, const Month& to) {
  return (to.year() * 12 + to.month()) - (from.year() * 12 + from.month());
}

int days_between(const Date& from, const Date& to) {
  return static_cast<int>((to.boost_date() - from.boost_date()).days());
}

int age_on(const Date& birth_date, const Date& on_date) {
  const auto birth = birth_date.boost_date().year_month_day(), on = on_date.boost_date().year_month_day();
  int age = on.year - birth.year;
  // The birthday in `on`'s year; 29 February counts as 1 March in a common year.
  const bool leap_birthday = birth.month == 2 && birth.day == 29;
  const bool common_year = !greg::gregorian_calendar::is_leap_year(on.year);
  const int bmonth = (leap_birthday && common_year) ? 3 : static_cast<int>(birth.month);
  const int bday = (leap_birthday && common_year) ? 1 : static_cast<int>(birth.day);
  if (on.month < bmonth || (on.month == bmonth && on.day < bday)) --age;
  return age;
}

int weekday(const Date& d) {
  // Day number 0 of Boost's calendar (the Julian day number) was a Monday.
  return static_cast<int>(d.boost_date().day_number() % 7) + 1;
}

Date start_of_month(const Date& d) { return Month::of(d).first_day(); }
Date end_of_month(const Date& d) { return Month::of(d).last_day(); }

}  // namespace kaidah

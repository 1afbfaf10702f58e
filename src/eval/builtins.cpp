#include "eval/builtins.h"

#include <climits>
#include <cstdio>
#include <stdexcept>

namespace kaidah::detail {

int count_of(std::int64_t n, const char* unit) {
  if (n < INT_MIN || n > INT_MAX) throw std::out_of_range(std::string(unit) + " out of range");
  return static_cast<int>(n);
}

bool is_scalar_builtin(Builtin f) {
  switch (f) {
    case Builtin::abs: case Builtin::date: case Builtin::month: case Builtin::add_days: case Builtin::add_months:
    case Builtin::months_between: case Builtin::days_between: case Builtin::age_on: case Builtin::start_of_month:
    case Builtin::end_of_month: case Builtin::year: case Builtin::day: case Builtin::month_number:
    case Builtin::weekday:
      return true;
    default:
      return false;
  }
}

Value scalar_builtin(Builtin f, const std::array<const Value*, 3>& args) {
  const Value& a = *args[0];
  switch (f) {
    case Builtin::abs:
      if (a.kind() == Kind::integer) {
        if (a.as_integer() == INT64_MIN) throw std::overflow_error("integer overflow");
        return a.as_integer() < 0 ? -a.as_integer() : a.as_integer();
      }
      return a.as_decimal().abs();
    case Builtin::date: {
      const std::int64_t y = a.as_integer(), m = args[1]->as_integer(), d = args[2]->as_integer();
      if (y < INT_MIN || y > INT_MAX || m < INT_MIN || m > INT_MAX || d < INT_MIN || d > INT_MAX) {
        char text[80];  // as Date(y, m, d) says it, where the numbers do not fit an int
        std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld is not a valid date", static_cast<long long>(y),
                      static_cast<long long>(m), static_cast<long long>(d));
        throw std::invalid_argument(text);
      }
      return Date(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
    }
    case Builtin::month: return Month::of(a.as_date());
    case Builtin::add_days: return add_days(a.as_date(), count_of(args[1]->as_integer(), "date"));
    case Builtin::add_months: {
      const int n = count_of(args[1]->as_integer(), a.kind() == Kind::month ? "month" : "date");
      if (a.kind() == Kind::month) return a.as_month().plus(n);
      return add_months(a.as_date(), n);
    }
    case Builtin::months_between:
      if (a.kind() == Kind::month) return std::int64_t{months_between(a.as_month(), args[1]->as_month())};
      return std::int64_t{months_between(a.as_date(), args[1]->as_date())};
    case Builtin::days_between: return std::int64_t{days_between(a.as_date(), args[1]->as_date())};
    case Builtin::age_on: return std::int64_t{age_on(a.as_date(), args[1]->as_date())};
    case Builtin::start_of_month:
    case Builtin::end_of_month: {
      const Month m = a.kind() == Kind::month ? a.as_month() : Month::of(a.as_date());
      return f == Builtin::start_of_month ? m.first_day() : m.last_day();
    }
    case Builtin::year: return std::int64_t{a.kind() == Kind::month ? a.as_month().year() : a.as_date().year()};
    case Builtin::day: return std::int64_t{a.as_date().day()};
    case Builtin::month_number:
      return std::int64_t{a.kind() == Kind::month ? a.as_month().month() : a.as_date().month()};
    case Builtin::weekday: return std::int64_t{weekday(a.as_date())};
    default: throw std::logic_error("internal error: not a scalar builtin");
  }
}

}  // namespace kaidah::detail

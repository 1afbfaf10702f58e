#include "lang/builtins.h"

#include <climits>
#include <cstdio>
#include <stdexcept>

namespace kaidah::detail {

int count_of(std::int64_t n, const char* unit) {
  if (n < INT_MIN || n > INT_MAX) throw std::out_of_range(std::string(unit) + " out of range");
  return static_cast<int>(n);
}

bool is_scalar_builtin(Builtin f) { return f != Builtin::none && info(f).kernel == BuiltinInfo::Kernel::scalar; }

Value scalar_builtin(Builtin f, const std::array<const Value*, 3>& args) {
  const Value& a = *args[0];
  switch (f) {
    case Builtin::abs:
      if (a.kind() == Kind::integer) {
        if (a.as_integer() == INT64_MIN) throw std::overflow_error("integer overflow");
        return a.as_integer() < 0 ? -a.as_integer() : a.as_integer();
      }
      return a.as_decimal().abs();
    case Builtin::quotient: {
      // The mode: a bare word the checker made the Rounding's number, or an enum value's text.
      const Value& mode = *args[2];
      const Rounding r = mode.kind() == Kind::integer ? static_cast<Rounding>(mode.as_integer()) : *parse_rounding(mode.as_text());
      return Decimal::quotient(a.as_number(), args[1]->as_number(), r);
    }
    case Builtin::date: {
      const std::int64_t y = a.as_integer(), m = args[1]->as_integer(), d = args[2]->as_integer();
      if (y < INT_MIN || y > INT_MAX || m < INT_MIN || m > INT_MAX || d < INT_MIN || d > INT_MAX) {
        char text[80];  // as Date(y, m, d) says it, where the numbers do not fit an int
        const bool only_year = m >= 1 && m <= 12 && d >= 1 && d <= 31;
        std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld %s", static_cast<long long>(y), static_cast<long long>(m),
                      static_cast<long long>(d), only_year ? "is outside the years 1400 to 9999" : "is not a valid date");
        throw std::invalid_argument(text);
      }
      return Date(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
    }
    case Builtin::month: case Builtin::add_days: case Builtin::add_months: case Builtin::months_between:
    case Builtin::days_between: case Builtin::age_on: case Builtin::start_of_month: case Builtin::end_of_month:
    case Builtin::year: case Builtin::day: case Builtin::weekday: case Builtin::month_number: {
      // A date builtin, on numbers as the columnar form computes it.
      if (!is_date_builtin(f, a.kind())) throw std::logic_error("internal error: not a date or month");
      auto number = [](const Value* v) -> std::int64_t {
        if (!v) return 0;
        if (v->kind() == Kind::date) return day_number(v->as_date());
        if (v->kind() == Kind::month) return month_index(v->as_month());
        return v->as_integer();
      };
      const std::int64_t r = date_builtin(f, a.kind(), number(args[0]), number(args[1]));
      switch (date_builtin_kind(f, a.kind())) {
        case Kind::date: return date_of(r);
        case Kind::month: return month_of(r);
        default: return r;
      }
    }
    KAIDAH_ENGINE_CALL_CASES:
    KAIDAH_AGGREGATION_CASES:
    case Builtin::none:
      break;
  }
  throw std::logic_error("internal error: not a scalar builtin");
}

std::int64_t day_number(const Date& d) { return d.boost_date().day_number(); }

Date date_of(std::int64_t day) {
  return Date(boost::gregorian::date(static_cast<boost::gregorian::date::date_int_type>(day)));
}

std::int64_t month_index(const Month& m) { return std::int64_t{m.year()} * 12 + (m.month() - 1); }

Month month_of(std::int64_t index) { return Month(static_cast<int>(index / 12), static_cast<int>(index % 12) + 1); }

bool is_date_builtin(Builtin f, Kind first) {
  switch (f) {
    case Builtin::month: case Builtin::add_days: case Builtin::add_months: case Builtin::months_between:
    case Builtin::days_between: case Builtin::age_on: case Builtin::start_of_month: case Builtin::end_of_month:
    case Builtin::year: case Builtin::day: case Builtin::weekday: case Builtin::month_number:
      return first == Kind::date || first == Kind::month;
    case Builtin::quotient: case Builtin::abs: case Builtin::date:
    KAIDAH_ENGINE_CALL_CASES:
    KAIDAH_AGGREGATION_CASES:
    case Builtin::none:
      return false;
  }
  return false;
}

std::int64_t date_builtin(Builtin f, Kind first, std::int64_t a, std::int64_t b) {
  const bool month = first == Kind::month;
  switch (f) {
    case Builtin::weekday: return weekday(date_of(a));
    case Builtin::month: return month_index(Month::of(date_of(a)));
    case Builtin::add_days: return day_number(add_days(date_of(a), count_of(b, "date")));
    case Builtin::add_months:
      if (month) return month_index(month_of(a).plus(count_of(b, "month")));
      return day_number(add_months(date_of(a), count_of(b, "date")));
    case Builtin::months_between:
      return month ? months_between(month_of(a), month_of(b)) : months_between(date_of(a), date_of(b));
    case Builtin::days_between: return days_between(date_of(a), date_of(b));
    case Builtin::age_on: return age_on(date_of(a), date_of(b));
    case Builtin::start_of_month: return day_number(month ? month_of(a).first_day() : start_of_month(date_of(a)));
    case Builtin::end_of_month: return day_number(month ? month_of(a).last_day() : end_of_month(date_of(a)));
    case Builtin::year: return month ? month_of(a).year() : date_of(a).year();
    case Builtin::day: return date_of(a).day();
    case Builtin::month_number: return month ? month_of(a).month() : date_of(a).month();
    default: throw std::logic_error("internal error: not a date builtin");
  }
}

Kind date_builtin_kind(Builtin f, Kind first) {
  switch (f) {
    case Builtin::month: return Kind::month;
    case Builtin::add_days: case Builtin::start_of_month: case Builtin::end_of_month: return Kind::date;
    case Builtin::add_months: return first;
    default: return Kind::integer;
  }
}

}  // namespace kaidah::detail

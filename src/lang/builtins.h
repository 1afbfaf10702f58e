#pragma once
// The functions of scalar values (kernel `scalar` in builtins.def: dates, months, abs, quotient):
// one implementation for the Evaluator and for the columnar form of a batch, so that both give the
// same value and the same error.

#include <array>

#include "kaidah/value.h"
#include "lang/functions.h"

namespace kaidah::detail {

// `n` days or months to add, as an int; beyond an int's range, std::out_of_range("<unit> out of
// range"), as the date or month it would give is.
int count_of(std::int64_t n, const char* unit);

// True for the builtins scalar_builtin() computes (builtins.def's kernel `scalar`).
bool is_scalar_builtin(Builtin f);

// Dates and months as numbers, as the columnar form holds them: a date as its day number (Boost's,
// the Julian day number), a month as year * 12 + month - 1.
// day_number() of 1970-01-01 and month_index() of January 1970: where the days and months of
// typed columns (NumPy's datetime64[D], pandas' Period[M]) count from.
inline constexpr std::int64_t kUnixDay = 2'440'588, kUnixMonth = 1970 * 12;
std::int64_t day_number(const Date& d);
Date date_of(std::int64_t day);
std::int64_t month_index(const Month& m);
Month month_of(std::int64_t index);

// The scalar builtins of a date or month (`first`: the kind of their first argument), computed on
// numbers by date_builtin(): all but abs() and date().
bool is_date_builtin(Builtin f, Kind first);
// `f` of `a` (of kind `first`) and `b` (an integer, or a date or month as the builtin takes), as
// numbers, by the functions of date.h; the result is a number of date_builtin_kind(). Throws as
// those functions do ("date out of range").
std::int64_t date_builtin(Builtin f, Kind first, std::int64_t a, std::int64_t b);
Kind date_builtin_kind(Builtin f, Kind first);

// `f` of `args` (as many as the checker allowed). Throws std::invalid_argument,
// std::overflow_error or std::out_of_range with the message an EvaluationError carries
// ("2025-02-30 is not a valid date", "integer overflow").
Value scalar_builtin(Builtin f, const std::array<const Value*, 3>& args);

}  // namespace kaidah::detail

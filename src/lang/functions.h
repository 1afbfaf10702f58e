#pragma once
// The rule language's functions, declared once (builtins.def): the enum the syntax tree holds,
// and the table the parser, the checker, both engines and `kaidah functions` read.

#include <span>
#include <string>
#include <string_view>

namespace kaidah::detail {

enum class Builtin {
  none,  // not a call, or not resolved yet
#define KAIDAH_BUILTIN(id, ...) id,
#include "lang/builtins.def"
#undef KAIDAH_BUILTIN
};

// The `case` labels of the functions whose kernel is scalar_builtin(), for a switch over Builtin
// that must name every function (no `default`, so that the compiler names each switch a new
// function must join). functions.cpp checks at compile time that these lists are the table's.
#define KAIDAH_SCALAR_KERNEL_CASES                                                                               \
  case Builtin::quotient: case Builtin::abs: case Builtin::date: case Builtin::month: case Builtin::add_days:     \
  case Builtin::add_months: case Builtin::months_between: case Builtin::days_between: case Builtin::age_on:        \
  case Builtin::start_of_month: case Builtin::end_of_month: case Builtin::year: case Builtin::day:                 \
  case Builtin::weekday: case Builtin::month_number

// Likewise: the functions each engine implements (kernel `engine`) that have only a call form, and
// those of them that also aggregate (or only do).
#define KAIDAH_ENGINE_CALL_CASES                                                                                  \
  case Builtin::round: case Builtin::clamp: case Builtin::sorted: case Builtin::last: case Builtin::days:          \
  case Builtin::months: case Builtin::at: case Builtin::has
#define KAIDAH_AGGREGATION_CASES                                                                                  \
  case Builtin::min: case Builtin::max: case Builtin::sum: case Builtin::count: case Builtin::any:                 \
  case Builtin::all: case Builtin::map: case Builtin::filter: case Builtin::first

// One form of a function as the language reference shows it.
struct FunctionDoc {
  std::string_view signature, gives, notes;
};

struct BuiltinInfo {
  enum class Form { call, over, call_or_over };  // f(a, b); f(x in L, expr); both
  enum class Kernel { scalar, engine };          // scalar_builtin() computes it; each engine does
  Builtin id;
  std::string_view name;
  int min_args, max_args;  // of the call form
  Form form;
  Kernel kernel;
  FunctionDoc call, over;  // empty for a form it does not have

  constexpr bool callable() const { return form != Form::over; }
  constexpr bool aggregates() const { return form != Form::call; }
};

// Every function, in builtins.def's order (the reference's).
std::span<const BuiltinInfo> builtins();
// The function named `name`, or null.
const BuiltinInfo* find_builtin(std::string_view name);
const BuiltinInfo& info(Builtin f);  // f != Builtin::none

// The language reference's table of functions (docs/language.md, `kaidah functions`): one row per
// form, in the table's order.
std::string functions_markdown();

}  // namespace kaidah::detail

#pragma once
// What the files of the columnar form share: the lanes' constants and the kinds it lowers.

#include <cstdint>
#include <cstring>
#include <functional>
#include <type_traits>
#include <utility>
#include <stdexcept>
#include <vector>

#include "columnar/columnar.h"

namespace kaidah::detail::lanes {

using Lane = Columnar::Lane;
// A lane's machine type by its width (Columnar::lane_width()).
using Flag = std::uint8_t;  // a bool
using Word = std::int64_t;  // any other: an integer, a decimal at its register's places, a day, a month, an enum's number, a length

// Calls f with a value of the lane type of `width` (f takes its type from it): a loop written
// once for each width, no switch per lane.
template <class F>
decltype(auto) by_width(int width, F&& f) {
  if (width == 1) return f(Flag{});
  return f(Word{});
}
// Lane i of lanes of `width`, as a Lane; and the other way (a lane's value always fits its width).
// (Not by_width(): GCC left its lambda a call, asked for each lane.)
inline Lane load(const void* lanes, int width, std::size_t i) {
  return width == 1 ? Lane{static_cast<const Flag*>(lanes)[i]} : static_cast<const Word*>(lanes)[i];
}
inline void store(void* lanes, int width, std::size_t i, Lane v) {
  if (width == 1) {
    static_cast<Flag*>(lanes)[i] = static_cast<Flag>(v);
  } else {
    static_cast<Word*>(lanes)[i] = v;
  }
}

// 10^k for k from 0 to 18, the powers a 64-bit word holds.
inline constexpr int kMaxPower = 18;
inline constexpr std::uint64_t power_of_ten(int k) {
  std::uint64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}
// Calls f with std::integral_constant<std::uint64_t, 10^k> (k from 0 to kMaxPower): a loop that
// divides by it is compiled for each power, its division a multiplication.
template <class F, std::size_t... K>
decltype(auto) with_power_of_ten(int k, F&& f, std::index_sequence<K...>) {
  using Result = decltype(f(std::integral_constant<std::uint64_t, 1>{}));
  using Call = Result (*)(F&);
  static constexpr Call calls[] = {[](F& g) -> Result { return g(std::integral_constant<std::uint64_t, power_of_ten(K)>{}); }...};
  return calls[k](f);
}
template <class F>
decltype(auto) with_power_of_ten(int k, F&& f) {
  if (k < 0 || k > kMaxPower) throw std::logic_error("internal error: no power of ten of 64 bits");
  return with_power_of_ten(k, f, std::make_index_sequence<kMaxPower + 1>());
}

// The fewest places (0-12) at which `d` is a whole number of units.
inline int places_of(const Decimal& d) {
  int places = 0;
  Int128 unit = Decimal::from_scaled(1, 0).raw();
  while (places < Decimal::kScale && d.raw() % unit != 0) {
    unit /= 10;
    ++places;
  }
  return places;
}

inline constexpr int kUnvisited = -1, kNotLowered = -2, kLowering = -3;
// The lane of none, in the kinds whose lanes are never negative (enum numbers, day numbers, month
// indexes): an optional decision of one of those kinds is lowered with it.
inline constexpr Lane kNone = -1;
inline bool none_fits(Kind k) { return k == Kind::text || k == Kind::date || k == Kind::month; }


// Thrown where a decision turns out not to be lowerable midway (its code is dropped as dead).
struct NotLowered {};

inline bool scalar_kind(const Type& t) {
  switch (t.kind) {
    case Kind::boolean: case Kind::integer: case Kind::decimal: case Kind::date: case Kind::month: return !t.none_literal;
    case Kind::text: return t.is_enum() && !t.none_literal;  // enums only: their spellings are numbered
    default: return false;
  }
}

// A list of scalars, or of records (read through their fields in a comprehension).
inline bool list_kind(const Type& t) {
  if (t.kind != Kind::list || t.none_literal) return false;
  switch (t.element) {
    case Kind::boolean: case Kind::integer: case Kind::decimal: case Kind::date: case Kind::month: case Kind::record:
      return true;
    case Kind::text: return t.is_enum();
    default: return false;
  }
}

// Calls f with the comparison `code` (eq ... ge) as a function object over T: a loop written once
// for each, no switch per lane.
template <class T, class F>
void with_comparison(Columnar::Code code, F&& f) {
  using Code = Columnar::Code;
  switch (code) {
    case Code::eq: return f(std::equal_to<T>());
    case Code::ne: return f(std::not_equal_to<T>());
    case Code::lt: return f(std::less<T>());
    case Code::le: return f(std::less_equal<T>());
    case Code::gt: return f(std::greater<T>());
    case Code::ge: return f(std::greater_equal<T>());
    default: throw std::logic_error("internal error: not a comparison");
  }
}

inline bool ordered(Kind k) { return k == Kind::integer || k == Kind::decimal || k == Kind::date || k == Kind::month; }

// The expressions of decision `d`: its formula, or every condition and result of its table.
inline std::vector<const Node*> roots(const CompiledDecision& d) {
  std::vector<const Node*> exprs;
  if (d.formula) exprs.push_back(d.formula->root.get());
  for (const CompiledRow& row : d.table) {
    for (const auto& w : row.when) exprs.push_back(w.root.get());
    exprs.push_back(row.then.root.get());
  }
  return exprs;
}

// Whether any of the n flags from p is set, eight at a time.
inline bool any_set(const std::uint8_t* p, std::size_t n) {
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + k, sizeof word);
    if (word != 0) return true;
  }
  for (; k < n; ++k)
    if (p[k] != 0) return true;
  return false;
}

}  // namespace kaidah::detail::lanes

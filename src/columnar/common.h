#pragma once
// What the files of the columnar form share: the lanes' constants and the kinds it lowers.

#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <vector>

#include "columnar/columnar.h"

namespace kaidah::detail::lanes {

using Lane = Columnar::Lane;
// A lane's machine type by its width (Columnar::lane_width()).
using Flag = std::uint8_t;  // a bool
using Word = std::int64_t;  // an integer, a date's day number, a month's index, an enum's number, a list's length
using Wide = Lane;          // a decimal's raw value

// Calls f with a value of the lane type of `width` (f takes its type from it): a loop written
// once for each width, no switch per lane.
template <class F>
decltype(auto) by_width(int width, F&& f) {
  switch (width) {
    case 1: return f(Flag{});
    case 8: return f(Word{});
    default: return f(Wide{});
  }
}
// Lane i of lanes of `width`, as a Lane; and the other way (a lane's value always fits its width).
// (A switch of their own, not by_width(): GCC left its lambda a call, asked for each lane.)
inline Lane load(const void* lanes, int width, std::size_t i) {
  switch (width) {
    case 1: return static_cast<const Flag*>(lanes)[i];
    case 8: return static_cast<const Word*>(lanes)[i];
    default: return static_cast<const Wide*>(lanes)[i];
  }
}
inline void store(void* lanes, int width, std::size_t i, Lane v) {
  switch (width) {
    case 1: static_cast<Flag*>(lanes)[i] = static_cast<Flag>(v); return;
    case 8: static_cast<Word*>(lanes)[i] = static_cast<Word>(v); return;
    default: static_cast<Wide*>(lanes)[i] = v; return;
  }
}

inline constexpr Lane kOne = Decimal(1).raw();
inline constexpr Lane kLowestLane = static_cast<Lane>(static_cast<UInt128>(1) << 127);  // -2^127

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

#pragma once
// Decimal's raw arithmetic in 64-bit pieces, inline: what decimal.cpp divides and rounds with, and
// what the columnar kernels round their lanes with (a product past 12 places, a quotient, any
// rounding). One rounding decision (round_away) for both, so they cannot part.

#include <cstdint>
#include <optional>

#include "kaidah/decimal.h"

namespace kaidah::detail {

static_assert(Decimal::kScale == 12, "the raw unit below is 10^12");

// Whether a quotient truncated towards zero moves one unit away from zero under `mode`, given the
// remainder's magnitude `abs_r` (not 0), `rest` = |divisor| - abs_r (so that no doubling can
// overflow), whether the quotient is odd and whether the exact quotient is negative.
template <class U>
constexpr bool round_away(const U& abs_r, const U& rest, bool odd, bool negative, Rounding mode) {
  switch (mode) {
    case Rounding::down: return false;
    case Rounding::up: return true;
    case Rounding::floor: return negative;
    case Rounding::ceiling: return !negative;
    case Rounding::half_up: return abs_r >= rest;
    case Rounding::half_even: return abs_r > rest || (abs_r == rest && odd);
  }
  return false;  // not reached
}

// (hi:lo) / d and its remainder by one hardware division, where the quotient fits 64 bits
// (hi < d); false otherwise.
inline bool divide_64(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& q, std::uint64_t& r) {
  if (hi >= d) return false;
#if defined(__x86_64__) && defined(__GNUC__)
  __asm__("divq %[d]" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), [d] "r"(d) : "cc");
#else
  const UInt128 n = (static_cast<UInt128>(hi) << 64) | lo;
  q = static_cast<std::uint64_t>(n / d);
  r = static_cast<std::uint64_t>(n % d);
#endif
  return true;
}

inline UInt128 raw_magnitude(Int128 v) { return v < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(v) : static_cast<UInt128>(v); }

// The magnitude m (below 2^128) divided by d (below 2^64) rounded by `mode` (`negative`: the sign
// of the exact result), where the quotient fits 64 bits; nothing otherwise.
inline std::optional<UInt128> divide_magnitude(UInt128 m, std::uint64_t d, bool negative, Rounding mode) {
  std::uint64_t q = 0, r = 0;
  if (!divide_64(static_cast<std::uint64_t>(m >> 64), static_cast<std::uint64_t>(m), d, q, r)) return std::nullopt;
  const bool away = r != 0 && round_away<std::uint64_t>(r, d - r, (q & 1) != 0, negative, mode);
  return static_cast<UInt128>(q) + away;
}

}  // namespace kaidah::detail

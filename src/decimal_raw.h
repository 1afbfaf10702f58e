#pragma once
// Decimal's raw arithmetic in 64-bit pieces, inline: what decimal.cpp divides and rounds with, and
// what the columnar kernels call for each lane, where a call into decimal.cpp per lane was a fifth
// of a contribution batch. One rounding decision (round_away) for both, so they cannot part.

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

// Decimal::from_raw(x) * Decimal::from_raw(y), as a raw value, where both magnitudes fit 64 bits
// and so does the quotient of their product by 10^12 (money times a rate, in practice); nothing
// otherwise: Decimal's operator* then gives it (or its overflow). Rounded half to even, as it.
inline std::optional<Int128> multiply_raw(Int128 x, Int128 y) {
  const UInt128 ax = raw_magnitude(x), ay = raw_magnitude(y);
  if ((ax >> 64) != 0 || (ay >> 64) != 0) return std::nullopt;
  const bool negative = (x < 0) != (y < 0);
  constexpr std::uint64_t kOne = 1'000'000'000'000;  // 10^Decimal::kScale: a raw value's unit
  const auto q = divide_magnitude(ax * ay, kOne, negative, Rounding::half_even);
  if (!q) return std::nullopt;
  return negative ? -static_cast<Int128>(*q) : static_cast<Int128>(*q);
}

// Decimal::from_raw(x).round(places, mode), as a raw value, where `unit` = 10^(12 - places) (places
// 0 to 12) and |x| fits 64 bits; nothing otherwise: Decimal::round then gives it.
inline std::optional<Int128> round_raw(Int128 x, std::uint64_t unit, Rounding mode) {
  const UInt128 ax = raw_magnitude(x);
  if ((ax >> 64) != 0) return std::nullopt;
  const bool negative = x < 0;
  const auto q = divide_magnitude(ax, unit, negative, mode);
  if (!q) return std::nullopt;
  const Int128 out = static_cast<Int128>(*q * unit);  // at most |x| + unit: within 2^65
  return negative ? -out : out;
}

}  // namespace kaidah::detail

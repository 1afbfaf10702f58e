#include "kaidah/decimal.h"

#include "decimal_raw.h"

#include <array>
#include <boost/multiprecision/cpp_int.hpp>
#include <iterator>
#include <stdexcept>
#include <type_traits>

namespace kaidah {
namespace {

using Wide = boost::multiprecision::int256_t;  // products of two 128-bit raws fit exactly

// The range is symmetric, ±(2^127 - 1) raw units, as documented: the compiler's checked builtins
// detect results beyond 128 bits, and -2^127 itself (which has no negation) is refused too.
constexpr Int128 kMax = static_cast<Int128>((static_cast<UInt128>(1) << 127) - 1);
constexpr Int128 kMin = -kMax - 1;  // never a Decimal's raw value

constexpr std::array<Int128, 39> make_powers() {
  std::array<Int128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr auto kPow10 = make_powers();

[[noreturn]] void overflow() { throw std::overflow_error("decimal overflow: result out of range"); }

// num / den truncated towards zero, and the remainder, by one hardware division where it fits
// (|den| below 2^64 and the quotient too: every rounding to a power of ten of a Decimal in
// practice), instead of the compiler's generic 128-bit routine, several times slower.
template <class Int>
void divide(const Int& num, const Int& den, Int& q, Int& r) {
  if constexpr (std::is_same_v<Int, Int128>) {
    const bool negative_num = num < 0, negative_den = den < 0;
    const UInt128 n = detail::raw_magnitude(num), d = detail::raw_magnitude(den);
    std::uint64_t quotient = 0, remainder = 0;
    if (d >> 64 == 0 && detail::divide_64(static_cast<std::uint64_t>(n >> 64), static_cast<std::uint64_t>(n),
                                          static_cast<std::uint64_t>(d), quotient, remainder)) {
      q = negative_num != negative_den ? -static_cast<Int128>(quotient) : static_cast<Int128>(quotient);
      r = negative_num ? -static_cast<Int128>(remainder) : static_cast<Int128>(remainder);
      return;
    }
  }
  q = num / den;
  r = num - q * den;  // the remainder, without a second division
}

UInt128 magnitude(Int128 v) { return detail::raw_magnitude(v); }
Wide magnitude(const Wide& v) { return v < 0 ? Wide(-v) : v; }

bool is_odd(Int128 v) { return (v & 1) != 0; }  // no 128-bit division for a parity
bool is_odd(const Wide& v) { return v % 2 != 0; }

// Divides num by den (den > 0 or < 0) rounding the quotient by `mode`, as round_away() (the one
// place where kaidah decides what happens to a remainder) says.
template <class Int>
Int divide_rounded(const Int& num, const Int& den, Rounding mode) {
  Int q, r;
  divide(num, den, q, r);  // q truncated towards zero
  if (r == 0) return q;
  const bool negative = (num < 0) != (den < 0);
  // |r| against |den| - |r| rather than 2|r| against |den|: doubling a remainder near a divisor
  // above 2^126 would overflow. Magnitudes are unsigned, as |den| of the lowest raw is too.
  const auto abs_r = magnitude(r), rest = magnitude(den) - abs_r;
  const bool tie_odd = abs_r == rest && is_odd(q);  // only a tie asks for the parity
  if (detail::round_away(abs_r, rest, tie_odd, negative, mode)) q += negative ? -1 : 1;  // one unit away from zero
  return q;
}

Int128 narrow(const Wide& w) {
  if (w > Wide(kMax) || w <= Wide(kMin)) overflow();
  return static_cast<Int128>(w);
}

Wide widen(Int128 v) {
  // Boost's int256 has no constructor from Int128 on every version: go through two halves.
  const bool negative = v < 0;
  UInt128 mag = negative ? static_cast<UInt128>(-(v + 1)) + 1
                                   : static_cast<UInt128>(v);
  Wide w = Wide(static_cast<std::uint64_t>(mag >> 64));
  w <<= 64;
  w += Wide(static_cast<std::uint64_t>(mag));
  return negative ? Wide(-w) : w;
}

}  // namespace

std::string_view to_string(Rounding mode) {
  switch (mode) {
    case Rounding::half_up: return "half_up";
    case Rounding::half_even: return "half_even";
    case Rounding::up: return "up";
    case Rounding::down: return "down";
    case Rounding::floor: return "floor";
    case Rounding::ceiling: return "ceiling";
  }
  return "?";
}

std::optional<Rounding> parse_rounding(std::string_view name) {
  for (Rounding m : {Rounding::half_up, Rounding::half_even, Rounding::up, Rounding::down,
                     Rounding::floor, Rounding::ceiling}) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<Decimal> Decimal::try_parse(std::string_view text) noexcept {
  try {
    return parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Decimal Decimal::parse(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  Int128 whole = 0;
  int whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, text[i] - '0', &whole)) {
      throw std::overflow_error("number " + quoted + " is out of range");
    }
    ++i;
    ++whole_digits;
  }
  Int128 fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++fraction_digits > kScale) {
        throw std::invalid_argument("number " + quoted + " has more than " +
                                    std::to_string(kScale) + " decimal places");
      }
      fraction = fraction * 10 + (text[i] - '0');
      ++i;
    }
    if (fraction_digits == 0) whole_digits = 0;  // "1." is not a number
  }
  if (i != text.size() || whole_digits == 0) {
    throw std::invalid_argument("expected a number like 150000 or 0.05, got " + quoted);
  }
  Int128 raw = 0;
  if (__builtin_mul_overflow(whole, kOne, &raw) ||
      __builtin_add_overflow(raw, fraction * kPow10[kScale - fraction_digits], &raw)) {
    throw std::overflow_error("number " + quoted + " is out of range");
  }
  return from_raw(negative ? -raw : raw);
}

std::string Decimal::to_string() const {
  // Written backwards from the end of a buffer: sign, up to 27 whole digits, point, 12 places.
  char text[48];
  char* p = std::end(text);
  const bool negative = raw_ < 0;
  const UInt128 magnitude = negative ? static_cast<UInt128>(-(raw_ + 1)) + 1 : static_cast<UInt128>(raw_);
  const auto one = static_cast<UInt128>(kOne);
  const UInt128 whole = magnitude / one;
  auto fraction = static_cast<std::uint64_t>(magnitude % one);
  if (fraction != 0) {
    int places = kScale;
    for (; fraction % 10 == 0; fraction /= 10) --places;  // the shortest: no trailing zeros
    for (; places > 0; --places, fraction /= 10) *--p = static_cast<char>('0' + fraction % 10);
    *--p = '.';
  }
  const auto write_whole = [&](auto digits) {  // in 64 bits where they fit: a 128-bit division is a call
    do {
      *--p = static_cast<char>('0' + static_cast<int>(digits % 10));
      digits /= 10;
    } while (digits != 0);
  };
  if (whole >> 64 == 0) write_whole(static_cast<std::uint64_t>(whole));
  else write_whole(whole);
  if (negative) *--p = '-';
  return std::string(p, std::end(text));
}

Decimal Decimal::round(int places, Rounding mode) const {
  if (places < -18 || places > kScale) {
    throw std::invalid_argument("round: places must be between -18 and " + std::to_string(kScale) +
                                ", got " + std::to_string(places));
  }
  const Int128 unit = kPow10[kScale - places];
  const Int128 q = divide_rounded<Int128>(raw_, unit, mode);
  Int128 out = 0;
  if (__builtin_mul_overflow(q, unit, &out)) overflow();
  return from_raw(out);
}

std::int64_t Decimal::to_int64() const {
  const Int128 whole = raw_ / kOne;
  if (whole > INT64_MAX || whole < INT64_MIN) overflow();
  return static_cast<std::int64_t>(whole);
}

std::int64_t Decimal::quotient(Decimal a, Decimal b, Rounding mode) {
  if (b.raw_ == 0) throw std::domain_error("division by zero");
  // Both are scaled by 10^kScale, so the quotient of the raw values is the quotient of the values.
  const Int128 q = divide_rounded<Int128>(a.raw_, b.raw_, mode);
  if (q > INT64_MAX || q < INT64_MIN) throw std::overflow_error("integer overflow");
  return static_cast<std::int64_t>(q);
}

std::optional<std::int64_t> Decimal::scaled(int places) const {
  if (places < 0 || places > kScale) return std::nullopt;
  Int128 q = 0, r = 0;
  if (places == 0 && raw_ >= 0 && raw_ >> 76 == 0) {
    // Whole units of an amount below about 7.5e10: 10^12 = 2^12 * 5^12, so a shift and a 64-bit
    // division by a constant (a multiplication), not a 128-bit division.
    if ((raw_ & 0xFFF) != 0) return std::nullopt;
    constexpr std::uint64_t kFive12 = 244'140'625;  // 5^12
    const auto m = static_cast<std::uint64_t>(raw_ >> 12);
    q = m / kFive12;
    r = m % kFive12;
  } else {
    divide<Int128>(raw_, kPow10[kScale - places], q, r);
  }
  if (r != 0 || q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(q);
}

Decimal Decimal::from_scaled(std::int64_t units, int places) {
  if (places < 0 || places > kScale) {
    throw std::invalid_argument("from_scaled: places must be between 0 and " + std::to_string(kScale) + ", got " +
                                std::to_string(places));
  }
  return from_raw(units * kPow10[kScale - places]);  // at most 2^63 * 10^12: within 128 bits
}

Decimal Decimal::abs() const { return raw_ < 0 ? -*this : *this; }

Decimal Decimal::operator-() const {
  if (raw_ == kMin) overflow();
  return from_raw(-raw_);
}

Decimal operator+(Decimal a, Decimal b) {
  Int128 r = 0;
  if (__builtin_add_overflow(a.raw_, b.raw_, &r) || r == kMin) overflow();
  return Decimal::from_raw(r);
}

Decimal operator-(Decimal a, Decimal b) {
  Int128 r = 0;
  if (__builtin_sub_overflow(a.raw_, b.raw_, &r) || r == kMin) overflow();
  return Decimal::from_raw(r);
}

Decimal operator*(Decimal a, Decimal b) {
  Int128 product = 0;
  if (!__builtin_mul_overflow(a.raw_, b.raw_, &product)) {  // the common, fast case
    return Decimal::from_raw(divide_rounded<Int128>(product, Decimal::kOne, Rounding::half_even));
  }
  const Wide wide = widen(a.raw_) * widen(b.raw_);
  return Decimal::from_raw(narrow(divide_rounded<Wide>(wide, Wide(1'000'000'000'000LL), Rounding::half_even)));
}

Decimal operator/(Decimal a, Decimal b) {
  if (b.raw_ == 0) throw std::domain_error("division by zero");
  Int128 scaled = 0;
  if (!__builtin_mul_overflow(a.raw_, Decimal::kOne, &scaled)) {
    return Decimal::from_raw(divide_rounded<Int128>(scaled, b.raw_, Rounding::half_even));
  }
  const Wide wide = widen(a.raw_) * Wide(1'000'000'000'000LL);
  return Decimal::from_raw(narrow(divide_rounded<Wide>(wide, widen(b.raw_), Rounding::half_even)));
}

}  // namespace kaidah

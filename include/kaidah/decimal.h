#pragma once
/// \file
/// Exact decimal numbers for money and rates. kaidah never uses binary floating point for them.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kaidah {

/// How `Decimal::round` settles a value that lies between two candidates.
/// The spelling is the one used in YAML (`round(x, 0, half_up)`) and in Python.
enum class Rounding {
  half_up,    ///< to nearest; ties away from zero (2.5 → 3, -2.5 → -3)
  half_even,  ///< to nearest; ties to the even neighbour (2.5 → 2, 3.5 → 4)
  up,         ///< away from zero (2.1 → 3, -2.1 → -3)
  down,       ///< towards zero, i.e. truncate (2.9 → 2, -2.9 → -2)
  floor,      ///< towards negative infinity (2.9 → 2, -2.1 → -3)
  ceiling,    ///< towards positive infinity (2.1 → 3, -2.9 → -2)
};

/// The YAML/Python spelling of `mode`, e.g. "half_up".
std::string_view to_string(Rounding mode);
/// The mode spelled `name`, or nothing if there is none.
std::optional<Rounding> parse_rounding(std::string_view name);

/// The 128-bit integers a Decimal is held in: a GCC and Clang extension, declared with
/// `__extension__` so that a host compiling with -Wpedantic is not warned about it.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// A signed fixed-point decimal with `kScale` fractional digits, held exactly in a 128-bit
/// integer (magnitude below about 1.7e26).
///
/// Addition, subtraction and comparison are exact. A product or quotient that needs more than
/// `kScale` fractional digits is rounded half_even to `kScale` digits (the one implicit rounding,
/// far below a rupiah); money is rounded explicitly with `round()`.
///
/// Errors are the standard ones, so that callers can tell them apart: `std::overflow_error` when
/// a result is out of range (never a wrap), `std::domain_error` on division by zero,
/// `std::invalid_argument` from `parse` on malformed text. kaidah's evaluator turns them into
/// an `EvaluationError` naming the decision.
///
/// **Example**:
/// \code
///   Decimal wage = Decimal::parse("5000000");
///   Decimal share = (wage * Decimal::parse("0.04")).round(0, Rounding::half_up);  // 200000
/// \endcode
class Decimal {
 public:
  /// Fractional digits held exactly.
  static constexpr int kScale = 12;

  /// Zero.
  constexpr Decimal() = default;
  /// The whole number `value`.
  constexpr explicit Decimal(std::int64_t value) : raw_(static_cast<Int128>(value) * kOne) {}

  /// Parses `[+-]digits[.digits]`, e.g. "150000", "-0.05", "4200479.19". No exponents, no
  /// separators, at most `kScale` fractional digits. Throws std::invalid_argument naming the
  /// problem, or std::overflow_error when the number is out of range.
  static Decimal parse(std::string_view text);
  /// Like `parse`, but returns nothing instead of throwing.
  static std::optional<Decimal> try_parse(std::string_view text) noexcept;

  /// The value `raw / 10^kScale`.
  static constexpr Decimal from_raw(Int128 raw) {
    Decimal d;
    d.raw_ = raw;
    return d;
  }
  constexpr Int128 raw() const { return raw_; }

  /// The shortest exact text: "150000", "0.05", "-12.5". `parse(d.to_string()) == d`.
  std::string to_string() const;

  /// Rounds to `places` decimal places (negative: to tens, hundreds…) using `mode`.
  /// Nothing else in kaidah rounds money.
  /// Example: `Decimal::parse("12345.675").round(2, Rounding::half_up) == Decimal::parse("12345.68")`.
  /// Throws std::invalid_argument if `places` is outside [-18, kScale].
  Decimal round(int places, Rounding mode) const;

  /// `a / b` as a whole number rounded by `mode`, exactly: the remainder decides, not a quotient
  /// first rounded to kScale digits. Example: `Decimal::quotient(Decimal(7), Decimal(2), Rounding::down) == 3`.
  /// Throws std::domain_error("division by zero"), or std::overflow_error("integer overflow")
  /// if the result does not fit in 64 bits.
  static std::int64_t quotient(Decimal a, Decimal b, Rounding mode);

  /// True if the value has no fractional part.
  bool is_integer() const { return raw_ % kOne == 0; }
  /// The whole-number part (truncated). Throws std::overflow_error if it does not fit.
  std::int64_t to_int64() const;
  /// The value as a whole number of 10^-places units (places 0: whole rupiah, 2: hundredths),
  /// when it is one and fits in 64 bits: what a column of scaled integers (NumPy, Arrow, an SQL
  /// DECIMAL) holds exactly. Nothing otherwise, or for places outside [0, kScale].
  /// Example: `Decimal::parse("1.25").scaled(2) == 125`, `Decimal::parse("1.25").scaled(1)` is empty.
  std::optional<std::int64_t> scaled(int places) const;
  /// The inverse: `units` of 10^-places, e.g. `from_scaled(125, 2)` is 1.25. Throws
  /// std::invalid_argument if `places` is outside [0, kScale].
  static Decimal from_scaled(std::int64_t units, int places);
  int sign() const { return raw_ < 0 ? -1 : (raw_ > 0 ? 1 : 0); }
  Decimal abs() const;

  friend Decimal operator+(Decimal a, Decimal b);
  friend Decimal operator-(Decimal a, Decimal b);
  friend Decimal operator*(Decimal a, Decimal b);
  friend Decimal operator/(Decimal a, Decimal b);
  Decimal operator-() const;
  Decimal& operator+=(Decimal b) { return *this = *this + b; }
  Decimal& operator-=(Decimal b) { return *this = *this - b; }

  friend constexpr bool operator==(Decimal a, Decimal b) = default;
  friend constexpr std::strong_ordering operator<=>(Decimal a, Decimal b) {
    return a.raw_ < b.raw_ ? std::strong_ordering::less
                           : (a.raw_ > b.raw_ ? std::strong_ordering::greater
                                              : std::strong_ordering::equal);
  }

 private:
  static constexpr Int128 kOne = 1'000'000'000'000;  // 10^kScale
  Int128 raw_ = 0;
};

}  // namespace kaidah

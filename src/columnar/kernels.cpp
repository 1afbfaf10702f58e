// The lane-wise kernels: each instruction of the rows (or of one list space) over its lanes.

#include "columnar/common.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "decimal_raw.h"
#include "eval/inputs.h"
#include "lang/builtins.h"

namespace kaidah::detail {

using namespace lanes;

void Columnar::execute(Block& b, const Instruction& in) const {
  if (across_spaces(in.code)) {
    execute_list(b, in);
    return;
  }
  const int space = registers_[in.dst].space;
  const Lanes args{in.a >= 0 ? lanes_of(b, in.a) : nullptr,
                   in.b >= 0 ? lanes_of(b, in.b) : nullptr,
                   in.c >= 0 ? lanes_of(b, in.c) : nullptr,
                   in.a >= 0 ? bad_of(b, in.a) : nullptr,
                   in.b >= 0 ? bad_of(b, in.b) : nullptr,
                   in.c >= 0 ? bad_of(b, in.c) : nullptr,
                   in.a >= 0 ? registers_[in.a].width : 0,
                   registers_[in.dst].width,
                   in.a >= 0 ? registers_[in.a].places : 0,
                   in.b >= 0 ? registers_[in.b].places : 0};
  compute(in, registers_[in.dst].kind, space ? b.spaces_[space].size : b.rows_, lanes_of(b, in.dst), bad_of(b, in.dst),
          args);
}

namespace {

// Lanes d[i] = f(i) where no argument is bad (a bad one's garbage could only raise). A lane whose
// f throws is bad: the Evaluator gives that row's value or error.
template <class T, class F>
void each_good(std::size_t n, T* d, std::uint8_t* db, const std::uint8_t* xb, const std::uint8_t* yb,
               const std::uint8_t* zb, F&& f) {
  for (std::size_t i = 0; i < n; ++i) {
    if (xb[i] | (yb ? yb[i] : 0) | (zb ? zb[i] : 0)) {
      d[i] = 0;
      db[i] = 1;
      continue;
    }
    try {
      d[i] = static_cast<T>(f(i));
      db[i] = 0;
    } catch (const std::exception&) {
      d[i] = 0;
      db[i] = 1;
    }
  }
}

template <class T>
const T* as(const void* lanes) { return static_cast<const T*>(lanes); }

}  // namespace

void Columnar::compute(const Instruction& in, Kind kind, std::size_t n, void* d, std::uint8_t* db, const Lanes& args) const {
  switch (in.code) {
    case Code::int_to_dec: case Code::rescale: case Code::add_int: case Code::sub_int: case Code::mul_int: case Code::neg_int:
    case Code::add_dec: case Code::sub_dec: case Code::mul_dec: case Code::div_dec: case Code::neg_dec: case Code::round:
    case Code::div_round:
      return arithmetic(in, n, d, db, args);
    case Code::eq: case Code::ne: case Code::lt: case Code::le: case Code::gt: case Code::ge:
      return comparison(in, n, d, db, args);
    case Code::and_: case Code::or_: case Code::any_of: case Code::not_:
      return logic(in, n, d, db, args);
    case Code::select: case Code::min: case Code::max: case Code::clamp: case Code::some: case Code::present:
      return choice(in, n, d, db, args);
    case Code::at: case Code::call:
      return lookup(in, kind, n, d, db, args);
    case Code::gather: case Code::expand: case Code::empty_list: case Code::month_range: case Code::day_range:
    case Code::map: case Code::filter: case Code::sorted: case Code::last: case Code::select_list: case Code::runs:
    case Code::count: case Code::count_true: case Code::sum_int: case Code::sum_dec: case Code::min_of:
    case Code::max_of: case Code::any_true: case Code::all_true: case Code::first_true: case Code::contains:
    case Code::sum_runs: case Code::sum_last_runs:
      return;  // across spaces: execute_list()
  }
}

namespace {

// |v| divided by the power of ten D and rounded by `mode` (of a quotient of v's sign), as a
// signed word: D and the mode constants, so the division is a multiplication and no lane asks
// which mode.
template <std::uint64_t D, Rounding mode>
Word divide_rounded(Word v) {
  const bool negative = v < 0;
  const std::uint64_t m = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::uint64_t q = m / D;
  const std::uint64_t r = m % D;
  q += r != 0 && round_away<std::uint64_t>(r, D - r, (q & 1) != 0, negative, mode);  // q < 2^63 / 10: no overflow
  return negative ? -static_cast<Word>(q) : static_cast<Word>(q);
}

// A 128-bit product or dividend `n` divided by `d` and rounded half to even, as Decimal rounds a
// product or a quotient to its 12 places; nothing where the quotient passes 64 bits.
std::optional<Word> narrow_rounded(Int128 n, std::uint64_t d, bool negative) {
  const std::optional<UInt128> q = divide_magnitude(raw_magnitude(n), d, negative, Rounding::half_even);
  if (!q || *q > static_cast<UInt128>(INT64_MAX)) return std::nullopt;
  return negative ? -static_cast<Word>(*q) : static_cast<Word>(*q);
}

// x + y (add) or x - y of n lanes into d, wrapping where they overflow, then the bad flags: a
// sum that overflowed has a sign other than both operands' (a difference, other than x's and
// the same as y's). Two loops of one width each, in a function of their own: so both vectorise.
void sum_or_difference(bool add, std::size_t n, const Word* x, const Word* y, Word* d, std::uint8_t* db,
                       const std::uint8_t* xb, const std::uint8_t* yb) {
  const auto sign = [](Word v) { return static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> 63); };
  if (add) {
    for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<Word>(static_cast<std::uint64_t>(x[i]) + static_cast<std::uint64_t>(y[i]));
    for (std::size_t i = 0; i < n; ++i) db[i] = xb[i] | yb[i] | sign((x[i] ^ d[i]) & (y[i] ^ d[i]));
  } else {
    for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<Word>(static_cast<std::uint64_t>(x[i]) - static_cast<std::uint64_t>(y[i]));
    for (std::size_t i = 0; i < n; ++i) db[i] = xb[i] | yb[i] | sign((x[i] ^ y[i]) & (x[i] ^ d[i]));
  }
}

}  // namespace

// Numbers: widening, rescaling, integer and decimal arithmetic (an overflow makes a lane bad),
// rounding. Both are words: a decimal's units at its register's places (Lanes::x_places,
// y_places), aligned by emit() where both sides are added, compared or chosen between.
void Columnar::arithmetic(const Instruction& in, std::size_t n, void* dv, std::uint8_t* db, const Lanes& args) {
  const std::uint8_t *xb = args.xb, *yb = args.yb;
  const Word *x = as<Word>(args.x), *y = as<Word>(args.y);
  Word* d = static_cast<Word*>(dv);
  auto good = [&](auto&& f) { each_good(n, d, db, xb, yb, args.zb, f); };
  const int product_places = args.x_places + args.y_places;
  switch (in.code) {
    case Code::int_to_dec:  // whole units
      std::copy_n(x, n, d);
      std::copy_n(xb, n, db);
      return;
    case Code::rescale:
      // The lanes, then the bad flags (a lane past what 64 bits hold at the new places): two
      // loops of one width each, so that both vectorise.
      with_power_of_ten(in.places - args.x_places, [&](auto unit) {
        constexpr auto factor = static_cast<Word>(decltype(unit)::value);
        constexpr Word high = INT64_MAX / factor, low = INT64_MIN / factor;
        const Word* from = x;  // locals: a byte stored may alias what the lambda captured
        const std::uint8_t* from_bad = xb;
        Word* to = d;
        std::uint8_t* bad = db;
        const std::size_t count = n;
        for (std::size_t i = 0; i < count; ++i) to[i] = static_cast<Word>(static_cast<std::uint64_t>(from[i]) * factor);  // wraps where bad
        for (std::size_t i = 0; i < count; ++i) bad[i] = from_bad[i] | (from[i] > high) | (from[i] < low);
      });
      return;
    case Code::mul_dec:
      if (product_places > Decimal::kScale) {  // beyond 12 places: rounded half to even, as Decimal rounds
        const std::uint64_t unit = power_of_ten(product_places - Decimal::kScale);
        good([&](std::size_t i) {
          const std::optional<Word> r = narrow_rounded(Int128{x[i]} * y[i], unit, (x[i] < 0) != (y[i] < 0));
          if (!r) throw std::overflow_error("decimal overflow");
          return *r;
        });
        return;
      }
      [[fallthrough]];  // exact: the units' product at the places' sum
    case Code::mul_int:
      for (std::size_t i = 0; i < n; ++i) {
        Word r = 0;
        const bool overflow = __builtin_mul_overflow(x[i], y[i], &r);
        d[i] = r;
        db[i] = xb[i] | yb[i] | overflow;
      }
      return;
    case Code::add_int: case Code::add_dec:
    case Code::sub_int: case Code::sub_dec:
      sum_or_difference(in.code == Code::add_int || in.code == Code::add_dec, n, x, y, d, db, xb, yb);
      return;
    case Code::neg_int:
    case Code::neg_dec:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] == INT64_MIN ? 0 : -x[i];
        db[i] = xb[i] | (x[i] == INT64_MIN);
      }
      return;
    case Code::div_dec: {
      // Decimal's quotient at 12 places: x's units times 10^(12 - x's places + y's), divided by
      // y's units, rounded half to even.
      const int exponent = Decimal::kScale - args.x_places + args.y_places;  // 0 to 24
      Int128 scale = 1;
      for (int k = 0; k < exponent; ++k) scale *= 10;
      for (std::size_t i = 0; i < n; ++i) {  // by zero (in an untaken branch, often): bad, without throwing
        Int128 dividend = 0;
        std::optional<Word> q;
        if (!xb[i] && !yb[i] && y[i] != 0 && !__builtin_mul_overflow(Int128{x[i]}, scale, &dividend)) {
          const std::uint64_t divisor = y[i] < 0 ? 0 - static_cast<std::uint64_t>(y[i]) : static_cast<std::uint64_t>(y[i]);
          q = narrow_rounded(dividend, divisor, (x[i] < 0) != (y[i] < 0));
        }
        d[i] = q.value_or(0);
        db[i] = !q;
      }
      return;
    }
    case Code::div_round: {
      // round(x / y, places, mode) as Decimal gives it: the quotient at 12 places rounded half to
      // even, then rounded again to `places` by the mode, both in 128 bits, so that a quotient
      // past the 12 places' 64 bits (9.2 million) is still the columnar form's.
      const int exponent = Decimal::kScale - args.x_places + args.y_places;  // 0 to 24
      const int drop = Decimal::kScale - in.places;                          // 1 to 30: places from -18 to 11
      const int tens = std::max(-in.places, 0);
      UInt128 scale = 1, unit = 1;
      for (int k = 0; k < exponent; ++k) scale *= 10;
      for (int k = 0; k < drop; ++k) unit *= 10;
      for (std::size_t i = 0; i < n; ++i) {
        db[i] = 1;
        d[i] = 0;
        Int128 dividend = 0;
        if (xb[i] || yb[i] || y[i] == 0 || __builtin_mul_overflow(Int128{x[i]}, static_cast<Int128>(scale), &dividend)) continue;
        const bool negative = (x[i] < 0) != (y[i] < 0);
        const UInt128 divisor = raw_magnitude(y[i]), m = raw_magnitude(dividend);
        UInt128 q = m / divisor;
        const UInt128 r = m % divisor;
        q += r != 0 && round_away<UInt128>(r, divisor - r, (q & 1) != 0, negative, Rounding::half_even);
        UInt128 rounded = q / unit;
        const UInt128 rest = q % unit;
        rounded += rest != 0 && round_away<UInt128>(rest, unit - rest, (rounded & 1) != 0, negative, in.mode);
        for (int k = 0; k < tens; ++k) rounded *= 10;  // whole units again: below 2^127 / 10^12, no overflow
        if (rounded > static_cast<UInt128>(INT64_MAX)) continue;
        d[i] = negative ? -static_cast<Word>(rounded) : static_cast<Word>(rounded);
        db[i] = 0;
      }
      return;
    }
    case Code::round: {
      // To `places` of x's: a division by a constant power of ten; to tens and beyond, whole units
      // again. Where the power passes 64 bits, by Decimal::round.
      const int drop = args.x_places - in.places;  // > 0: lower_round() emits no rounding that keeps all
      const int tens = std::max(-in.places, 0);
      if (drop > kMaxPower || tens > kMaxPower) {
        good([&](std::size_t i) {
          const auto r = Decimal::from_scaled(x[i], args.x_places).round(in.places, in.mode).scaled(std::max(in.places, 0));
          if (!r) throw std::overflow_error("decimal overflow");
          return *r;
        });
        return;
      }
      with_power_of_ten(drop, [&](auto unit) {
        auto lanes = [&](auto mode) {
          for (std::size_t i = 0; i < n; ++i) {
            d[i] = divide_rounded<decltype(unit)::value, decltype(mode)::value>(x[i]);
            db[i] = xb[i];
          }
        };
        switch (in.mode) {
          case Rounding::down: return lanes(std::integral_constant<Rounding, Rounding::down>());
          case Rounding::up: return lanes(std::integral_constant<Rounding, Rounding::up>());
          case Rounding::floor: return lanes(std::integral_constant<Rounding, Rounding::floor>());
          case Rounding::ceiling: return lanes(std::integral_constant<Rounding, Rounding::ceiling>());
          case Rounding::half_up: return lanes(std::integral_constant<Rounding, Rounding::half_up>());
          case Rounding::half_even: return lanes(std::integral_constant<Rounding, Rounding::half_even>());
        }
      });
      if (tens > 0) {  // the whole tens (hundreds...) as whole units
        const Word unit = static_cast<Word>(power_of_ten(tens));
        for (std::size_t i = 0; i < n; ++i) {
          Word r = 0;
          db[i] |= __builtin_mul_overflow(d[i], unit, &r);
          d[i] = r;
        }
      }
      return;
    }
    default: throw std::logic_error("internal error: a code compute() did not send here");
  }
}

// Comparisons: a loop per operator and operand width, no switch per lane. Both operands have one
// kind (emit()), so one width.
void Columnar::comparison(const Instruction& in, std::size_t n, void* dv, std::uint8_t* db, const Lanes& args) {
  Flag* d = static_cast<Flag*>(dv);
  const std::uint8_t *xb = args.xb, *yb = args.yb;
  by_width(args.x_width, [&](auto t) {
    using T = decltype(t);
    const T *x = as<T>(args.x), *y = as<T>(args.y);
    with_comparison<T>(in.code, [&](auto op) {
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = op(x[i], y[i]);
        db[i] = xb[i] | yb[i];
      }
    });
  });
}

// and, or, not: over bools' bytes.
void Columnar::logic(const Instruction& in, std::size_t n, void* dv, std::uint8_t* db, const Lanes& args) {
  const Flag *x = as<Flag>(args.x), *y = as<Flag>(args.y);
  Flag* d = static_cast<Flag*>(dv);
  const std::uint8_t *xb = args.xb, *yb = args.yb;
  switch (in.code) {
    case Code::and_:  // the right side counts only where the left is true, as in the Evaluator
      for (std::size_t i = 0; i < n; ++i) {
        const Flag a = x[i] != 0, b = y[i] != 0;
        d[i] = a & b;
        db[i] = xb[i] | (a & yb[i]);
      }
      return;
    case Code::or_:
      for (std::size_t i = 0; i < n; ++i) {
        const Flag a = x[i] != 0, b = y[i] != 0;
        d[i] = a | b;
        db[i] = xb[i] | ((a ^ 1) & yb[i]);
      }
      return;
    case Code::any_of:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = (x[i] != 0) | (y[i] != 0);
        db[i] = xb[i] | yb[i];
      }
      return;
    case Code::not_:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] == 0;
        db[i] = xb[i];
      }
      return;
    default: throw std::logic_error("internal error: a code compute() did not send here");
  }
}

// One of the operands: if-then-else, min, max, clamp, an optional value and has().
void Columnar::choice(const Instruction& in, std::size_t n, void* dv, std::uint8_t* db, const Lanes& args) {
  const std::uint8_t *xb = args.xb, *yb = args.yb, *zb = args.zb;
  if (in.code == Code::present) {  // has() computes the decision: its failure is has()'s
    Flag* d = static_cast<Flag*>(dv);
    by_width(args.x_width, [&](auto t) {
      using T = decltype(t);
      const T* x = as<T>(args.x);
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] != static_cast<T>(kNone);
        db[i] = xb[i];
      }
    });
    return;
  }
  by_width(args.d_width, [&](auto t) {
    using T = decltype(t);
    T* d = static_cast<T*>(dv);
    const T *y = as<T>(args.y), *z = as<T>(args.z);
    switch (in.code) {
      case Code::select: {  // only the branch taken counts; masks, not branches, as conditions vary by row
        // Two loops, the lanes and the bad flags, each of one width: so each vectorises.
        const Flag* c = as<Flag>(args.x);
        for (std::size_t i = 0; i < n; ++i) {
          const auto take = static_cast<T>(-static_cast<T>(c[i] != 0));  // all ones, or zero
          d[i] = static_cast<T>((y[i] & take) | (z[i] & ~take));
        }
        for (std::size_t i = 0; i < n; ++i) {
          const auto take = static_cast<std::uint8_t>(-static_cast<std::uint8_t>(c[i] != 0));
          db[i] = xb[i] | (yb[i] & take) | (zb[i] & static_cast<std::uint8_t>(~take));
        }
        return;
      }
      case Code::min: {
        const T* x = as<T>(args.x);
        for (std::size_t i = 0; i < n; ++i) {
          d[i] = std::min(x[i], y[i]);
          db[i] = xb[i] | yb[i];
        }
        return;
      }
      case Code::max: {
        const T* x = as<T>(args.x);
        for (std::size_t i = 0; i < n; ++i) {
          d[i] = std::max(x[i], y[i]);
          db[i] = xb[i] | yb[i];
        }
        return;
      }
      case Code::clamp: {  // where the lower bound is above the upper, the lane is bad (the Evaluator's error)
        const T* x = as<T>(args.x);
        for (std::size_t i = 0; i < n; ++i) d[i] = std::min(std::max(x[i], y[i]), z[i]);  // two loops: each vectorises
        for (std::size_t i = 0; i < n; ++i) db[i] = xb[i] | yb[i] | zb[i] | (y[i] > z[i]);
        return;
      }
      case Code::some: {
        const T* x = as<T>(args.x);
        for (std::size_t i = 0; i < n; ++i) {
          d[i] = x[i];
          db[i] = xb[i] | (x[i] == static_cast<T>(kNone));
        }
        return;
      }
      default: throw std::logic_error("internal error: a code compute() did not send here");
    }
  });
}

// A parameter's value at a date or month (at()), and a scalar function (call).
void Columnar::lookup(const Instruction& in, Kind kind, std::size_t n, void* dv, std::uint8_t* db, const Lanes& args) const {
  const std::uint8_t* xb = args.xb;
  switch (in.code) {
    case Code::at:
      by_width(args.d_width, [&](auto t) {
        using T = decltype(t);
        T* d = static_cast<T*>(dv);
        const Word* x = as<Word>(args.x);
        const AtTable& table = at_tables_[in.parameter];
        const Word* from = table.from.data();
        const auto periods = static_cast<std::ptrdiff_t>(table.from.size());
        std::ptrdiff_t k = -1;  // the period of the lane before: lanes near each other mostly share one
        for (std::size_t i = 0; i < n; ++i) {
          if (k < 0 || x[i] < from[k] || (k + 1 < periods && x[i] >= from[k + 1]))
            k = std::upper_bound(from, from + periods, x[i]) - from - 1;
          const bool none = xb[i] || k < 0 || table.none[k];  // no value in force: the Evaluator's error
          d[i] = none ? T{0} : static_cast<T>(table.value[k]);
          db[i] = none;
        }
      });
      return;
    case Code::call:
      by_width(args.d_width, [&](auto t) {
        using T = decltype(t);
        T* d = static_cast<T*>(dv);
        auto good = [&](auto&& f) { each_good(n, d, db, xb, args.yb, args.zb, f); };
        const int regs[] = {in.a, in.b, in.c};
        const void* lanes[] = {args.x, args.y, args.z};
        auto operand = [&](int k, std::size_t i) { return load(lanes[k], registers_[regs[k]].width, i); };
        if (const Kind first = registers_[in.a].kind; is_date_builtin(in.builtin, first)) {
          good([&](std::size_t i) -> Lane {
            return date_builtin(in.builtin, first, static_cast<std::int64_t>(operand(0, i)),
                                in.b >= 0 ? static_cast<std::int64_t>(operand(1, i)) : 0);
          });
          return;
        }
        const int places = result_places(in, kind);
        good([&](std::size_t i) -> Lane {
          std::array<Value, 3> values;
          std::array<const Value*, 3> pointers{};
          for (int k = 0; k < 3 && regs[k] >= 0; ++k) {
            values[k] = decode(operand(k, i), regs[k]);
            pointers[k] = &values[k];
          }
          const std::optional<Lane> lane = encode(scalar_builtin(in.builtin, pointers), kind, places);
          if (!lane) throw std::overflow_error("a decimal past 64 bits at its places");
          return *lane;
        });
      });
      return;
    default: throw std::logic_error("internal error: a code compute() did not send here");
  }
}

}  // namespace kaidah::detail

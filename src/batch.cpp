#include "kaidah/batch.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <utility>

#include "columnar/common.h"
#include "eval/evaluator.h"
#include "eval/inputs.h"
#include "kaidah/rulebook.h"
#include "lang/builtins.h"
#include "rulebook_access.h"

namespace kaidah {

using detail::Program;

struct Batch::Plan {
  std::shared_ptr<const Program> program;
  std::vector<std::string> input_columns, decisions;
  std::vector<int> input_slots, decision_slots;
  // The columns in the order of their inputs' names, the order in which Rulebook::evaluate reads
  // a Case: a row with two values that do not fit reports the same one either way.
  std::vector<std::size_t> check_order;
  Date date{2000, 1, 1};
  unsigned threads = 1;
  bool whole_row = false, typed_results = false;
  std::unique_ptr<const detail::Columnar> columnar;  // null when it computes none of the decisions
};

Batch::Batch(const Rulebook& rules, std::vector<std::string> input_columns, const Date& date,
             std::vector<std::string> decisions, BatchOptions options) {
  auto plan = std::make_unique<Plan>();
  plan->program = detail::RulebookAccess::program(rules);
  const Program& p = *plan->program;
  plan->input_slots = detail::input_slots(p, input_columns);
  plan->decision_slots = detail::decision_slots(p, decisions);
  plan->check_order = detail::name_order(input_columns);
  plan->input_columns = std::move(input_columns);
  plan->decisions = std::move(decisions);
  plan->date = date;
  // A thread each holds an evaluator and a block of rows: thousands would exhaust memory or fail
  // to start, out of Batch::run, for no gain.
  if (options.threads > BatchOptions::kMaxThreads) {
    throw std::invalid_argument("batch: threads is " + std::to_string(options.threads) + "; it must be at most " +
                                std::to_string(BatchOptions::kMaxThreads) + " (0: one per core)");
  }
  plan->threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  plan->whole_row = options.whole_row;
  plan->typed_results = options.typed_results;
  auto columnar = std::make_unique<detail::Columnar>(p, plan->input_slots, plan->decision_slots, date);
  if (columnar->computes_any()) plan->columnar = std::move(columnar);
  plan_ = std::move(plan);
}

Batch::~Batch() = default;
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;

const std::vector<std::string>& Batch::input_columns() const { return plan_->input_columns; }
const std::vector<std::string>& Batch::decisions() const { return plan_->decisions; }
const Date& Batch::date() const { return plan_->date; }

std::vector<std::string> Batch::columnar_decisions() const {
  std::vector<std::string> names;
  for (std::size_t d = 0; d < plan_->decisions.size(); ++d)
    if (plan_->columnar && plan_->columnar->computes(d)) names.push_back(plan_->decisions[d]);
  return names;
}

namespace {

// The layout of a typed column of values of type `t`, or none: Values.
std::optional<TypedColumn::Type> typed_form(const detail::Type& t) {
  if (t.none_literal) return std::nullopt;
  switch (t.kind) {
    case Kind::decimal: return TypedColumn::Type::decimal;
    case Kind::integer: return TypedColumn::Type::integer;
    case Kind::boolean: return TypedColumn::Type::boolean;
    case Kind::date: return TypedColumn::Type::date;
    case Kind::month: return TypedColumn::Type::month;
    case Kind::text: return t.is_enum() ? std::optional(TypedColumn::Type::code) : std::nullopt;
    case Kind::list: return t.element == Kind::list ? std::nullopt : typed_form(detail::element_of(t));  // its items'
    default: return std::nullopt;
  }
}

}  // namespace

Value ResultColumn::value(std::size_t i) const {
  if (!type) return values[i];
  if (missing[i]) return Value();
  if (!is_list()) return item(i);
  std::vector<Value> items;
  items.reserve(static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
  for (auto k = static_cast<std::size_t>(offsets[i]); k < static_cast<std::size_t>(offsets[i + 1]); ++k) items.push_back(item(k));
  return Value(std::move(items));
}

Value ResultColumn::item(std::size_t k) const {
  if (!type) return values[k];
  switch (*type) {
    case TypedColumn::Type::decimal:
      return wide.empty() ? Decimal::from_scaled(numbers[k], scale) : Decimal::from_raw(wide[k]);
    case TypedColumn::Type::integer: return numbers[k];
    case TypedColumn::Type::boolean: return flags[k] != 0;
    case TypedColumn::Type::date: return detail::date_of(numbers[k] + detail::kUnixDay);
    case TypedColumn::Type::month: return detail::month_of(numbers[k] + detail::kUnixMonth);
    case TypedColumn::Type::code: return codes[static_cast<std::size_t>(numbers[k])];
    case TypedColumn::Type::text: break;  // no result's type
  }
  return Value();  // not reached
}

namespace {

// Cell k of typed column c (a row's value, or a list's item) as Value::to_string() writes it.
void append_cell_text(const ResultColumn& c, std::size_t k, std::string& out) {
  const TypedColumn::Type type = *c.type;
  const std::vector<std::int64_t>& numbers = c.numbers;
  const int scale = c.scale;
  if ((type == TypedColumn::Type::decimal && !c.wide.empty()) || type == TypedColumn::Type::date ||
      type == TypedColumn::Type::month) {
    out += c.item(k).to_string();
    return;
  }
  char digits[24];
  switch (type) {
    case TypedColumn::Type::decimal: {
      // The shortest exact text, as Decimal::to_string: no trailing zeros after the point.
      const std::int64_t n = numbers[k];
      std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
      std::size_t places = static_cast<std::size_t>(scale);
      while (places > 0 && magnitude % 10 == 0) {
        magnitude /= 10;
        --places;
      }
      const std::size_t length = static_cast<std::size_t>(std::to_chars(digits, std::end(digits), magnitude).ptr - digits);
      if (n < 0) out += '-';
      if (places == 0) {
        out.append(digits, length);
      } else if (length <= places) {
        out += "0.";
        out.append(places - length, '0');
        out.append(digits, length);
      } else {
        out.append(digits, length - places);
        out += '.';
        out.append(digits + length - places, places);
      }
      return;
    }
    case TypedColumn::Type::integer:
      out.append(digits, static_cast<std::size_t>(std::to_chars(digits, std::end(digits), numbers[k]).ptr - digits));
      return;
    case TypedColumn::Type::boolean: out += c.flags[k] ? "true" : "false"; return;
    case TypedColumn::Type::code: out += c.codes[static_cast<std::size_t>(numbers[k])]; return;
    default: return;  // dates and months are written above
  }
}

}  // namespace

void ResultColumn::append_text(std::size_t i, std::string& out) const {
  if (!has_value(i)) return;
  if (!type) {
    out += values[i].to_string();
    return;
  }
  if (!is_list()) {
    append_cell_text(*this, i, out);
    return;
  }
  out += '[';  // as Value::to_string() writes a list: "[2025-01, 2025-02]"
  for (auto k = static_cast<std::size_t>(offsets[i]); k < static_cast<std::size_t>(offsets[i + 1]); ++k) {
    if (k != static_cast<std::size_t>(offsets[i])) out += ", ";
    append_cell_text(*this, k, out);
  }
  out += ']';
}

std::string describe_failures(std::span<const RowError> row, std::span<const std::string> decisions) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> said;  // reason -> the columns it blanked
  for (const RowError& e : row) {
    // A missing input is a failure of a decision that names the input; a refused value is a
    // failure of kind input, which gathers what it blanked.
    const std::string reason = e.kind == RowError::Kind::input ? "input '" + e.field + "': " + e.message
                               : e.input.empty()               ? e.message
                                                               : "needs " + e.input + ", not given";
    auto it = std::find_if(said.begin(), said.end(), [&](const auto& r) { return r.first == reason; });
    if (it == said.end()) it = said.insert(said.end(), {reason, {}});
    for (const std::size_t d : e.columns)
      if (std::find(it->second.begin(), it->second.end(), d) == it->second.end()) it->second.push_back(d);
  }
  std::string out;
  for (const auto& [reason, columns] : said) {
    out += (out.empty() ? "" : "; ") + reason;
    if (columns.empty()) continue;
    for (std::size_t k = 0; k < columns.size(); ++k) out += (k ? ", " : " (no ") + decisions[columns[k]];
    out += ")";
  }
  return out;
}

BatchResult Batch::run(const std::vector<std::vector<Value>>& columns) const {
  BatchResult out;
  run(columns, out);
  return out;
}

namespace {

enum Use { kToRead = 0, kToWrite = 1 };

// Asks the processor to fetch cells [from, from + count) into its cache now.
template <Use use>
void prefetch(const Value* from, std::size_t count) {
  const char* bytes = reinterpret_cast<const char*>(from);
  for (std::size_t at = 0; at < count * sizeof(Value); at += 64) __builtin_prefetch(bytes + at, use);  // a line at a time
}

// Where a row's failures go: one RowError per cause, each with the columns it left without value.
class RowFailures {
 public:
  explicit RowFailures(std::vector<RowError>& errors) : errors_(errors) {}
  void begin_row(std::size_t row) {
    row_ = row;
    first_ = errors_.size();
  }
  void refused(const std::string& input, const std::string& why) {
    errors_.push_back({row_, RowError::Kind::input, input, why, input, {}});
  }
  // Column d has no value because of `e`: added to the failure of the same cause, if any.
  void failed(std::size_t d, const EvaluationError& e) {
    for (std::size_t k = first_; k < errors_.size(); ++k) {
      RowError& r = errors_[k];
      const bool same = r.kind == RowError::Kind::input ? !e.input().empty() && r.field == e.input()
                                                        : r.field == e.decision() && r.message == e.what();
      if (same) {
        r.columns.push_back(d);
        return;
      }
    }
    errors_.push_back({row_, RowError::Kind::decision, e.decision(), e.what(), e.input(), {d}});
  }
  void failed(std::size_t d, const std::string& decision, const std::exception& e) {  // not expected: kept, not lost
    errors_.push_back({row_, RowError::Kind::decision, decision, std::string("internal error: ") + e.what(), "", {d}});
  }

 private:
  std::vector<RowError>& errors_;
  std::size_t row_ = 0, first_ = 0;
};

// 10^n as a signed word, for the scales' arithmetic below (n from 0 to 18).
std::int64_t power_of_ten(int n) { return static_cast<std::int64_t>(detail::lanes::power_of_ten(n)); }

// A thread's rows of a typed decimal column: at the fewest digits that hold them in 64 bits, or,
// once one needs more, as raw 128-bit values. The threads' ranges are joined by join_decimals().
struct DecimalRange {
  int scale = 0;
  std::size_t written_end = 0;  // past the last row written
  std::vector<Int128> wide;     // non-empty: the range's raw values, from its first row
};

// Value `v` of an integer, date, month or code column (or item of a list column) as its numbers
// hold it; `none` where it has no value.
std::int64_t number_of(const ResultColumn& c, const Value& v, std::int64_t none = 0) {
  if (!v.has_value()) return none;
  switch (*c.type) {
    case TypedColumn::Type::integer: return v.as_integer();
    case TypedColumn::Type::date: return detail::day_number(v.as_date()) - detail::kUnixDay;
    case TypedColumn::Type::month: return detail::month_index(v.as_month()) - detail::kUnixMonth;
    case TypedColumn::Type::code: return std::find(c.codes.begin(), c.codes.end(), v.as_text()) - c.codes.begin();
    default: return 0;  // decimals and bools are held otherwise
  }
}

// A thread's rows of a typed list column. Its rows come in any order (a block's complete rows
// from the columnar form, then the others), so each row's items are put where they come, and
// joined in row order by join_lists() when the threads are done.
struct ListRange {
  std::vector<std::size_t> start, length;  // by row of the range: where its items are
  std::size_t items = 0;                   // put so far
  std::vector<std::int64_t> numbers;       // the items as ResultColumn holds them: decimals as
  std::vector<std::uint8_t> flags;         // units at `scale`,
  std::vector<Int128> wide;                // or, once one does not fit 64 bits so, all as raw values
  int scale = 0;
  // Rows whose list has an item without value, which no item array holds: kept as Values, and
  // the whole column is then Values (join_lists()).
  std::vector<std::pair<std::size_t, Value>> odd;

  // Decimal item d at the range's scale; where it is not a whole number of units there within 64
  // bits, the range moves to the fewest places that hold it and every item so far, else to raw values.
  void put_decimal(const Decimal& d) {
    if (wide.empty()) {
      if (const auto units = d.scaled(scale)) {
        numbers.push_back(*units);
        return;
      }
      for (int places = detail::lanes::places_of(d); places <= Decimal::kScale; ++places) {
        const auto units = d.scaled(places);
        if (units && rescale(places)) {
          numbers.push_back(*units);
          return;
        }
      }
      const Int128 unit = Decimal::from_scaled(1, scale).raw();  // every item as raw values from now on
      for (const std::int64_t n : numbers) wide.push_back(Int128{n} * unit);
      numbers.clear();
    }
    wide.push_back(d.raw());
  }

  // The items at the fewest places their trailing zeros allow (one pass to find them).
  void fewest_places() {
    int drop = scale;
    for (std::size_t k = 0; k < numbers.size() && drop > 0; ++k)
      while (drop > 0 && numbers[k] % power_of_ten(drop) != 0) --drop;
    if (drop > 0) rescale(scale - drop);
  }

  // Every item so far at `places`, where each is a whole number of units there within 64 bits;
  // false (nothing changed) where one is not.
  bool rescale(int places) {
    if (places > scale) {
      const std::int64_t factor = power_of_ten(places - scale), high = INT64_MAX / factor, low = INT64_MIN / factor;
      if (std::any_of(numbers.begin(), numbers.end(), [&](std::int64_t u) { return u > high || u < low; })) return false;
      for (std::int64_t& u : numbers) u *= factor;
    } else {
      const std::int64_t factor = power_of_ten(scale - places);
      if (std::any_of(numbers.begin(), numbers.end(), [&](std::int64_t u) { return u % factor != 0; })) return false;
      for (std::int64_t& u : numbers) u /= factor;
    }
    scale = places;
    return true;
  }
};

// Where run_range puts the decisions of rows [begin, end): Value columns, or ResultColumns.
class Sink {
 public:
  Sink(std::vector<std::vector<Value>>& values, std::vector<ResultColumn>* typed, std::vector<DecimalRange>& ranges,
       std::vector<ListRange>& lists, std::size_t begin, std::size_t end)
      : values_(values), typed_(typed), ranges_(ranges), lists_(lists), begin_(begin), end_(end) {}

  // Decision d of `row` is `v` (none: no value).
  void set(std::size_t d, std::size_t row, const Value& v) {
    if (!typed_) {
      values_[d][row] = v;
      return;
    }
    ResultColumn& c = (*typed_)[d];
    if (!c.type) {
      c.values[row] = v;
      return;
    }
    c.missing[row] = !v.has_value();
    if (c.is_list()) {
      put_list(d, row, v);
      return;
    }
    switch (*c.type) {
      case TypedColumn::Type::decimal: put_decimal(d, row, v.has_value() ? v.as_decimal().raw() : 0); break;
      case TypedColumn::Type::boolean: c.flags[row] = v.has_value() && v.as_bool(); break;
      case TypedColumn::Type::code: c.numbers[row] = number_of(c, v, -1); break;
      case TypedColumn::Type::text: break;  // no result's type: plain text stays Values
      default: c.numbers[row] = number_of(c, v); break;
    }
  }

  // Asks for the cells of Values rows [first, first + n) to be fetched: the block's results are
  // written there next, and the cells of a chunk are far more than the cache holds.
  void prefetch_block(std::size_t first, std::size_t n) const {
    if (!typed_)
      for (const auto& column : values_) prefetch<kToWrite>(column.data() + first, n);
  }

  // The complete rows of a block of the columnar form, whose first row is `first`.
  void write_block(const detail::Columnar& columnar, detail::Columnar::Block& block, std::size_t first, std::size_t n) {
    outputs_.resize(values_.size() + (typed_ ? typed_->size() : 0));
    if (!typed_) {
      for (std::size_t d = 0; d < values_.size(); ++d) outputs_[d] = {values_[d].data() + first};
      columnar.write(block, outputs_);
      return;
    }
    units_.resize(typed_->size());
    for (std::size_t d = 0; d < typed_->size(); ++d) {
      ResultColumn& c = (*typed_)[d];
      detail::Columnar::Output& o = outputs_[d];
      o = {};
      if (!c.type) {
        o.values = c.values.data() + first;
        continue;
      }
      if (c.is_list()) continue;  // its items: below
      o.missing = c.missing.data() + first;
      if (*c.type == TypedColumn::Type::decimal) {
        units_[d].resize(columnar.block_rows());
        o.numbers = units_[d].data();
      } else if (*c.type == TypedColumn::Type::boolean) {
        o.flags = c.flags.data() + first;
      } else {
        o.numbers = c.numbers.data() + first;
      }
    }
    columnar.write(block, outputs_);
    for (std::size_t d = 0; d < typed_->size(); ++d) {  // the lists' items
      ResultColumn& c = (*typed_)[d];
      if (!c.is_list() || !columnar.computes(d)) continue;
      ListRange& l = lists_[d];
      // The items as they come, unless they are decimals and the range is at another scale than
      // their units (or raw values): then each is put as a decimal.
      const bool as_they_come = c.type != TypedColumn::Type::decimal || (l.wide.empty() && l.scale == columnar.places(d));
      std::size_t* length = l.length.data() + (first - begin_);
      columnar.append_items(block, d, length, as_they_come ? l.numbers : scratch_, l.flags);
      for (std::size_t i = 0; i < n; ++i) {
        if (!columnar.complete(block, i)) continue;
        c.missing[first + i] = 0;
        l.start[first + i - begin_] = l.items;
        l.items += length[i];
      }
      if (!as_they_come) {
        for (const std::int64_t u : scratch_) l.put_decimal(Decimal::from_scaled(u, columnar.places(d)));
        scratch_.clear();
      }
    }
    for (std::size_t d = 0; d < typed_->size(); ++d) {  // the decimals, at the column's scale
      if ((*typed_)[d].type != TypedColumn::Type::decimal || (*typed_)[d].is_list() || !columnar.computes(d)) continue;
      // The block's rows count as written (those not yet are 0): one that needs a finer scale
      // takes the block's rows before it along.
      ranges_[d].written_end = std::max(ranges_[d].written_end, first + n);
      put_units(d, columnar, block, first, n);
    }
  }

 private:
  // The columnar form's units of decimal d for a block's rows from `first`: copied where they are
  // at the column's scale (the common case: rupiah at 0 places), else moved to it, and where
  // that is not exact, put as decimals (put_decimal(): a finer scale, or raw values).
  void put_units(std::size_t d, const detail::Columnar& columnar, const detail::Columnar::Block& block, std::size_t first,
                 std::size_t n) {
    DecimalRange& r = ranges_[d];
    std::int64_t* numbers = (*typed_)[d].numbers.data() + first;
    const std::int64_t* units = units_[d].data();
    const int places = columnar.places(d);
    auto decimal = [&](std::size_t i) { return Decimal::from_scaled(units[i], places).raw(); };
    if (r.wide.empty() && r.scale == places) {  // the common case: a copy (a row not complete stays 0)
      const std::uint8_t* complete = columnar.complete_lanes(block);
      for (std::size_t i = 0; i < n; ++i) numbers[i] = complete[i] ? units[i] : 0;
      return;
    }
    std::size_t i = 0;
    if (r.wide.empty() && r.scale < places) {  // fewer digits (rupiah from units at 4 places): by a constant
      detail::lanes::with_power_of_ten(places - r.scale, [&](auto unit) {
        constexpr auto factor = static_cast<std::int64_t>(decltype(unit)::value);
        for (; i < n; ++i) {
          if (!columnar.complete(block, i)) continue;
          if (units[i] % factor != 0) break;  // a finer scale: below
          numbers[i] = units[i] / factor;
        }
      });
    }
    for (; i < n; ++i) {
      if (!columnar.complete(block, i)) continue;
      if (!r.wide.empty()) {
        r.wide[first + i - begin_] = decimal(i);
      } else if (r.scale == places) {
        numbers[i] = units[i];
      } else if (r.scale > places) {
        const auto factor = power_of_ten(r.scale - places);
        if (__builtin_mul_overflow(units[i], factor, &numbers[i])) put_decimal(d, first + i, decimal(i));
      } else {
        const auto factor = power_of_ten(places - r.scale);
        if (units[i] % factor == 0) {
          numbers[i] = units[i] / factor;
        } else {
          put_decimal(d, first + i, decimal(i));
        }
      }
    }
  }

  // Row `row`'s list (or none) of list column d, put after the items of the range so far.
  void put_list(std::size_t d, std::size_t row, const Value& v) {
    const ResultColumn& c = (*typed_)[d];
    ListRange& l = lists_[d];
    const std::size_t at = row - begin_;
    l.start[at] = l.items;
    l.length[at] = 0;
    if (!l.odd.empty() && l.odd.back().first == row) l.odd.pop_back();  // set again (whole_row blanks a row)
    if (!v.has_value()) return;
    const std::vector<Value>& items = v.as_list();
    if (std::any_of(items.begin(), items.end(), [](const Value& item) { return !item.has_value(); })) {
      l.odd.emplace_back(row, v);
      return;
    }
    for (const Value& item : items) {
      switch (*c.type) {
        case TypedColumn::Type::decimal: l.put_decimal(item.as_decimal()); break;
        case TypedColumn::Type::boolean: l.flags.push_back(item.as_bool()); break;
        default: l.numbers.push_back(number_of(c, item)); break;
      }
    }
    l.length[at] = items.size();
    l.items += items.size();
  }

  void put_decimal(std::size_t d, std::size_t row, Int128 raw) {
    DecimalRange& r = ranges_[d];
    std::vector<std::int64_t>& numbers = (*typed_)[d].numbers;
    if (!r.wide.empty()) {
      r.wide[row - begin_] = raw;
      return;
    }
    r.written_end = std::max(r.written_end, row + 1);
    const std::size_t written = r.written_end;
    const Decimal v = Decimal::from_raw(raw);
    if (const auto units = v.scaled(r.scale)) {
      numbers[row] = *units;
      return;
    }
    // A finer scale for the range's rows written so far, if 64 bits hold them all there.
    for (int scale = r.scale + 1; scale <= Decimal::kScale; ++scale) {
      const auto units = v.scaled(scale);
      if (!units) continue;
      const std::int64_t factor = power_of_ten(scale - r.scale);
      bool fits = true;
      for (std::size_t k = begin_; k < written && fits; ++k)
        fits = numbers[k] <= INT64_MAX / factor && numbers[k] >= INT64_MIN / factor;
      if (!fits) break;
      for (std::size_t k = begin_; k < written; ++k) numbers[k] *= factor;
      r.scale = scale;
      numbers[row] = *units;
      return;
    }
    // Not at one scale in 64 bits: the range is raw values from now on.
    r.wide.assign(end_ - begin_, 0);
    const Int128 unit = Decimal::from_scaled(1, r.scale).raw();
    for (std::size_t k = begin_; k < written; ++k) r.wide[k - begin_] = Int128{numbers[k]} * unit;
    r.wide[row - begin_] = raw;
  }

  std::vector<std::vector<Value>>& values_;
  std::vector<ResultColumn>* typed_;
  std::vector<DecimalRange>& ranges_;  // by decision
  std::vector<ListRange>& lists_;      // by decision
  std::size_t begin_, end_;
  std::vector<std::int64_t> scratch_;  // a row's decimal items, to be put as raw values
  std::vector<detail::Columnar::Output> outputs_;
  std::vector<std::vector<std::int64_t>> units_;  // by decision: a block's decimals as the columnar form gives them
};

// Typed decimal column d from the threads' ranges (ranges[t][d] over rows [bounds[t], bounds[t+1])):
// one scale for all, the finest of theirs, or raw values if 64 bits do not hold them so.
void join_decimals(ResultColumn& c, std::size_t d, const std::vector<std::vector<DecimalRange>>& ranges,
                   const std::vector<std::size_t>& bounds) {
  int scale = 0;
  bool wide = false;
  for (const auto& r : ranges) {
    scale = std::max(scale, r[d].scale);
    wide = wide || !r[d].wide.empty();
  }
  for (std::size_t t = 0; t < ranges.size() && !wide; ++t) {
    if (ranges[t][d].scale == scale) continue;
    const std::int64_t factor = power_of_ten(scale - ranges[t][d].scale), high = INT64_MAX / factor, low = INT64_MIN / factor;
    for (std::size_t k = bounds[t]; k < bounds[t + 1] && !wide; ++k) wide = c.numbers[k] > high || c.numbers[k] < low;
  }
  if (!wide) {
    for (std::size_t t = 0; t < ranges.size(); ++t) {
      const std::int64_t factor = power_of_ten(scale - ranges[t][d].scale);
      if (factor != 1)
        for (std::size_t k = bounds[t]; k < bounds[t + 1]; ++k) c.numbers[k] *= factor;
    }
    c.scale = scale;
    return;
  }
  c.wide.resize(c.numbers.size());
  for (std::size_t t = 0; t < ranges.size(); ++t) {
    const DecimalRange& r = ranges[t][d];
    const Int128 unit = Decimal::from_scaled(1, r.scale).raw();
    for (std::size_t k = bounds[t]; k < bounds[t + 1]; ++k)
      c.wide[k] = r.wide.empty() ? Int128{c.numbers[k]} * unit : r.wide[k - bounds[t]];
  }
  c.numbers = {};
  c.scale = Decimal::kScale;
}

// Typed list column d from the threads' ranges (lists[t][d] over rows [bounds[t], bounds[t+1])):
// the offsets, and the items in row order; decimals at one scale, the fewest digits that hold
// them all in 64 bits, else raw values. A list with an item without value turns it into Values.
void join_lists(ResultColumn& c, std::size_t d, std::vector<std::vector<ListRange>>& lists,
                const std::vector<std::size_t>& bounds) {
  const std::size_t rows = c.missing.size();
  c.offsets.assign(rows + 1, 0);
  for (std::size_t t = 0; t + 1 < bounds.size(); ++t)
    for (std::size_t k = bounds[t]; k < bounds[t + 1]; ++k)
      c.offsets[k + 1] = c.offsets[k] + static_cast<std::int64_t>(lists[t][d].length[k - bounds[t]]);
  const auto items = static_cast<std::size_t>(c.offsets[rows]);
  // The first range's items are the column's first as they are when its rows came in order
  // (every row from the columnar form): its arrays are taken, not copied.
  ListRange& head = lists[0][d];
  bool in_order = true;
  for (std::size_t k = bounds[0]; k < bounds[1] && in_order; ++k) in_order = head.start[k] == static_cast<std::size_t>(c.offsets[k]);
  // Each range's items into the column from range `from` on, row after row, each by copy(range, from, to, count).
  const auto each_row = [&](std::size_t from_range, auto&& copy) {
    for (std::size_t t = from_range; t + 1 < bounds.size(); ++t) {
      const ListRange& l = lists[t][d];
      for (std::size_t k = bounds[t]; k < bounds[t + 1]; ++k)
        copy(l, l.start[k - bounds[t]], static_cast<std::size_t>(c.offsets[k]), l.length[k - bounds[t]]);
    }
  };
  // Array `out` (numbers or flags) of the items of `in` (ListRange's numbers or flags), as they are.
  const auto join = [&](auto& out, auto ListRange::*in) {
    std::size_t from_range = 0;
    if (in_order) {
      out = std::move(head.*in);
      from_range = 1;
    }
    out.resize(items);
    each_row(from_range, [&](const ListRange& l, std::size_t from, std::size_t to, std::size_t n) {
      std::copy_n((l.*in).begin() + static_cast<std::ptrdiff_t>(from), n, out.begin() + static_cast<std::ptrdiff_t>(to));
    });
  };
  c.wide.clear();
  if (c.type == TypedColumn::Type::boolean) {
    join(c.flags, &ListRange::flags);
  } else if (c.type != TypedColumn::Type::decimal) {
    join(c.numbers, &ListRange::numbers);
  } else {
    // Each range at its fewest places, then all at the finest of those, if 64 bits hold them so.
    for (auto& l : lists)
      if (l[d].wide.empty()) l[d].fewest_places();
    int scale = 0;
    bool wide = false;
    for (const auto& l : lists) {
      scale = std::max(scale, l[d].scale);
      wide = wide || !l[d].wide.empty();
    }
    for (auto& l : lists) wide = wide || !l[d].rescale(scale);  // a coarser range's units must fit there
    if (wide) {
      c.numbers.clear();
      c.wide.resize(items);
      c.scale = Decimal::kScale;
      each_row(0, [&](const ListRange& l, std::size_t from, std::size_t to, std::size_t n) {
        const Int128 unit = Decimal::from_scaled(1, l.scale).raw();
        for (std::size_t k = 0; k < n; ++k) c.wide[to + k] = l.wide.empty() ? Int128{l.numbers[from + k]} * unit : l.wide[from + k];
      });
    } else {
      join(c.numbers, &ListRange::numbers);
      c.scale = scale;
    }
  }
  bool odd = false;
  for (const auto& l : lists) odd = odd || !l[d].odd.empty();
  if (!odd) return;
  // A list with an item without value: the column as Values, each row as it would be otherwise.
  c.values.resize(rows);
  for (std::size_t k = 0; k < rows; ++k) c.values[k] = c.value(k);
  for (const auto& l : lists)
    for (const auto& [row, v] : l[d].odd) c.values[row] = v;
  c.type.reset();
  c.numbers.clear();
  c.wide.clear();
  c.flags.clear();
  c.missing.clear();
  c.offsets.clear();
  c.codes.clear();
  c.scale = 0;
}

// Evaluates rows [begin, end) block by block: the columnar form first, then the Evaluator for
// the decisions it leaves and for the rows it could not complete (an input refused, a value it
// would not give exactly). Writes decisions into `out` and failures into `errors` (ascending).
// columns[c] holds input input_slots[c]; they are checked in check_order.
// code_lanes[c]: for a typed column of codes, Columnar::code_lanes() of its codes.
void run_range(const Program& p, const detail::Columnar* columnar, const std::vector<int>& input_slots,
               const std::vector<std::size_t>& check_order, const std::vector<int>& decision_slots, const Date& date,
               bool whole_row, std::span<const BatchColumn> columns,
               const std::vector<std::vector<detail::Columnar::Lane>>& code_lanes,
               std::span<const RefusedCell* const> refused, std::size_t begin, std::size_t end,
               Sink& out, std::vector<RowError>& errors, std::size_t& alone) {
  detail::Evaluator evaluator(p);
  std::vector<Value> typed_cells(columns.size());  // the row's typed cells as Values, for the Evaluator
  std::optional<detail::Columnar::Block> block;
  if (columnar) block.emplace(*columnar);
  std::string why;
  RowFailures failures(errors);
  std::vector<std::size_t> every_column(decision_slots.size());
  for (std::size_t d = 0; d < every_column.size(); ++d) every_column[d] = d;
  // Row `row` (lane i of the block) by the Evaluator: given the decisions the columnar form
  // computed (then only the others are), or from nothing, as alone. Given, it returns false at
  // the first failure, recording nothing: the row is evaluated again from nothing, so that its
  // errors are the one-by-one errors. From nothing, each failure is recorded; whole_row stops at
  // the first and returns false (the caller blanks the row), else every other decision is
  // computed and each failed cell is none.
  // The host's refused cells of the row being evaluated (sorted by row, then column).
  auto next_refused = std::lower_bound(refused.begin(), refused.end(), begin,
                                       [](const RefusedCell* r, std::size_t row) { return r->row < row; });
  std::span<const RefusedCell* const> row_refused;
  auto evaluate = [&](std::size_t i, std::size_t row, bool given) {
    evaluator.start(date);
    if (!given) failures.begin_row(row);
    for (const std::size_t c : check_order) {
      const int slot = input_slots[c];
      const auto host = std::find_if(row_refused.begin(), row_refused.end(), [&](const RefusedCell* r) { return r->column == c; });
      if (host != row_refused.end()) {
        why = (*host)->reason;
      } else {
        const Value* cell = &typed_cells[c];
        if (const TypedColumn* typed = columns[c].typed()) {
          // Never empty: a typed cell that holds no value kaidah reads was refused up front.
          typed_cells[c] = detail::typed_value(*typed, row, why).value_or(Value());
        } else {
          cell = &columns[c].values()[row];
        }
        if (!cell->has_value()) continue;  // not given: the default stays
        const Value* v = detail::accept_input(p.inputs[slot], *cell, evaluator.converted(slot), why, p.limits);
        if (v) {
          evaluator.set_input(slot, *v);
          continue;
        }
      }
      if (given) return false;
      failures.refused(p.inputs[slot].name, why);
      if (whole_row) {
        errors.back().columns = every_column;
        return false;
      }
      evaluator.refuse_input(slot, why);
    }
    if (given) columnar->give(*block, i, evaluator);
    for (std::size_t d = 0; d < decision_slots.size(); ++d) {
      if (given && columnar->computes(d)) continue;
      try {
        out.set(d, row, evaluator.decision(decision_slots[d]));
        continue;
      } catch (const EvaluationError& e) {
        if (!given) failures.failed(d, e);
      } catch (const std::exception& e) {
        if (!given) failures.failed(d, p.decisions[decision_slots[d]].name, e);
      }
      if (given) return false;
      if (whole_row) {
        errors.back().columns = every_column;
        return false;
      }
      out.set(d, row, Value());
    }
    return true;
  };
  const std::size_t block_rows = columnar ? columnar->block_rows() : detail::Columnar::kBlock;
  std::vector<detail::Columnar::Cells> cells(columns.size());  // the block's cells of each column
  for (std::size_t c = 0; c < columns.size(); ++c) {
    cells[c].typed = columns[c].typed();
    cells[c].code_lanes = &code_lanes[c];
  }
  for (std::size_t first = begin; first < end; first += block_rows) {
    const std::size_t n = std::min(block_rows, end - first);
    if (columnar) {
      // The cells of a chunk are far more than the cache holds: this block's results and the next
      // block's inputs are fetched while this block is computed, not one by one when they are used.
      out.prefetch_block(first, n);
      const std::size_t next = std::min(block_rows, end - (first + n));
      for (const BatchColumn& column : columns)
        if (!column.typed()) prefetch<kToRead>(column.values().data() + first + n, next);
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (cells[c].typed) {
          cells[c].first = first;
        } else {
          cells[c].values = columns[c].values().data() + first;
        }
      }
      columnar->run(*block, cells, n);
      out.write_block(*columnar, *block, first, n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t row = first + i;
      const auto from = next_refused;
      while (next_refused != refused.end() && (*next_refused)->row == row) ++next_refused;
      row_refused = std::span(from, next_refused);
      // A row with a refused cell is evaluated from nothing: the columnar form read that cell.
      const bool lowered = row_refused.empty() && columnar && columnar->complete(*block, i);
      if (lowered && columnar->computes_all()) continue;
      // A row that fails given the columnar decisions is evaluated again from nothing: the
      // steps they took are counted cautiously, and its error must be the first one by one.
      if (lowered && evaluate(i, row, true)) continue;
      ++alone;
      if (!evaluate(i, row, false)) {
        for (std::size_t d = 0; d < decision_slots.size(); ++d) out.set(d, row, Value());  // whole_row: nothing half-done
      }
    }
  }
}

}  // namespace

void Batch::run(const std::vector<std::vector<Value>>& columns, BatchResult& out) const {
  run(columns, {}, out);
}

void Batch::run(const std::vector<std::vector<Value>>& columns, std::span<const RefusedCell> refused,
                BatchResult& out) const {
  const std::vector<BatchColumn> views(columns.begin(), columns.end());
  run(views, refused, out);
}

namespace {

// Checks typed column `c` (`name`, `rows` rows), and adds to `refused` each of its cells that
// holds no value kaidah reads (a date outside 1400-9999).
void check_typed(const TypedColumn& t, const std::string& name, std::size_t c, std::vector<RefusedCell>& refused) {
  const auto fail = [&](const std::string& why) { throw std::invalid_argument("batch: typed column '" + name + "': " + why); };
  if (t.offsets) {  // a list column: its offsets ascend from where its items begin
    if (t.offsets[0] < 0) fail("its first offset is " + std::to_string(t.offsets[0]) + "; offsets cannot be negative");
    for (std::size_t i = 0; i < t.rows; ++i) {
      if (t.offsets[i + 1] < t.offsets[i]) {
        fail("row " + std::to_string(i) + "'s items end (offset " + std::to_string(t.offsets[i + 1]) + ") before they begin (" +
             std::to_string(t.offsets[i]) + ")");
      }
    }
  }
  // A list column's items are the cells [first, end) of its data; other columns' cells are its rows.
  const std::size_t first = t.offsets ? static_cast<std::size_t>(t.offsets[0]) : 0;
  const std::size_t end = t.offsets ? static_cast<std::size_t>(t.offsets[t.rows]) : t.rows;
  if (!t.data && end > first) fail("no data");
  if (t.type == TypedColumn::Type::decimal && (t.scale < 0 || t.scale > Decimal::kScale)) {
    fail("the scale is " + std::to_string(t.scale) + "; it must be 0 to " + std::to_string(Decimal::kScale));
  }
  const auto* numbers = static_cast<const std::int64_t*>(t.data);
  if (t.type == TypedColumn::Type::code) {
    for (std::size_t i = 0; i < t.rows; ++i) {
      if (t.missing && t.missing[i]) continue;  // whatever its code (or its items) hold
      const std::size_t from = t.offsets ? static_cast<std::size_t>(t.offsets[i]) : i;
      const std::size_t to = t.offsets ? static_cast<std::size_t>(t.offsets[i + 1]) : i + 1;
      for (std::size_t k = from; k < to; ++k) {
        if (numbers[k] >= -1 && numbers[k] < static_cast<std::int64_t>(t.codes.size())) continue;
        fail("row " + std::to_string(i) + (t.offsets ? "'s item " + std::to_string(k - from + 1) : std::string()) + " has code " +
             std::to_string(numbers[k]) + ", outside its " + std::to_string(t.codes.size()) + " codes");
      }
    }
  }
  const bool dated = t.type == TypedColumn::Type::date || t.type == TypedColumn::Type::month;
  if (!dated && !(t.offsets && t.type == TypedColumn::Type::code)) return;
  // The cells that hold no value kaidah reads: a date outside 1400-9999, an item with code -1.
  const auto unreadable = [&](std::size_t k) { return dated ? !detail::readable(t, numbers[k]) : numbers[k] < 0; };
  std::string why;
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (detail::typed_missing(t, i)) continue;
    const std::size_t from = t.offsets ? static_cast<std::size_t>(t.offsets[i]) : i;
    const std::size_t to = t.offsets ? static_cast<std::size_t>(t.offsets[i + 1]) : i + 1;
    bool bad = false;
    for (std::size_t k = from; k < to && !bad; ++k) bad = unreadable(k);
    if (!bad) continue;
    detail::typed_value(t, i, why);  // for its reason
    refused.push_back({i, c, why});
  }
}

}  // namespace

void Batch::run(std::span<const BatchColumn> columns, std::span<const RefusedCell> refused, BatchResult& out) const {
  const Plan& plan = *plan_;
  if (columns.size() != plan.input_columns.size()) {
    throw std::invalid_argument("batch: expected " + std::to_string(plan.input_columns.size()) + " input columns, got " +
                                std::to_string(columns.size()));
  }
  const std::size_t rows = columns.empty() ? 0 : columns.front().rows();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].rows() != rows) {
      throw std::invalid_argument("batch: column '" + plan.input_columns[c] + "' has " + std::to_string(columns[c].rows()) +
                                  " rows, the first column has " + std::to_string(rows));
    }
  }
  std::vector<RefusedCell> unreadable;  // typed cells that hold no value kaidah reads
  std::vector<std::vector<detail::Columnar::Lane>> code_lanes(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const TypedColumn* t = columns[c].typed();
    if (!t) continue;
    check_typed(*t, plan.input_columns[c], c, unreadable);
    if (t->type == TypedColumn::Type::code && plan.columnar) code_lanes[c] = plan.columnar->code_lanes(c, t->codes);
  }
  std::vector<const RefusedCell*> by_row(refused.size());
  for (std::size_t k = 0; k < refused.size(); ++k) {
    const RefusedCell& r = refused[k];
    if (r.row >= rows || r.column >= columns.size()) {
      throw std::invalid_argument("batch: refused cell (row " + std::to_string(r.row) + ", column " +
                                  std::to_string(r.column) + ") is outside the columns");
    }
    by_row[k] = &r;
  }
  const auto order = [](const RefusedCell* a, const RefusedCell* b) {
    return std::pair(a->row, a->column) < std::pair(b->row, b->column);
  };
  std::sort(by_row.begin(), by_row.end(), order);
  for (std::size_t k = 1; k < by_row.size(); ++k) {
    if (!order(by_row[k - 1], by_row[k])) {
      throw std::invalid_argument("batch: cell (row " + std::to_string(by_row[k]->row) + ", column '" +
                                  plan.input_columns[by_row[k]->column] + "') is refused twice");
    }
  }
  if (!unreadable.empty()) {  // the host's reason stands for a cell it refused itself
    const std::size_t given = by_row.size();
    for (const RefusedCell& r : unreadable)
      if (!std::binary_search(by_row.begin(), by_row.begin() + static_cast<std::ptrdiff_t>(given), &r, order)) by_row.push_back(&r);
    std::sort(by_row.begin(), by_row.end(), order);
  }
  out.decisions = plan.decisions;
  out.columns.resize(plan.typed_results ? 0 : plan.decisions.size());
  for (auto& column : out.columns) {
    column.resize(rows);  // not cleared: run_range writes every cell, a value or none
  }
  out.typed.resize(plan.typed_results ? plan.decisions.size() : 0);
  for (std::size_t d = 0; d < out.typed.size(); ++d) {
    // Reset in place: a caller streaming chunks passes the same result, its buffers reused.
    ResultColumn& c = out.typed[d];
    const detail::CompiledDecision& decision = plan.program->decisions[plan.decision_slots[d]];
    c.type = typed_form(decision.type);
    c.scale = 0;
    c.wide.clear();
    c.values.clear();
    c.values.resize(c.type ? 0 : rows);
    // Every row of every column is written (a value or missing); only a decimal column's numbers
    // are zeroed first, as a finer scale multiplies the rows of a block not yet written too. A
    // list column's items are gathered by thread (ListRange), then joined.
    const bool list = c.type && decision.type.kind == Kind::list;
    c.offsets.assign(list ? 1 : 0, 0);
    c.missing.resize(c.type ? rows : 0);
    c.flags.resize(c.type == TypedColumn::Type::boolean && !list ? rows : 0);
    if (list) {
      c.numbers.clear();
    } else if (c.type == TypedColumn::Type::decimal) {
      c.numbers.assign(rows, 0);
    } else {
      c.numbers.resize(c.type && c.type != TypedColumn::Type::boolean ? rows : 0);
    }
    if (c.type == TypedColumn::Type::code) {
      c.codes = *decision.type.enum_values;
    } else {
      c.codes.clear();
    }
  }
  out.errors.clear();

  // Contiguous ranges, at least a few thousand rows each: a thread is worth starting only then.
  constexpr std::size_t kMinRowsPerThread = 2048;
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(plan.threads, rows / kMinRowsPerThread));
  const std::size_t per = (rows + threads - 1) / threads;
  std::vector<std::vector<RowError>> errors(threads);
  std::vector<std::size_t> alone(threads, 0);
  std::vector<std::vector<DecimalRange>> ranges(threads, std::vector<DecimalRange>(out.typed.size()));
  std::vector<std::size_t> bounds(threads + 1);
  for (std::size_t t = 0; t <= threads; ++t) bounds[t] = std::min(rows, t * per);
  std::vector<std::vector<ListRange>> lists(threads, std::vector<ListRange>(out.typed.size()));
  for (std::size_t d = 0; d < out.typed.size(); ++d) {
    if (!out.typed[d].is_list()) continue;
    // Decimal items at the places the columnar form computes them (else at the fewest, to begin with).
    const int scale = plan.columnar && plan.columnar->computes(d) ? plan.columnar->places(d) : 0;
    for (std::size_t t = 0; t < threads; ++t) {
      lists[t][d].start.resize(bounds[t + 1] - bounds[t]);
      lists[t][d].length.resize(bounds[t + 1] - bounds[t]);
      lists[t][d].scale = scale;
    }
    // The first range's items go where the column's last ones were (a caller streaming chunks
    // passes the same result): their memory is reused, and join_lists() gives it back when it
    // takes that range's items as they are.
    lists[0][d].numbers = std::move(out.typed[d].numbers);
    lists[0][d].flags = std::move(out.typed[d].flags);
    lists[0][d].numbers.clear();
    lists[0][d].flags.clear();
  }
  auto work = [&](std::size_t t) {
    Sink sink(out.columns, plan.typed_results ? &out.typed : nullptr, ranges[t], lists[t], bounds[t], bounds[t + 1]);
    run_range(*plan.program, plan.columnar.get(), plan.input_slots, plan.check_order, plan.decision_slots, plan.date,
              plan.whole_row, columns, code_lanes, by_row, bounds[t], bounds[t + 1], sink, errors[t], alone[t]);
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
  }
  for (std::size_t d = 0; d < out.typed.size(); ++d) {
    if (out.typed[d].is_list()) {
      join_lists(out.typed[d], d, lists, bounds);
    } else if (out.typed[d].type == TypedColumn::Type::decimal) {
      join_decimals(out.typed[d], d, ranges, bounds);
    }
  }
  for (auto& e : errors) out.errors.insert(out.errors.end(), std::make_move_iterator(e.begin()), std::make_move_iterator(e.end()));
  out.rows_evaluated_alone = std::accumulate(alone.begin(), alone.end(), std::size_t{0});
}

}  // namespace kaidah

// A block's input and output: the lanes of the input columns, list inputs laid out as list spaces,
// the running of the code, and the values written back (or given to the Evaluator).

#include "columnar/common.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "eval/inputs.h"
#include "lang/values.h"
#include "lang/builtins.h"

namespace kaidah::detail {

using namespace lanes;

Columnar::Block::Block(const Columnar& c)
    : slots_(c.slot_shapes_.size()),
      spaces_(c.space_registers_.size()),
      iterations_(c.block_rows_, 0),
      refused_(c.block_rows_, 0),
      complete_(c.block_rows_, 0),
      scratch_(c.p_.inputs.size()),
      list_scratch_(c.block_rows_),
      lists_(c.block_rows_, nullptr),
      written_(c.requested_.size()),
      input_lanes_(c.block_rows_) {
  for (Segments& s : spaces_) {
    s.start.resize(c.block_rows_);
    s.length.resize(c.block_rows_);
  }
  for (std::size_t slot = 0; slot < slots_.size(); ++slot)  // the rows' slots; a list space's are laid out
    if (c.slot_shapes_[slot].space == 0) c.size_slot(*this, slot, c.block_rows_);
  for (const Columnar::Constant& k : c.constants_) {
    for (std::size_t i = 0; i < c.block_rows_; ++i) c.set_lane(*this, k.reg, i, k.lane);
    std::fill_n(c.bad_of(*this, k.reg), c.block_rows_, k.bad);
  }
}

void Columnar::size_slot(Block& b, std::size_t slot, std::size_t lanes) const {
  Block::Slot& s = b.slots_[slot];
  switch (slot_shapes_[slot].width) {
    case 1: s.flags.resize(lanes); break;
    default: s.words.resize(lanes); break;
  }
  s.bad.resize(lanes);
}

Lane Columnar::lane_at(const Block& b, int reg, std::size_t i) const { return load(lanes_of(b, reg), registers_[reg].width, i); }

void Columnar::set_lane(Block& b, int reg, std::size_t i, Lane v) const { store(lanes_of(b, reg), registers_[reg].width, i, v); }

std::size_t Columnar::Block::ItemsHash::operator()(std::string_view items) const {
  // One multiplication a word (the table's size is a prime: no low-bit patterns), in four chains
  // that do not wait for each other: a list of 120 months is hashed in every row written.
  constexpr std::uint64_t kMix = 0xbf58476d1ce4e5b9ULL;
  auto mix = [](std::uint64_t h, std::uint64_t word) { return (h ^ word) * kMix; };
  auto word = [&](std::size_t at) {
    std::uint64_t w;
    std::memcpy(&w, items.data() + at, sizeof w);
    return w;
  };
  std::uint64_t h[4] = {items.size(), 1, 2, 3};
  std::size_t k = 0;
  for (; k + 32 <= items.size(); k += 32)
    for (std::size_t j = 0; j < 4; ++j) h[j] = mix(h[j], word(k + 8 * j));
  for (; k + 8 <= items.size(); k += 8) h[0] = mix(h[0], word(k));
  for (; k < items.size(); ++k) h[1] = mix(h[1], static_cast<unsigned char>(items[k]));
  const std::uint64_t all = mix(mix(mix(h[0], h[1]), h[2]), h[3]);
  return all ^ all >> 31;
}

// Places each row's items of list space `space` one after another, from the lengths set, and
// sizes the space's registers to hold them.
void Columnar::lay_out(Block& b, int space) const {
  Block::Segments& s = b.spaces_[space];
  std::uint32_t size = 0;
  for (std::size_t i = 0; i < b.rows_; ++i) {
    s.start[i] = size;
    size += s.length[i];
  }
  s.size = size;
  if (needs_owner_[space]) {
    s.owner.resize(size);
    for (std::size_t i = 0; i < b.rows_; ++i) std::fill_n(s.owner.begin() + s.start[i], s.length[i], static_cast<std::uint32_t>(i));
  }
  for (int slot : space_slots_[space]) size_slot(b, static_cast<std::size_t>(slot), size);
}

namespace {

// The lane of enum input `in`'s spelling `text`, or nothing: not one of its values (or no enum).
std::optional<Lane> spelling_lane(const CompiledInput& in, std::string_view text, const std::vector<Lane>& enum_lanes) {
  if (!in.type.is_enum()) return std::nullopt;
  const auto& spellings = *in.type.enum_values;
  for (std::size_t k = 0; k < spellings.size(); ++k)
    if (spellings[k] == text) return enum_lanes[k];
  return std::nullopt;
}

// `d`'s units at Columnar::kInputPlaces, or nothing where it has more places or they pass 64
// bits. Most values in one 64-bit division by a constant, not Decimal::scaled()'s 128-bit one.
std::optional<Lane> input_units(const Decimal& d) {
  constexpr std::uint64_t kUnit = power_of_ten(Decimal::kScale - Columnar::kInputPlaces);
  const UInt128 m = d.raw() < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(d.raw()) : static_cast<UInt128>(d.raw());
  if (m >> 64 != 0) return d.scaled(Columnar::kInputPlaces);
  const auto m64 = static_cast<std::uint64_t>(m);
  if (m64 % kUnit != 0) return std::nullopt;
  const std::uint64_t q = m64 / kUnit;  // below 2^64 / 10^8: a word
  return d.raw() < 0 ? -static_cast<Lane>(q) : static_cast<Lane>(q);
}

// Units `v` at `from` places moved to `to` places, where exact within 64 bits.
bool move_places(Lane v, int from, int to, Lane& out) {
  if (from <= to) return !__builtin_mul_overflow(v, static_cast<Lane>(power_of_ten(to - from)), &out);
  const auto unit = static_cast<Lane>(power_of_ten(from - to));
  out = v / unit;
  return v % unit == 0;
}

// Writes to `out` the lane of `cell` when it is already stored as input `in` needs and within its
// bounds (what accept_input() would take as it is); false otherwise: accept_input() then decides.
// (A lane written in place, not returned: a value returned in halves and read back whole
// stalled the core's store forwarding, a third of reading a typed column.)
bool direct_lane(const CompiledInput& in, const Value& cell, const std::vector<Lane>& enum_lanes, Lane& out) {
  if (cell.kind() != in.type.kind) return false;
  switch (in.type.kind) {
    case Kind::decimal:
    case Kind::integer: {
      const Decimal d = cell.as_number();
      if ((in.minimum && d < *in.minimum) || (in.maximum && d > *in.maximum)) return false;
      if (in.type.kind == Kind::integer) {
        out = cell.as_integer();
        return true;
      }
      const std::optional<Lane> units = input_units(d);  // none: a bad lane, after accept_input()
      if (units) out = *units;
      return units.has_value();
    }
    case Kind::boolean: out = Lane{cell.as_bool()}; return true;
    case Kind::date: out = day_number(cell.as_date()); return true;
    case Kind::month: out = month_index(cell.as_month()); return true;
    case Kind::text:
      if (const std::optional<Lane> lane = spelling_lane(in, cell.as_text(), enum_lanes)) {
        out = *lane;
        return true;
      }
      return false;
    default: return false;
  }
}

const std::int64_t kFirstDay = day_number(Date(1400, 1, 1)), kLastDay = day_number(Date(9999, 12, 31));

// Writes to `out` the lane of row `row` of typed column `t` when input `in` takes it as it is and
// within its bounds (direct_lane()'s typed twin); false otherwise: the cell is then read as a Value.
bool typed_lane(const CompiledInput& in, const Columnar::Bounds& bounds, const TypedColumn& t, std::size_t row,
                const std::vector<Lane>* code_lanes, const std::vector<Lane>& enum_lanes, Lane& out) {
  if (t.offsets) return false;  // a list, read as the Value it is
  const auto* numbers = static_cast<const std::int64_t*>(t.data);
  switch (t.type) {
    case TypedColumn::Type::decimal:
    case TypedColumn::Type::integer: {
      const bool integers = t.type == TypedColumn::Type::integer;
      if (in.type.kind != Kind::decimal && !(in.type.kind == Kind::integer && integers)) return false;
      Lane lane = numbers[row];
      if (in.type.kind == Kind::decimal && !move_places(lane, integers ? 0 : t.scale, Columnar::kInputPlaces, lane)) return false;
      if (lane < bounds.low || lane > bounds.high) return false;
      out = lane;
      return true;
    }
    case TypedColumn::Type::boolean:
      if (in.type.kind != Kind::boolean) return false;
      out = Lane{static_cast<const std::uint8_t*>(t.data)[row] != 0};
      return true;
    case TypedColumn::Type::date:
      if (in.type.kind != Kind::date || !readable(t, numbers[row])) return false;
      out = numbers[row] + kUnixDay;
      return true;
    case TypedColumn::Type::month:
      if (in.type.kind != Kind::month || !readable(t, numbers[row])) return false;
      out = numbers[row] + kUnixMonth;
      return true;
    case TypedColumn::Type::code: {
      const Lane lane = (*code_lanes)[static_cast<std::size_t>(numbers[row])];
      if (lane == Columnar::kNotAValue) return false;
      out = lane;
      return true;
    }
    case TypedColumn::Type::text: {
      // An enum's spelling, or a scalar parsed as conform() parses the same text; a list, plain
      // text or a text that does not parse is read as the Value it is.
      const std::string_view text = static_cast<const std::string_view*>(t.data)[row];
      if (in.type.kind == Kind::text) {
        const std::optional<Lane> lane = spelling_lane(in, text, enum_lanes);
        if (lane) out = *lane;
        return lane.has_value();
      }
      if (in.type.kind == Kind::list || in.type.kind == Kind::record) return false;
      std::string why;
      const std::optional<Value> value = convert_scalar(text, in.type, in.type.kind, why);
      return value && direct_lane(in, *value, enum_lanes, out);
    }
  }
  return false;
}

}  // namespace

// Whether a typed date or month cell (days or months from 1970) is one kaidah reads: within the
// years 1400-9999 (checked before it is moved to kaidah's own numbering, which could overflow).
bool readable(const TypedColumn& t, std::int64_t number) {
  if (t.type == TypedColumn::Type::date) return number >= kFirstDay - kUnixDay && number <= kLastDay - kUnixDay;
  if (t.type == TypedColumn::Type::month) return number >= 1400 * 12 - kUnixMonth && number <= 9999 * 12 + 11 - kUnixMonth;
  return true;
}

namespace {

// Cell `row` of typed column t's data (a row's value, or a list column's item) as a Value, or
// nothing where it holds none kaidah reads, `why` then saying why.
std::optional<Value> typed_cell(const TypedColumn& t, std::size_t row, std::string& why) {
  const auto* numbers = static_cast<const std::int64_t*>(t.data);
  switch (t.type) {
    case TypedColumn::Type::decimal: return Value(Decimal::from_scaled(numbers[row], t.scale));
    case TypedColumn::Type::integer: return Value(numbers[row]);
    case TypedColumn::Type::boolean: return Value(static_cast<const std::uint8_t*>(t.data)[row] != 0);
    case TypedColumn::Type::date:
      if (readable(t, numbers[row])) return Value(date_of(numbers[row] + kUnixDay));
      why = "day " + std::to_string(numbers[row]) + " after 1970-01-01 is outside the dates kaidah reads (1400-01-01 to 9999-12-31)";
      return std::nullopt;
    case TypedColumn::Type::month:
      if (readable(t, numbers[row])) return Value(month_of(numbers[row] + kUnixMonth));
      why = "month " + std::to_string(numbers[row]) + " after January 1970 is outside the months kaidah reads (1400-01 to 9999-12)";
      return std::nullopt;
    case TypedColumn::Type::code:
      if (numbers[row] >= 0) return Value(t.codes[static_cast<std::size_t>(numbers[row])]);
      why = "code -1: an item without value";  // a row's -1 is missing: only an item's comes here
      return std::nullopt;
    case TypedColumn::Type::text: return Value(std::string(static_cast<const std::string_view*>(t.data)[row]));
  }
  return Value();  // not reached
}

}  // namespace

std::optional<Value> typed_value(const TypedColumn& t, std::size_t row, std::string& why) {
  if (typed_missing(t, row)) return Value();
  if (!t.offsets) return typed_cell(t, row, why);
  std::vector<Value> items;
  const auto first = static_cast<std::size_t>(t.offsets[row]), end = static_cast<std::size_t>(t.offsets[row + 1]);
  items.reserve(end - first);
  for (std::size_t k = first; k < end; ++k) {
    std::optional<Value> item = typed_cell(t, k, why);
    if (!item) {
      why = "item " + std::to_string(k - first + 1) + ": " + why;
      return std::nullopt;
    }
    items.push_back(std::move(*item));
  }
  return Value(std::move(items));
}

std::vector<Columnar::Lane> Columnar::code_lanes(std::size_t column, const std::vector<std::string>& codes) const {
  const CompiledInput& in = p_.inputs[column_slot_[column]];
  std::vector<Lane> lanes(codes.size(), kNotAValue);
  if (in.type.kind != Kind::text) return lanes;  // not a list of enums: a spelling is no list
  for (std::size_t code = 0; code < codes.size(); ++code)
    lanes[code] = spelling_lane(in, codes[code], enum_lanes_[column_slot_[column]]).value_or(kNotAValue);
  return lanes;
}

void Columnar::load_inputs(Block& b, std::span<const Cells> cells_of) const {
  std::fill_n(b.refused_.begin(), b.rows_, 0);
  std::string why;
  for (std::size_t slot = 0; slot < p_.inputs.size(); ++slot) {
    const int column = input_column_[slot];
    const CompiledInput& in = p_.inputs[slot];
    const bool list = list_input_register_[slot] >= 0;
    const bool defaulted = in.default_value.has_value();
    if (column < 0) {  // the default for every row: only a list needs its items laid out
      if (list) {
        std::fill_n(b.lists_.begin(), b.rows_, defaulted ? &in.default_value : nullptr);
        load_list(b, static_cast<int>(slot));
      }
      continue;
    }
    const int reg = input_register_[slot], present = present_register_[slot];
    // The lanes are read into the register's, or (bools) into a Lane each, then narrowed in one pass.
    const bool narrow = reg >= 0 && registers_[reg].width != sizeof(Lane);
    Lane* read = reg >= 0 && !narrow ? lanes_as<Word>(b, reg) : b.input_lanes_.data();
    Lane* v = reg >= 0 ? read : nullptr;
    std::uint8_t* bad = reg >= 0 ? bad_of(b, reg) : nullptr;
    Flag* has = present >= 0 ? lanes_as<Flag>(b, present) : nullptr;
    const int places = reg >= 0 ? registers_[reg].places : 0;
    // A default that does not fit the register's places is a bad lane (the Evaluator's).
    const std::optional<Lane> default_lane = defaulted && reg >= 0 ? encode(in.default_value, in.type.kind, places) : std::nullopt;
    const Cells& cells = cells_of[column];
    const TypedColumn* typed = cells.typed;
    // A row whose cell is not given: the default, or a lane that fails where it is read.
    auto not_given = [&](std::size_t i) {
      if (v) {
        v[i] = default_lane.value_or(0);
        bad[i] = !default_lane;
      }
      if (has) has[i] = defaulted;
      if (list) b.lists_[i] = defaulted ? &in.default_value : nullptr;
    };
    // A row's cell, any way it comes: given or not, taken as it is, converted, or refused.
    auto read_row = [&](std::size_t i) {
      const std::size_t row = cells.first + i;
      const bool given = typed ? !typed_missing(*typed, row) : cells.values[i].has_value();
      if (!given) {
        not_given(i);
        return;
      }
      if (typed ? typed_lane(in, input_bounds_[slot], *typed, row, cells.code_lanes, enum_lanes_[slot], read[i])
                : direct_lane(in, cells.values[i], enum_lanes_[slot], read[i])) {
        if (v) bad[i] = 0;
        if (has) has[i] = 1;
        return;
      }
      // Every column is checked, read or not: a value that does not fit refuses the row. A list
      // converted (from text) is kept per row, until its items are laid out. A typed cell is
      // read as the Value it holds (none that kaidah reads: refused, as the batch refuses it).
      const Value* cell = typed ? nullptr : &cells.values[i];
      if (typed) {
        if (std::optional<Value> value = typed_value(*typed, row, why)) {
          b.typed_cell_ = std::move(*value);
          cell = &b.typed_cell_;
        }
      }
      Value& converted = list ? b.list_scratch_[i] : b.scratch_[slot];
      const Value* accepted = cell ? accept_input(in, *cell, converted, why, p_.limits) : nullptr;
      if (list && accepted == &b.typed_cell_) {  // a typed list as it is: kept per row, as one converted
        converted = std::move(b.typed_cell_);
        accepted = &converted;
      }
      if (list) b.lists_[i] = accepted;
      if (!accepted) {
        b.refused_[i] = 1;
        if (v) {
          v[i] = 0;
          bad[i] = 1;
        }
        return;
      }
      if (v) {  // a decimal that does not fit the register's places: a bad lane, not a refusal
        const std::optional<Lane> lane = encode(*accepted, in.type.kind, places);
        v[i] = lane.value_or(0);
        bad[i] = !lane;
      }
      if (has) has[i] = 1;
    };
    // A typed column of numbers, codes or bools: each cell given taken as it is in a loop of its
    // own type (`take`), the rest by read_row().
    auto each = [&](auto&& take) {
      for (std::size_t i = 0; i < b.rows_; ++i) {
        if (typed_missing(*typed, cells.first + i)) {
          not_given(i);
          continue;
        }
        if (!take(cells.first + i, read[i])) {
          read_row(i);
          continue;
        }
        if (v) bad[i] = 0;
        if (has) has[i] = 1;
      }
    };
    const auto* numbers = typed ? static_cast<const std::int64_t*>(typed->data) : nullptr;
    const Bounds& bounds = input_bounds_[slot];
    const bool scalars = typed && !typed->offsets;  // a typed list column is read by read_row()
    const bool numeric = scalars && (typed->type == TypedColumn::Type::decimal || typed->type == TypedColumn::Type::integer);
    if (numeric && !list &&
        (in.type.kind == Kind::decimal ? typed->scale <= kInputPlaces
                                       : in.type.kind == Kind::integer && typed->type == TypedColumn::Type::integer)) {
      const int from = typed->type == TypedColumn::Type::integer ? 0 : typed->scale;
      const auto factor = static_cast<Lane>(power_of_ten(in.type.kind == Kind::decimal ? kInputPlaces - from : 0));
      each([&](std::size_t row, Lane& out) {
        return !__builtin_mul_overflow(numbers[row], factor, &out) && out >= bounds.low && out <= bounds.high;
      });
    } else if (scalars && typed->type == TypedColumn::Type::code && !list) {
      const Lane* lanes = cells.code_lanes->data();
      each([&](std::size_t row, Lane& out) {
        out = lanes[numbers[row]];
        return out != kNotAValue;
      });
    } else if (scalars && typed->type == TypedColumn::Type::boolean && in.type.kind == Kind::boolean) {
      const auto* flags = static_cast<const std::uint8_t*>(typed->data);
      each([&](std::size_t row, Lane& out) {
        out = flags[row] != 0;
        return true;
      });
    } else {
      for (std::size_t i = 0; i < b.rows_; ++i) read_row(i);
    }
    if (narrow) {
      Flag* lanes = lanes_as<Flag>(b, reg);
      for (std::size_t i = 0; i < b.rows_; ++i) lanes[i] = static_cast<Flag>(v[i]);
    }
    if (list) load_list(b, static_cast<int>(slot));
  }
}

// The items (or the records' fields read) of list input `slot`, from the list each row was given.
void Columnar::load_list(Block& b, int slot) const {
  const int reg = list_input_register_[slot];
  const List& list = lists_.at(reg);
  Block::Segments& s = b.spaces_[list.space];
  Word* length = lanes_as<Word>(b, reg);
  std::uint8_t* bad = bad_of(b, reg);
  for (std::size_t i = 0; i < b.rows_; ++i) {
    const Value* given = b.lists_[i];
    const std::size_t n = given ? given->as_list().size() : 0;
    bad[i] = !given || n > kMaxItems;
    s.length[i] = bad[i] ? 0 : static_cast<std::uint32_t>(n);
    length[i] = s.length[i];
  }
  lay_out(b, list.space);
  const Kind item_kind = list.item >= 0 ? registers_[list.item].kind : Kind::none;
  void* items = list.item >= 0 ? lanes_of(b, list.item) : nullptr;
  const int item_width = list.item >= 0 ? registers_[list.item].width : 0;
  std::uint8_t* items_bad = list.item >= 0 ? bad_of(b, list.item) : nullptr;
  for (std::size_t i = 0; i < b.rows_; ++i) {
    if (s.length[i] == 0) continue;
    const auto& values = b.lists_[i]->as_list();
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::size_t at = s.start[i] + k;
      if (items) {  // an item that does not fit its places: the row's list is bad (the Evaluator's)
        const std::optional<Lane> lane = encode(values[k], item_kind, registers_[list.item].places);
        store(items, item_width, at, lane.value_or(0));
        items_bad[at] = 0;
        if (!lane) bad[i] = 1;
      }
      for (std::size_t f = 0; f < list.fields.size(); ++f) {
        const int field = list.fields[f];
        if (field < 0) continue;
        const Value& v = values[k].as_record()[f].second;  // records are stored in declared field order
        const std::optional<Lane> lane = v.has_value() ? encode(v, registers_[field].kind, registers_[field].places) : std::nullopt;
        set_lane(b, field, at, lane.value_or(0));
        bad_of(b, field)[at] = !lane;  // a missing field (or one past its places) fails where it is read
      }
    }
  }
}

void Columnar::run(Block& b, std::span<const Cells> cells, std::size_t n) const {
  b.rows_ = n;
  std::fill_n(b.iterations_.begin(), n, constant_iterations_);
  load_inputs(b, cells);
  for (const Instruction& in : code_) execute(b, in);
  // A row past max_iterations here may be within it one by one (this counts untaken branches
  // too): the Evaluator decides.
  for (std::size_t i = 0; i < n; ++i) b.complete_[i] = !b.refused_[i] && b.iterations_[i] <= p_.limits.max_iterations;
  for (int reg : requested_) {
    if (reg < 0) continue;
    const std::uint8_t* bad = bad_of(b, reg);  // a list that is not bad has no bad item
    for (std::size_t i = 0; i < n; ++i) b.complete_[i] &= !bad[i];
  }
}

Value Columnar::decode_list(const Block& b, int reg, std::size_t i) const {
  const List& list = lists_.at(reg);
  const Block::Segments& s = b.spaces_[list.space];
  const std::uint32_t n = s.length[i];
  std::vector<Value> items;
  items.reserve(n);
  if (n > 0) {
    const Kind kind = registers_[list.item].kind;
    const int places = registers_[list.item].places;
    for (std::uint32_t k = 0; k < n; ++k) items.push_back(decode_kind(lane_at(b, list.item, s.start[i] + k), kind, places));
  }
  return Value(std::move(items));
}

Value Columnar::value(const Block& b, std::size_t index, std::size_t i) const {
  const int reg = requested_[index];
  return registers_[reg].kind == Kind::list ? decode_list(b, reg, i) : decode(lane_at(b, reg, i), reg);
}

void Columnar::write(Block& b, std::span<const Output> out) const {
  for (std::size_t index = 0; index < requested_.size(); ++index) {
    const int reg = requested_[index];
    if (reg < 0) continue;
    const Output& o = out[index];
    const Kind kind = registers_[reg].kind;
    if (kind == Kind::list) {
      if (!o.values) continue;  // typed results: append_items()
      // Rows with the same items share one list, as values are immutable: people with the same
      // months in arrears get the same list, built once.
      const List& list = lists_.at(reg);
      const Block::Segments& s = b.spaces_[list.space];
      const auto* items = list.item >= 0 ? static_cast<const char*>(lanes_of(b, list.item)) : nullptr;
      const std::size_t width = list.item >= 0 ? static_cast<std::size_t>(registers_[list.item].width) : 0;
      Block::Written& written = b.written_[index];
      constexpr std::size_t kKept = 256;  // lists kept at most: a roster of all different lists stays small
      for (std::size_t i = 0; i < b.rows_; ++i) {
        if (!b.complete_[i]) continue;
        const std::string_view key = items ? std::string_view(items + s.start[i] * width, s.length[i] * width) : std::string_view();
        auto it = written.find(key);
        if (it == written.end()) {
          if (written.size() == kKept) written.clear();
          it = written.emplace(std::string(key), decode_list(b, reg, i)).first;
        }
        o.values[i] = it->second;
      }
      continue;
    }
    if (!o.values) {
      write_machine(b, index, reg, o);
      continue;
    }
    if (kind == Kind::decimal) {  // the common case, without a Value in between
      const Word* lanes = lanes_as<Word>(b, reg);
      const int places = registers_[reg].places;
      for (std::size_t i = 0; i < b.rows_; ++i)
        if (b.complete_[i]) o.values[i] = Decimal::from_scaled(lanes[i], places);
      continue;
    }
    if (kind == Kind::boolean) {
      const Flag* lanes = lanes_as<Flag>(b, reg);
      for (std::size_t i = 0; i < b.rows_; ++i)
        if (b.complete_[i]) o.values[i] = lanes[i] != 0;
      continue;
    }
    const Word* lanes = lanes_as<Word>(b, reg);  // integers, dates, months, enums: none fits the last three
    for (std::size_t i = 0; i < b.rows_; ++i) {
      if (!b.complete_[i]) continue;
      const Word lane = lanes[i];
      Value& cell = o.values[i];  // in place: a cell of the same kind keeps its storage
      if (lane == kNone && none_fits(kind)) {
        cell = Value();
        continue;
      }
      switch (kind) {
        case Kind::integer: cell = lane; break;
        case Kind::date: cell = date_of(lane); break;
        case Kind::month: cell = month_of(lane); break;
        default: cell = texts_[static_cast<std::size_t>(lane)]; break;
      }
    }
  }
}

// Machine values (typed results): a loop per kind that writes every lane, complete or not (a row
// not complete is the evaluator's, which writes over it), so that none branches on it; a lane
// not complete reads nothing through its value (a code) nor computes with it (a day).
void Columnar::write_machine(const Block& b, std::size_t index, int reg, const Output& o) const {
  const std::size_t n = b.rows_;
  const Kind kind = registers_[reg].kind;
  const std::uint8_t* complete = b.complete_.data();
  if (kind == Kind::boolean) {
    const Flag* lanes = lanes_as<Flag>(b, reg);
    for (std::size_t i = 0; i < n; ++i) o.flags[i] = lanes[i] != 0;
    std::fill_n(o.missing, n, 0);
    return;
  }
  const Word* lanes = lanes_as<Word>(b, reg);
  if (kind == Kind::decimal || kind == Kind::integer) {  // a decimal's units: the caller brings them to its scale
    std::copy_n(lanes, n, o.numbers);
    std::fill_n(o.missing, n, 0);
    return;
  }
  // Dates, months and enums: kNone is missing.
  if (kind == Kind::date || kind == Kind::month) {
    const Word epoch = kind == Kind::date ? kUnixDay : kUnixMonth;
    for (std::size_t i = 0; i < n; ++i) {
      const bool value = complete[i] && lanes[i] != kNone;
      o.missing[i] = lanes[i] == kNone;
      o.numbers[i] = value ? lanes[i] - epoch : 0;
    }
    return;
  }
  const std::int64_t* codes = codes_[index].data();
  for (std::size_t i = 0; i < n; ++i) {
    const bool value = complete[i] && lanes[i] != kNone;
    o.missing[i] = lanes[i] == kNone;
    o.numbers[i] = value ? codes[static_cast<std::size_t>(lanes[i])] : -1;
  }
}

void Columnar::append_items(const Block& b, std::size_t index, std::size_t* length, std::vector<std::int64_t>& numbers,
                            std::vector<std::uint8_t>& flags) const {
  const List& list = lists_.at(requested_[index]);
  const Block::Segments& s = b.spaces_[list.space];
  for (std::size_t i = 0; i < b.rows_; ++i) length[i] = b.complete_[i] ? s.length[i] : 0;
  if (list.item < 0) return;  // a list that is always empty
  const Kind kind = registers_[list.item].kind;
  if (kind == Kind::boolean) {
    const Flag* lanes = lanes_as<Flag>(b, list.item);
    for (std::size_t i = 0; i < b.rows_; ++i)
      for (std::size_t k = 0; k < length[i]; ++k) flags.push_back(lanes[s.start[i] + k] != 0);
    return;
  }
  const Word* lanes = lanes_as<Word>(b, list.item);  // items are never none
  for (std::size_t i = 0; i < b.rows_; ++i) {
    if (length[i] == 0) continue;
    const Word* items = lanes + s.start[i];
    const std::size_t n = length[i], at = numbers.size();
    numbers.resize(at + n);
    std::int64_t* out = numbers.data() + at;
    switch (kind) {
      case Kind::integer: case Kind::decimal: std::copy_n(items, n, out); break;
      case Kind::date: for (std::size_t k = 0; k < n; ++k) out[k] = items[k] - kUnixDay; break;
      case Kind::month: for (std::size_t k = 0; k < n; ++k) out[k] = items[k] - kUnixMonth; break;
      default: for (std::size_t k = 0; k < n; ++k) out[k] = codes_[index][static_cast<std::size_t>(items[k])]; break;
    }
  }
}

void Columnar::give(const Block& b, std::size_t i, Evaluator& e) const {
  for (std::size_t slot = 0; slot < decision_register_.size(); ++slot) {
    const int reg = decision_register_[slot];
    if (reg < 0 || bad_of(b, reg)[i]) continue;
    if (registers_[reg].kind == Kind::list) {
      e.set_decision(static_cast<int>(slot), decode_list(b, reg, i));
    } else {
      e.set_decision(static_cast<int>(slot), decode(lane_at(b, reg, i), reg));
    }
  }
  e.add_iterations(b.iterations_[i]);
}

}  // namespace kaidah::detail

// Registers and instructions as the lowering emits them: an instruction reading only constants is
// folded to one, and one repeated on the same registers is emitted once; values as lanes and back.

#include "columnar/common.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "eval/inputs.h"
#include "lang/builtins.h"

namespace kaidah::detail {

using namespace lanes;

int Columnar::new_register(Kind kind, int space, int places) {
  registers_.push_back({kind, space, lane_width(kind), kind == Kind::decimal ? places : 0});
  const int reg = static_cast<int>(registers_.size()) - 1;
  if (space > 0) space_registers_[space].push_back(reg);
  return reg;
}

// A lane-wise instruction: over the items of a list space when an operand is there (a body of a
// comprehension), the row operands gathered to them; else over the rows.
int Columnar::emit(const Instruction& instruction, Kind kind) {
  Instruction out = instruction;
  align_places(out);
  const Instruction& in = out;
  // A comparison's kernel reads both sides at one width: the compile stage gives them one kind.
  if (in.code >= Code::eq && in.code <= Code::ge && registers_[in.a].width != registers_[in.b].width)
    throw std::logic_error("internal error: a comparison of lanes of two widths");
  if (const int folded = fold(in, kind); folded >= 0) return folded;
  int space = 0;
  for (int r : {in.a, in.b, in.c}) {
    if (r < 0 || registers_[r].space == 0) continue;
    if (space != 0 && registers_[r].space != space) throw NotLowered{};
    space = registers_[r].space;
  }
  if (space != 0) {
    for (int* r : {&out.a, &out.b, &out.c})
      if (*r >= 0 && registers_[*r].space == 0) *r = gather(*r, space);
  }
  // The same instruction on the same registers gives the same lanes: computed once (decisions
  // often test the same thing, `segment == 'ppu'`, or price the same month).
  const Emitted key{out.code, out.a, out.b, out.c, out.places, out.mode, out.builtin, out.parameter, kind};
  auto [it, added] = emitted_.try_emplace(key, -1);
  if (!added) return it->second;
  out.dst = it->second = new_register(kind, space, result_places(out, kind));
  code_.push_back(out);
  return out.dst;
}

// The decimal operands that `in` reads side by side brought to the most places among them (a
// rescale each where fewer): both sides of + and - and of a comparison, the branches of
// if-then-else, min's, max's and clamp's operands.
void Columnar::align_places(Instruction& in) {
  std::array<int*, 3> operands{};
  switch (in.code) {
    case Code::add_dec: case Code::sub_dec: case Code::min: case Code::max: case Code::clamp:
    case Code::eq: case Code::ne: case Code::lt: case Code::le: case Code::gt: case Code::ge:
      operands = {&in.a, &in.b, &in.c};
      break;
    case Code::select: operands = {&in.b, &in.c}; break;
    default: return;
  }
  int places = 0;
  for (int* r : operands)
    if (r && *r >= 0 && registers_[*r].kind == Kind::decimal) places = std::max(places, registers_[*r].places);
  for (int* r : operands)
    if (r && *r >= 0 && registers_[*r].kind == Kind::decimal) *r = rescale(*r, places);
}

// Decimal register `reg` at `places` (at least its own): itself, or its units times a power of ten.
int Columnar::rescale(int reg, int places) {
  if (registers_[reg].places == places) return reg;
  if (registers_[reg].places > places) throw std::logic_error("internal error: a rescale to fewer places");
  Instruction in{Code::rescale};
  in.a = reg;
  in.places = places;
  return emit(in, Kind::decimal);
}

// The places of the lanes `in` writes, of `kind` (Register::places; 0 but for a decimal).
int Columnar::result_places(const Instruction& in, Kind kind) const {
  if (kind != Kind::decimal) return 0;
  const auto places = [&](int r) { return registers_[r].places; };
  switch (in.code) {
    case Code::int_to_dec: return 0;
    case Code::mul_dec: return std::min(places(in.a) + places(in.b), Decimal::kScale);  // beyond: rounded as Decimal does
    case Code::div_dec: return Decimal::kScale;
    case Code::rescale: return in.places;
    case Code::round: case Code::div_round: return std::max(in.places, 0);  // to tens and beyond: whole units, multiples of them
    case Code::at: return at_tables_[in.parameter].places;
    case Code::call: {  // abs(): its operand's; none read: any value's
      int most = -1;
      for (int r : {in.a, in.b, in.c})
        if (r >= 0 && registers_[r].kind == Kind::decimal) most = std::max(most, places(r));
      return most >= 0 ? most : Decimal::kScale;
    }
    case Code::select: return places(in.b);
    case Code::sum_dec: case Code::sum_runs: case Code::sum_last_runs: case Code::min_of: case Code::max_of:
      return places(in.b);
    case Code::first_true: return places(in.c);
    default: return places(in.a);  // add, sub, neg, min, max, clamp, some: their operands'
  }
}

// `in` where its operands are known (constant_lane()): the register of its result, computed now
// once instead of in every block, or -1. Also a choice by a known condition, and `and`/`or`
// settled by one side, give the register chosen. Every lane of a known register is good.
int Columnar::fold(const Instruction& in, Kind kind) {
  auto known = [&](int r) { return r >= 0 ? known_.find(r) : known_.end(); };
  const auto a = known(in.a), b = known(in.b), c = known(in.c);
  const bool has_a = a != known_.end(), has_b = b != known_.end();
  switch (in.code) {
    case Code::select:
      if (has_a) return a->second != 0 ? in.b : in.c;  // only the branch taken counts
      break;
    case Code::and_:  // false and _ is false; true and y is y; x and true is x
      if (has_a) return a->second != 0 ? in.b : in.a;
      if (has_b && b->second != 0) return in.a;
      break;
    case Code::or_:  // true or _ is true; false or y is y; x or false is x
      if (has_a) return a->second != 0 ? in.a : in.b;
      if (has_b && b->second == 0) return in.a;
      break;
    default: break;
  }
  for (const auto& [r, it] : {std::pair{in.a, a}, {in.b, b}, {in.c, c}})
    if (r >= 0 && (it == known_.end() || registers_[r].space != 0)) return -1;
  // One lane of each operand, at its width (bytes, in which lanes of any type can be made).
  alignas(Lane) unsigned char x[sizeof(Lane)] = {}, y[sizeof(Lane)] = {}, z[sizeof(Lane)] = {}, result[sizeof(Lane)] = {};
  const int width_a = in.a >= 0 ? registers_[in.a].width : 8;
  for (const auto& [r, it, lane] : {std::tuple{in.a, a, x}, {in.b, b, y}, {in.c, c, z}})
    if (r >= 0) store(lane, registers_[r].width, 0, it->second);
  const std::uint8_t good = 0;
  std::uint8_t bad = 0;
  compute(in, kind, 1, result, &bad,
          {x, y, z, &good, &good, &good, width_a, lane_width(kind), in.a >= 0 ? registers_[in.a].places : 0,
           in.b >= 0 ? registers_[in.b].places : 0});
  // A failure is left to each row.
  return bad ? -1 : constant_lane(load(result, lane_width(kind), 0), kind, result_places(in, kind));
}

// A list made by `in`, its items (of `item_kind`) in a list space of its own.
int Columnar::emit_list(const Instruction& in, Kind item_kind, int item_places) {
  const int space = static_cast<int>(space_registers_.size());
  space_registers_.emplace_back();
  Instruction out = in;
  out.dst = new_register(Kind::list, 0);
  List list;
  list.space = space;
  list.item = new_register(item_kind, space, item_places);
  lists_[out.dst] = list;
  code_.push_back(out);
  return out.dst;
}

// A value per row from a list. A count or sum of a body computed by runs and expanded reads the
// runs: a few multiplications a row, however many months the list holds. (The expansion is then
// dropped where nothing else reads it: not where the list is a map kept as a decision.)
int Columnar::emit_reduce(const Instruction& in, Kind kind) {
  Instruction out = in;
  if (in.code == Code::count_true || in.code == Code::sum_int || in.code == Code::sum_dec) {
    if (const auto body = expanded_.find(in.b); body != expanded_.end()) {
      out.code = Code::sum_runs;
      out.b = body->second.body;
      out.runs = body->second.runs;
    }
  }
  out.dst = new_register(kind, 0, result_places(out, kind));
  code_.push_back(out);
  return out.dst;
}

int Columnar::gather(int reg, int space) {
  const auto key = std::pair(reg, space);
  if (auto it = gathered_.find(key); it != gathered_.end()) return it->second;
  Instruction in{Code::gather};
  in.a = reg;
  in.dst = new_register(registers_[reg].kind, space, registers_[reg].places);
  code_.push_back(in);
  gathered_[key] = in.dst;
  return in.dst;
}

int Columnar::encode_text(const std::string& spelling) {
  auto [it, added] = text_numbers_.try_emplace(spelling, static_cast<int>(texts_.size()));
  if (added) texts_.push_back(spelling);
  return it->second;
}

std::optional<Lane> Columnar::encode(const Value& v, Kind kind, int places) const {
  switch (kind) {
    case Kind::boolean: return v.as_bool() ? 1 : 0;
    case Kind::integer: return v.as_integer();
    case Kind::decimal: return v.as_number().scaled(places);
    case Kind::date: return day_number(v.as_date());
    case Kind::month: return month_index(v.as_month());
    default: {  // an enum: every spelling the program can meet was numbered when it was lowered
      auto it = text_numbers_.find(v.as_text());
      return it == text_numbers_.end() ? -1 : it->second;
    }
  }
}

Value Columnar::decode(Lane lane, int reg) const {
  if (lane == kNone && none_fits(registers_[reg].kind)) return Value();
  return decode_kind(lane, registers_[reg].kind, registers_[reg].places);
}

Value Columnar::decode_kind(Lane lane, Kind kind, int places) const {
  switch (kind) {
    case Kind::boolean: return lane != 0;
    case Kind::integer: return lane;
    case Kind::decimal: return Decimal::from_scaled(lane, places);
    case Kind::date: return date_of(lane);
    case Kind::month: return month_of(lane);
    default: return texts_[static_cast<std::size_t>(lane)];
  }
}

// A register filled once per block: `v` in every lane (a decimal at the places it is written
// with), or bad lanes when `v` is none or a decimal past 64 bits (the Evaluator's, then).
int Columnar::constant(const Value& v, Kind kind) {
  if (kind == Kind::text && v.kind() == Kind::text) encode_text(v.as_text());
  const int places = kind == Kind::decimal && v.has_value() ? places_of(v.as_number()) : 0;
  const std::optional<Lane> lane = v.has_value() ? encode(v, kind, places) : std::nullopt;
  if (!lane) {  // every lane bad
    const int reg = new_register(kind, 0);
    constants_.push_back({reg, Lane{0}, true});
    return reg;
  }
  return constant_lane(*lane, kind, places);
}

// A register with `lane` in every lane (a decimal's units at `places`), none bad: known when
// lowering, so what reads only such registers is folded to one too.
int Columnar::constant_lane(Lane lane, Kind kind, int places) {
  auto [it, added] = constant_registers_.try_emplace({lane, kind, places}, -1);
  if (!added) return it->second;  // one register for each constant, however often it is written
  const int reg = it->second = new_register(kind, 0, places);
  constants_.push_back({reg, lane, false});
  known_[reg] = lane;
  return reg;
}

// `reg` as a register of `kind`: the literal none takes the kind it meets. The compile stage made
// every integer→decimal widening a node of its own (lower_widen()), so an integer where a decimal
// is wanted means that a widening was missed: an internal error, not a slow path.
int Columnar::as_kind(int reg, Kind kind) {
  if (reg < 0) return -1;
  if (registers_[reg].kind == kind) return reg;
  if (registers_[reg].kind == Kind::none && none_fits(kind)) return constant_lane(kNone, kind);
  if (registers_[reg].kind == Kind::integer && kind == Kind::decimal)
    throw std::logic_error("internal error: an integer where the compiled form has a decimal (a widening the compile stage missed)");
  return -1;
}

}  // namespace kaidah::detail

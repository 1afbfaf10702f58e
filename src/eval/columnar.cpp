#include "eval/columnar.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "lang/builtins.h"
#include "eval/inputs.h"

namespace kaidah::detail {
namespace {

using Lane = Columnar::Lane;

constexpr Lane kOne = Decimal(1).raw();
constexpr Lane kLowestLane = static_cast<Lane>(static_cast<UInt128>(1) << 127);  // -2^127
// The raw Decimal range of whole numbers an int64 holds: beyond it, integer arithmetic in the
// Evaluator would overflow where decimal arithmetic does not.
constexpr Lane kIntegerMax = static_cast<Lane>(INT64_MAX) * kOne;
constexpr Lane kIntegerMin = static_cast<Lane>(INT64_MIN) * kOne;

constexpr int kUnvisited = -1, kNotLowered = -2, kLowering = -3;
// The lane of none, in the kinds whose lanes are never negative (enum numbers, day numbers, month
// indexes): an optional decision of one of those kinds is lowered with it.
constexpr Lane kNone = -1;
bool none_fits(Kind k) { return k == Kind::text || k == Kind::date || k == Kind::month; }


// Thrown where a decision turns out not to be lowerable midway (its code is dropped as dead).
struct NotLowered {};

bool scalar_kind(const Type& t) {
  switch (t.kind) {
    case Kind::boolean: case Kind::integer: case Kind::decimal: case Kind::date: case Kind::month: return !t.none_literal;
    case Kind::text: return t.is_enum() && !t.none_literal;  // enums only: their spellings are numbered
    default: return false;
  }
}

// A list of scalars, or of records (read through their fields in a comprehension).
bool list_kind(const Type& t) {
  if (t.kind != Kind::list || t.none_literal) return false;
  switch (t.element) {
    case Kind::boolean: case Kind::integer: case Kind::decimal: case Kind::date: case Kind::month: case Kind::record:
      return true;
    case Kind::text: return t.is_enum();
    default: return false;
  }
}

bool ordered(Kind k) { return k == Kind::integer || k == Kind::decimal || k == Kind::date || k == Kind::month; }

// The expressions of decision `d`: its formula, or every condition and result of its table.
std::vector<const Expr*> roots(const CompiledDecision& d) {
  std::vector<const Expr*> exprs;
  if (d.formula) exprs.push_back(d.formula->root.get());
  for (const CompiledRow& row : d.table) {
    for (const auto& w : row.when) exprs.push_back(w.root.get());
    exprs.push_back(row.then.root.get());
  }
  return exprs;
}

// Whether any of the n flags from p is set, eight at a time.
bool any_set(const std::uint8_t* p, std::size_t n) {
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

}  // namespace

Columnar::Columnar(const Program& p, const std::vector<int>& input_slots, const std::vector<int>& decision_slots,
                   const Date& date)
    : p_(p),
      date_(date),
      input_register_(p.inputs.size(), -1),
      present_register_(p.inputs.size(), -1),
      input_column_(p.inputs.size(), -1),
      decision_register_(p.decisions.size(), kUnvisited),
      requested_slots_(decision_slots),
      space_registers_(1),
      list_input_register_(p.inputs.size(), -1),
      reads_input_(p.decisions.size(), -1) {
  enum_lanes_.resize(p.inputs.size());
  for (std::size_t c = 0; c < input_slots.size(); ++c) {
    const int slot = input_slots[c];
    input_column_[slot] = static_cast<int>(c);
    if (p.inputs[slot].type.is_enum()) {
      for (const std::string& v : *p.inputs[slot].type.enum_values) enum_lanes_[slot].push_back(encode_text(v));
    }
  }

  // Every decision the requested ones depend on is tried, so that the Evaluator, left with a
  // decision that needs lists or text, finds the scalar decisions under it already computed.
  std::vector<char> needed(p.decisions.size(), 0);
  std::vector<int> stack(decision_slots.begin(), decision_slots.end());
  while (!stack.empty()) {
    const int slot = stack.back();
    stack.pop_back();
    if (needed[slot]) continue;
    needed[slot] = 1;
    std::vector<const Expr*> exprs = roots(p.decisions[slot]);
    while (!exprs.empty()) {
      const Expr* e = exprs.back();
      exprs.pop_back();
      if (e->kind == NodeKind::decision) stack.push_back(e->slot);
      for (const auto& a : e->args) exprs.push_back(a.get());
    }
  }
  for (std::size_t slot = 0; slot < needed.size(); ++slot)
    if (needed[slot]) lower_decision(static_cast<int>(slot));

  computes_all_ = true;
  for (int slot : decision_slots) {
    requested_.push_back(decision_register_[slot] >= 0 ? decision_register_[slot] : -1);
    computes_any_ = computes_any_ || requested_.back() >= 0;
    computes_all_ = computes_all_ && requested_.back() >= 0;
  }

  // Drop what only a decision that could not be lowered would have used. A live list keeps its
  // items (and a list input the fields read) alive.
  std::vector<char> live(registers_.size(), 0);
  auto mark = [&](int r) {
    if (r < 0) return;
    live[r] = 1;
    if (auto it = lists_.find(r); it != lists_.end()) {
      if (it->second.item >= 0) live[it->second.item] = 1;
      for (int f : it->second.fields)
        if (f >= 0) live[f] = 1;
    }
  };
  for (int r : decision_register_) mark(r);
  std::vector<Instruction> kept;
  for (auto it = code_.rbegin(); it != code_.rend(); ++it) {
    if (!live[it->dst]) continue;
    mark(it->dst);
    for (int r : {it->a, it->b, it->c}) mark(r);
    kept.push_back(*it);
  }
  code_.assign(kept.rbegin(), kept.rend());
  for (std::size_t slot = 0; slot < input_register_.size(); ++slot) {
    if (input_register_[slot] >= 0 && !live[input_register_[slot]]) input_register_[slot] = -1;
    if (present_register_[slot] >= 0 && !live[present_register_[slot]]) present_register_[slot] = -1;
    if (list_input_register_[slot] >= 0 && !live[list_input_register_[slot]]) list_input_register_[slot] = -1;
  }
  for (auto& [reg, list] : lists_) {
    if (list.input < 0) continue;
    if (list.item >= 0 && !live[list.item]) list.item = -1;
    for (int& f : list.fields)
      if (f >= 0 && !live[f]) f = -1;
  }
  for (auto& registers : space_registers_) std::erase_if(registers, [&](int r) { return !live[r]; });
  if (space_registers_.size() > 1) block_rows_ = kListBlock;
  share_storage();
  // The spaces whose items must know their row: those a row's value is copied to, item by item.
  needs_owner_.assign(space_registers_.size(), 0);
  for (const Instruction& in : code_) {
    if (in.code == Code::gather || in.code == Code::expand) needs_owner_[registers_[in.dst].space] = 1;
    if (in.code == Code::contains) needs_owner_[registers_[in.a].space] = 1;
  }
}

// Gives each register of the rows its lanes in a block: its own for what lives through the whole
// block (inputs, constants, decisions, lists' lengths), and for a value only the next few
// instructions read, lanes it shares with others whose lives do not overlap, so that a block's
// registers stay in the core's cache.
void Columnar::share_storage() {
  std::vector<char> lasting(registers_.size(), 0);
  for (const std::vector<int>* regs : {&decision_register_, &requested_, &input_register_, &present_register_})
    for (int r : *regs)
      if (r >= 0) lasting[r] = 1;
  for (const Constant& k : constants_) lasting[k.reg] = 1;
  for (std::size_t r = 0; r < registers_.size(); ++r)
    if (registers_[r].kind == Kind::list) lasting[r] = 1;
  for (const auto& [reg, list] : lists_) {  // read through their list, after the code too
    if (list.item >= 0) lasting[list.item] = 1;
    for (int f : list.fields)
      if (f >= 0) lasting[f] = 1;
  }
  std::vector<int> last_read(registers_.size(), -1);
  for (std::size_t i = 0; i < code_.size(); ++i)
    for (int r : {code_[i].a, code_[i].b, code_[i].c})
      if (r >= 0) last_read[r] = static_cast<int>(i);
  storage_.assign(registers_.size(), -1);
  space_slots_.assign(space_registers_.size(), {});
  std::size_t rows = 0, items = 0;
  auto new_slot = [&](int space) {
    if (space == 0) return static_cast<int>(rows++);
    space_slots_[space].push_back(static_cast<int>(items));
    return static_cast<int>(items++);
  };
  for (std::size_t r = 0; r < registers_.size(); ++r)
    if (lasting[r] && registers_[r].space == 0) storage_[r] = new_slot(0);
  for (std::size_t space = 1; space < space_registers_.size(); ++space)
    for (int r : space_registers_[space])
      if (lasting[r]) storage_[r] = new_slot(static_cast<int>(space));
  std::vector<std::vector<int>> free(space_registers_.size());  // by space: slots no register holds now
  for (std::size_t i = 0; i < code_.size(); ++i) {
    const int dst = code_[i].dst, space = registers_[dst].space;
    if (!lasting[dst]) {  // a slot of its own before its operands' are freed: no instruction reads what it writes
      if (free[space].empty()) {
        storage_[dst] = new_slot(space);
      } else {
        storage_[dst] = free[space].back();
        free[space].pop_back();
      }
    }
    for (int r : {code_[i].a, code_[i].b, code_[i].c})
      if (r >= 0 && !lasting[r] && last_read[r] == static_cast<int>(i) && r != dst) {
        free[registers_[r].space].push_back(storage_[r]);
        last_read[r] = -1;  // freed once, though read twice by this instruction
      }
    if (!lasting[dst] && last_read[dst] < 0) free[space].push_back(storage_[dst]);  // never read
  }
  row_slots_ = rows;
  item_slots_ = items;
}

int Columnar::new_register(Kind kind, int space, bool maybe_integer) {
  registers_.push_back({kind, maybe_integer, space});
  const int reg = static_cast<int>(registers_.size()) - 1;
  if (space > 0) space_registers_[space].push_back(reg);
  return reg;
}

// A lane-wise instruction: over the items of a list space when an operand is there (a body of a
// comprehension), the row operands gathered to them; else over the rows.
int Columnar::emit(const Instruction& in, Kind kind, bool maybe_integer) {
  if (const int folded = fold(in, kind, maybe_integer); folded >= 0) return folded;
  Instruction out = in;
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
  out.narrow = true;
  for (int r : {out.a, out.b, out.c})
    if (r >= 0 && registers_[r].kind == Kind::decimal) out.narrow = false;
  // The same instruction on the same registers gives the same lanes: computed once (decisions
  // often test the same thing, `segment == 'ppu'`, or price the same month).
  const Emitted key{out.code, out.a, out.b, out.c, out.integer_range, out.places, out.mode, out.builtin,
                    out.parameter, kind, maybe_integer};
  auto [it, added] = emitted_.try_emplace(key, -1);
  if (!added) return it->second;
  out.dst = it->second = new_register(kind, space, maybe_integer);
  code_.push_back(out);
  return out.dst;
}

// `in` where its operands are known (constant_lane()): the register of its result, computed now
// once instead of in every block, or -1. Also a choice by a known condition, and `and`/`or`
// settled by one side, give the register chosen. Every lane of a known register is good.
int Columnar::fold(const Instruction& in, Kind kind, bool maybe_integer) {
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
  const Lane x = has_a ? a->second : 0, y = has_b ? b->second : 0, z = c != known_.end() ? c->second : 0;
  const std::uint8_t good = 0;
  Lane result = 0;
  std::uint8_t bad = 0;
  compute(in, kind, 1, &result, &bad, {&x, &y, &z, &good, &good, &good});
  return bad ? -1 : constant_lane(result, kind, maybe_integer);  // a failure is left to each row
}

// A list made by `in`, its items (of `item_kind`) in a list space of its own.
int Columnar::emit_list(const Instruction& in, Kind item_kind) {
  const int space = static_cast<int>(space_registers_.size());
  space_registers_.emplace_back();
  Instruction out = in;
  out.dst = new_register(Kind::list, 0);
  List list;
  list.space = space;
  list.item = new_register(item_kind, space);
  lists_[out.dst] = list;
  code_.push_back(out);
  return out.dst;
}

// A value per row from a list.
int Columnar::emit_reduce(const Instruction& in, Kind kind) {
  Instruction out = in;
  out.dst = new_register(kind, 0);
  code_.push_back(out);
  return out.dst;
}

int Columnar::gather(int reg, int space) {
  const auto key = std::pair(reg, space);
  if (auto it = gathered_.find(key); it != gathered_.end()) return it->second;
  Instruction in{Code::gather};
  in.a = reg;
  in.dst = new_register(registers_[reg].kind, space, registers_[reg].maybe_integer);
  code_.push_back(in);
  gathered_[key] = in.dst;
  return in.dst;
}

int Columnar::encode_text(const std::string& spelling) {
  auto [it, added] = text_numbers_.try_emplace(spelling, static_cast<int>(texts_.size()));
  if (added) texts_.push_back(spelling);
  return it->second;
}

Lane Columnar::encode(const Value& v, Kind kind) const {
  switch (kind) {
    case Kind::boolean: return v.as_bool() ? 1 : 0;
    case Kind::integer: return v.as_integer();
    case Kind::decimal: return v.as_number().raw();
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
  return decode_kind(lane, registers_[reg].kind);
}

Value Columnar::decode_kind(Lane lane, Kind kind) const {
  switch (kind) {
    case Kind::boolean: return lane != 0;
    case Kind::integer: return static_cast<std::int64_t>(lane);
    case Kind::decimal: return Decimal::from_raw(lane);
    case Kind::date: return date_of(lane);
    case Kind::month: return month_of(lane);
    default: return texts_[static_cast<std::size_t>(lane)];
  }
}

// A register filled once per block: `v` in every lane, or bad lanes when `v` is none.
int Columnar::constant(const Value& v, Kind kind) {
  if (!v.has_value()) {  // none: every lane bad
    const int reg = new_register(kind, 0);
    constants_.push_back({reg, Lane{0}, true});
    return reg;
  }
  if (kind == Kind::text && v.kind() == Kind::text) encode_text(v.as_text());
  return constant_lane(encode(v, kind), kind);
}

// A register with `lane` in every lane, none bad: known when lowering, so what reads only such
// registers is folded to one too.
int Columnar::constant_lane(Lane lane, Kind kind, bool maybe_integer) {
  auto [it, added] = constant_registers_.try_emplace({lane, kind, maybe_integer}, -1);
  if (!added) return it->second;  // one register for each constant, however often it is written
  const int reg = it->second = new_register(kind, 0, maybe_integer);
  constants_.push_back({reg, lane, false});
  known_[reg] = lane;
  return reg;
}

int Columnar::as_kind(int reg, Kind kind) {
  if (reg < 0) return -1;
  if (registers_[reg].kind == kind) return reg;
  if (registers_[reg].kind == Kind::none && none_fits(kind)) return constant_lane(kNone, kind);  // the literal none, as this kind
  if (registers_[reg].kind == Kind::integer && kind == Kind::decimal) {
    Instruction in{Code::int_to_dec};
    in.a = reg;
    return emit(in, Kind::decimal, true);
  }
  return -1;
}

int Columnar::lower_decision(int slot) {
  int& state = decision_register_[slot];
  if (state >= 0) return state;
  if (state != kUnvisited) return -1;
  const CompiledDecision& d = p_.decisions[slot];
  const bool list = list_kind(d.type) && d.type.element != Kind::record;
  if ((d.optional && !none_fits(d.type.kind)) || !(scalar_kind(d.type) || list)) {
    state = kNotLowered;
    return -1;
  }
  state = kLowering;
  if (!list && !reads_input(slot)) {
    // The same for every row: computed once, by the Evaluator, with the steps it took counted
    // for every row (as each would count them one by one). If it fails, every row fails so.
    Evaluator once(p_);
    once.start(date_);
    try {
      const Value v = once.decision(slot);
      constant_iterations_ += once.iterations();
      int reg = -1;
      if (v.has_value()) {
        reg = constant(v, d.type.kind);
      } else {  // an optional decision's none (an enum, date or month: checked above)
        reg = constant_lane(kNone, d.type.kind);
      }
      return decision_register_[slot] = reg;
    } catch (const std::exception&) {
      return decision_register_[slot] = kNotLowered;
    }
  }
  // A decision read inside a comprehension's body is lowered for the rows, as any other.
  const int outer_slot = local_slot_, outer_list = local_list_;
  local_slot_ = local_list_ = -1;
  int reg = -1;
  try {
    reg = d.formula ? lower(*d.formula->root) : lower_table(d);
    // The Evaluator widens an integer result of a decimal decision (or the integer items of a
    // list of decimals); so does this.
    reg = list ? widened(reg, d.type.element) : as_kind(reg, d.type.kind);
  } catch (const NotLowered&) {
    reg = -1;
  }
  local_slot_ = outer_slot;
  local_list_ = outer_list;
  // ... so the decision's value is a decimal for whatever reads it. (A register that may hold an
  // integer is the root's own, but for a constant, which other expressions share: it is
  // replaced by the same constant as a decimal.)
  if (reg >= 0 && registers_[reg].maybe_integer) {
    if (const auto k = known_.find(reg); k != known_.end()) {
      reg = constant_lane(k->second, registers_[reg].kind, false);
    } else {
      registers_[reg].maybe_integer = false;
    }
  }
  decision_register_[slot] = reg >= 0 ? reg : kNotLowered;
  return reg;
}

// List `list` with items of kind `element`: integers become decimals where a list of decimals is
// declared (a map of the items, in their own space).
int Columnar::widened(int list, Kind element) {
  if (list < 0) return -1;
  const List source = lists_.at(list);
  if (source.item < 0 || element != Kind::decimal || registers_[source.item].kind != Kind::integer) return list;
  Instruction in{Code::map};
  in.a = list;
  return emit_map(in, source.space, as_kind(source.item, Kind::decimal));
}

// A list of `items` (a register of list space `space`, computed for each item of list in.a): it
// shares the space, its items are not copied.
int Columnar::emit_map(Instruction in, int space, int items) {
  in.code = Code::map;
  in.b = items;
  in.dst = new_register(Kind::list, 0);
  List out;
  out.space = space;
  out.item = items;
  lists_[in.dst] = out;
  code_.push_back(in);
  return in.dst;
}

bool Columnar::reads_input(int slot) {
  signed char& known = reads_input_[slot];
  if (known >= 0) return known != 0;
  known = 1;  // while looking (the checker refuses cycles)
  std::vector<const Expr*> exprs = roots(p_.decisions[slot]);
  bool reads = false;
  while (!exprs.empty() && !reads) {
    const Expr* e = exprs.back();
    exprs.pop_back();
    // An input that is not a column has its default in every row, as the Evaluator starts with.
    reads = (e->kind == NodeKind::input && input_column_[e->slot] >= 0) ||
            (e->kind == NodeKind::decision && reads_input(e->slot));
    for (const auto& a : e->args) exprs.push_back(a.get());
  }
  known = reads ? 1 : 0;
  return reads;
}

int Columnar::lower_table(const CompiledDecision& d) {
  const Kind kind = d.type.kind;
  int rest = -1;
  std::size_t rows = d.table.size();
  if (rows > 0 && d.table.back().when.empty()) {
    rest = as_kind(lower(*d.table.back().then.root), kind);
    --rows;
  } else if (kind == Kind::list) {
    return -1;  // no row matched: the Evaluator's error
  } else {
    rest = constant(Value(), kind);  // no row matched: the Evaluator's error
  }
  for (std::size_t r = rows; r-- > 0 && rest >= 0;) {
    const CompiledRow& row = d.table[r];
    int cond = -1;
    for (const CompiledExpression& w : row.when) {
      const int c = lower(*w.root);
      if (c < 0) return -1;
      if (cond < 0) {
        cond = c;
      } else {
        Instruction in{Code::and_};
        in.a = cond;
        in.b = c;
        cond = emit(in, Kind::boolean);
      }
    }
    const int then = as_kind(lower(*row.then.root), kind);
    if (cond < 0 || then < 0) return -1;
    rest = select(cond, then, rest, kind);
  }
  return rest;
}

// if c then a else b, of `kind`: a list is copied from the list taken.
int Columnar::select(int c, int a, int b, Kind kind, bool maybe_integer) {
  Instruction in{kind == Kind::list ? Code::select_list : Code::select};
  in.a = c;
  in.b = a;
  in.c = b;
  if (kind != Kind::list) return emit(in, kind, maybe_integer);
  const List &x = lists_.at(a), &y = lists_.at(b);
  if (x.item < 0 || y.item < 0 || registers_[c].space != 0) return -1;
  Kind item = registers_[x.item].kind;
  if (item != registers_[y.item].kind) {  // [] takes the other's kind
    if (x.empty) item = registers_[y.item].kind;
    else if (!y.empty) return -1;
  }
  return emit_list(in, item);
}

int Columnar::lower(const Expr& e) {
  const bool text_literal = e.kind == NodeKind::literal && e.value.kind() == Kind::text;  // numbered
  if (e.kind == NodeKind::literal && !e.value.has_value()) {  // none: typed where it meets its decision
    return new_register(Kind::none, 0);
  }
  if (e.kind == NodeKind::list && e.args.empty()) {  // [], the empty list
    if (local_slot_ >= 0) return -1;
    Instruction in{Code::empty_list};
    const Kind element = e.type.element;
    const bool typed = element == Kind::text || (ordered(element) || element == Kind::boolean);
    const int reg = emit_list(in, typed ? element : Kind::integer);
    lists_.at(reg).empty = true;
    return reg;
  }
  if (!scalar_kind(e.type) && !text_literal && !list_kind(e.type)) return -1;
  // Lists in a comprehension's body (a comprehension in a comprehension) stay with the Evaluator.
  if (e.type.kind == Kind::list && local_slot_ >= 0) return -1;
  auto numbers = [&](int& a, int& b) {  // both decimal unless both are integers
    if (a < 0 || b < 0) return false;
    if (registers_[a].kind == Kind::integer && registers_[b].kind == Kind::integer) return true;
    if ((registers_[a].kind != Kind::integer && registers_[a].kind != Kind::decimal) ||
        (registers_[b].kind != Kind::integer && registers_[b].kind != Kind::decimal)) {
      return registers_[a].kind == registers_[b].kind;
    }
    a = as_kind(a, Kind::decimal);
    b = as_kind(b, Kind::decimal);
    return true;
  };
  switch (e.kind) {
    case NodeKind::literal:
      if (e.value.kind() == Kind::list || e.value.kind() == Kind::record || !e.value.has_value()) return -1;
      return constant(e.value, e.value.kind());
    case NodeKind::input: {
      if (e.type.kind == Kind::list) return lower_list_input(e.slot);
      int& reg = input_register_[e.slot];
      if (reg < 0) {
        const CompiledInput& in = p_.inputs[e.slot];
        if (in.type.is_enum()) {
          for (const std::string& v : *in.type.enum_values) encode_text(v);
        }
        if (input_column_[e.slot] >= 0) {
          reg = new_register(in.type.kind, 0);
        } else {
          reg = constant(in.default_value, in.type.kind);
        }
      }
      return reg;
    }
    case NodeKind::parameter: {
      const CompiledParameter& param = p_.parameters[e.slot];
      if (!scalar_kind(param.type)) return -1;
      const int period = param.period_at(date_);
      if (param.type.is_enum()) {
        for (const std::string& v : *param.type.enum_values) encode_text(v);
      }
      return constant(period < 0 ? Value() : param.history[period].value, param.type.kind);
    }
    case NodeKind::decision: {
      const int reg = lower_decision(e.slot);
      if (reg < 0 || !p_.decisions[e.slot].optional) return reg;
      Instruction in{Code::some};  // reading none fails in the Evaluator
      in.a = reg;
      return emit(in, registers_[reg].kind);
    }
    case NodeKind::local: {
      if (e.slot != local_slot_) return -1;
      return lists_.at(local_list_).item;  // -1 for a record: only its fields are read
    }
    case NodeKind::field: {  // a field of a list input's record, in a comprehension over it
      const Expr& record = *e.args[0];
      if (record.kind != NodeKind::local || record.slot != local_slot_) return -1;
      List& list = lists_.at(local_list_);
      if (list.input < 0 || e.slot < 0 || e.slot >= static_cast<int>(list.fields.size())) return -1;
      if (list.fields[e.slot] < 0) {
        if (e.type.is_enum()) {
          for (const std::string& v : *e.type.enum_values) encode_text(v);
        }
        list.fields[e.slot] = new_register(e.type.kind, list.space);
      }
      return list.fields[e.slot];
    }
    case NodeKind::comprehension: return lower_comprehension(e);
    case NodeKind::evaluation_date: return constant(Value(date_), Kind::date);
    case NodeKind::evaluation_month: return constant(Value(Month::of(date_)), Kind::month);
    case NodeKind::unary: {
      const int a = lower(*e.args[0]);
      if (a < 0) return -1;
      Instruction in{e.op == Op::not_ ? Code::not_ : (registers_[a].kind == Kind::integer ? Code::neg_int : Code::neg_dec)};
      in.a = a;
      in.integer_range = registers_[a].maybe_integer;
      return emit(in, registers_[a].kind, registers_[a].maybe_integer);
    }
    case NodeKind::binary: {
      int a = lower(*e.args[0]);
      if (e.op == Op::in || e.op == Op::not_in) {
        const Expr& list = *e.args[1];
        if (a < 0) return -1;
        if (list.kind != NodeKind::list) {  // in a list computed for each row (an input, a decision)
          // In a comprehension's body the Evaluator looks for `a` once per item, counting the
          // list's items as steps each time: so is it here, where `a` is the row's.
          if (local_slot_ >= 0 && registers_[a].space == 0) a = gather(a, lists_.at(local_list_).space);
          // The list is the row's, even in a comprehension's body (where `a` may be an item).
          const int outer_slot = local_slot_, outer_list = local_list_;
          local_slot_ = local_list_ = -1;
          const int l = lower(list);
          local_slot_ = outer_slot;
          local_list_ = outer_list;
          if (l < 0) return -1;
          const int item = lists_.at(l).item;
          if (item < 0 || registers_[item].kind != registers_[a].kind || registers_[a].maybe_integer) return -1;
          Instruction in{Code::contains};
          in.a = a;
          in.b = l;
          in.c = item;
          in.dst = new_register(Kind::boolean, registers_[a].space);
          code_.push_back(in);
          const int found = in.dst;
          if (e.op == Op::in) return found;
          Instruction no{Code::not_};
          no.a = found;
          return emit(no, Kind::boolean);
        }
        if (list.args.empty()) return -1;
        int found = -1;
        for (const auto& item : list.args) {
          int x = a, y = lower(*item);
          if (!numbers(x, y)) return -1;
          Instruction eq{Code::eq};
          eq.a = x;
          eq.b = y;
          const int hit = emit(eq, Kind::boolean);
          if (found < 0) {
            found = hit;
          } else {  // every item is evaluated, as the Evaluator builds the whole list
            Instruction any{Code::any_of};
            any.a = found;
            any.b = hit;
            found = emit(any, Kind::boolean);
          }
        }
        if (e.op == Op::in) return found;
        Instruction in{Code::not_};
        in.a = found;
        return emit(in, Kind::boolean);
      }
      int b = lower(*e.args[1]);
      if (!numbers(a, b)) return -1;
      Instruction in{};
      in.a = a;
      in.b = b;
      const bool integers = registers_[a].kind == Kind::integer;
      const bool both_maybe_integer = (registers_[a].maybe_integer || integers) && (registers_[b].maybe_integer || integers);
      switch (e.op) {
        case Op::and_: in.code = Code::and_; return emit(in, Kind::boolean);
        case Op::or_: in.code = Code::or_; return emit(in, Kind::boolean);
        case Op::eq: in.code = Code::eq; return emit(in, Kind::boolean);
        case Op::ne: in.code = Code::ne; return emit(in, Kind::boolean);
        case Op::lt: in.code = Code::lt; return emit(in, Kind::boolean);
        case Op::le: in.code = Code::le; return emit(in, Kind::boolean);
        case Op::gt: in.code = Code::gt; return emit(in, Kind::boolean);
        case Op::ge: in.code = Code::ge; return emit(in, Kind::boolean);
        case Op::div:
          in.code = Code::div_dec;
          in.a = as_kind(a, Kind::decimal);
          in.b = as_kind(b, Kind::decimal);
          return emit(in, Kind::decimal);
        case Op::add: case Op::sub: case Op::mul: {
          if (integers) {
            in.code = e.op == Op::add ? Code::add_int : (e.op == Op::sub ? Code::sub_int : Code::mul_int);
            return emit(in, Kind::integer);
          }
          if (registers_[a].kind != Kind::decimal) return -1;  // dates and months do not add
          in.code = e.op == Op::add ? Code::add_dec : (e.op == Op::sub ? Code::sub_dec : Code::mul_dec);
          in.integer_range = both_maybe_integer;
          return emit(in, Kind::decimal, both_maybe_integer);
        }
        default: return -1;
      }
    }
    case NodeKind::if_then_else: {
      const int c = lower(*e.args[0]);
      int a = lower(*e.args[1]), b = lower(*e.args[2]);
      if (c < 0 || a < 0 || b < 0) return -1;
      const bool maybe_integer = e.type.kind == Kind::decimal &&
                                 (registers_[a].kind == Kind::integer || registers_[a].maybe_integer ||
                                  registers_[b].kind == Kind::integer || registers_[b].maybe_integer);
      a = as_kind(a, e.type.kind);
      b = as_kind(b, e.type.kind);
      if (a < 0 || b < 0) return -1;
      return select(c, a, b, e.type.kind, maybe_integer);
    }
    case NodeKind::call: return lower_call(e);
    default: return -1;  // lists, comprehensions, records, locals
  }
}

// A call of a function: its instructions, or -1 where the Evaluator computes it.
int Columnar::lower_call(const Expr& e) {
  const Kind kind = e.type.kind;
  switch (e.builtin) {
    case Builtin::round: {
      Instruction in{Code::round};
      in.a = as_kind(lower(*e.args[0]), Kind::decimal);
      in.places = static_cast<int>(e.args[1]->value.as_integer());
      const Expr& mode = *e.args[2];
      if (mode.kind == NodeKind::literal) {
        in.mode = static_cast<Rounding>(mode.value.as_integer());
      } else if (mode.kind == NodeKind::parameter) {  // a dated rounding mode, fixed for the date
        const CompiledParameter& param = p_.parameters[mode.slot];
        const int period = param.period_at(date_);
        if (period < 0) return -1;
        in.mode = *parse_rounding(param.history[period].value.as_text());
      } else {
        return -1;
      }
      if (in.a < 0) return -1;
      return emit(in, Kind::decimal);
    }
    case Builtin::min:
    case Builtin::max: {
      int best = as_kind(lower(*e.args[0]), kind);
      for (std::size_t i = 1; i < e.args.size() && best >= 0; ++i) {
        Instruction in{e.builtin == Builtin::min ? Code::min : Code::max};
        in.a = best;
        in.b = as_kind(lower(*e.args[i]), kind);
        if (in.b < 0) return -1;
        best = emit(in, kind);
      }
      return best;
    }
    case Builtin::clamp: {
      Instruction in{Code::clamp};
      in.a = as_kind(lower(*e.args[0]), kind);
      in.b = as_kind(lower(*e.args[1]), kind);
      in.c = as_kind(lower(*e.args[2]), kind);
      if (in.a < 0 || in.b < 0 || in.c < 0) return -1;
      return emit(in, kind);
    }
    case Builtin::at: {
      const CompiledParameter& param = p_.parameters[e.args[0]->slot];
      if (!scalar_kind(param.type)) return -1;
      if (param.type.is_enum()) {
        for (const std::string& v : *param.type.enum_values) encode_text(v);
      }
      Instruction in{Code::at};
      in.a = lower(*e.args[1]);
      if (in.a < 0) return -1;
      in.parameter = static_cast<int>(at_tables_.size());
      at_tables_.push_back(at_table(param, registers_[in.a].kind == Kind::month));
      return emit(in, param.type.kind);
    }
    case Builtin::has: {
      if (e.args[0]->kind == NodeKind::decision) {
        Instruction in{Code::present};
        in.a = lower_decision(e.args[0]->slot);
        if (in.a < 0) return -1;
        return emit(in, Kind::boolean);
      }
      if (e.args[0]->kind != NodeKind::input) return -1;
      const int slot = e.args[0]->slot;
      int& reg = present_register_[slot];
      if (reg < 0) {
        if (input_column_[slot] >= 0) {
          reg = new_register(Kind::boolean, 0);
        } else {
          reg = constant(Value(p_.inputs[slot].default_value.has_value()), Kind::boolean);
        }
      }
      return reg;
    }
    case Builtin::months: case Builtin::days: case Builtin::count: case Builtin::sum:
    case Builtin::sorted: case Builtin::last:
      return lower_list_call(e);
    case Builtin::any: case Builtin::all:  // of a list value: not lowered, the Evaluator computes them
    case Builtin::map: case Builtin::filter: case Builtin::first: case Builtin::none:  // aggregations only
      return -1;
    KAIDAH_SCALAR_KERNEL_CASES: {  // scalar_builtin() lane by lane
      if (e.args.size() > 3) return -1;
      Instruction in{Code::call};
      in.builtin = e.builtin;
      int* args[] = {&in.a, &in.b, &in.c};
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        *args[i] = lower(*e.args[i]);
        if (*args[i] < 0 || registers_[*args[i]].maybe_integer) return -1;
      }
      return emit(in, kind);
    }
  }
  return -1;  // not reached: every function is a case
}


// The periods of `param` as lanes of months (a month is in a period from its first day on) or days.
Columnar::AtTable Columnar::at_table(const CompiledParameter& param, bool months) const {
  AtTable table;
  for (const Period& period : param.history) {
    const Month m = Month::of(period.from);
    table.from.push_back(months ? month_index(m) + (period.from.day() == 1 ? 0 : 1) : day_number(period.from));
    table.none.push_back(!period.value.has_value());
    table.value.push_back(period.value.has_value() ? encode(period.value, param.type.kind) : Lane{0});
  }
  return table;
}

namespace {

// Whether `e` reads comprehension variable `slot` only as the date of at() (collecting the
// parameters read so): its value is then the same for every item in the same periods.
bool read_only_in_at(const Expr& e, int slot, std::vector<int>& parameters) {
  if (e.kind == NodeKind::local) return e.slot != slot;
  if (e.kind == NodeKind::call && e.builtin == Builtin::at && e.args[1]->kind == NodeKind::local &&
      e.args[1]->slot == slot) {
    parameters.push_back(e.args[0]->slot);
    return true;
  }
  for (const auto& a : e.args)
    if (!read_only_in_at(*a, slot, parameters)) return false;
  return true;
}

}  // namespace

int Columnar::lower_list_input(int slot) {
  int& reg = list_input_register_[slot];
  if (reg >= 0) return reg;
  const Type& t = p_.inputs[slot].type;
  List list;
  list.space = static_cast<int>(space_registers_.size());
  space_registers_.emplace_back();
  list.input = slot;
  if (t.element == Kind::record) {
    list.fields.assign(t.record->fields.size(), -1);  // made as they are read
  } else {
    if (t.is_enum()) {
      for (const std::string& v : *t.enum_values) encode_text(v);
    }
    list.item = new_register(t.element, list.space);
  }
  const int made = new_register(Kind::list, 0);
  lists_[made] = list;
  return reg = made;
}

// A comprehension: its body lowered in its list's space, one lane per item.
int Columnar::lower_comprehension(const Expr& e) {
  if (local_slot_ >= 0) return -1;
  const int list = lower(*e.args[0]);
  if (list < 0) return -1;
  const List source = lists_.at(list);
  // Rates change only where their periods begin: a body that reads a month (or day) only as the
  // date of at() is computed once for each run of items in the same periods, then given to each.
  int body_list = list;
  const Kind item_kind = source.item >= 0 ? registers_[source.item].kind : Kind::none;
  std::vector<int> parameters;
  const bool by_runs = (item_kind == Kind::month || item_kind == Kind::date) &&
                       read_only_in_at(*e.args[1], e.slot, parameters);
  if (by_runs) {
    std::vector<Lane> starts;
    for (int param : parameters) {
      const AtTable table = at_table(p_.parameters[param], item_kind == Kind::month);
      starts.insert(starts.end(), table.from.begin(), table.from.end());
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    Instruction in{Code::runs};
    in.a = list;
    in.c = source.item;
    in.parameter = static_cast<int>(run_tables_.size());
    run_tables_.push_back(std::move(starts));
    body_list = emit_list(in, item_kind);
  }
  local_slot_ = e.slot;
  local_list_ = body_list;
  int body = lower(*e.args[1]);
  local_slot_ = local_list_ = -1;
  if (body < 0 || registers_[body].kind == Kind::none) return -1;
  const int body_space = lists_.at(body_list).space;
  if (registers_[body].space == 0) body = gather(body, body_space);  // a body that does not read the item
  if (by_runs) {
    Instruction in{Code::expand};
    in.a = body;
    in.b = body_list;
    in.dst = new_register(registers_[body].kind, source.space, registers_[body].maybe_integer);
    code_.push_back(in);
    body = in.dst;
  }
  Instruction in{};
  in.a = list;
  in.b = body;
  in.counts = true;  // a step for each item, as the Evaluator counts
  switch (e.builtin) {
    case Builtin::map: {
      const int items = e.type.element == Kind::decimal ? as_kind(body, Kind::decimal) : body;
      return items < 0 ? -1 : emit_map(in, source.space, items);
    }
    case Builtin::filter:
      if (source.item < 0) return -1;
      in.code = Code::filter;
      in.c = source.item;
      return emit_list(in, registers_[source.item].kind);
    case Builtin::first:
      if (source.item < 0) return -1;
      in.code = Code::first_true;
      in.c = source.item;
      return emit_reduce(in, registers_[source.item].kind);
    case Builtin::count: in.code = Code::count_true; return emit_reduce(in, Kind::integer);
    case Builtin::any: in.code = Code::any_true; return emit_reduce(in, Kind::boolean);
    case Builtin::all: in.code = Code::all_true; return emit_reduce(in, Kind::boolean);
    case Builtin::sum:
      if (e.type.kind == Kind::integer) {
        if (registers_[body].kind != Kind::integer) return -1;
        in.code = Code::sum_int;
      } else {
        in.code = Code::sum_dec;
        in.b = as_kind(body, Kind::decimal);
        if (in.b < 0) return -1;
      }
      return emit_reduce(in, e.type.kind);
    case Builtin::min:
    case Builtin::max:
      if (!ordered(e.type.kind)) return -1;
      in.code = e.builtin == Builtin::min ? Code::min_of : Code::max_of;
      in.b = as_kind(body, e.type.kind);
      if (in.b < 0) return -1;
      return emit_reduce(in, e.type.kind);
    KAIDAH_SCALAR_KERNEL_CASES:
    case Builtin::round: case Builtin::clamp: case Builtin::sorted: case Builtin::last: case Builtin::days:
    case Builtin::months: case Builtin::at: case Builtin::has: case Builtin::none:
      break;  // calls only
  }
  return -1;
}

// months(), days(), and count(), sum(), sorted(), last() of a list.
int Columnar::lower_list_call(const Expr& e) {
  if (e.builtin == Builtin::months || e.builtin == Builtin::days) {
    Instruction in{e.builtin == Builtin::months ? Code::month_range : Code::day_range};
    in.a = lower(*e.args[0]);
    in.b = lower(*e.args[1]);
    if (in.a < 0 || in.b < 0 || registers_[in.a].space != 0 || registers_[in.b].space != 0) return -1;
    return emit_list(in, e.builtin == Builtin::months ? Kind::month : Kind::date);
  }
  const int list = lower(*e.args[0]);
  if (list < 0) return -1;
  Instruction in{};
  in.a = list;
  if (e.builtin == Builtin::count) {
    in.code = Code::count;
    return emit_reduce(in, Kind::integer);
  }
  const int item = lists_.at(list).item;
  if (item < 0) return -1;
  const Kind kind = registers_[item].kind;
  switch (e.builtin) {
    case Builtin::sum:
      if (kind != e.type.kind || !(kind == Kind::integer || kind == Kind::decimal)) return -1;
      in.code = kind == Kind::integer ? Code::sum_int : Code::sum_dec;
      in.b = item;
      in.counts = true;
      return emit_reduce(in, kind);
    case Builtin::sorted:  // enums are not ordered: the Evaluator keeps their order
      if (!ordered(kind)) return -1;
      in.counts = true;
      in.code = Code::sorted;
      in.c = item;
      return emit_list(in, kind);
    case Builtin::last:
      in.counts = true;  // at least the items the Evaluator copies
      in.code = Code::last;
      in.b = lower(*e.args[1]);
      in.c = item;
      if (in.b < 0 || registers_[in.b].space != 0) return -1;
      return emit_list(in, kind);
    default: return -1;
  }
}

Columnar::Block::Block(const Columnar& c)
    : values_(c.row_slots_ * c.block_rows_),
      bad_(c.row_slots_ * c.block_rows_, 0),
      items_(c.item_slots_),
      spaces_(c.space_registers_.size()),
      iterations_(c.block_rows_, 0),
      refused_(c.block_rows_, 0),
      complete_(c.block_rows_, 0),
      scratch_(c.p_.inputs.size()),
      list_scratch_(c.block_rows_),
      lists_(c.block_rows_, nullptr),
      written_(c.requested_.size()) {
  for (Segments& s : spaces_) {
    s.start.resize(c.block_rows_);
    s.length.resize(c.block_rows_);
  }
  for (const Columnar::Constant& k : c.constants_) {
    std::fill_n(c.lanes_of(*this, k.reg), c.block_rows_, k.lane);
    std::fill_n(c.bad_of(*this, k.reg), c.block_rows_, k.bad);
  }
}

std::size_t Columnar::Block::ItemsHash::operator()(std::span<const Lane> items) const {
  std::uint64_t h = items.size();
  for (const Lane lane : items)  // one multiplication a lane (the table's size is a prime: no low-bit patterns)
    h = (h ^ static_cast<std::uint64_t>(lane) ^ static_cast<std::uint64_t>(lane >> 64) << 1) * 0xbf58476d1ce4e5b9ULL;
  return h ^ h >> 31;
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
  for (int slot : space_slots_[space]) {
    b.items_[slot].values.resize(size);
    b.items_[slot].bad.resize(size);
  }
}

namespace {

// The lane of `cell` when it is already stored as input `in` needs and within its bounds (what
// accept_input() would take as it is), or nothing: accept_input() then decides.
std::optional<Lane> direct_lane(const CompiledInput& in, const Value& cell, const std::vector<Lane>& enum_lanes) {
  if (cell.kind() != in.type.kind) return std::nullopt;
  switch (in.type.kind) {
    case Kind::decimal:
    case Kind::integer: {
      const Decimal d = cell.as_number();
      if ((in.minimum && d < *in.minimum) || (in.maximum && d > *in.maximum)) return std::nullopt;
      return in.type.kind == Kind::decimal ? d.raw() : Lane{cell.as_integer()};
    }
    case Kind::boolean: return Lane{cell.as_bool()};
    case Kind::date: return day_number(cell.as_date());
    case Kind::month: return month_index(cell.as_month());
    case Kind::text: {
      if (!in.type.is_enum()) return std::nullopt;
      const auto& spellings = *in.type.enum_values;
      for (std::size_t k = 0; k < spellings.size(); ++k)
        if (spellings[k] == cell.as_text()) return enum_lanes[k];
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace

void Columnar::load_inputs(Block& b, const std::vector<std::vector<Value>>& columns, std::size_t first) const {
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
    Lane* v = reg >= 0 ? lanes_of(b, reg) : nullptr;
    std::uint8_t* bad = reg >= 0 ? bad_of(b, reg) : nullptr;
    Lane* has = present >= 0 ? lanes_of(b, present) : nullptr;
    const Lane default_lane = defaulted && reg >= 0 ? encode(in.default_value, in.type.kind) : 0;
    const Value* cells = columns[column].data() + first;
    for (std::size_t i = 0; i < b.rows_; ++i) {
      const Value& cell = cells[i];
      if (!cell.has_value()) {  // not given: the default, or a lane that fails where it is read
        if (v) {
          v[i] = default_lane;
          bad[i] = !defaulted;
        }
        if (has) has[i] = defaulted;
        if (list) b.lists_[i] = defaulted ? &in.default_value : nullptr;
        continue;
      }
      if (const std::optional<Lane> lane = direct_lane(in, cell, enum_lanes_[slot])) {
        if (v) {
          v[i] = *lane;
          bad[i] = 0;
        }
        if (has) has[i] = 1;
        continue;
      }
      // Every column is checked, read or not: a value that does not fit refuses the row. A list
      // converted (from text) is kept per row, until its items are laid out.
      Value& converted = list ? b.list_scratch_[i] : b.scratch_[slot];
      const Value* accepted = accept_input(in, cell, converted, why, p_.limits);
      if (list) b.lists_[i] = accepted;
      if (!accepted) {
        b.refused_[i] = 1;
        if (v) {
          v[i] = 0;
          bad[i] = 1;
        }
        continue;
      }
      if (v) {
        v[i] = encode(*accepted, in.type.kind);
        bad[i] = 0;
      }
      if (has) has[i] = 1;
    }
    if (list) load_list(b, static_cast<int>(slot));
  }
}

// The items (or the records' fields read) of list input `slot`, from the list each row was given.
void Columnar::load_list(Block& b, int slot) const {
  const int reg = list_input_register_[slot];
  const List& list = lists_.at(reg);
  Block::Segments& s = b.spaces_[list.space];
  Lane* length = lanes_of(b, reg);
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
  Lane* items = list.item >= 0 ? lanes_of(b, list.item) : nullptr;
  std::uint8_t* items_bad = list.item >= 0 ? bad_of(b, list.item) : nullptr;
  for (std::size_t i = 0; i < b.rows_; ++i) {
    if (s.length[i] == 0) continue;
    const auto& values = b.lists_[i]->as_list();
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::size_t at = s.start[i] + k;
      if (items) {
        items[at] = encode(values[k], item_kind);
        items_bad[at] = 0;
      }
      for (std::size_t f = 0; f < list.fields.size(); ++f) {
        const int field = list.fields[f];
        if (field < 0) continue;
        const Value& v = values[k].as_record()[f].second;  // records are stored in declared field order
        lanes_of(b, field)[at] = v.has_value() ? encode(v, registers_[field].kind) : Lane{0};
        bad_of(b, field)[at] = !v.has_value();  // a missing field fails where it is read
      }
    }
  }
}

void Columnar::run(Block& b, const std::vector<std::vector<Value>>& columns, std::size_t first, std::size_t n) const {
  b.rows_ = n;
  std::fill_n(b.iterations_.begin(), n, constant_iterations_);
  load_inputs(b, columns, first);
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

Value Columnar::decode_list(const Block& b, int reg, std::size_t i, bool widen) const {
  const List& list = lists_.at(reg);
  const Block::Segments& s = b.spaces_[list.space];
  const std::uint32_t n = s.length[i];
  std::vector<Value> items;
  items.reserve(n);
  if (n > 0) {
    const Kind kind = registers_[list.item].kind;
    const Lane* lanes = lanes_of(b, list.item) + s.start[i];
    for (std::uint32_t k = 0; k < n; ++k) {
      if (widen && kind == Kind::integer) items.emplace_back(Decimal(static_cast<std::int64_t>(lanes[k])));
      else items.push_back(decode_kind(lanes[k], kind));
    }
  }
  return Value(std::move(items));
}

void Columnar::write(Block& b, std::size_t first, std::vector<std::vector<Value>>& out) const {
  for (std::size_t index = 0; index < requested_.size(); ++index) {
    const int reg = requested_[index];
    if (reg < 0) continue;
    const Lane* lanes = lanes_of(b, reg);
    Value* cells = out[index].data() + first;
    if (registers_[reg].kind == Kind::decimal) {  // the common case, without a Value in between
      for (std::size_t i = 0; i < b.rows_; ++i)
        if (b.complete_[i]) cells[i] = Decimal::from_raw(lanes[i]);
    } else if (registers_[reg].kind == Kind::list) {
      // Rows with the same items share one list, as values are immutable: people with the same
      // months in arrears get the same list, built once.
      const bool widen = p_.decisions[requested_slots_[index]].type.element == Kind::decimal;
      const List& list = lists_.at(reg);
      const Block::Segments& s = b.spaces_[list.space];
      const Lane* items = list.item >= 0 ? lanes_of(b, list.item) : nullptr;
      Block::Written& written = b.written_[index];
      constexpr std::size_t kKept = 256;  // lists kept at most: a roster of all different lists stays small
      for (std::size_t i = 0; i < b.rows_; ++i) {
        if (!b.complete_[i]) continue;
        const std::span<const Lane> key = items ? std::span<const Lane>(items + s.start[i], s.length[i]) : std::span<const Lane>();
        auto it = written.find(key);
        if (it == written.end()) {
          if (written.size() == kKept) written.clear();
          it = written.emplace(std::vector<Lane>(key.begin(), key.end()), decode_list(b, reg, i, widen)).first;
        }
        cells[i] = it->second;
      }
    } else {  // in place: a cell of the same kind keeps its storage
      const Kind kind = registers_[reg].kind;
      for (std::size_t i = 0; i < b.rows_; ++i) {
        if (!b.complete_[i]) continue;
        const Lane lane = lanes[i];
        if (lane == kNone && none_fits(kind)) {
          cells[i] = Value();
          continue;
        }
        switch (kind) {
          case Kind::boolean: cells[i] = lane != 0; break;
          case Kind::integer: cells[i] = static_cast<std::int64_t>(lane); break;
          case Kind::date: cells[i] = date_of(lane); break;
          case Kind::month: cells[i] = month_of(lane); break;
          default: cells[i] = texts_[static_cast<std::size_t>(lane)]; break;
        }
      }
    }
  }
}

void Columnar::give(const Block& b, std::size_t i, Evaluator& e) const {
  for (std::size_t slot = 0; slot < decision_register_.size(); ++slot) {
    const int reg = decision_register_[slot];
    if (reg < 0 || bad_of(b, reg)[i]) continue;
    if (registers_[reg].kind == Kind::list) {
      e.set_decision(static_cast<int>(slot), decode_list(b, reg, i, p_.decisions[slot].type.element == Kind::decimal));
    } else {
      e.set_decision(static_cast<int>(slot), decode(lanes_of(b, reg)[i], reg));
    }
  }
  e.add_iterations(b.iterations_[i]);
}

void Columnar::execute(Block& b, const Instruction& in) const {
  if (in.code >= Code::gather) {  // across spaces: rows and the items of lists
    execute_list(b, in);
    return;
  }
  const int space = registers_[in.dst].space;
  const Lanes args{in.a >= 0 ? lanes_of(b, in.a) : nullptr, in.b >= 0 ? lanes_of(b, in.b) : nullptr,
                   in.c >= 0 ? lanes_of(b, in.c) : nullptr, in.a >= 0 ? bad_of(b, in.a) : nullptr,
                   in.b >= 0 ? bad_of(b, in.b) : nullptr, in.c >= 0 ? bad_of(b, in.c) : nullptr};
  compute(in, registers_[in.dst].kind, space ? b.spaces_[space].size : b.rows_, lanes_of(b, in.dst), bad_of(b, in.dst),
          args);
}

void Columnar::compute(const Instruction& in, Kind kind, std::size_t n, Lane* d, std::uint8_t* db, const Lanes& args) const {
  const Lane *x = args.x, *y = args.y, *z = args.z;
  const std::uint8_t *xb = args.xb, *yb = args.yb, *zb = args.zb;
  auto out_of_integer_range = [&](Lane r) { return in.integer_range && (r > kIntegerMax || r < kIntegerMin); };
  auto low = [](Lane v) { return static_cast<std::int64_t>(v); };
  // A lane whose arguments are bad is not computed: its garbage could only raise.
  auto each_good = [&](auto&& f) {
    for (std::size_t i = 0; i < n; ++i) {
      if (xb[i] | (yb ? yb[i] : 0) | (zb ? zb[i] : 0)) {
        d[i] = 0;
        db[i] = 1;
        continue;
      }
      try {
        d[i] = f(i);
        db[i] = out_of_integer_range(d[i]);
      } catch (const std::exception&) {  // the Evaluator gives this row's error
        d[i] = 0;
        db[i] = 1;
      }
    }
  };
  switch (in.code) {
    case Code::int_to_dec:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] * kOne;
        db[i] = xb[i];
      }
      return;
    case Code::add_int:
    case Code::sub_int:
    case Code::mul_int:
      for (std::size_t i = 0; i < n; ++i) {
        std::int64_t r = 0;
        const auto a = static_cast<std::int64_t>(x[i]), c = static_cast<std::int64_t>(y[i]);
        const bool overflow = in.code == Code::add_int   ? __builtin_add_overflow(a, c, &r)
                              : in.code == Code::sub_int ? __builtin_sub_overflow(a, c, &r)
                                                         : __builtin_mul_overflow(a, c, &r);
        d[i] = r;
        db[i] = xb[i] | yb[i] | overflow;
      }
      return;
    case Code::neg_int:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = -x[i];
        db[i] = xb[i] | (x[i] == INT64_MIN);
      }
      return;
    case Code::add_dec:
    case Code::sub_dec:
      for (std::size_t i = 0; i < n; ++i) {
        Lane r = 0;
        const bool overflow = (in.code == Code::add_dec ? __builtin_add_overflow(x[i], y[i], &r)
                                                        : __builtin_sub_overflow(x[i], y[i], &r)) ||
                              r == kLowestLane;  // -2^127 is past the decimal range (decimal.cpp)
        d[i] = r;
        db[i] = xb[i] | yb[i] | overflow | out_of_integer_range(r);
      }
      return;
    case Code::neg_dec:
      each_good([&](std::size_t i) { return (-Decimal::from_raw(x[i])).raw(); });
      return;
    case Code::mul_dec:
      each_good([&](std::size_t i) { return (Decimal::from_raw(x[i]) * Decimal::from_raw(y[i])).raw(); });
      return;
    case Code::div_dec:
      for (std::size_t i = 0; i < n; ++i) {  // by zero (in an untaken branch, often): bad, without throwing
        db[i] = 1;
        d[i] = 0;
        if (xb[i] || yb[i] || y[i] == 0) continue;
        try {
          d[i] = (Decimal::from_raw(x[i]) / Decimal::from_raw(y[i])).raw();
          db[i] = out_of_integer_range(d[i]);
        } catch (const std::exception&) {  // overflow: the Evaluator gives this row's error
          d[i] = 0;
        }
      }
      return;
    case Code::round:
      each_good([&](std::size_t i) { return Decimal::from_raw(x[i]).round(in.places, in.mode).raw(); });
      return;
    case Code::eq: case Code::ne: case Code::lt: case Code::le: case Code::gt: case Code::ge: {
      auto compare = [&](auto op) {  // a loop for each comparison: no switch per lane
        for (std::size_t i = 0; i < n; ++i) {
          d[i] = op(x[i], y[i]);
          db[i] = xb[i] | yb[i];
        }
      };
      if (in.narrow) {
        auto compare_low = [&](auto op) {
          for (std::size_t i = 0; i < n; ++i) {
            d[i] = op(low(x[i]), low(y[i]));
            db[i] = xb[i] | yb[i];
          }
        };
        switch (in.code) {
          case Code::eq: compare_low(std::equal_to<std::int64_t>()); return;
          case Code::ne: compare_low(std::not_equal_to<std::int64_t>()); return;
          case Code::lt: compare_low(std::less<std::int64_t>()); return;
          case Code::le: compare_low(std::less_equal<std::int64_t>()); return;
          case Code::gt: compare_low(std::greater<std::int64_t>()); return;
          default: compare_low(std::greater_equal<std::int64_t>()); return;
        }
      }
      switch (in.code) {
        case Code::eq: compare(std::equal_to<Lane>()); return;
        case Code::ne: compare(std::not_equal_to<Lane>()); return;
        case Code::lt: compare(std::less<Lane>()); return;
        case Code::le: compare(std::less_equal<Lane>()); return;
        case Code::gt: compare(std::greater<Lane>()); return;
        default: compare(std::greater_equal<Lane>()); return;
      }
    }
    // Conditions are booleans: their low halves.
    case Code::and_:  // the right side counts only where the left is true, as in the Evaluator
      for (std::size_t i = 0; i < n; ++i) {
        const bool a = low(x[i]) != 0, b = low(y[i]) != 0;
        d[i] = a & b;
        db[i] = xb[i] | (a & yb[i]);
      }
      return;
    case Code::or_:
      for (std::size_t i = 0; i < n; ++i) {
        const bool a = low(x[i]) != 0, b = low(y[i]) != 0;
        d[i] = a | b;
        db[i] = xb[i] | (static_cast<std::uint8_t>(!a) & yb[i]);
      }
      return;
    case Code::any_of:
      for (std::size_t i = 0; i < n; ++i) {
        const bool a = low(x[i]) != 0, b = low(y[i]) != 0;
        d[i] = a | b;
        db[i] = xb[i] | yb[i];
      }
      return;
    case Code::not_:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = low(x[i]) == 0;
        db[i] = xb[i];
      }
      return;
    case Code::select:  // only the branch taken counts; masks, not branches, as conditions vary by row
      if (in.narrow) {
        for (std::size_t i = 0; i < n; ++i) {
          const std::int64_t take = -static_cast<std::int64_t>(low(x[i]) != 0);  // all ones, or zero
          const auto take_bad = static_cast<std::uint8_t>(take);
          d[i] = (low(y[i]) & take) | (low(z[i]) & ~take);
          db[i] = xb[i] | (yb[i] & take_bad) | (zb[i] & static_cast<std::uint8_t>(~take_bad));
        }
        return;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const Lane take = -static_cast<Lane>(low(x[i]) != 0);  // all ones, or zero
        const auto take_bad = static_cast<std::uint8_t>(take);
        d[i] = (y[i] & take) | (z[i] & ~take);
        db[i] = xb[i] | (yb[i] & take_bad) | (zb[i] & static_cast<std::uint8_t>(~take_bad));
      }
      return;
    case Code::min:
    case Code::max:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = in.code == Code::min ? std::min(x[i], y[i]) : std::max(x[i], y[i]);
        db[i] = xb[i] | yb[i];
      }
      return;
    case Code::clamp:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] < y[i] ? y[i] : (x[i] > z[i] ? z[i] : x[i]);
        db[i] = xb[i] | yb[i] | zb[i] | (y[i] > z[i]);  // lower bound above upper: the Evaluator's error
      }
      return;
    case Code::some:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i];
        db[i] = xb[i] | (x[i] == kNone);
      }
      return;
    case Code::present:  // has() computes the decision: its failure is has()'s
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[i] != kNone;
        db[i] = xb[i];
      }
      return;
    case Code::at: {
      const AtTable& t = at_tables_[in.parameter];
      for (std::size_t i = 0; i < n; ++i) {
        const auto k = std::upper_bound(t.from.begin(), t.from.end(), x[i]) - t.from.begin() - 1;
        const bool none = xb[i] || k < 0 || t.none[k];  // no value in force: the Evaluator's error
        d[i] = none ? Lane{0} : t.value[k];
        db[i] = none;
      }
      return;
    }
    case Code::call:
      if (const Kind first = registers_[in.a].kind; is_date_builtin(in.builtin, first)) {
        each_good([&](std::size_t i) -> Lane {
          return date_builtin(in.builtin, first, static_cast<std::int64_t>(x[i]), y ? static_cast<std::int64_t>(y[i]) : 0);
        });
        return;
      }
      each_good([&](std::size_t i) -> Lane {
        std::array<Value, 3> args;
        std::array<const Value*, 3> pointers{};
        const int regs[] = {in.a, in.b, in.c};
        const Lane* lanes[] = {x, y, z};
        for (int k = 0; k < 3 && regs[k] >= 0; ++k) {
          args[k] = decode(lanes[k][i], regs[k]);
          pointers[k] = &args[k];
        }
        return encode(scalar_builtin(in.builtin, pointers), kind);
      });
      return;
    default: return;  // lists: execute_list()
  }
}

void Columnar::execute_list(Block& b, const Instruction& in) const {
  const std::size_t rows = b.rows_;
  if (in.code == Code::gather) {
    const Block::Segments& s = b.spaces_[registers_[in.dst].space];
    Lane* d = lanes_of(b, in.dst);
    std::uint8_t* db = bad_of(b, in.dst);
    const Lane* x = lanes_of(b, in.a);
    const std::uint8_t* xb = bad_of(b, in.a);
    for (std::size_t k = 0; k < s.size; ++k) {
      d[k] = x[s.owner[k]];
      db[k] = xb[s.owner[k]];
    }
    return;
  }
  if (in.code == Code::expand) {
    const Block::Segments& runs = b.spaces_[lists_.at(in.b).space];
    const Block::Segments& items = b.spaces_[registers_[in.dst].space];
    Lane* d = lanes_of(b, in.dst);
    std::uint8_t* db = bad_of(b, in.dst);
    const Lane* x = lanes_of(b, in.a);
    const std::uint8_t* xb = bad_of(b, in.a);
    for (std::size_t k = 0; k < items.size; ++k) {
      if (runs.length[items.owner[k]] == 0) {  // a row whose list is bad has no runs
        d[k] = 0;
        db[k] = 1;
        continue;
      }
      d[k] = x[runs.run[k]];
      db[k] = xb[runs.run[k]];
    }
    return;
  }
  if (in.code == Code::contains && registers_[in.a].space != 0) {  // an item in its row's list
    const Block::Segments& s = b.spaces_[registers_[in.a].space];
    const Block::Segments& l = b.spaces_[lists_.at(in.b).space];
    Lane* d = lanes_of(b, in.dst);
    std::uint8_t* db = bad_of(b, in.dst);
    const Lane *x = lanes_of(b, in.a), *z = lanes_of(b, in.c);
    const std::uint8_t *xb = bad_of(b, in.a), *yb = bad_of(b, in.b), *zb = bad_of(b, in.c);
    for (std::size_t k = 0; k < s.size; ++k) {
      const std::uint32_t i = s.owner[k], begin = l.start[i], end = begin + l.length[i];
      b.iterations_[i] += static_cast<long>(l.length[i]);  // each item looked at is a step
      const bool bad = xb[k] || yb[i] || any_set(zb + begin, end - begin);
      d[k] = !bad && std::find(z + begin, z + end, x[k]) != z + end;
      db[k] = bad;
    }
    return;
  }
  // Every other writes a lane per row: a list's length, or a value from a list.
  Lane* d = lanes_of(b, in.dst);
  std::uint8_t* db = bad_of(b, in.dst);
  const Lane* x = in.a >= 0 ? lanes_of(b, in.a) : nullptr;
  const Lane* y = in.b >= 0 ? lanes_of(b, in.b) : nullptr;
  const Lane* z = in.c >= 0 ? lanes_of(b, in.c) : nullptr;
  const std::uint8_t* xb = in.a >= 0 ? bad_of(b, in.a) : nullptr;
  const std::uint8_t* yb = in.b >= 0 ? bad_of(b, in.b) : nullptr;
  const std::uint8_t* zb = in.c >= 0 ? bad_of(b, in.c) : nullptr;
  // The list read (a, or b for contains) and where its items are.
  const int source = in.code == Code::contains ? in.b : in.a;
  const Block::Segments* s = source >= 0 && lists_.count(source) ? &b.spaces_[lists_.at(source).space] : nullptr;
  auto any_bad = [&](std::size_t i, const std::uint8_t* bad) { return any_set(bad + s->start[i], s->length[i]); };
  if (in.counts) {
    for (std::size_t i = 0; i < rows; ++i) b.iterations_[i] += static_cast<long>(x[i]);
  }
  // A list made here: its lengths are set, then its space laid out and its items written.
  const List* out = lists_.count(in.dst) ? &lists_.at(in.dst) : nullptr;
  Block::Segments* t = out ? &b.spaces_[out->space] : nullptr;
  auto set_length = [&](std::size_t i, bool bad, std::uint64_t length) {
    if (bad) length = 0;
    t->length[i] = static_cast<std::uint32_t>(length);
    d[i] = static_cast<Lane>(length);
    db[i] = bad;
  };
  switch (in.code) {
    case Code::empty_list:
      for (std::size_t i = 0; i < rows; ++i) set_length(i, false, 0);
      lay_out(b, out->space);
      return;
    case Code::month_range:
    case Code::day_range: {
      for (std::size_t i = 0; i < rows; ++i) {
        bool bad = xb[i] | yb[i];
        const Lane length = bad || y[i] < x[i] ? 0 : y[i] - x[i] + 1;
        bad = bad || length > static_cast<Lane>(kMaxItems);
        set_length(i, bad, static_cast<std::uint64_t>(length));
        b.iterations_[i] += static_cast<long>(t->length[i]);  // each made is a step
      }
      lay_out(b, out->space);
      Lane* item = lanes_of(b, out->item);
      std::uint8_t* item_bad = bad_of(b, out->item);
      for (std::size_t i = 0; i < rows; ++i) {
        Lane* out = item + t->start[i];
        for (std::uint32_t k = 0; k < t->length[i]; ++k) out[k] = x[i] + k;
        std::fill_n(item_bad + t->start[i], t->length[i], 0);
      }
      return;
    }
    case Code::runs: {
      // Each item's period, then a run wherever it changes within a row's list.
      const std::vector<Lane>& starts = run_tables_[in.parameter];
      t->run.resize(s->size);  // the period of each item, until it is the run's
      for (std::size_t k = 0; k < s->size; ++k)
        t->run[k] = static_cast<std::uint32_t>(std::upper_bound(starts.begin(), starts.end(), z[k]) - starts.begin());
      for (std::size_t i = 0; i < rows; ++i) {
        std::uint64_t runs = 0;
        for (std::uint32_t k = s->start[i], end = k + s->length[i]; k < end; ++k)
          runs += k == s->start[i] || t->run[k] != t->run[k - 1];
        set_length(i, xb[i], runs);
      }
      lay_out(b, out->space);
      Lane* item = lanes_of(b, out->item);
      std::uint8_t* item_bad = bad_of(b, out->item);
      for (std::size_t i = 0; i < rows; ++i) {
        if (t->length[i] == 0) continue;
        std::uint32_t r = t->start[i], period = 0;
        for (std::uint32_t k = s->start[i], end = k + s->length[i]; k < end; ++k) {
          if (k == s->start[i] || t->run[k] != period) {
            if (k != s->start[i]) ++r;
            period = t->run[k];
            item[r] = z[k];
            item_bad[r] = zb[k];
          }
          t->run[k] = r;
        }
      }
      return;
    }
    case Code::map:  // the body's items are the list's: it fails if one of them does
      for (std::size_t i = 0; i < rows; ++i) {
        d[i] = x[i];
        db[i] = xb[i] || any_bad(i, yb);
      }
      return;
    case Code::filter:
    case Code::sorted:
    case Code::last:
    case Code::select_list: {
      // Which items of which list each row keeps: [from, from + length) of `list`'s items, or
      // (filter) those of them for which b holds.
      for (std::size_t i = 0; i < rows; ++i) {
        switch (in.code) {
          case Code::filter: {
            const bool bad = xb[i] || any_bad(i, yb) || any_bad(i, zb);
            std::uint64_t kept = 0;
            for (std::uint32_t k = s->start[i], end = k + s->length[i]; k < end; ++k) kept += y[k] != 0;
            set_length(i, bad, kept);
            break;
          }
          case Code::sorted: set_length(i, xb[i] || any_bad(i, zb), static_cast<std::uint64_t>(x[i])); break;
          case Code::last: {
            const bool bad = xb[i] || yb[i] || y[i] < 0 || any_bad(i, zb);
            set_length(i, bad, static_cast<std::uint64_t>(bad ? 0 : std::min(x[i], y[i])));
            break;
          }
          default: {  // select_list: only the list taken counts
            const bool take = x[i] != 0;
            set_length(i, xb[i] || (take ? yb[i] : zb[i]), static_cast<std::uint64_t>(take ? y[i] : z[i]));
            break;
          }
        }
      }
      lay_out(b, out->space);
      Lane* item = lanes_of(b, out->item);
      std::uint8_t* item_bad = bad_of(b, out->item);
      for (std::size_t i = 0; i < rows; ++i) {
        if (t->length[i] == 0) continue;
        std::uint32_t at = t->start[i];
        if (in.code == Code::select_list) {
          const List& taken = lists_.at(x[i] != 0 ? in.b : in.c);
          const Block::Segments& from = b.spaces_[taken.space];
          std::copy_n(lanes_of(b, taken.item) + from.start[i], t->length[i], item + at);
          std::copy_n(bad_of(b, taken.item) + from.start[i], t->length[i], item_bad + at);
          continue;
        }
        const std::uint32_t begin = s->start[i], end = begin + s->length[i];
        if (in.code == Code::filter) {
          for (std::uint32_t k = begin; k < end; ++k)
            if (y[k] != 0) item[at++] = z[k];
        } else {  // sorted, last: the last `length` items
          std::copy(z + end - t->length[i], z + end, item + at);
          if (in.code == Code::sorted) std::sort(item + at, item + at + t->length[i]);
        }
        std::fill_n(item_bad + t->start[i], t->length[i], 0);
      }
      return;
    }
    case Code::count:
      for (std::size_t i = 0; i < rows; ++i) {
        d[i] = x[i];
        db[i] = xb[i];
      }
      return;
    default: break;
  }
  // A value per row from the items of list a (b: the items, or a body for each).
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t begin = s->start[i], end = begin + s->length[i];
    const bool list_bad = (in.code == Code::contains ? yb[i] : xb[i]) != 0;
    Lane r = 0;
    bool bad = list_bad || any_bad(i, in.code == Code::contains ? zb : yb);
    switch (in.code) {
      case Code::count_true:
        for (std::uint32_t k = begin; k < end; ++k) r += y[k] != 0;
        break;
      case Code::sum_int: {
        std::int64_t total = 0;
        for (std::uint32_t k = begin; k < end && !bad; ++k)
          bad = __builtin_add_overflow(total, static_cast<std::int64_t>(y[k]), &total);
        r = total;
        break;
      }
      case Code::sum_dec:
        for (std::uint32_t k = begin; k < end && !bad; ++k) bad = __builtin_add_overflow(r, y[k], &r) || r == kLowestLane;
        break;
      case Code::min_of:
      case Code::max_of:
        bad = bad || begin == end;  // over no item: the Evaluator's error
        if (!bad) r = in.code == Code::min_of ? *std::min_element(y + begin, y + end) : *std::max_element(y + begin, y + end);
        break;
      case Code::any_true:
        r = std::any_of(y + begin, y + end, [](Lane v) { return v != 0; });
        break;
      case Code::all_true:
        r = std::all_of(y + begin, y + end, [](Lane v) { return v != 0; });
        break;
      case Code::first_true: {
        bad = bad || any_bad(i, zb);
        const Lane* hit = std::find_if(y + begin, y + end, [](Lane v) { return v != 0; });
        bad = bad || hit == y + end;  // none found: the Evaluator's error
        if (!bad) r = z[hit - y];
        break;
      }
      default: {  // contains: a in list b; each item looked at is a step
        b.iterations_[i] += static_cast<long>(end - begin);
        bad = bad || xb[i];
        const Lane* hit = std::find(z + begin, z + end, x[i]);
        r = hit != z + end;
        break;
      }
    }
    d[i] = bad ? Lane{0} : r;
    db[i] = bad;
  }
}

}  // namespace kaidah::detail

#include "eval/columnar.h"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "eval/builtins.h"
#include "eval/inputs.h"

namespace kaidah::detail {
namespace {

using Lane = Columnar::Lane;

constexpr Lane kOne = Decimal(1).raw();
// The raw Decimal range of whole numbers an int64 holds: beyond it, integer arithmetic in the
// Evaluator would overflow where decimal arithmetic does not.
constexpr Lane kIntegerMax = static_cast<Lane>(INT64_MAX) * kOne;
constexpr Lane kIntegerMin = static_cast<Lane>(INT64_MIN) * kOne;

constexpr int kUnvisited = -1, kNotLowered = -2, kLowering = -3;
// The lane of none, in the kinds whose lanes are never negative (enum numbers, day numbers, month
// indexes): an optional decision of one of those kinds is lowered with it.
constexpr Lane kNone = -1;
bool none_fits(Kind k) { return k == Kind::text || k == Kind::date || k == Kind::month; }


bool scalar_kind(const Type& t) {
  switch (t.kind) {
    case Kind::boolean: case Kind::integer: case Kind::decimal: case Kind::date: case Kind::month: return !t.none_literal;
    case Kind::text: return t.is_enum() && !t.none_literal;  // enums only: their spellings are numbered
    default: return false;
  }
}

Lane day_number(const Date& d) { return d.boost_date().day_number(); }
Date date_of(Lane day) {
  return Date(boost::gregorian::date(static_cast<boost::gregorian::date::date_int_type>(day)));
}
Lane month_index(const Month& m) { return Lane{m.year()} * 12 + (m.month() - 1); }
Month month_of(Lane index) { return Month(static_cast<int>(index / 12), static_cast<int>(index % 12) + 1); }

}  // namespace

Columnar::Columnar(const Program& p, const std::vector<int>& input_slots, const std::vector<int>& decision_slots,
                   const Date& date)
    : p_(p),
      date_(date),
      input_register_(p.inputs.size(), -1),
      present_register_(p.inputs.size(), -1),
      input_column_(p.inputs.size(), -1),
      decision_register_(p.decisions.size(), kUnvisited) {
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
    const CompiledDecision& d = p.decisions[slot];
    std::vector<const Expr*> exprs;
    if (d.formula) exprs.push_back(d.formula->root.get());
    for (const CompiledRow& row : d.table) {
      for (const auto& w : row.when) exprs.push_back(w.root.get());
      exprs.push_back(row.then.root.get());
    }
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

  // Drop what only a decision that could not be lowered would have used.
  std::vector<char> live(registers_.size(), 0);
  for (int r : decision_register_)
    if (r >= 0) live[r] = 1;
  std::vector<Instruction> kept;
  for (auto it = code_.rbegin(); it != code_.rend(); ++it) {
    if (!live[it->dst]) continue;
    for (int r : {it->a, it->b, it->c})
      if (r >= 0) live[r] = 1;
    kept.push_back(*it);
  }
  code_.assign(kept.rbegin(), kept.rend());
  for (std::size_t slot = 0; slot < input_register_.size(); ++slot) {
    if (input_register_[slot] >= 0 && !live[input_register_[slot]]) input_register_[slot] = -1;
    if (present_register_[slot] >= 0 && !live[present_register_[slot]]) present_register_[slot] = -1;
  }
}

int Columnar::emit(const Instruction& in, Kind kind, bool maybe_integer) {
  registers_.push_back({kind, maybe_integer});
  Instruction out = in;
  out.dst = static_cast<int>(registers_.size()) - 1;
  code_.push_back(out);
  return out.dst;
}

int Columnar::encode_text(const std::string& spelling) {
  auto it = std::find(texts_.begin(), texts_.end(), spelling);
  if (it != texts_.end()) return static_cast<int>(it - texts_.begin());
  texts_.push_back(spelling);
  return static_cast<int>(texts_.size()) - 1;
}

Lane Columnar::encode(const Value& v, Kind kind) const {
  switch (kind) {
    case Kind::boolean: return v.as_bool() ? 1 : 0;
    case Kind::integer: return v.as_integer();
    case Kind::decimal: return v.as_number().raw();
    case Kind::date: return day_number(v.as_date());
    case Kind::month: return month_index(v.as_month());
    default: {  // an enum: every spelling the program can meet was numbered when it was lowered
      auto it = std::find(texts_.begin(), texts_.end(), v.as_text());
      return it == texts_.end() ? -1 : it - texts_.begin();
    }
  }
}

Value Columnar::decode(Lane lane, int reg) const {
  if (lane == kNone && none_fits(registers_[reg].kind)) return Value();
  switch (registers_[reg].kind) {
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
  registers_.push_back({kind});
  const int reg = static_cast<int>(registers_.size()) - 1;
  if (kind == Kind::text && v.kind() == Kind::text) encode_text(v.as_text());
  constants_.push_back({reg, v.has_value() ? encode(v, kind) : Lane{0}, !v.has_value()});
  return reg;
}

int Columnar::as_kind(int reg, Kind kind) {
  if (reg < 0) return -1;
  if (registers_[reg].kind == kind) return reg;
  if (registers_[reg].kind == Kind::none && none_fits(kind)) {  // the literal none, as this kind
    registers_.push_back({kind});
    constants_.push_back({static_cast<int>(registers_.size()) - 1, kNone, false});
    return static_cast<int>(registers_.size()) - 1;
  }
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
  if ((d.optional && !none_fits(d.type.kind)) || !scalar_kind(d.type)) {
    state = kNotLowered;
    return -1;
  }
  state = kLowering;
  int reg = d.formula ? lower(*d.formula->root) : lower_table(d);
  // The Evaluator widens an integer result of a decimal decision; so does this.
  reg = as_kind(reg, d.type.kind);
  // ... so the decision's value is a decimal for whatever reads it. (A register that may hold an
  // integer is the root's own: inputs and decisions, the only shared registers, never do.)
  if (reg >= 0) registers_[reg].maybe_integer = false;
  decision_register_[slot] = reg >= 0 ? reg : kNotLowered;
  return reg;
}

int Columnar::lower_table(const CompiledDecision& d) {
  const Kind kind = d.type.kind;
  int rest = -1;
  std::size_t rows = d.table.size();
  if (rows > 0 && d.table.back().when.empty()) {
    rest = as_kind(lower(*d.table.back().then.root), kind);
    --rows;
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
    Instruction in{Code::select};
    in.a = cond;
    in.b = then;
    in.c = rest;
    rest = emit(in, kind);
  }
  return rest;
}

int Columnar::lower(const Expr& e) {
  const bool text_literal = e.kind == NodeKind::literal && e.value.kind() == Kind::text;  // numbered
  if (e.kind == NodeKind::literal && !e.value.has_value()) {  // none: typed where it meets its decision
    registers_.push_back({Kind::none});
    return static_cast<int>(registers_.size()) - 1;
  }
  if (!scalar_kind(e.type) && !text_literal) return -1;
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
      int& reg = input_register_[e.slot];
      if (reg < 0) {
        const CompiledInput& in = p_.inputs[e.slot];
        if (in.type.is_enum()) {
          for (const std::string& v : *in.type.enum_values) encode_text(v);
        }
        if (input_column_[e.slot] >= 0) {
          registers_.push_back({in.type.kind});
          reg = static_cast<int>(registers_.size()) - 1;
        } else {
          reg = constant(in.default_value, in.type.kind);
        }
      }
      return reg;
    }
    case NodeKind::parameter: {
      const CompiledParameter& param = p_.parameters[e.slot];
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
        if (a < 0 || list.kind != NodeKind::list || list.args.empty()) return -1;
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
      Instruction in{Code::select};
      in.a = c;
      in.b = a;
      in.c = b;
      return emit(in, e.type.kind, maybe_integer);
    }
    case NodeKind::call: {
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
          in.parameter = e.args[0]->slot;
          in.a = lower(*e.args[1]);
          if (in.a < 0) return -1;
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
              registers_.push_back({Kind::boolean});
              reg = static_cast<int>(registers_.size()) - 1;
            } else {
              reg = constant(Value(p_.inputs[slot].default_value.has_value()), Kind::boolean);
            }
          }
          return reg;
        }
        default: {
          if (!is_scalar_builtin(e.builtin) || e.args.size() > 3) return -1;
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
    }
    default: return -1;  // lists, comprehensions, records, locals
  }
}

Columnar::Block::Block(const Columnar& c)
    : values_(c.registers_.size() * kBlock),
      bad_(c.registers_.size() * kBlock, 0),
      refused_(kBlock, 0),
      complete_(kBlock, 0),
      scratch_(c.p_.inputs.size()) {
  for (const Columnar::Constant& k : c.constants_) {
    std::fill_n(&values_[k.reg * kBlock], kBlock, k.lane);
    std::fill_n(&bad_[k.reg * kBlock], kBlock, k.bad);
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
    if (column < 0) continue;
    const CompiledInput& in = p_.inputs[slot];
    const int reg = input_register_[slot], present = present_register_[slot];
    Lane* v = reg >= 0 ? &b.values_[reg * kBlock] : nullptr;
    std::uint8_t* bad = reg >= 0 ? &b.bad_[reg * kBlock] : nullptr;
    Lane* has = present >= 0 ? &b.values_[present * kBlock] : nullptr;
    const bool defaulted = in.default_value.has_value();
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
      // Every column is checked, read or not: a value that does not fit refuses the row.
      const Value* accepted = accept_input(in, cell, b.scratch_[slot], why, p_.limits.max_list_items);
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
  }
}

void Columnar::run(Block& b, const std::vector<std::vector<Value>>& columns, std::size_t first, std::size_t n) const {
  b.rows_ = n;
  load_inputs(b, columns, first);
  for (const Instruction& in : code_) execute(b, in);
  for (std::size_t i = 0; i < n; ++i) b.complete_[i] = !b.refused_[i];
  for (int reg : requested_) {
    if (reg < 0) continue;
    const std::uint8_t* bad = &b.bad_[reg * kBlock];
    for (std::size_t i = 0; i < n; ++i) b.complete_[i] &= !bad[i];
  }
}

void Columnar::write(const Block& b, std::size_t first, std::vector<std::vector<Value>>& out) const {
  for (std::size_t index = 0; index < requested_.size(); ++index) {
    const int reg = requested_[index];
    if (reg < 0) continue;
    const Lane* lanes = &b.values_[reg * kBlock];
    Value* cells = out[index].data() + first;
    if (registers_[reg].kind == Kind::decimal) {  // the common case, without a Value in between
      for (std::size_t i = 0; i < b.rows_; ++i)
        if (b.complete_[i]) cells[i] = Decimal::from_raw(lanes[i]);
    } else {
      for (std::size_t i = 0; i < b.rows_; ++i)
        if (b.complete_[i]) cells[i] = decode(lanes[i], reg);
    }
  }
}

void Columnar::give(const Block& b, std::size_t i, Evaluator& e) const {
  for (std::size_t slot = 0; slot < decision_register_.size(); ++slot) {
    const int reg = decision_register_[slot];
    if (reg >= 0 && !b.bad_[reg * kBlock + i]) e.set_decision(static_cast<int>(slot), decode(b.values_[reg * kBlock + i], reg));
  }
}

void Columnar::execute(Block& b, const Instruction& in) const {
  const std::size_t n = b.rows_;
  Lane* d = &b.values_[in.dst * kBlock];
  std::uint8_t* db = &b.bad_[in.dst * kBlock];
  const Lane* x = in.a >= 0 ? &b.values_[in.a * kBlock] : nullptr;
  const Lane* y = in.b >= 0 ? &b.values_[in.b * kBlock] : nullptr;
  const Lane* z = in.c >= 0 ? &b.values_[in.c * kBlock] : nullptr;
  const std::uint8_t* xb = in.a >= 0 ? &b.bad_[in.a * kBlock] : nullptr;
  const std::uint8_t* yb = in.b >= 0 ? &b.bad_[in.b * kBlock] : nullptr;
  const std::uint8_t* zb = in.c >= 0 ? &b.bad_[in.c * kBlock] : nullptr;
  auto out_of_integer_range = [&](Lane r) { return in.integer_range && (r > kIntegerMax || r < kIntegerMin); };
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
        const bool overflow = in.code == Code::add_dec ? __builtin_add_overflow(x[i], y[i], &r)
                                                       : __builtin_sub_overflow(x[i], y[i], &r);
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
      each_good([&](std::size_t i) { return (Decimal::from_raw(x[i]) / Decimal::from_raw(y[i])).raw(); });
      return;
    case Code::round:
      each_good([&](std::size_t i) { return Decimal::from_raw(x[i]).round(in.places, in.mode).raw(); });
      return;
    case Code::eq: case Code::ne: case Code::lt: case Code::le: case Code::gt: case Code::ge:
      for (std::size_t i = 0; i < n; ++i) {
        const Lane a = x[i], c = y[i];
        bool r = false;
        switch (in.code) {
          case Code::eq: r = a == c; break;
          case Code::ne: r = a != c; break;
          case Code::lt: r = a < c; break;
          case Code::le: r = a <= c; break;
          case Code::gt: r = a > c; break;
          default: r = a >= c; break;
        }
        d[i] = r;
        db[i] = xb[i] | yb[i];
      }
      return;
    case Code::and_:  // the right side counts only where the left is true, as in the Evaluator
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = (x[i] != 0) & (y[i] != 0);
        db[i] = xb[i] | ((x[i] != 0) & yb[i]);
      }
      return;
    case Code::or_:
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = (x[i] != 0) | (y[i] != 0);
        db[i] = xb[i] | ((x[i] == 0) & yb[i]);
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
    case Code::select:  // only the branch taken counts
      for (std::size_t i = 0; i < n; ++i) {
        const bool c = x[i] != 0;
        d[i] = c ? y[i] : z[i];
        db[i] = xb[i] | (c ? yb[i] : zb[i]);
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
      const CompiledParameter& param = p_.parameters[in.parameter];
      const Kind when = registers_[in.a].kind;
      each_good([&](std::size_t i) -> Lane {
        const Date day = when == Kind::month ? month_of(x[i]).first_day() : date_of(x[i]);
        const int period = param.period_at(day);
        if (period < 0) throw std::out_of_range("no value in force");
        return encode(param.history[period].value, param.type.kind);
      });
      return;
    }
    case Code::call:
      each_good([&](std::size_t i) -> Lane {
        std::array<Value, 3> args;
        std::array<const Value*, 3> pointers{};
        const int regs[] = {in.a, in.b, in.c};
        const Lane* lanes[] = {x, y, z};
        for (int k = 0; k < 3 && regs[k] >= 0; ++k) {
          args[k] = decode(lanes[k][i], regs[k]);
          pointers[k] = &args[k];
        }
        return encode(scalar_builtin(in.builtin, pointers), registers_[in.dst].kind);
      });
      return;
  }
}

}  // namespace kaidah::detail

// Lowering: a checked decision's expressions to instructions over the registers of a block (or -1,
// where the Evaluator computes it).

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

namespace {

bool is_comparison(Op op) { return op >= Op::eq && op <= Op::ge; }

// The instruction of comparison `op`, or of `b op a` (flipped: a < b is b > a).
Columnar::Code comparison_code(Op op, bool flipped = false) {
  using Code = Columnar::Code;
  switch (op) {
    case Op::eq: return Code::eq;
    case Op::ne: return Code::ne;
    case Op::lt: return flipped ? Code::gt : Code::lt;
    case Op::le: return flipped ? Code::ge : Code::le;
    case Op::gt: return flipped ? Code::lt : Code::gt;
    case Op::ge: return flipped ? Code::le : Code::ge;
    default: throw std::logic_error("internal error: not a comparison");
  }
}

}  // namespace

using namespace lanes;

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
  const LocalScope rows(*this, {});
  int reg = -1;
  try {
    reg = d.formula ? lower(*d.formula->root) : lower_table(d);
    if (!list) reg = as_kind(reg, d.type.kind);  // an optional decision's none
  } catch (const NotLowered&) {
    reg = -1;
  }
  decision_register_[slot] = reg >= 0 ? reg : kNotLowered;
  return reg;
}

// An integer as a decimal, or a list of integers as a list of decimals (a map of its items, in
// their own space): the compile stage's `widen` node.
int Columnar::lower_widen(const Node& e) {
  const int reg = lower(*e.args[0]);
  if (reg < 0) return -1;
  if (registers_[reg].kind == Kind::integer) {
    Instruction in{Code::int_to_dec};
    in.a = reg;
    return emit(in, Kind::decimal);
  }
  const List source = lists_.at(reg);
  if (source.item < 0 || registers_[source.item].kind != Kind::integer) return -1;
  Instruction to_decimal{Code::int_to_dec};
  to_decimal.a = source.item;
  Instruction in{Code::map};
  in.a = reg;
  return emit_map(in, source.space, emit(to_decimal, Kind::decimal));
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
  std::vector<const Node*> exprs = roots(p_.decisions[slot]);
  bool reads = false;
  while (!exprs.empty() && !reads) {
    const Node* e = exprs.back();
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
int Columnar::select(int c, int a, int b, Kind kind) {
  Instruction in{kind == Kind::list ? Code::select_list : Code::select};
  in.a = c;
  in.b = a;
  in.c = b;
  if (kind != Kind::list) return emit(in, kind);
  const List &x = lists_.at(a), &y = lists_.at(b);
  if (x.item < 0 || y.item < 0 || registers_[c].space != 0) return -1;
  Kind item = registers_[x.item].kind;
  if (item != registers_[y.item].kind) {  // [] takes the other's kind
    if (x.empty) item = registers_[y.item].kind;
    else if (!y.empty) return -1;
  }
  const bool ascending = x.ascending && y.ascending;
  // Decimal items at one scale: the one with fewer places rescaled, item by item.
  const int places = std::max(registers_[x.item].places, registers_[y.item].places);
  if (item == Kind::decimal) {
    in.b = list_at_places(a, places);
    in.c = list_at_places(b, places);
  }
  const int list = emit_list(in, item, places);
  lists_.at(list).ascending = ascending;
  return list;
}

// List `list` with decimal items at `places` (at least theirs): itself, or a map of its items
// rescaled.
int Columnar::list_at_places(int list, int places) {
  const List source = lists_.at(list);
  // (A `[]` of integers has nothing to move, and is left as it is.)
  if (registers_[source.item].kind != Kind::decimal || registers_[source.item].places == places) return list;
  Instruction in{Code::map};
  in.a = list;
  const int mapped = emit_map(in, source.space, rescale(source.item, places));
  lists_.at(mapped).ascending = source.ascending;  // more places keep the order
  return mapped;
}

int Columnar::lower(const Node& e) {
  const bool text_literal = e.kind == NodeKind::literal && e.value.kind() == Kind::text;  // numbered
  if (e.kind == NodeKind::literal && !e.value.has_value()) {  // none: typed where it meets its decision
    return new_register(Kind::none, 0);
  }
  if (e.kind == NodeKind::list && e.args.empty()) {  // [], the empty list
    if (local_.slot >= 0) return -1;
    Instruction in{Code::empty_list};
    const Kind element = e.type.element;
    const bool typed = element == Kind::text || (ordered(element) || element == Kind::boolean);
    const int reg = emit_list(in, typed ? element : Kind::integer);
    lists_.at(reg).empty = true;
    lists_.at(reg).ascending = true;
    return reg;
  }
  if (!scalar_kind(e.type) && !text_literal && !list_kind(e.type)) return -1;
  // Lists in a comprehension's body (a comprehension in a comprehension) stay with the Evaluator.
  if (e.type.kind == Kind::list && local_.slot >= 0) return -1;
  switch (e.kind) {
    case NodeKind::literal:
      if (e.value.kind() == Kind::list || e.value.kind() == Kind::record || !e.value.has_value()) return -1;
      return constant(e.value, e.value.kind());
    case NodeKind::input: return lower_input(e);
    case NodeKind::parameter: return lower_parameter(e);
    case NodeKind::decision: {
      const int reg = lower_decision(e.slot);
      if (reg < 0 || !p_.decisions[e.slot].optional) return reg;
      Instruction in{Code::some};  // reading none fails in the Evaluator
      in.a = reg;
      return emit(in, registers_[reg].kind);
    }
    case NodeKind::local: {
      if (e.slot != local_.slot) return -1;
      return lists_.at(local_.list).item;  // -1 for a record: only its fields are read
    }
    case NodeKind::field: return lower_field(e);
    case NodeKind::comprehension: return lower_comprehension(e);
    case NodeKind::evaluation_date: return constant(Value(date_), Kind::date);
    case NodeKind::evaluation_month: return constant(Value(Month::of(date_)), Kind::month);
    case NodeKind::unary: {
      const int a = lower(*e.args[0]);
      if (a < 0) return -1;
      Instruction in{e.op == Op::not_ ? Code::not_ : (registers_[a].kind == Kind::integer ? Code::neg_int : Code::neg_dec)};
      in.a = a;
      return emit(in, registers_[a].kind);
    }
    case NodeKind::binary:
      return e.op == Op::in || e.op == Op::not_in ? lower_membership(e) : lower_arithmetic(e);
    case NodeKind::if_then_else: {
      const int c = lower(*e.args[0]);
      int a = lower(*e.args[1]), b = lower(*e.args[2]);
      if (c < 0 || a < 0 || b < 0) return -1;
      a = as_kind(a, e.type.kind);  // none takes the other branch's kind
      b = as_kind(b, e.type.kind);
      if (a < 0 || b < 0) return -1;
      return select(c, a, b, e.type.kind);
    }
    case NodeKind::call: return lower_call(e);
    case NodeKind::widen: return lower_widen(e);
    default: return -1;  // lists, comprehensions, records, locals
  }
}

// True if a and b are lowered and of one kind. The compile stage widened an integer met with a
// decimal, so an integer and a decimal here mean a widening was missed: an internal error.
bool Columnar::same_kind(int a, int b) {
  if (a < 0 || b < 0) return false;
  const Kind x = registers_[a].kind, y = registers_[b].kind;
  const auto number = [](Kind k) { return k == Kind::integer || k == Kind::decimal; };
  if (x != y && number(x) && number(y))
    throw std::logic_error("internal error: an integer met a decimal in the compiled form (a widening the compile stage missed)");
  return x == y;
}

// An input of the rows: a register filled per block, or its default as a constant.
int Columnar::lower_input(const Node& e) {
  if (e.type.kind == Kind::list) return lower_list_input(e.slot);
  int& reg = input_register_[e.slot];
  if (reg < 0) {
    const CompiledInput& in = p_.inputs[e.slot];
    if (in.type.is_enum()) {
      for (const std::string& v : *in.type.enum_values) encode_text(v);
    }
    if (input_column_[e.slot] >= 0) {
      reg = new_register(in.type.kind, 0, kInputPlaces);
    } else {
      reg = constant(in.default_value, in.type.kind);
    }
  }
  return reg;
}

// A parameter's value on the evaluation date, a constant.
int Columnar::lower_parameter(const Node& e) {
  const CompiledParameter& param = p_.parameters[e.slot];
  if (!scalar_kind(param.type)) return -1;
  const int period = param.period_at(date_);
  if (param.type.is_enum()) {
    for (const std::string& v : *param.type.enum_values) encode_text(v);
  }
  return constant(period < 0 ? Value() : param.history[period].value, param.type.kind);
}

// A field of a list input's record, in a comprehension over it.
int Columnar::lower_field(const Node& e) {
  const Node& record = *e.args[0];
  if (record.kind != NodeKind::local || record.slot != local_.slot) return -1;
  List& list = lists_.at(local_.list);
  if (list.input < 0 || e.slot < 0 || e.slot >= static_cast<int>(list.fields.size())) return -1;
  if (list.fields[e.slot] < 0) {
    if (e.type.is_enum()) {
      for (const std::string& v : *e.type.enum_values) encode_text(v);
    }
    list.fields[e.slot] = new_register(e.type.kind, list.space, kInputPlaces);
  }
  return list.fields[e.slot];
}

// `a in list` and `a not in list`: a list computed for each row, or one written out.
int Columnar::lower_membership(const Node& e) {
  int a = lower(*e.args[0]);
  const Node& list = *e.args[1];
  if (a < 0) return -1;
  if (list.kind != NodeKind::list) {  // in a list computed for each row (an input, a decision)
    // In a comprehension's body the Evaluator looks for `a` once per item, counting the
    // list's items as steps each time: so is it here, where `a` is the row's.
    if (local_.slot >= 0 && registers_[a].space == 0) a = gather(a, lists_.at(local_.list).space);
    // The list is the row's, even in a comprehension's body (where `a` may be an item).
    int l = [&] {
      const LocalScope rows(*this, {});
      return lower(list);
    }();
    if (l < 0) return -1;
    int item = lists_.at(l).item;
    if (item < 0 || !same_kind(item, a)) return -1;
    if (registers_[a].kind == Kind::decimal) {  // compared at one scale
      const int places = std::max(registers_[a].places, registers_[item].places);
      a = rescale(a, places);
      l = list_at_places(l, places);
      item = lists_.at(l).item;
    }
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
    const int y = lower(*item);
    if (!same_kind(a, y)) return -1;
    Instruction eq{Code::eq};
    eq.a = a;
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

// and, or, comparisons and arithmetic of two operands.
int Columnar::lower_arithmetic(const Node& e) {
  const int a = lower(*e.args[0]);
  const int b = lower(*e.args[1]);
  if (!same_kind(a, b)) return -1;
  Instruction in{};
  in.a = a;
  in.b = b;
  const bool integers = registers_[a].kind == Kind::integer;
  switch (e.op) {
    case Op::and_: in.code = Code::and_; return emit(in, Kind::boolean);
    case Op::or_: in.code = Code::or_; return emit(in, Kind::boolean);
    case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge:
      in.code = comparison_code(e.op);
      return emit(in, Kind::boolean);
    case Op::div:
      if (integers) throw std::logic_error("internal error: a division of integers in the compiled form");
      in.code = Code::div_dec;
      return emit(in, Kind::decimal);
    case Op::add: case Op::sub: case Op::mul: {
      if (integers) {
        in.code = e.op == Op::add ? Code::add_int : (e.op == Op::sub ? Code::sub_int : Code::mul_int);
        return emit(in, Kind::integer);
      }
      if (registers_[a].kind != Kind::decimal) return -1;  // dates and months do not add
      in.code = e.op == Op::add ? Code::add_dec : (e.op == Op::sub ? Code::sub_dec : Code::mul_dec);
      return emit(in, Kind::decimal);
    }
    default: return -1;
  }
}

// round(x, places, mode): the mode a bare word, or a dated parameter fixed for the date. A
// quotient rounded to fewer than its 12 places is one instruction (div_round), so that a quotient
// past 9.2 million rupiah is not a bad lane.
int Columnar::lower_round(const Node& e) {
  Instruction in{Code::round};
  in.places = static_cast<int>(e.args[1]->value.as_integer());
  const Node& x = *e.args[0];
  if (x.kind == NodeKind::binary && x.op == Op::div && in.places < Decimal::kScale && in.places >= -kMaxPower) {
    in.code = Code::div_round;
    in.a = as_kind(lower(*x.args[0]), Kind::decimal);
    in.b = as_kind(lower(*x.args[1]), Kind::decimal);
    if (in.b < 0) return -1;
  } else {
    in.a = as_kind(lower(x), Kind::decimal);
  }
  const Node& mode = *e.args[2];
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
  if (in.code == Code::round && in.places >= registers_[in.a].places) return in.a;  // no place to drop: the value as it is
  return emit(in, Kind::decimal);
}

// A call of a function: its instructions, or -1 where the Evaluator computes it.
int Columnar::lower_call(const Node& e) {
  const Kind kind = e.type.kind;
  switch (e.builtin) {
    case Builtin::round: return lower_round(e);
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
        if (*args[i] < 0) return -1;
      }
      return emit(in, kind);
    }
  }
  return -1;  // not reached: every function is a case
}


// The periods of `param` as lanes of months (a month is in a period from its first day on) or days.
// A decimal's values at the most places any of them has.
Columnar::AtTable Columnar::at_table(const CompiledParameter& param, bool months) const {
  AtTable table;
  for (const Period& period : param.history)
    if (param.type.kind == Kind::decimal && period.value.has_value())
      table.places = std::max(table.places, places_of(period.value.as_number()));
  for (const Period& period : param.history) {
    const Month m = Month::of(period.from);
    table.from.push_back(months ? month_index(m) + (period.from.day() == 1 ? 0 : 1) : day_number(period.from));
    const std::optional<Lane> lane =
        period.value.has_value() ? encode(period.value, param.type.kind, table.places) : std::nullopt;
    table.none.push_back(!lane);
    table.value.push_back(lane.value_or(0));
  }
  return table;
}

namespace {

// Whether `e` reads comprehension variable `slot` anywhere.
bool reads_local(const Node& e, int slot) {
  if (e.kind == NodeKind::local) return e.slot == slot;
  return std::any_of(e.args.begin(), e.args.end(), [&](const auto& a) { return reads_local(*a, slot); });
}

bool is_local(const Node& e, int slot) { return e.kind == NodeKind::local && e.slot == slot; }

}  // namespace

// What a comprehension's body reads of its item, when all of it stays the same across a run of
// items (lower_comprehension()): the item as the date of at(), its year(), and comparisons of the
// item with what does not read it.
struct Columnar::RunReads {
  std::vector<int> parameters;
  bool by_year = false;
  struct Bound {
    Code code;  // item OP bound (the item on the left), or year(item) OP bound
    const Node* node;
    bool of_year = false;
  };
  std::vector<Bound> bounds;
  bool plain() const { return !by_year && bounds.empty(); }
};

// Whether `e` reads comprehension variable `slot` only so (collecting what it reads in `r`).
bool Columnar::reads_by_runs(const Node& e, int slot, RunReads& r) {
  if (e.kind == NodeKind::local) return e.slot != slot;
  // `x in L` of a list computed for the row counts L's items as steps for each item, as the
  // Evaluator does: once per run would count fewer, and max_iterations could pass where it fails.
  if (e.kind == NodeKind::binary && (e.op == Op::in || e.op == Op::not_in) && e.args[1]->kind != NodeKind::list) return false;
  if (e.kind == NodeKind::call && e.builtin == Builtin::at && is_local(*e.args[1], slot)) {
    r.parameters.push_back(e.args[0]->slot);
    return true;
  }
  if (e.kind == NodeKind::call && e.builtin == Builtin::year && is_local(*e.args[0], slot)) {
    r.by_year = true;
    return true;
  }
  if (e.kind == NodeKind::binary && is_comparison(e.op)) {
    const Node &left = *e.args[0], &right = *e.args[1];
    // year(item) compared with what does not read it (a PPU month of an earlier year): the runs
    // end where the comparison flips, not at each new year.
    auto year_of_item = [&](const Node& n) { return n.kind == NodeKind::call && n.builtin == Builtin::year && is_local(*n.args[0], slot); };
    for (const bool flipped : {false, true}) {
      const Node &item = flipped ? right : left, &bound = flipped ? left : right;  // bound OP item: item OP' bound
      if ((is_local(item, slot) || year_of_item(item)) && !reads_local(bound, slot)) {
        r.bounds.push_back({comparison_code(e.op, flipped), &bound, !is_local(item, slot)});
        return true;
      }
    }
  }
  for (const auto& a : e.args)
    if (!reads_by_runs(*a, slot, r)) return false;
  return true;
}

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
    list.item = new_register(t.element, list.space, kInputPlaces);
  }
  const int made = new_register(Kind::list, 0);
  lists_[made] = list;
  return reg = made;
}

// The runs of list `list`'s items (months or days) that a body reading them as `reads` says sees
// alike: a list of the first item of each run, over which the body is computed. -1 when a bound
// cannot be lowered in the rows.
int Columnar::lower_runs(int list, const RunReads& reads) {
  const List source = lists_.at(list);
  const Kind item_kind = registers_[source.item].kind;
  RunTable table;
  for (int param : reads.parameters) {
    const AtTable periods = at_table(p_.parameters[param], item_kind == Kind::month);
    table.starts.insert(table.starts.end(), periods.from.begin(), periods.from.end());
  }
  std::sort(table.starts.begin(), table.starts.end());
  table.starts.erase(std::unique(table.starts.begin(), table.starts.end()), table.starts.end());
  if (table.starts.size() >= (std::size_t{1} << 20)) return -1;  // a period's number fits 20 bits of a key
  table.by_year = reads.by_year;
  for (const RunReads::Bound& b : reads.bounds) {
    const int bound = lower(*b.node);
    const Kind kind = b.of_year ? Kind::integer : item_kind;
    if (bound < 0 || registers_[bound].space != 0 || registers_[bound].kind != kind) return -1;
    table.bounds.push_back({b.code, bound, b.of_year});
  }
  Instruction in{Code::runs};
  in.a = list;
  in.c = source.item;
  in.parameter = static_cast<int>(run_tables_.size());
  run_tables_.push_back(std::move(table));
  return emit_list(in, item_kind);
}

// A comprehension: its body lowered in its list's space, one lane per item.
int Columnar::lower_comprehension(const Node& e) {
  if (local_.slot >= 0) return -1;
  const int list = lower(*e.args[0]);
  if (list < 0) return -1;
  const List source = lists_.at(list);
  // Rates change only where their periods begin: a body that reads a month (or day) only as the
  // date of at(), through year() and in comparisons with a row's values (`m < month(kelas_since)`)
  // is computed once for each run of items alike in all of them, then given to each: 120 months
  // in arrears are a few runs. Worth it where rates are looked up; plain when nothing else is read.
  int body_list = list;
  const Kind item_kind = source.item >= 0 ? registers_[source.item].kind : Kind::none;
  RunReads reads;
  bool by_runs = (item_kind == Kind::month || item_kind == Kind::date) && reads_by_runs(*e.args[1], e.slot, reads) &&
                 (reads.plain() || !reads.parameters.empty()) && reads.bounds.size() <= RunTable::kMaxBounds;
  if (by_runs) {
    body_list = lower_runs(list, reads);
    by_runs = body_list >= 0;
    if (!by_runs) body_list = list;
  }
  int body = -1;
  {
    const LocalScope item(*this, {e.slot, body_list});
    body = lower(*e.args[1]);
  }
  if (body < 0 || registers_[body].kind == Kind::none) return -1;
  const int body_space = lists_.at(body_list).space;
  if (registers_[body].space == 0) body = gather(body, body_space);  // a body that does not read the item
  if (by_runs) {
    Instruction in{Code::expand};
    in.a = body;
    in.b = body_list;
    in.dst = new_register(registers_[body].kind, source.space, registers_[body].places);
    code_.push_back(in);
    expanded_[in.dst] = {body, body_list};  // a sum or count of the items reads the runs instead (emit_reduce())
    body = in.dst;
  }
  Instruction in{};
  in.a = list;
  in.b = body;
  in.counts = true;  // a step for each item, as the Evaluator counts
  switch (e.builtin) {
    case Builtin::map: return emit_map(in, source.space, body);
    case Builtin::filter: {
      if (source.item < 0) return -1;
      in.code = Code::filter;
      in.c = source.item;
      const int kept = emit_list(in, registers_[source.item].kind, registers_[source.item].places);
      lists_.at(kept).ascending = source.ascending;  // what is kept stays in order
      return kept;
    }
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
        if (registers_[body].kind != Kind::decimal) return -1;
        in.code = Code::sum_dec;
      }
      return emit_reduce(in, e.type.kind);
    case Builtin::min:
    case Builtin::max:
      if (!ordered(e.type.kind)) return -1;
      in.code = e.builtin == Builtin::min ? Code::min_of : Code::max_of;
      in.b = as_kind(body, e.type.kind);
      if (in.b < 0) return -1;
      in.ascending = source.ascending && in.b == source.item;  // min(m in owed, m): the first
      return emit_reduce(in, e.type.kind);
    KAIDAH_SCALAR_KERNEL_CASES:
    KAIDAH_ENGINE_CALL_CASES:
    case Builtin::none:
      break;  // calls only
  }
  return -1;
}

// sum(last(l, n)) where l's items are a body computed by runs (lower_comprehension()): the sum of
// the runs' bodies each times the number of its items among the last n, with no item of the
// last() list copied: that list (`tail`, just lowered for this sum) is read by nothing and
// dropped. (The body's expansion to l's items stays where l is a map that is kept, a decision.)
// -1: not so.
int Columnar::sum_last_by_runs(int tail) {
  const auto made = std::find_if(code_.rbegin(), code_.rend(), [&](const Instruction& in) { return in.dst == tail; });
  if (made == code_.rend() || made->code != Code::last) return -1;
  const auto body = expanded_.find(made->c);
  if (body == expanded_.end()) return -1;
  Instruction in{Code::sum_last_runs};
  in.a = made->a;
  in.b = body->second.body;
  in.c = made->b;
  in.runs = body->second.runs;
  return emit_reduce(in, registers_[in.b].kind);
}

// months(), days(), and count(), sum(), sorted(), last() of a list.
int Columnar::lower_list_call(const Node& e) {
  if (e.builtin == Builtin::months || e.builtin == Builtin::days) {
    Instruction in{e.builtin == Builtin::months ? Code::month_range : Code::day_range};
    in.a = lower(*e.args[0]);
    in.b = lower(*e.args[1]);
    if (in.a < 0 || in.b < 0 || registers_[in.a].space != 0 || registers_[in.b].space != 0) return -1;
    const int range = emit_list(in, e.builtin == Builtin::months ? Kind::month : Kind::date);
    lists_.at(range).ascending = true;
    return range;
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
      if (e.args[0]->kind == NodeKind::call && e.args[0]->builtin == Builtin::last) {
        if (const int by_runs = sum_last_by_runs(list); by_runs >= 0) return by_runs;
      }
      in.code = kind == Kind::integer ? Code::sum_int : Code::sum_dec;
      in.b = item;
      in.counts = true;
      return emit_reduce(in, kind);
    case Builtin::sorted: {  // enums are not ordered: the Evaluator keeps their order
      if (!ordered(kind)) return -1;
      in.counts = true;
      in.code = Code::sorted;
      in.c = item;
      const int sorted = emit_list(in, kind, registers_[item].places);
      lists_.at(sorted).ascending = true;
      return sorted;
    }
    case Builtin::last: {
      in.counts = true;  // at least the items the Evaluator copies
      in.code = Code::last;
      in.b = lower(*e.args[1]);
      in.c = item;
      if (in.b < 0 || registers_[in.b].space != 0) return -1;
      const bool ascending = lists_.at(list).ascending;
      const int tail = emit_list(in, kind, registers_[item].places);
      lists_.at(tail).ascending = ascending;
      return tail;
    }
    default: throw std::logic_error("internal error: " + e.name + "() is not a list call");  // lower_call() sends only these
  }
}

}  // namespace kaidah::detail

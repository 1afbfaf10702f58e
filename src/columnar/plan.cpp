// The plan: every decision asked for lowered, what only an unlowered one used dropped, and the
// registers given their storage in a block.

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

namespace {

// Input `in`'s minimum and maximum as lanes: units at kInputPlaces for a decimal, the least and
// the most whole units within them (a lane is whole, so it is within them exactly when it is
// within these). A bound past 64 bits on its own side bounds nothing; on the other, everything.
Columnar::Bounds bounds_of(const CompiledInput& in) {
  Columnar::Bounds bounds;
  if (in.type.kind != Kind::decimal && in.type.kind != Kind::integer) return bounds;
  constexpr Columnar::Bounds kNothing{INT64_MAX, INT64_MIN};  // no lane within: accept_input() refuses each
  const Int128 unit = Decimal::from_scaled(1, in.type.kind == Kind::decimal ? Columnar::kInputPlaces : 0).raw();
  auto units = [&](const std::optional<Decimal>& bound, bool minimum) -> Int128 {
    Int128 q = bound->raw() / unit, r = bound->raw() % unit;  // towards zero: then the ceiling or the floor
    if (r != 0 && minimum == (bound->raw() > 0)) q += minimum ? 1 : -1;
    return q;
  };
  if (in.minimum) {
    const Int128 low = units(in.minimum, true);
    if (low > INT64_MAX) return kNothing;
    bounds.low = static_cast<Columnar::Lane>(std::max<Int128>(low, INT64_MIN));
  }
  if (in.maximum) {
    const Int128 high = units(in.maximum, false);
    if (high < INT64_MIN) return kNothing;
    bounds.high = static_cast<Columnar::Lane>(std::min<Int128>(high, INT64_MAX));
  }
  return bounds;
}

}  // namespace

Columnar::Columnar(const Program& p, const std::vector<int>& input_slots, const std::vector<int>& decision_slots,
                   const Date& date, std::size_t max_block_rows)
    : p_(p),
      date_(date),
      input_register_(p.inputs.size(), -1),
      present_register_(p.inputs.size(), -1),
      input_column_(p.inputs.size(), -1),
      decision_register_(p.decisions.size(), kUnvisited),
      space_registers_(1),
      list_input_register_(p.inputs.size(), -1),
      reads_input_(p.decisions.size(), -1) {
  enum_lanes_.resize(p.inputs.size());
  input_bounds_.resize(p.inputs.size());
  column_slot_ = input_slots;
  for (std::size_t c = 0; c < input_slots.size(); ++c) {
    const int slot = input_slots[c];
    input_column_[slot] = static_cast<int>(c);
    input_bounds_[slot] = bounds_of(p.inputs[slot]);
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
    std::vector<const Node*> exprs = roots(p.decisions[slot]);
    while (!exprs.empty()) {
      const Node* e = exprs.back();
      exprs.pop_back();
      if (e->kind == NodeKind::decision) stack.push_back(e->slot);
      for (const auto& a : e->args) exprs.push_back(a.get());
    }
  }
  for (std::size_t slot = 0; slot < needed.size(); ++slot)
    if (needed[slot]) lower_decision(static_cast<int>(slot));

  computes_all_ = true;
  for (int slot : decision_slots) {
    std::vector<std::int64_t>& codes = codes_.emplace_back();
    if (const Type& t = p.decisions[slot].type; (t.kind == Kind::text || t.kind == Kind::list) && t.is_enum()) {  // a list's: its items'
      codes.assign(texts_.size(), -1);
      for (std::size_t k = 0; k < t.enum_values->size(); ++k)
        if (const auto it = text_numbers_.find((*t.enum_values)[k]); it != text_numbers_.end()) codes[it->second] = static_cast<std::int64_t>(k);
    }
    requested_.push_back(decision_register_[slot] >= 0 ? decision_register_[slot] : -1);
    computes_any_ = computes_any_ || requested_.back() >= 0;
    computes_all_ = computes_all_ && requested_.back() >= 0;
  }

  drop_unused();
  block_rows_ = std::clamp<std::size_t>(max_block_rows, 1, space_registers_.size() > 1 ? kListBlock : kBlock);
  share_storage();
  // The spaces whose items must know their row: those a row's value is copied to, item by item.
  needs_owner_.assign(space_registers_.size(), 0);
  for (const Instruction& in : code_) {
    if (in.code == Code::gather || in.code == Code::expand) needs_owner_[registers_[in.dst].space] = 1;
    if (in.code == Code::contains) needs_owner_[registers_[in.a].space] = 1;
  }
}

std::vector<int> Columnar::reads(const Instruction& in) const {
  std::vector<int> out;
  for (int r : {in.a, in.b, in.c})
    if (r >= 0) out.push_back(r);
  if (in.code == Code::runs)  // and the bounds a run's items are compared with
    for (const RunTable::Bound& bound : run_tables_[in.parameter].bounds) out.push_back(bound.reg);
  if (in.runs >= 0) out.push_back(in.runs);  // a sum by runs reads where they are
  return out;
}

// Drops what only a decision that could not be lowered would have used. A live list keeps its
// items (and a list input the fields read) alive.
void Columnar::drop_unused() {
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
    for (int r : reads(*it)) mark(r);
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
    for (int r : reads(code_[i])) last_read[r] = static_cast<int>(i);
  // Slots by space and width: a slot holds lanes of one width, shared only by registers of its
  // space and width.
  storage_.assign(registers_.size(), -1);
  slot_shapes_.clear();
  space_slots_.assign(space_registers_.size(), {});
  auto new_slot = [&](int space, int width) {
    slot_shapes_.push_back({space, width});
    const int slot = static_cast<int>(slot_shapes_.size()) - 1;
    if (space != 0) space_slots_[space].push_back(slot);
    return slot;
  };
  for (std::size_t r = 0; r < registers_.size(); ++r)
    if (lasting[r] && registers_[r].space == 0) storage_[r] = new_slot(0, registers_[r].width);
  for (std::size_t space = 1; space < space_registers_.size(); ++space)
    for (int r : space_registers_[space])
      if (lasting[r]) storage_[r] = new_slot(static_cast<int>(space), registers_[r].width);
  std::map<std::pair<int, int>, std::vector<int>> free;  // by (space, width): slots no register holds now
  auto free_of = [&](int r) -> std::vector<int>& { return free[{registers_[r].space, registers_[r].width}]; };
  for (std::size_t i = 0; i < code_.size(); ++i) {
    const int dst = code_[i].dst;
    if (!lasting[dst]) {  // a slot of its own before its operands' are freed: no instruction reads what it writes
      std::vector<int>& slots = free_of(dst);
      if (slots.empty()) {
        storage_[dst] = new_slot(registers_[dst].space, registers_[dst].width);
      } else {
        storage_[dst] = slots.back();
        slots.pop_back();
      }
    }
    for (int r : reads(code_[i]))
      if (!lasting[r] && last_read[r] == static_cast<int>(i) && r != dst) {
        free_of(r).push_back(storage_[r]);
        last_read[r] = -1;  // freed once, though read twice by this instruction
      }
    if (!lasting[dst] && last_read[dst] < 0) free_of(dst).push_back(storage_[dst]);  // never read
  }
}

}  // namespace kaidah::detail

#include "eval/evaluator.h"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "lang/builtins.h"
#include "lang/values.h"
#include "kaidah/error.h"

namespace kaidah::detail {
namespace {

// A failure inside an expression, caught where the decision and its source text are known.
struct NodeError {
  const Node* node;
  std::string message;
  int input = -1;  // the input slot behind it (missing or refused), or -1
};

[[noreturn]] void fail(const Node& e, std::string message, int input = -1) {
  throw NodeError{&e, std::move(message), input};
}

std::int64_t checked(const Node& e, bool overflowed, std::int64_t v) {
  if (overflowed) fail(e, "integer overflow");
  return v;
}

// Two values of one kind (the compile stage widened an integer compared with a decimal).
int compare(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::integer: return a.as_integer() < b.as_integer() ? -1 : (a.as_integer() > b.as_integer());
    case Kind::decimal: {
      const Decimal &x = a.as_decimal(), &y = b.as_decimal();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case Kind::date: return a.as_date() < b.as_date() ? -1 : (a.as_date() > b.as_date() ? 1 : 0);
    case Kind::month: return a.as_month() < b.as_month() ? -1 : (a.as_month() > b.as_month() ? 1 : 0);
    default: return a == b ? 0 : 1;
  }
}

// Calls `f` with each month (or day) from `from` to `to` inclusive until it returns false. It
// never steps past `to`, which may be the last there is (9999-12, 9999-12-31: an open end).
template <class T, class Next, class F>
void walk(const T& from, const T& to, Next next, F f) {
  if (to < from) return;
  for (T at = from;; at = next(at))
    if (!f(at) || at == to) return;
}
const auto next_month = [](const Month& m) { return m.plus(1); };
const auto next_day = [](const Date& d) { return add_days(d, 1); };

}  // namespace

// What one decision read while it was computed, for the explanation.
struct Evaluator::Trace {
  DecisionTrace out;
  std::vector<std::pair<int, int>> parameter_keys;  // (slot, period) of each entry in out.parameters
};

constexpr int kUnresolved = -2;

Evaluator::Evaluator(const Program& p)
    : p_(p),
      inputs_(p.inputs.size()),
      defaulted_(p.inputs.size(), 0),
      converted_(p.inputs.size()),
      decisions_(p.decisions.size()),
      done_(p.decisions.size(), kNotDone),
      failures_(p.decisions.size()),
      refusals_(p.inputs.size()),
      locals_(p.max_locals),
      period_now_(p.parameters.size(), kUnresolved) {}

void Evaluator::start(const Date& date, Explanation* explanation) {
  if (!(date == date_)) {
    date_ = date;
    month_ = Month::of(date);
    std::fill(period_now_.begin(), period_now_.end(), kUnresolved);
  }
  explanation_ = explanation;
  trace_stack_.clear();
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    inputs_[i] = &p_.inputs[i].default_value;
    defaulted_[i] = inputs_[i]->has_value();
  }
  std::fill(done_.begin(), done_.end(), kNotDone);
  iterations_ = 0;
}

// A decision first needed inside a comprehension is computed in fresh comprehension variables:
// its slots count from 0 as the caller's do, and would overwrite the item the caller is at. The
// caller's variables stay where they are (references to them stay valid) and come back after.
class Evaluator::OwnLocals {
 public:
  explicit OwnLocals(Evaluator& ev) : ev_(ev), active_(ev.comprehensions_ > 0) {
    if (!active_) return;
    saved_ = std::move(ev_.locals_);
    ev_.locals_.assign(saved_.size(), Value());
    saved_count_ = ev_.comprehensions_;
    ev_.comprehensions_ = 0;
  }
  ~OwnLocals() {
    if (!active_) return;
    ev_.locals_ = std::move(saved_);
    ev_.comprehensions_ = saved_count_;
  }
  OwnLocals(const OwnLocals&) = delete;
  OwnLocals& operator=(const OwnLocals&) = delete;

 private:
  Evaluator& ev_;
  const bool active_;
  std::vector<Value> saved_;
  int saved_count_ = 0;
};

const Value& Evaluator::decision(int slot) {
  if (explanation_) return explained_decision(slot);
  if (done_[slot] == kDone) return decisions_[slot];
  if (done_[slot] == kFailed) throw *failures_[slot];
  try {  // the common case: no trace to keep
    OwnLocals own(*this);
    decisions_[slot] = compute(p_.decisions[slot], nullptr);
  } catch (const EvaluationError& e) {
    remember_failure(slot, e);
  }
  done_[slot] = kDone;
  return decisions_[slot];
}

void Evaluator::remember_failure(int slot, const EvaluationError& e) {
  failures_[slot].emplace(e);
  done_[slot] = kFailed;
  throw;
}

const Value& Evaluator::explained_decision(int slot) {
  if (!trace_stack_.empty()) {
    auto& used = trace_stack_.back()->out.decisions;
    const std::string& name = p_.decisions[slot].name;
    if (std::find(used.begin(), used.end(), name) == used.end()) used.push_back(name);
  }
  if (done_[slot] == kDone) return decisions_[slot];
  if (done_[slot] == kFailed) throw *failures_[slot];
  const CompiledDecision& d = p_.decisions[slot];
  Trace trace;
  trace.out.name = d.name;
  trace.out.description = d.description;
  trace.out.legal_basis = d.legal_basis;
  trace.out.unit = d.unit;
  trace.out.from_reform = d.from_reform;
  trace_stack_.push_back(&trace);
  OwnLocals own(*this);
  Value v;
  try {
    v = compute(d, &trace);
  } catch (const EvaluationError& e) {
    trace_stack_.pop_back();  // the failure is traced too: a caller keeping it explains why
    trace.out.error = e.what();
    trace.out.row = 0;
    explanation_->decisions.push_back(std::move(trace.out));
    remember_failure(slot, e);
  }
  trace_stack_.pop_back();
  trace.out.value = v;
  explanation_->decisions.push_back(std::move(trace.out));
  decisions_[slot] = std::move(v);
  done_[slot] = kDone;
  return decisions_[slot];
}

Value Evaluator::compute(const CompiledDecision& d, Trace* trace) {
  const CompiledExpression* current = nullptr;
  try {
    // A decimal decision's integer result was widened by the compile stage.
    return d.formula ? formula_value(d, trace, current) : table_value(d, trace, current);
  } catch (const NodeError& e) {
    throw EvaluationError(d.name, e.message, current ? current->text.locate(e.node->offset) : d.location,
                          e.input >= 0 ? p_.inputs[e.input].name : std::string());
  } catch (const Error&) {
    throw;  // a decision this one reads, already named
  } catch (const std::exception& e) {
    // Nothing else may leave an evaluation as anything but this decision's error.
    throw EvaluationError(d.name, e.what(), current ? current->text.locate(current->root->offset) : d.location);
  }
}

// The value of a formula, and of a table below: returned as eval() gives it, so that it is built
// where the decision keeps it (an assignment would visit the variant twice). `current` is the
// expression being evaluated, for locating an error.
Value Evaluator::formula_value(const CompiledDecision& d, Trace* trace, const CompiledExpression*& current) {
  current = &*d.formula;
  if (trace) trace->out.formula = current->text.text;
  return eval(*current->root);
}

Value Evaluator::table_value(const CompiledDecision& d, Trace* trace, const CompiledExpression*& current) {
  for (std::size_t r = 0; r < d.table.size(); ++r) {
    const CompiledRow& row = d.table[r];
    bool all = true;
    for (const CompiledExpression& w : row.when) {
      current = &w;
      if (!test(*w.root)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    current = &row.then;
    if (trace) {
      trace->out.row = static_cast<int>(r) + 1;
      trace->out.formula = row.then.text.text;
      for (const CompiledExpression& w : row.when) trace->out.conditions.push_back(w.text.text);
      trace->out.row_legal_basis = row.legal_basis;
    }
    return eval(*row.then.root);
  }
  throw EvaluationError(d.name, "no row of the decision table matched, and it has no default row (a last row without 'when')",
                        d.location);
}

const Value& Evaluator::input(const Node& e) {
  const Value& v = *inputs_[e.slot];
  const CompiledInput& in = p_.inputs[e.slot];
  if (!v.has_value()) {
    if (&v == &refused_) fail(e, "input '" + in.name + "': " + refusals_[e.slot], e.slot);
    fail(e, "input '" + in.name + "' has no value in this case and no default", e.slot);
  }
  if (!trace_stack_.empty()) {
    auto& reads = trace_stack_.back()->out.inputs;
    if (std::none_of(reads.begin(), reads.end(), [&](const InputRead& r) { return r.name == in.name; })) {
      reads.push_back({in.name, v, defaulted_[e.slot] != 0, in.description, in.unit});
    }
  }
  return v;
}

const Value& Evaluator::parameter_at(const Node& param, const Date& d) {
  const CompiledParameter& p = p_.parameters[param.slot];
  const int period = p.period_at(d);
  if (period < 0) {
    std::string message = "parameter '" + p.name + "' has no value in force on " + d.to_string();
    if (!p.history.empty() && d < p.history.front().from) {
      message += " (its first value takes effect on " + p.history.front().from.to_string() + ")";
    } else {
      message += " (it ended)";
    }
    fail(param, message);
  }
  const Period& value = p.history[period];
  if (!trace_stack_.empty()) {
    Trace& t = *trace_stack_.back();
    const std::pair<int, int> key{param.slot, period};
    auto it = std::find(t.parameter_keys.begin(), t.parameter_keys.end(), key);
    if (it == t.parameter_keys.end()) {
      t.parameter_keys.push_back(key);
      t.out.parameters.push_back({p.name, value.value, value.from, value.legal_basis, p.description, p.unit, d, d, 1,
                                  value.from_reform});
    } else {
      ParameterRead& r = t.out.parameters[it - t.parameter_keys.begin()];
      r.first_asked = std::min(r.first_asked, d);
      r.last_asked = std::max(r.last_asked, d);
      ++r.times;
    }
  }
  return value.value;
}

const Value& Evaluator::parameter_now(const Node& param) {
  // The period in force at the evaluation date is found once per Evaluator (per batch and
  // thread); a trace still records every read, so explanations go the long way.
  int& period = period_now_[param.slot];
  if (period == kUnresolved) period = p_.parameters[param.slot].period_at(date_);
  if (period < 0 || !trace_stack_.empty()) return parameter_at(param, date_);
  return p_.parameters[param.slot].history[period].value;
}

const Value& Evaluator::decision_value(const Node& e) {
  const Value& v = decision(e.slot);
  if (!v.has_value()) {
    fail(e, "decision '" + p_.decisions[e.slot].name + "' has no value for this case (it is optional); check has(" +
                p_.decisions[e.slot].name + ") first");
  }
  return v;
}

const Value& Evaluator::ref(const Node& e, Spare& tmp) {
  switch (e.kind) {
    case NodeKind::literal:
    case NodeKind::input:
    case NodeKind::parameter:
    case NodeKind::decision:
    case NodeKind::local: return stored(e);
    default: return tmp.emplace(eval(e));
  }
}

const Value& Evaluator::stored(const Node& e) {
  switch (e.kind) {
    case NodeKind::literal: return e.value;
    case NodeKind::input: return input(e);
    case NodeKind::parameter: return parameter_now(e);
    case NodeKind::decision: return decision_value(e);
    default: return locals_[e.slot];
  }
}

void Evaluator::count_iteration(const Node& e, std::size_t steps) {
  iterations_ += static_cast<long>(steps);
  if (iterations_ > p_.limits.max_iterations) {
    fail(e, "more than " + std::to_string(p_.limits.max_iterations) + " aggregation steps in one evaluation (max_iterations)");
  }
}

// In a build with assertions (the sanitizers'), every value is checked against its node's type:
// a decimal node that gives an integer is a widening the compile stage missed, which the columnar
// form would refuse; the tests then fail here, in the one-case engine, too.
Value Evaluator::eval(const Node& e) {
#ifdef NDEBUG
  return eval_node(e);
#else
  Value v = eval_node(e);
  auto wrong = [&](const Value& x) { return x.kind() == Kind::integer; };
  const bool decimal_list = e.type.kind == Kind::list && e.type.element == Kind::decimal && v.kind() == Kind::list;
  if ((e.type.kind == Kind::decimal && wrong(v)) ||
      (decimal_list && std::any_of(v.as_list().begin(), v.as_list().end(), wrong))) {
    throw std::logic_error("internal error: an integer where the compiled form has a decimal");
  }
  return v;
#endif
}

Value Evaluator::eval_node(const Node& e) {
  switch (e.kind) {
    case NodeKind::literal:
    case NodeKind::input:
    case NodeKind::parameter:
    case NodeKind::decision:
    case NodeKind::local: return stored(e);
    case NodeKind::evaluation_date: return date_;
    case NodeKind::evaluation_month: return month_;
    case NodeKind::unary: {
      Spare tmp;
      const Value& v = ref(*e.args[0], tmp);
      if (e.op == Op::not_) return !v.as_bool();
      if (e.type.kind == Kind::integer) {
        if (v.as_integer() == INT64_MIN) fail(e, "integer overflow");
        return -v.as_integer();
      }
      try {
        return -v.as_decimal();
      } catch (const std::exception& ex) {
        fail(e, ex.what());
      }
    }
    case NodeKind::binary: return eval_binary(e);
    case NodeKind::if_then_else: return test(*e.args[0]) ? eval(*e.args[1]) : eval(*e.args[2]);
    case NodeKind::list: {
      std::vector<Value> items;
      items.reserve(e.args.size());
      for (const auto& a : e.args) items.push_back(eval(*a));
      return Value(std::move(items));
    }
    case NodeKind::call: return eval_call(e);
    case NodeKind::comprehension: return eval_comprehension(e);
    case NodeKind::field: {
      Spare tmp;
      return ref(*e.args[0], tmp).as_record()[e.slot].second;
    }
    case NodeKind::widen: return widened(eval(*e.args[0]));
    case NodeKind::name: break;
  }
  fail(e, "internal error: unresolved expression");
}

std::optional<Value> Evaluator::constant(const Node& e) {
  try {
    return eval(e);
  } catch (const NodeError&) {
    return std::nullopt;
  } catch (const std::exception&) {  // whatever it is, evaluation meets it again and says where
    return std::nullopt;
  }
}

bool Evaluator::test(const Node& e) {
  if (e.kind == NodeKind::binary && is_truth_op(e.op)) return truth(e);  // no Value built
  Spare tmp;
  return ref(e, tmp).as_bool();
}

bool Evaluator::is_truth_op(Op op) {
  switch (op) {
    case Op::and_: case Op::or_: case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge:
    case Op::in: case Op::not_in:
      return true;
    default:
      return false;
  }
}

bool Evaluator::truth(const Node& e) {
  if (e.op == Op::and_) return test(*e.args[0]) && test(*e.args[1]);
  if (e.op == Op::or_) return test(*e.args[0]) || test(*e.args[1]);
  Spare ta, tb;
  const Value& a = ref(*e.args[0], ta);
  const Value& b = ref(*e.args[1], tb);
  switch (e.op) {
    case Op::eq: return a == b;
    case Op::ne: return !(a == b);
    case Op::lt: return compare(a, b) < 0;
    case Op::le: return compare(a, b) <= 0;
    case Op::gt: return compare(a, b) > 0;
    case Op::ge: return compare(a, b) >= 0;
    case Op::in:
    case Op::not_in: {
      const auto& items = b.as_list();
      // Each item looked at is a step; a list written in the formula is part of the formula.
      if (e.args[1]->kind != NodeKind::list) count_iteration(e, items.size());
      const bool found = std::find(items.begin(), items.end(), a) != items.end();
      return e.op == Op::in ? found : !found;
    }
    default: fail(e, "internal error: not a comparison");
  }
}

Value Evaluator::eval_binary(const Node& e) {
  if (is_truth_op(e.op)) return truth(e);
  Spare ta, tb;
  const Value& a = ref(*e.args[0], ta);
  const Value& b = ref(*e.args[1], tb);
  switch (e.op) {
    case Op::add: case Op::sub: case Op::mul: {
      if (e.type.kind == Kind::integer) {
        std::int64_t r = 0;
        const std::int64_t x = a.as_integer(), y = b.as_integer();
        bool overflow = e.op == Op::add ? __builtin_add_overflow(x, y, &r)
                        : e.op == Op::sub ? __builtin_sub_overflow(x, y, &r)
                                          : __builtin_mul_overflow(x, y, &r);
        return checked(e, overflow, r);
      }
      try {
        const Decimal x = a.as_number(), y = b.as_number();
        return e.op == Op::add ? x + y : (e.op == Op::sub ? x - y : x * y);
      } catch (const std::exception& ex) {
        fail(e, ex.what());
      }
    }
    case Op::div:
      try {
        return a.as_number() / b.as_number();
      } catch (const std::exception& ex) {
        fail(e, ex.what());
      }
    default: fail(e, "internal error: unknown operator");
  }
}

Value Evaluator::eval_call(const Node& e) {
  Spare tmp[3];  // builtins other than min and max take at most three arguments
  auto arg = [&](int i) -> const Value& { return ref(*e.args[i], tmp[i]); };
  try {
    switch (e.builtin) {
      case Builtin::round: {
        const Node& mode = *e.args[2];
        const Rounding r = mode.kind == NodeKind::literal ? static_cast<Rounding>(mode.value.as_integer())
                                                          : *parse_rounding(eval(mode).as_text());
        return arg(0).as_number().round(static_cast<int>(e.args[1]->value.as_integer()), r);
      }
      case Builtin::min:
      case Builtin::max: {
        // The best so far stays where it is; each candidate is computed into the spare slot.
        const Value* best = &arg(0);
        for (std::size_t i = 1; i < e.args.size(); ++i) {
          Spare& spare = tmp[1] && best == &*tmp[1] ? tmp[2] : tmp[1];
          const Value& v = ref(*e.args[i], spare);
          const int c = compare(v, *best);
          if (e.builtin == Builtin::min ? c < 0 : c > 0) best = &v;
        }
        return *best;
      }
      case Builtin::clamp: {
        const Value &x = arg(0), &lo = arg(1), &hi = arg(2);
        if (compare(lo, hi) > 0) fail(e, "clamp(): the lower bound " + lo.to_string() + " is above the upper bound " + hi.to_string());
        return compare(x, lo) < 0 ? lo : (compare(x, hi) > 0 ? hi : x);
      }
      case Builtin::sorted: {
        std::vector<Value> items = arg(0).as_list();
        count_iteration(e, items.size());
        std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
        return Value(std::move(items));
      }
      case Builtin::last: {
        const Value& list = arg(0);
        const std::int64_t n = arg(1).as_integer();
        const auto& items = list.as_list();
        if (n < 0) fail(e, "last(): the count must not be negative, got " + std::to_string(n));
        if (static_cast<std::size_t>(n) >= items.size()) return list;
        count_iteration(e, static_cast<std::size_t>(n));  // the items copied
        return Value(std::vector<Value>(items.end() - n, items.end()));
      }
      case Builtin::days:
      case Builtin::months: {
        // Every day (month) from the first to the last, each counted against the limit.
        std::vector<Value> items;
        const auto each = [&](const auto& at) {
          count_iteration(e);
          items.emplace_back(at);
          return true;
        };
        if (e.builtin == Builtin::days) {
          walk(arg(0).as_date(), arg(1).as_date(), next_day, each);
        } else {
          walk(arg(0).as_month(), arg(1).as_month(), next_month, each);
        }
        return Value(std::move(items));
      }
      case Builtin::at: {
        const Value& when = arg(1);
        return parameter_at(*e.args[0], when.kind() == Kind::month ? when.as_month().first_day() : when.as_date());
      }
      case Builtin::has:
        if (e.args[0]->kind == NodeKind::decision) return decision(e.args[0]->slot).has_value();
        if (inputs_[e.args[0]->slot] == &refused_) input(*e.args[0]);  // fails: a refused value is not "not given"
        return inputs_[e.args[0]->slot]->has_value();
      case Builtin::sum: {
        const Value& list = arg(0);
        count_iteration(e, list.as_list().size());
        if (e.type.kind == Kind::integer) {
          std::int64_t total = 0;
          for (const Value& v : list.as_list()) {
            if (__builtin_add_overflow(total, v.as_integer(), &total)) fail(e, "integer overflow");
          }
          return total;
        }
        Decimal total;
        for (const Value& v : list.as_list()) total += v.as_number();
        return total;
      }
      case Builtin::count: return static_cast<std::int64_t>(arg(0).as_list().size());
      case Builtin::any:
      case Builtin::all: {
        const Value& list = arg(0);
        count_iteration(e, list.as_list().size());
        const bool want = e.builtin == Builtin::any;
        for (const Value& v : list.as_list())
          if (v.as_bool() == want) return want;
        return !want;
      }
      KAIDAH_SCALAR_KERNEL_CASES: {  // one implementation for both engines
        std::array<const Value*, 3> args{};
        for (std::size_t i = 0; i < e.args.size(); ++i) args[i] = &arg(static_cast<int>(i));
        return scalar_builtin(e.builtin, args);
      }
      case Builtin::map: case Builtin::filter: case Builtin::first:  // aggregations: eval_comprehension()
      case Builtin::none:
        break;
    }
    fail(e, "internal error: " + e.name + "() is not a call");
  } catch (const std::invalid_argument& ex) {
    fail(e, ex.what());
  } catch (const std::overflow_error& ex) {
    fail(e, ex.what());
  } catch (const std::domain_error& ex) {
    fail(e, ex.what());
  } catch (const std::out_of_range& ex) {
    fail(e, ex.what());
  }
}

Value Evaluator::eval_comprehension(const Node& e) {
  const Node& source = *e.args[0];
  const Node& body = *e.args[1];
  const Builtin f = e.builtin;
  bool first = true;
  Value acc;
  std::int64_t int_total = 0;
  Decimal dec_total;
  std::int64_t n = 0;
  std::vector<Value> out;  // map, filter
  ++comprehensions_;  // its variable is live until the walk ends
  struct Done {
    int& n;
    ~Done() { --n; }
  } done{comprehensions_};
  // Returns false to stop early (any/all settled).
  auto step = [&](Value item) -> bool {
    count_iteration(e);
    locals_[e.slot] = std::move(item);
    Value v = eval(body);
    switch (f) {
      case Builtin::map: out.push_back(std::move(v)); return true;
      case Builtin::filter:
        if (v.as_bool()) out.push_back(locals_[e.slot]);
        return true;
      case Builtin::first:
        if (v.as_bool()) {
          acc = locals_[e.slot];
          return false;
        }
        return true;
      case Builtin::sum:
        if (e.type.kind == Kind::integer) {
          if (__builtin_add_overflow(int_total, v.as_integer(), &int_total)) fail(e, "integer overflow");
        } else {
          try {
            dec_total += v.as_number();
          } catch (const std::exception& ex) {
            fail(e, ex.what());
          }
        }
        return true;
      case Builtin::count: n += v.as_bool() ? 1 : 0; return true;
      case Builtin::any: if (v.as_bool()) { acc = true; return false; } return true;
      case Builtin::all: if (!v.as_bool()) { acc = false; return false; } return true;
      case Builtin::min:
      case Builtin::max:
        if (first || (f == Builtin::min ? compare(v, acc) < 0 : compare(v, acc) > 0)) acc = std::move(v);
        first = false;
        return true;
      KAIDAH_SCALAR_KERNEL_CASES:
      KAIDAH_ENGINE_CALL_CASES:
      case Builtin::none:
        break;  // calls only: the checker made no aggregation of them
    }
    fail(e, "internal error: " + e.name + "() does not aggregate");
  };
  if (source.kind == NodeKind::call && source.builtin == Builtin::months) {
    // months(a, b) is walked without building the list.
    const Month from = eval(*source.args[0]).as_month(), to = eval(*source.args[1]).as_month();
    walk(from, to, next_month, [&](const Month& m) { return step(Value(m)); });
  } else {
    Spare tmp;  // a stored list (an input's) is walked where it is, not copied
    const Value& list = ref(source, tmp);
    for (const Value& item : list.as_list())
      if (!step(item)) break;
  }
  switch (f) {
    case Builtin::sum: return e.type.kind == Kind::integer ? Value(int_total) : Value(dec_total);
    case Builtin::count: return n;
    case Builtin::any: return acc.has_value() ? acc : Value(false);
    case Builtin::all: return acc.has_value() ? acc : Value(true);
    case Builtin::map:
    case Builtin::filter: return Value(std::move(out));
    case Builtin::first:
      if (!acc.has_value()) fail(e, "first() found no item for which the condition holds");
      return acc;
    case Builtin::min:
    case Builtin::max:
      if (first) fail(e, e.name + "() over an empty list has no value");
      return acc;
    KAIDAH_SCALAR_KERNEL_CASES:
    KAIDAH_ENGINE_CALL_CASES:
    case Builtin::none:
      break;  // calls only
  }
  fail(e, "internal error: " + e.name + "() does not aggregate");
}

}  // namespace kaidah::detail

#pragma once
// Evaluates decisions of a Program for one case at a time, at one date. An Evaluator memoizes
// each decision the first time it is computed and, when asked, records the explanation. A batch
// keeps one Evaluator per thread and calls start() for each row: the buffers, and the parameter
// values resolved for the date, are reused, so a row allocates nothing of its own.

#include <optional>
#include <string>
#include <vector>

#include "kaidah/error.h"
#include "kaidah/result.h"
#include "program.h"

namespace kaidah::detail {

class Evaluator {
  enum : char { kNotDone = 0, kDone = 1, kFailed = 2 };

 public:
  explicit Evaluator(const Program& p);

  // Begins a new case as of `date`: forgets every decision computed so far and sets every input
  // to its default (or none). `explanation` may be null: no trace is built then.
  void start(const Date& date, Explanation* explanation = nullptr);
  // Gives input `slot` the value `v`, which must stay alive while this case is evaluated (a
  // cell of the caller's column, or a value of the case). Values are read where they are.
  void set_input(int slot, const Value& v) {
    inputs_[slot] = &v;
    defaulted_[slot] = 0;
  }
  // Storage for input `slot` when the given value had to be converted first.
  Value& converted(int slot) { return converted_[slot]; }
  // Input `slot` was given a value that does not fit it (`why`): a decision that reads it fails
  // with that reason rather than reading its default (OnError::keep).
  void refuse_input(int slot, std::string why) {
    inputs_[slot] = &refused_;
    defaulted_[slot] = 0;
    refusals_[slot] = std::move(why);
  }

  // Gives decision `slot` its value for this case, computed elsewhere (the columnar form of a
  // batch): it is not computed again.
  void set_decision(int slot, Value v) {
    decisions_[slot] = std::move(v);
    done_[slot] = kDone;
  }

  // Counts `steps` aggregation steps taken elsewhere for this case (by the decisions given with
  // set_decision), against max_iterations.
  void add_iterations(long steps) { iterations_ += steps; }
  // The aggregation steps taken for this case so far.
  long iterations() const { return iterations_; }

  // The value of decision `slot`. Throws EvaluationError naming the decision that failed; a
  // failure is kept like a value, so that a decision using a failed one fails with the same
  // error without computing it again.
  const Value& decision(int slot);

  // The value of `e`, a node whose operands are literals and that reads nothing else (the compile
  // stage folds it), or nothing when computing it fails: that failure is left to the evaluation.
  std::optional<Value> constant(const Node& e);

 private:
  class OwnLocals;
  struct Trace;
  const Value& explained_decision(int slot);
  [[noreturn]] void remember_failure(int slot, const EvaluationError& e);
  // Where ref() puts a value it computes: empty (nothing to destroy) when the value was stored.
  using Spare = std::optional<Value>;
  // The value of `e`: a reference to where it is stored (a literal, input, parameter, decision
  // or comprehension variable), or else computed into `tmp`. Saves a copy per node.
  const Value& ref(const Node& e, Spare& tmp);
  // The stored value of a literal, input, parameter, decision or comprehension variable.
  const Value& stored(const Node& e);
  Value eval(const Node& e);
  Value eval_node(const Node& e);
  Value eval_call(const Node& e);
  Value eval_comprehension(const Node& e);
  Value eval_binary(const Node& e);
  // The bool value of `e`; a comparison or and/or is computed as a bool (truth()), not a Value.
  bool test(const Node& e);
  static bool is_truth_op(Op op);
  bool truth(const Node& e);
  const Value& parameter_at(const Node& param, const Date& d);
  const Value& parameter_now(const Node& param);
  const Value& input(const Node& e);
  const Value& decision_value(const Node& e);
  // Counts `steps` aggregation steps (items visited, made, looked at or copied) of `e` against
  // max_iterations; fails at `e` past it.
  void count_iteration(const Node& e, std::size_t steps = 1);
  Value compute(const CompiledDecision& d, Trace* trace);
  Value formula_value(const CompiledDecision& d, Trace* trace, const CompiledExpression*& current);
  Value table_value(const CompiledDecision& d, Trace* trace, const CompiledExpression*& current);

  const Program& p_;
  Date date_{2000, 1, 1};
  Month month_{2000, 1};
  std::vector<const Value*> inputs_;  // by slot; never null (a none value when not given)
  std::vector<char> defaulted_;
  std::vector<Value> converted_;
  std::vector<Value> decisions_;
  std::vector<char> done_;  // kNotDone, kDone or kFailed
  std::vector<std::optional<EvaluationError>> failures_;  // by slot, when kFailed
  const Value refused_;  // what a refused input reads: no value (its identity tells it from a missing one)
  std::vector<std::string> refusals_;  // by input slot: why its value was refused
  std::vector<Value> locals_;  // comprehension variables; slots count from 0 in every decision
  int comprehensions_ = 0;     // comprehensions running now in the decision being computed
  std::vector<int> period_now_;  // per parameter: its period at date_, kUnresolved until first read
  long iterations_ = 0;
  Explanation* explanation_ = nullptr;
  std::vector<Trace*> trace_stack_;
};

}  // namespace kaidah::detail

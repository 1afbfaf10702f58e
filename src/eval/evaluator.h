#pragma once
// Evaluates decisions of a Program for one case at one date. One Evaluator per evaluation: it
// memoizes each decision the first time it is computed and, when asked, records the explanation.

#include <vector>

#include "kaidah/result.h"
#include "program.h"

namespace kaidah::detail {

class Evaluator {
 public:
  // `inputs` is indexed by input slot (none: not given and no default); `defaulted` marks the
  // inputs whose value came from the declaration. `explanation` may be null.
  Evaluator(const Program& p, const Date& date, std::vector<Value> inputs, std::vector<char> defaulted,
            Explanation* explanation);

  // The value of decision `slot`. Throws EvaluationError naming the decision that failed.
  const Value& decision(int slot);

 private:
  struct Trace;
  Value eval(const Expr& e);
  Value eval_call(const Expr& e);
  Value eval_comprehension(const Expr& e);
  Value eval_binary(const Expr& e);
  Value parameter_at(const Expr& param, const Date& d);
  const Value& input(const Expr& e);
  void count_iteration(const Expr& e);
  Value compute(const CompiledDecision& d, Trace* trace);

  const Program& p_;
  Date date_;
  Month month_;
  std::vector<Value> inputs_;
  std::vector<char> defaulted_;
  std::vector<Value> decisions_;
  std::vector<char> done_;
  std::vector<Value> locals_;
  long iterations_ = 0;
  Explanation* explanation_;
  std::vector<Trace*> trace_stack_;
};

}  // namespace kaidah::detail

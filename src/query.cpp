#include "kaidah/query.h"

#include <stdexcept>

#include "eval/inputs.h"
#include "rulebook_access.h"

namespace kaidah {

Query::Query(const Rulebook& rules, std::vector<std::string> inputs, std::vector<std::string> decisions)
    : rules_(rules),
      input_slots_(detail::input_slots(detail::program_of(rules), inputs)),
      decision_slots_(detail::decision_slots(detail::program_of(rules), decisions)),
      check_order_(detail::name_order(inputs)) {
  inputs_ = std::move(inputs);
  decisions_ = std::move(decisions);
}

Result Query::evaluate(std::span<const Value> values, const Date& date, OnError on_error) const {
  return run(values, date, false, on_error);
}

Result Query::explain(std::span<const Value> values, const Date& date, OnError on_error) const {
  return run(values, date, true, on_error);
}

Result Query::run(std::span<const Value> values, const Date& date, bool explain, OnError on_error) const {
  if (values.size() != inputs_.size()) {
    throw std::invalid_argument("a query of " + std::to_string(inputs_.size()) + " inputs was given " +
                                std::to_string(values.size()) + " values");
  }
  using Access = detail::RulebookAccess;
  const detail::Program& p = detail::program_of(rules_);
  Result result;
  detail::Evaluator& evaluator = Access::start(p, date, explain, on_error, result);
  for (std::size_t i : check_order_) Access::give(p, evaluator, input_slots_[i], values[i], result);
  Access::finish(p, evaluator, decision_slots_, result);
  return result;
}

}  // namespace kaidah

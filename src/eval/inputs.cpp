#include "eval/inputs.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "lang/values.h"
#include "kaidah/error.h"
#include "load/fields.h"

namespace kaidah::detail {

const Value* accept_input(const CompiledInput& in, const Value& given, Value& converted, std::string& why,
                          const LoadOptions& limits) {
  auto too_long = [&](const Value& list) {
    if (list.kind() != Kind::list || list.as_list().size() <= static_cast<std::size_t>(std::max(limits.max_list_items, 0L)))
      return false;
    why = "a list of " + std::to_string(list.as_list().size()) + " items; the limit is " +
          std::to_string(limits.max_list_items) + " (max_list_items)";
    return true;
  };
  if (too_long(given)) return nullptr;  // before converting its items
  const Value* v = &given;
  if (!stored_as(given, in.type)) {
    auto c = conform(given, in.type, why, limits);
    if (!c) return nullptr;
    converted = std::move(*c);
    v = &converted;
    if (too_long(*v)) return nullptr;  // a list written as text
  }
  if (in.minimum && v->as_number() < *in.minimum) {
    why = v->to_string() + " is below the minimum " + in.minimum->to_string();
    return nullptr;
  }
  if (in.maximum && v->as_number() > *in.maximum) {
    why = v->to_string() + " is above the maximum " + in.maximum->to_string();
    return nullptr;
  }
  return v;
}

void throw_unknown_input(const Program& p, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& in : p.inputs) names.push_back(in.name);
  const std::string guess = closest(name, names);
  throw CaseError(name, "unknown input" + (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
}

void throw_unknown_decision(const std::string& name) { throw EvaluationError(name, "no such decision in this rulebook"); }

std::vector<int> input_slots(const Program& p, const std::vector<std::string>& names) {
  std::vector<int> slots;
  std::set<std::string> seen;
  for (const std::string& name : names) {
    slots.push_back(input_slot(p, name));
    if (!seen.insert(name).second) throw CaseError(name, "the input is given twice");
  }
  return slots;
}

std::vector<int> decision_slots(const Program& p, std::vector<std::string>& names) {
  if (names.empty()) {
    for (const auto& d : p.decisions) names.push_back(d.name);
  }
  std::vector<int> slots;
  for (const std::string& name : names) slots.push_back(decision_slot(p, name));
  return slots;
}

std::vector<std::size_t> name_order(const std::vector<std::string>& names) {
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
  return order;
}

}  // namespace kaidah::detail

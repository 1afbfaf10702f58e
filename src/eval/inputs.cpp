#include "eval/inputs.h"

#include "check/convert.h"
#include "kaidah/error.h"
#include "load/fields.h"

namespace kaidah::detail {

const Value* accept_input(const CompiledInput& in, const Value& given, Value& converted, std::string& why) {
  const Value* v = &given;
  if (!stored_as(given, in.type)) {
    auto c = conform(given, in.type, why);
    if (!c) return nullptr;
    converted = std::move(*c);
    v = &converted;
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

}  // namespace kaidah::detail

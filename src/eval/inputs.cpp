#include "eval/inputs.h"

#include "check/convert.h"

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

}  // namespace kaidah::detail

#include "lang/functions.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace kaidah::detail {
namespace {

constexpr BuiltinInfo kBuiltins[] = {
#define KAIDAH_BUILTIN(id, min_args, max_args, form, kernel, call_sig, call_gives, call_notes, over_sig, over_gives, \
                       over_notes)                                                                                  \
  {Builtin::id,          #id,                                                                                        \
   min_args,             max_args,                                                                                   \
   BuiltinInfo::Form::form, BuiltinInfo::Kernel::kernel,                                                             \
   {call_sig, call_gives, call_notes}, {over_sig, over_gives, over_notes}},
#include "lang/builtins.def"
#undef KAIDAH_BUILTIN
};

// The table is in enum order, so that info() is an index.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(kBuiltins); ++i)
    if (static_cast<std::size_t>(kBuiltins[i].id) != i + 1) return false;
  return true;
}
static_assert(in_enum_order());

// The case lists of functions.h name exactly the table's functions of each kind, each once.
enum class Listed { scalar, engine_call, aggregation, none };
constexpr Listed listed_as(Builtin f) {
  switch (f) {
    KAIDAH_SCALAR_KERNEL_CASES: return Listed::scalar;
    KAIDAH_ENGINE_CALL_CASES: return Listed::engine_call;
    KAIDAH_AGGREGATION_CASES: return Listed::aggregation;
    case Builtin::none: return Listed::none;
  }
  return Listed::none;
}
constexpr bool case_lists_are_the_tables() {
  for (const BuiltinInfo& f : kBuiltins) {
    const Listed want = f.kernel == BuiltinInfo::Kernel::scalar ? Listed::scalar
                        : f.aggregates()                         ? Listed::aggregation
                                                                 : Listed::engine_call;
    if (listed_as(f.id) != want) return false;
  }
  return true;
}
static_assert(case_lists_are_the_tables());

}  // namespace

std::span<const BuiltinInfo> builtins() { return kBuiltins; }

const BuiltinInfo* find_builtin(std::string_view name) {
  const auto it = std::find_if(std::begin(kBuiltins), std::end(kBuiltins), [&](const BuiltinInfo& b) { return b.name == name; });
  return it == std::end(kBuiltins) ? nullptr : &*it;
}

const BuiltinInfo& info(Builtin f) {
  if (f == Builtin::none) throw std::logic_error("internal error: info(Builtin::none)");
  return kBuiltins[static_cast<std::size_t>(f) - 1];
}

std::string functions_markdown() {
  std::string out = "| function | gives | notes |\n| --- | --- | --- |\n";
  auto row = [&](const FunctionDoc& d) {
    // A signature of several forms, "date('YYYY-MM-DD'), date(y, m, d)", is code in each.
    std::string code;
    for (std::size_t start = 0; start <= d.signature.size();) {
      const std::size_t comma = d.signature.find("), ", start);
      const std::size_t end = comma == std::string_view::npos ? d.signature.size() : comma + 1;
      code += (code.empty() ? "`" : ", `") + std::string(d.signature.substr(start, end - start)) + "`";
      start = end + 2;
    }
    out += "| " + code + " | " + std::string(d.gives) + " | " + std::string(d.notes) + " |\n";
  };
  for (const BuiltinInfo& f : kBuiltins) {
    if (f.callable()) row(f.call);
    if (f.aggregates()) row(f.over);
  }
  return out;
}

}  // namespace kaidah::detail

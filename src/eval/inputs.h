#pragma once
// Taking a host's value for an input: the one check shared by single cases and batches.

#include <cstddef>
#include <string>
#include <vector>

#include "program.h"

namespace kaidah::detail {

// Checks `given` (not none) against input `in` - its type, allowed values, minimum and maximum.
// Returns the value to read: `given` itself when it is already stored as the type needs (no
// copy), else `converted`, filled. Returns nullptr with `why` (the reason, without the input's
// name) when it does not fit.
// A list longer than the rulebook's max_list_items does not fit either, given or written as text.
const Value* accept_input(const CompiledInput& in, const Value& given, Value& converted, std::string& why,
                          const LoadOptions& limits);

// Throws CaseError for `name`, which is not an input of `p`: "unknown input; did you mean 'wage'?".
[[noreturn]] void throw_unknown_input(const Program& p, const std::string& name);
// Throws EvaluationError for `name`, which is not a decision: "no such decision in this rulebook".
[[noreturn]] void throw_unknown_decision(const std::string& name);

// The slot of input `name`; throws CaseError for a name that is not an input (as
// throw_unknown_input). The one look-up of a host's input name (inline: once per input of a case).
inline int input_slot(const Program& p, const std::string& name) {
  const Symbol* sym = p.find(name);
  if (!sym || sym->kind != SymbolKind::input) throw_unknown_input(p, name);
  return sym->slot;
}
// The slot of decision `name`; throws EvaluationError for a name that is not a decision.
inline int decision_slot(const Program& p, const std::string& name) {
  const Symbol* sym = p.find(name);
  if (!sym || sym->kind != SymbolKind::decision) throw_unknown_decision(name);
  return sym->slot;
}

// The slots of inputs `names`, as a request (a Batch's columns, a Query's values) gives them.
// Throws CaseError for a name that is not an input, or that is given twice.
std::vector<int> input_slots(const Program& p, const std::vector<std::string>& names);
// The slots of decisions `names`; `names` empty: every decision, whose names it is then given.
// Throws EvaluationError for a name that is not a decision.
std::vector<int> decision_slots(const Program& p, std::vector<std::string>& names);
// The positions of `names` in the order of the names themselves: the order in which
// Rulebook::evaluate reads a Case, so that a request with two values that do not fit reports
// the same one as evaluate() does.
std::vector<std::size_t> name_order(const std::vector<std::string>& names);

}  // namespace kaidah::detail

#pragma once
// Taking a host's value for an input: the one check shared by single cases and batches.

#include <string>

#include "program.h"

namespace kaidah::detail {

// Checks `given` (not none) against input `in` - its type, allowed values, minimum and maximum.
// Returns the value to read: `given` itself when it is already stored as the type needs (no
// copy), else `converted`, filled. Returns nullptr with `why` (the reason, without the input's
// name) when it does not fit.
// A list longer than `max_items` does not fit either.
const Value* accept_input(const CompiledInput& in, const Value& given, Value& converted, std::string& why,
                          long max_items);

// Throws CaseError for `name`, which is not an input of `p`: "unknown input; did you mean 'wage'?".
[[noreturn]] void throw_unknown_input(const Program& p, const std::string& name);

}  // namespace kaidah::detail

#pragma once
// The builtins of scalar values (dates, months, abs): one implementation for the Evaluator and
// for the columnar form of a batch, so that both give the same value and the same error.

#include <array>

#include "expr/ast.h"

namespace kaidah::detail {

// `n` days or months to add, as an int; beyond an int's range, std::out_of_range("<unit> out of
// range"), as the date or month it would give is.
int count_of(std::int64_t n, const char* unit);

// True for the builtins scalar_builtin() computes.
bool is_scalar_builtin(Builtin f);

// `f` of `args` (as many as the checker allowed). Throws std::invalid_argument,
// std::overflow_error or std::out_of_range with the message an EvaluationError carries
// ("2025-02-30 is not a valid date", "integer overflow").
Value scalar_builtin(Builtin f, const std::array<const Value*, 3>& args);

}  // namespace kaidah::detail

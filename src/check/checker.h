#pragma once
#include "diagnostics.h"
#include "expr/parser.h"
#include "load/syntax.h"
#include "program.h"

namespace kaidah::detail {

// Resolves names, infers and checks types, checks parameter histories, enum values and
// dependency cycles, and builds the Program. Reports every problem into `out`; the Program is
// only meaningful when `out` has no errors.
// The LoadOptions the checker applies (their values and defaults are LoadOptions').
struct CheckLimits {
  ExpressionLimits expression;  // each formula's
  int max_dependency_depth;     // decisions in the longest chain of decisions using decisions
  int max_inputs, max_parameters, max_decisions;  // declarations of each kind
};

Program check(const SyntaxTree& tree, const CheckLimits& limits, Diagnostics& out);

}  // namespace kaidah::detail

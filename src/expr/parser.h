#pragma once
#include "diagnostics.h"
#include "expr/ast.h"
#include "load/scalar_text.h"

namespace kaidah::detail {

struct ParseLimits {
  int max_depth = 64;
  int max_length = 4096;
  int max_dependency_depth = 256;  // decisions in the longest chain of decisions using decisions
  int max_inputs = 10'000, max_parameters = 10'000, max_decisions = 10'000;  // declarations of each kind
};

// Parses one expression. On a syntax error, reports it at its place in the YAML file and returns
// nullptr (the checker then skips that expression).
ExprPtr parse_expression(const ScalarText& text, const ParseLimits& limits, Diagnostics& out);

}  // namespace kaidah::detail

#pragma once
#include "diagnostics.h"
#include "expr/ast.h"
#include "load/scalar_text.h"

namespace kaidah::detail {

// The LoadOptions the parser and the checker apply (their values and defaults are LoadOptions').
struct ParseLimits {
  int max_depth;             // max_expression_depth
  int max_length;            // max_expression_length
  int max_dependency_depth;  // decisions in the longest chain of decisions using decisions
  int max_inputs, max_parameters, max_decisions;  // declarations of each kind
};

// Parses one expression. On a syntax error, reports it at its place in the YAML file and returns
// nullptr (the checker then skips that expression).
ExprPtr parse_expression(const ScalarText& text, const ParseLimits& limits, Diagnostics& out);

}  // namespace kaidah::detail

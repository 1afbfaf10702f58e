#pragma once
#include "diagnostics.h"
#include "expr/ast.h"
#include "load/scalar_text.h"

namespace kaidah::detail {

// The LoadOptions the parser applies to an expression (their values and defaults are LoadOptions').
struct ExpressionLimits {
  int max_depth;   // max_expression_depth
  int max_length;  // max_expression_length
};

// Parses one expression. On a syntax error, reports it at its place in the YAML file and returns
// nullptr (the checker then skips that expression).
ExprPtr parse_expression(const ScalarText& text, const ExpressionLimits& limits, Diagnostics& out);

}  // namespace kaidah::detail

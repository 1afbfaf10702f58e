#pragma once
// The expression language's syntax tree, as the parser reads a formula: what is written and where,
// nothing resolved. The checker reads it (never changes it) and builds the typed form that the
// compile stage finishes and both engines run (lang/node.h).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kaidah/value.h"

namespace kaidah::detail {

enum class SyntaxKind {
  literal,       // value (none too)
  name,          // an identifier: an input, parameter, decision, variable or rounding mode
  unary,         // op, args[0]
  binary,        // op, args[0], args[1]
  if_then_else,  // args[0..2]
  list,          // args
  call,          // name, args
  comprehension, // name = function, value = the variable, args[0] = source, args[1] = body
  field          // args[0].name
};

enum class Op { neg, not_, add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_, in, not_in };

struct Expr {
  SyntaxKind kind = SyntaxKind::literal;
  std::uint32_t offset = 0;  // where the node starts in its expression text
  Op op = Op::add;
  std::string name;  // identifier, function name or field name
  Value value;       // literal; a comprehension's variable
  std::vector<std::unique_ptr<Expr>> args;
};

using ExprPtr = std::unique_ptr<Expr>;

}  // namespace kaidah::detail

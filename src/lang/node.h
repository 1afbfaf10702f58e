#pragma once
// The typed form of an expression: what the checker builds from the syntax tree (every name
// resolved to a slot, every call to a builtin, every node typed) and the compile stage finishes
// (every integer→decimal widening a `widen` node, constants folded). Both engines run it; nothing
// in it is looked up by name at evaluation.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expr/ast.h"
#include "lang/functions.h"
#include "lang/types.h"

namespace kaidah::detail {

enum class NodeKind {
  literal,      // value
  name,         // an identifier the checker has not resolved yet (none is left once checked)
  input,        // slot
  parameter,    // slot: value in force at the evaluation date
  decision,     // slot
  local,        // slot: a comprehension variable
  evaluation_date,
  evaluation_month,
  unary,        // op, args[0]
  binary,       // op, args[0], args[1]
  if_then_else, // args[0..2]
  list,         // args
  call,         // name, args; resolved to `builtin`
  comprehension, // name = function, value = the variable, args[0] = source, args[1] = body; slot = local
  field,         // args[0].name: slot = the field's index in its record
  widen          // args[0], an integer (or a list of them) as a decimal: made by the compile stage
};

struct Node {
  NodeKind kind = NodeKind::literal;
  std::uint32_t offset = 0;  // where the node starts in its expression text
  Op op = Op::add;
  Builtin builtin = Builtin::none;
  std::string name;  // identifier, function name, or field name
  Value value;       // literal (also a folded constant or a rounding mode); a comprehension's variable
  int slot = -1;
  std::vector<std::unique_ptr<Node>> args;
  Type type;  // set by the checker
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace kaidah::detail

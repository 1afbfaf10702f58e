#pragma once
// The expression language's syntax tree. The parser fills the shape; the checker resolves each
// name to a slot, each call to a builtin, and sets every node's type, so that evaluation does no
// string look-ups.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kaidah/value.h"
#include "lang/functions.h"

namespace kaidah::detail {

struct RecordType;

// A static type: a kind; for lists, the element kind; for enums (text with declared values), the
// allowed spellings; for records (and lists of them), the fields.
struct Type {
  Kind kind = Kind::none;
  Kind element = Kind::none;                                  // lists
  std::shared_ptr<const std::vector<std::string>> enum_values;  // enums, and lists of enums
  std::shared_ptr<const RecordType> record;                     // records, and lists of them
  bool none_literal = false;  // the type of `none`: fits any type of an optional decision
  bool is_enum() const { return enum_values != nullptr; }
  bool numeric() const { return kind == Kind::integer || kind == Kind::decimal; }
};

struct RecordField {
  std::string name;
  Type type;
  Value default_value;  // none: the field must be given
  std::string description;
};

struct RecordType {
  std::vector<RecordField> fields;  // in declared order: a record value stores them so
  int find(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

std::string describe(const Type& t);  // "decimal", "enum (ppu, pbpu)", "list of month"

enum class NodeKind {
  literal,      // value
  name,         // unresolved identifier (parser output only)
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
  comprehension, // name = function, var, args[0] = source, args[1] = body; slot = local
  field          // args[0].name: slot = the field's index in its record
};

enum class Op { neg, not_, add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_, in, not_in };

struct Expr {
  NodeKind kind = NodeKind::literal;
  std::uint32_t offset = 0;  // where the node starts in its expression text
  Op op = Op::add;
  Builtin builtin = Builtin::none;
  std::string name;  // identifier, function name, or comprehension variable
  Value value;       // literal (also a constant-folded date('…') or a rounding mode)
  int slot = -1;
  std::vector<std::unique_ptr<Expr>> args;
  Type type;  // set by the checker
};

using ExprPtr = std::unique_ptr<Expr>;

}  // namespace kaidah::detail

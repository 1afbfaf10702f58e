#include "compile/compile.h"

#include "lang/values.h"

namespace kaidah::detail {
namespace {

std::string_view op_name(Op op) {
  switch (op) {
    case Op::neg: return "neg";
    case Op::not_: return "not";
    case Op::add: return "add";
    case Op::sub: return "sub";
    case Op::mul: return "mul";
    case Op::div: return "div";
    case Op::eq: return "eq";
    case Op::ne: return "ne";
    case Op::lt: return "lt";
    case Op::le: return "le";
    case Op::gt: return "gt";
    case Op::ge: return "ge";
    case Op::and_: return "and";
    case Op::or_: return "or";
    case Op::in: return "in";
    case Op::not_in: return "not_in";
  }
  return "?";
}

std::string literal(const Value& v) {
  if (v.kind() == Kind::text) return "'" + v.as_text() + "'";
  return v.has_value() ? v.to_string() : "none";
}

// round()'s and quotient()'s rounding mode written as a bare word, which the checker made the
// number of a Rounding.
bool is_mode(const Node& e, const Node* parent, std::size_t index) {
  return parent && parent->kind == NodeKind::call && index == 2 && e.kind == NodeKind::literal &&
         (parent->builtin == Builtin::round || parent->builtin == Builtin::quotient) && e.value.kind() == Kind::integer;
}

// What node `e` is, without its operands: "input wage", "call round", "sum k (local 0)".
std::string head(const Node& e) {
  switch (e.kind) {
    case NodeKind::literal: return "literal " + literal(e.value);
    case NodeKind::name: return "name " + e.name + " (unresolved)";
    case NodeKind::input: return "input " + e.name;
    case NodeKind::parameter: return "parameter " + e.name;
    case NodeKind::decision: return "decision " + e.name;
    case NodeKind::local: return "local " + e.name + " (" + std::to_string(e.slot) + ")";
    case NodeKind::evaluation_date: return "evaluation_date";
    case NodeKind::evaluation_month: return "evaluation_month";
    case NodeKind::unary:
    case NodeKind::binary: return std::string(op_name(e.op));
    case NodeKind::if_then_else: return "if";
    case NodeKind::list: return "list";
    case NodeKind::call: return "call " + e.name;
    case NodeKind::comprehension: return e.name + " " + e.value.as_text() + " (local " + std::to_string(e.slot) + ")";
    case NodeKind::field: return "field " + e.name + " (" + std::to_string(e.slot) + ")";
    case NodeKind::widen: return "widen";
  }
  return "?";
}

void dump_into(std::string& out, const Node& e, int depth, const Node* parent, std::size_t index) {
  out.append(2 * static_cast<std::size_t>(depth), ' ');
  if (is_mode(e, parent, index)) {
    out += "mode " + std::string(to_string(static_cast<Rounding>(e.value.as_integer()))) + "\n";
  } else {
    out += head(e) + ": " + (e.type.none_literal ? std::string("none") : describe(e.type)) + "\n";
  }
  for (std::size_t i = 0; i < e.args.size(); ++i) dump_into(out, *e.args[i], depth + 1, &e, i);
}

// A formula as one line: its own line breaks and indentation made single spaces.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string dump(const Node& e, int depth) {
  std::string out;
  dump_into(out, e, depth, nullptr, 0);
  return out;
}

std::string dump(const CompiledDecision& d) {
  std::string out = "decision " + d.name + ": " + describe(d.type) + (d.optional ? ", optional" : "") + "\n";
  if (d.formula) {
    out += "  formula " + one_line(d.formula->text.text) + "\n" + dump(*d.formula->root, 2);
  }
  for (std::size_t r = 0; r < d.table.size(); ++r) {
    const CompiledRow& row = d.table[r];
    const std::string n = std::to_string(r + 1);
    for (const CompiledExpression& w : row.when) out += "  row " + n + " when " + one_line(w.text.text) + "\n" + dump(*w.root, 2);
    out += "  row " + n + " then " + one_line(row.then.text.text) + "\n" + dump(*row.then.root, 2);
  }
  return out;
}

}  // namespace kaidah::detail

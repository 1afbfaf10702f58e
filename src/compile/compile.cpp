#include "compile/compile.h"

#include <stdexcept>

#include "eval/evaluator.h"

namespace kaidah::detail {
namespace {

Type decimal_of(Type t) {
  (t.kind == Kind::list ? t.element : t.kind) = Kind::decimal;
  return t;
}

// True if a value of type `from` is integers where `to` has decimals: a scalar, or a list's items.
bool integer_where_decimal(const Type& from, const Type& to) {
  if (from.none_literal) return false;
  if (to.kind == Kind::list) return from.kind == Kind::list && from.element == Kind::integer && to.element == Kind::decimal;
  return from.kind == Kind::integer && to.kind == Kind::decimal;
}

// `[]` (and what gives it: an `if` between two, sorted([]), last([], n)) is a list of nothing until
// it meets a list of some kind: it takes that type, down to the literal, so that both engines
// build it with items of the kind it is read as.
void type_empty_list(Node& e, const Type& to) {
  if (e.type.kind != Kind::list || e.type.element != Kind::none || e.type.none_literal) return;
  if (to.kind != Kind::list || to.element == Kind::none) return;
  e.type = to;
  for (NodePtr& arg : e.args) type_empty_list(*arg, to);
}

// Makes `e` give decimals where `to` wants them and `e` gives integers: a literal, or the items of
// a list written in the formula, are converted in place; anything else is wrapped in `widen`. An
// empty list takes the type wanted.
void widen(NodePtr& e, const Type& to) {
  type_empty_list(*e, to);
  if (!integer_where_decimal(e->type, to)) return;
  const Type widened = decimal_of(e->type);
  if (e->kind == NodeKind::literal && e->value.kind() == Kind::integer) {
    e->value = Value(Decimal(e->value.as_integer()));
  } else if (e->kind == NodeKind::list) {
    for (NodePtr& item : e->args) widen(item, decimal_of(item->type));
  } else {
    auto w = std::make_unique<Node>();
    w->kind = NodeKind::widen;
    w->offset = e->offset;
    w->args.push_back(std::move(e));
    e = std::move(w);
  }
  e->type = widened;
}

bool is_arithmetic(Op op) { return op == Op::add || op == Op::sub || op == Op::mul || op == Op::div; }
bool is_comparison(Op op) { return op == Op::eq || op == Op::ne || op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge; }

// The widenings node `n` needs, its operands already compiled: where the checker unified an
// integer with a decimal (arithmetic, a comparison, `in`, both branches of `if`, a list's items,
// min, max and clamp), the integer side becomes decimal.
void make_widening_explicit(Node& n) {
  const Type decimal = scalar(Kind::decimal);
  switch (n.kind) {
    case NodeKind::binary: {
      NodePtr &a = n.args[0], &b = n.args[1];
      if (is_arithmetic(n.op) && n.type.kind == Kind::decimal) {
        widen(a, decimal);
        widen(b, decimal);
      } else if (is_comparison(n.op) && a->type.numeric() && b->type.numeric()) {
        widen(a, b->type);
        widen(b, a->type);
      } else if (n.op == Op::in || n.op == Op::not_in) {
        type_empty_list(*b, list_of(a->type));
        widen(a, scalar(b->type.element));
        if (a->type.kind == Kind::decimal) widen(b, decimal_of(b->type));
      }
      return;
    }
    case NodeKind::if_then_else:
      widen(n.args[1], n.type);
      widen(n.args[2], n.type);
      return;
    case NodeKind::list:
      if (n.type.element == Kind::decimal)
        for (NodePtr& item : n.args) widen(item, decimal);
      return;
    case NodeKind::call:
      if (n.builtin == Builtin::min || n.builtin == Builtin::max || n.builtin == Builtin::clamp)
        for (NodePtr& arg : n.args) widen(arg, n.type);
      if (n.builtin == Builtin::round) widen(n.args[0], decimal);  // rounds a decimal
      return;
    default:
      return;
  }
}

// True if `n` computes a value from its operands alone: no input, parameter, decision, date of
// evaluation, variable or aggregation step (a count against max_iterations) is involved.
bool is_pure(const Node& n) {
  switch (n.kind) {
    case NodeKind::unary:
    case NodeKind::binary: return n.op != Op::in && n.op != Op::not_in;
    case NodeKind::if_then_else:
    case NodeKind::widen: return true;
    case NodeKind::call:
      switch (n.builtin) {
        KAIDAH_SCALAR_KERNEL_CASES:
        case Builtin::round: case Builtin::min: case Builtin::max: case Builtin::clamp:
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

class Compiler {
 public:
  explicit Compiler(const Program& p) : constants_(p) {}

  void expression(NodePtr& e) {
    // The checker gives every node a type or reports why it cannot; a node without one here is
    // its defect, which would leave the engines to guess.
    if (e->type.kind == Kind::none && !e->type.none_literal)
      throw std::logic_error("internal error: a node the checker left without a type (" + e->name + ")");
    for (NodePtr& arg : e->args) expression(arg);
    make_widening_explicit(*e);
    fold(e);
  }

  // The root of a decision's formula or of a table row's result: widened to what it declares.
  void result(NodePtr& e, const Type& declared) {
    expression(e);
    widen(e, declared);
    fold(e);
  }

 private:
  // A pure node whose operands are all literals becomes the literal of its value. A value that
  // fails (a division by zero, a date out of range) is left to fail at evaluation, where the
  // decision and the case are known.
  void fold(NodePtr& e) {
    if (!is_pure(*e)) return;
    for (const NodePtr& arg : e->args)
      if (arg->kind != NodeKind::literal) return;
    std::optional<Value> v = constants_.constant(*e);
    if (!v || !v->has_value()) return;  // none keeps its node: its type is the `if`'s, not none's
    e->kind = NodeKind::literal;
    e->value = std::move(*v);
    e->args.clear();
  }

  Evaluator constants_;
};

}  // namespace

void compile(Program& p) {
  Compiler c(p);
  for (CompiledDecision& d : p.decisions) {
    if (d.formula) c.result(d.formula->root, d.type);
    for (CompiledRow& row : d.table) {
      for (CompiledExpression& w : row.when) c.expression(w.root);
      c.result(row.then.root, d.type);
    }
  }
}

}  // namespace kaidah::detail

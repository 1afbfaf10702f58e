#pragma once
// The compile stage: load → expr → check → **compile** → eval | columnar.
//
// The checker resolved every name to a slot and every call to a builtin, and typed every node.
// compile() finishes the form both engines run:
//   - every integer→decimal widening is an explicit `widen` node, decided here once: after it, a
//     node of decimal type always gives a decimal (and a list of decimals only decimals), so
//     neither engine chooses integer or decimal arithmetic by a value's kind; an empty list `[]`
//     takes the type of the list it meets;
//   - constant subexpressions are folded into literals, by the Evaluator itself, so a folded
//     value is exactly the one evaluation would give (one that fails is left to fail there).
// dump() prints the form, one node a line, for golden tests and for `kaidah dump`.

#include <string>

#include "program.h"

namespace kaidah::detail {

void compile(Program& p);

// The compiled form of decision `d`: its formula, or each row's conditions and result.
std::string dump(const CompiledDecision& d);
// The compiled form of one expression, each line indented by `depth` steps and more.
std::string dump(const Node& e, int depth = 0);

}  // namespace kaidah::detail

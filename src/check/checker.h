#pragma once
#include "diagnostics.h"
#include "expr/parser.h"
#include "load/syntax.h"
#include "program.h"

namespace kaidah::detail {

// Resolves names, infers and checks types, checks parameter histories, enum values and
// dependency cycles, and builds the Program. Reports every problem into `out`; the Program is
// only meaningful when `out` has no errors.
Program check(const SyntaxTree& tree, const ParseLimits& limits, Diagnostics& out);

}  // namespace kaidah::detail

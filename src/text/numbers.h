#pragma once
// Numbers as people write them: digits grouped in thousands, as a language writes them.

#include <string>

#include "kaidah/decimal.h"

namespace kaidah::detail {

// 1234567.5 -> "1.234.567,5" with `thousands` and `point` as a language writes them.
std::string group_digits(const Decimal& d, char thousands, char point);

}  // namespace kaidah::detail

#pragma once
// Turning YAML values (defaults, parameter values, scenario inputs and expectations) into typed
// Values, with a reason when they do not fit.

#include <optional>
#include <string>
#include <string_view>

#include "lang/types.h"
#include "load/syntax.h"

namespace kaidah::detail {

// Parses a type name as written in YAML ("decimal", "enum", "list of month"); `values` are the
// enum values. Returns nothing and sets `why` when it is not a type.
std::optional<Type> parse_type(const std::string& name, const std::vector<std::string>& values, std::string& why);

// Converts `raw` to a value of type `t`. Returns nothing and sets `why` ("expected a date like
// 2025-01-01, got '2025-13-01'") when it does not fit. Null gives nothing with why "no value".
std::optional<Value> convert(const RawValue& raw, const Type& t, std::string& why);

// Checks that a Value given by a host (C++ or Python) fits type `t`: integers widen to decimal,
// and text is parsed strictly by the type ("2025-01" for a month, "150000.50" for a decimal; a
// list in YAML flow form within the rulebook's `limits`). Returns the value as stored, or nothing
// with `why`.
std::optional<Value> conform(const Value& v, const Type& t, std::string& why, const LoadOptions& limits);

// True when `v` is already stored the way type `t` needs it (no widening, no text to parse, no
// record to reorder) and valid. Such a value is taken as it is, without copying a list's items.
bool stored_as(const Value& v, const Type& t);

// An integer as a decimal, or a list's integer items as decimals (what a `widen` node gives).
Value widened(const Value& v);

// A scalar's text (a YAML word, a CSV cell) as a value of `kind`, the element kind for a list of
// them: parsed strictly ("true", "2026-11", "3800000.50"), an enum's spelling checked.
std::optional<Value> convert_scalar(std::string_view text, const Type& t, Kind kind, std::string& why);

// "'pbpuu' is not one of: pbi, ppu, pbpu, bp (did you mean 'pbpu'?)"
std::string not_an_enum_value(const std::string& text, const std::vector<std::string>& values);

}  // namespace kaidah::detail

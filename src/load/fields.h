#pragma once
// Reading a YAML mapping against a schema: every key known, required keys present, scalars
// where scalars are expected; each problem reported at its position.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "load/syntax.h"

namespace kaidah::detail {

// The one of `candidates` that `word` probably means, else "": the same name written another way
// (other capitals, spaces around it, spaces or hyphens for underscores: "Last Month Paid" for
// last_month_paid), or the closest if `word` is a likely typo of it.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// `word` as it was probably meant: no spaces around it, no invisible characters (a byte-order
// mark, zero-width or no-break spaces) in it, lower case, spaces and hyphens as underscores.
std::string name_as_meant(std::string_view word);

class Fields {
 public:
  // Reports a non-mapping `map`, and every key not in `allowed`.
  Fields(const RawValue& map, std::string what, Diagnostics& out, std::initializer_list<std::string_view> allowed);

  bool ok() const { return map_.shape == RawValue::Shape::mapping; }
  // The value at `key`, or nullptr (reported if `required`).
  const RawValue* get(std::string_view key, bool required = false);
  // The value at `key` if it is a scalar; a non-scalar is reported and gives nullptr.
  const RawValue* scalar(std::string_view key, bool required = false);
  // The scalar text at `key`, or "".
  std::string text(std::string_view key, bool required = false);
  const SourceLocation& location() const { return map_.location; }
  Diagnostics& diagnostics() { return out_; }

 private:
  const RawValue& map_;
  std::string what_;
  Diagnostics& out_;
};

// Calls `each(name, location, body)` for every entry of a section mapping (inputs:, decisions:…).
void for_each_declaration(const RawValue& section, std::string_view kind, Diagnostics& out,
                          const std::function<void(const std::string&, const SourceLocation&, const RawValue&)>& each);

}  // namespace kaidah::detail

#pragma once
// The text of a YAML scalar together with where each of its characters stands in the file, so
// that an error inside an expression points at the right line and column.

#include <string>
#include <string_view>
#include <vector>

#include "kaidah/diagnostic.h"

namespace kaidah::detail {

struct ScalarText {
  std::string text;
  SourceLocation start;  // the scalar's own mark (its first character, quote or `|`)
  // Where line i of `text` starts in the file. Empty when the mapping is not exact (folded
  // or escaped scalars): then every offset maps to `start`.
  std::vector<SourceLocation> line_starts;

  SourceLocation locate(std::size_t offset) const;
};

// Builds a ScalarText for a scalar whose mark is (line0, column0, pos), all 0-based as yaml-cpp
// gives them, in the file whose full text is `source`, split into `source_lines`.
ScalarText make_scalar_text(std::string text, const std::string& file, std::string_view source,
                            const std::vector<std::string_view>& source_lines, int line0,
                            int column0, int pos);

std::vector<std::string_view> split_lines(std::string_view s);

}  // namespace kaidah::detail

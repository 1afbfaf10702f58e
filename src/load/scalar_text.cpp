#include "load/scalar_text.h"

#include <string_view>

namespace kaidah::detail {

SourceLocation ScalarText::locate(std::size_t offset) const {
  if (line_starts.empty()) return start;
  std::size_t line = 0, line_begin = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' && line + 1 < line_starts.size()) {
      ++line;
      line_begin = i + 1;
    }
  }
  SourceLocation l = line_starts[line];
  l.column += static_cast<int>(offset - line_begin);
  return l;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (true) {
    std::size_t end = s.find('\n', begin);
    if (end == std::string_view::npos) {
      lines.push_back(s.substr(begin));
      return lines;
    }
    lines.push_back(s.substr(begin, end - begin));
    begin = end + 1;
  }
}

ScalarText make_scalar_text(std::string text, const std::string& file, std::string_view source,
                            const std::vector<std::string_view>& file_lines, int line0,
                            int column0, int pos) {
  ScalarText out{std::move(text), {file, line0 + 1, column0 + 1}, {}};
  if (pos < 0 || static_cast<std::size_t>(pos) >= source.size()) return out;
  const char first = source[pos];
  if (first == '|') {
    // Literal block: line i of the text is file line line0 + 2 + i, after the block's indent.
    std::vector<std::string_view> text_lines = split_lines(out.text);
    if (!text_lines.empty() && text_lines.back().empty()) text_lines.pop_back();
    std::vector<SourceLocation> starts;
    for (std::size_t i = 0; i < text_lines.size(); ++i) {
      const std::size_t fl = static_cast<std::size_t>(line0) + 1 + i;
      if (fl >= file_lines.size()) return out;
      const std::string_view line = file_lines[fl];
      if (text_lines[i].empty()) {
        starts.push_back({file, static_cast<int>(fl) + 1, 1});
        continue;
      }
      if (line.size() < text_lines[i].size() ||
          line.substr(line.size() - text_lines[i].size()) != text_lines[i]) {
        return out;  // not laid out as we expect: fall back to the scalar's mark
      }
      const int indent = static_cast<int>(line.size() - text_lines[i].size());
      starts.push_back({file, static_cast<int>(fl) + 1, indent + 1});
    }
    out.line_starts = std::move(starts);
    return out;
  }
  if (out.text.find('\n') != std::string::npos) return out;  // folded plain or quoted scalar
  const int skip = (first == '"' || first == '\'') ? 1 : 0;
  if (source.substr(pos + skip).substr(0, out.text.size()) == out.text) {
    out.line_starts.push_back({file, line0 + 1, column0 + 1 + skip});
  }
  return out;
}

}  // namespace kaidah::detail

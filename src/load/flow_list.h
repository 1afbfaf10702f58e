#pragma once
// A list written in a CSV cell ("[2025-01, 2025-02]", "[{relation: spouse, birth_date:
// 1990-01-01}]"), read without yaml-cpp when it is in the plain form rosters use: yaml-cpp takes
// tens of microseconds to set up for each cell, which made reading a roster most of a sweep.

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace kaidah::detail {

// A list in the plain form below, as views of its text (no string or YAML node an item).
struct PlainFlowList {
  struct Item {
    std::string_view word;             // a word; empty for a mapping (a word never is)
    std::size_t first = 0, count = 0;  // a mapping's entries: entries[first, first + count)
  };
  std::vector<Item> items;
  std::vector<std::pair<std::string_view, std::string_view>> entries;  // key: word, in the text's order
};

// The YAML value of `text` when it is a flow list of plain words (letters, digits, _ . + -),
// or of flow mappings `{key: word, ...}` of them, separated by commas and spaces: exactly what
// yaml-cpp reads from it (a test holds the two equal on generated texts). Nothing for any other
// text - quotes, nesting, nulls, comments, a key given twice -, which yaml-cpp then reads.
std::optional<PlainFlowList> read_plain_flow_list(std::string_view text);

}  // namespace kaidah::detail

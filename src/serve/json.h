#pragma once
// A request's JSON, read strictly (RFC 8259, by nlohmann's SAX parser) into kaidah Values, with
// every number kept exactly as written: money never passes through a double.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/value.h"

namespace kaidah::serve {

// Malformed JSON, or JSON kaidah does not take. what() says where: "at byte 17: syntax error
// while parsing object key…", or the path of the value: "cases[2].wage: the number 1e-20 has
// more than 12 decimal places".
struct JsonError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Objects nested in arrays nested in objects…: a body nested deeper is refused before it is built.
inline constexpr int kMaxJsonDepth = 64;

// Where a value sits in a document: keys and list positions from the top, "cases", 2, "wage".
struct PathStep {
  std::string key;        // an object's key, or "" for a position in a list
  std::size_t index = 0;  // the position in a list
};
using Path = std::vector<PathStep>;
std::string to_string(const Path& path);  // "cases[2].wage"

// A number in the document that no Decimal holds exactly: more than 12 decimal places, or too
// large. Its place holds none; the caller refuses the value it belongs to, never a rounded one.
struct InexactNumber {
  Path path;
  std::string reason;  // "the number 0.1234567890123 is not exact in kaidah's decimals (…)"
};

struct Json {
  Value value;
  std::vector<InexactNumber> inexact;
};

// `text` as a Value: an object is a record (its keys in the order written), an array a list, a
// string text, true and false bools, null none. A whole number that fits 64 bits is an integer;
// any other number is the exact Decimal it writes ("3500000.50", "1.5e6" = 1500000). Throws
// JsonError for malformed JSON, a key given twice in an object, or nesting deeper than
// kMaxJsonDepth.
Json parse_json(std::string_view text);

// The record's field `name`, or nullptr.
const Value* field(const Value& record, std::string_view name);

}  // namespace kaidah::serve

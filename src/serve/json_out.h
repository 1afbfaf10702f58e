#pragma once
// Writing the service's JSON: an object a field at a time, arrays of anything. Values come in
// already written as JSON (Value::to_json(), json_quote()), so money stays an exact string.

#include <string>
#include <string_view>
#include <vector>

#include "kaidah/value.h"

namespace kaidah::serve {

// A response's JSON, written as it goes: {"key": value, …} with values already JSON.
class Object {
 public:
  Object& raw(std::string_view key, std::string_view json) {
    out_ += (out_.size() > 1 ? ", " : "") + json_quote(key) + ": ";
    out_ += json;
    return *this;
  }
  Object& text(std::string_view key, std::string_view value) { return raw(key, json_quote(value)); }
  Object& number(std::string_view key, long long value) { return raw(key, std::to_string(value)); }
  Object& boolean(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  std::string done() { return out_ + "}"; }

 private:
  std::string out_ = "{";
};

template <class Items, class Write>
std::string array(const Items& items, Write write) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ", " : "") + write(item);
  return out + "]";
}

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD: what a message
// echoes of a request (a path, a line that is not JSON) may be any bytes; the answer stays UTF-8.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    // Overlong forms and surrogates are not well-formed either.
    if (ok && n == 2) ok = c >= 0xC2;
    if (ok && n == 3) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0);
    }
    if (ok && n == 4) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && d < 0x90) && !(c == 0xF4 && d >= 0x90);
    }
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

inline std::string texts(const std::vector<std::string>& items) {
  return array(items, [](const std::string& s) { return json_quote(s); });
}

}  // namespace kaidah::serve

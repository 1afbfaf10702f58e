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

inline std::string texts(const std::vector<std::string>& items) {
  return array(items, [](const std::string& s) { return json_quote(s); });
}

}  // namespace kaidah::serve

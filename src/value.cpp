#include "kaidah/value.h"

#include <cstdio>

namespace kaidah {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::none: return "none";
    case Kind::boolean: return "bool";
    case Kind::integer: return "integer";
    case Kind::decimal: return "decimal";
    case Kind::date: return "date";
    case Kind::month: return "month";
    case Kind::text: return "text";
    case Kind::list: return "list";
    case Kind::record: return "record";
  }
  return "?";
}

namespace {

// A list's items or a record's fields between brackets, "[1, 2]", "{a: 1}": each value written
// by `value`, each field's name by `name`.
template <class WriteValue, class WriteName>
std::string composite(const Value& v, WriteValue value, WriteName name) {
  std::string out;
  if (v.kind() == Kind::list) {
    for (const Value& item : v.as_list()) out += (out.empty() ? "" : ", ") + value(item);
    return "[" + out + "]";
  }
  for (const auto& [field, item] : v.as_record()) out += (out.empty() ? "" : ", ") + name(field) + ": " + value(item);
  return "{" + out + "}";
}

}  // namespace

std::string Value::to_string() const {
  switch (kind()) {
    case Kind::none: return "none";
    case Kind::boolean: return as_bool() ? "true" : "false";
    case Kind::integer: return std::to_string(as_integer());
    case Kind::decimal: return as_decimal().to_string();
    case Kind::date: return as_date().to_string();
    case Kind::month: return as_month().to_string();
    case Kind::text: return as_text();
    case Kind::list:
    case Kind::record:
      return composite(*this, [](const Value& v) { return v.to_string(); }, [](const std::string& name) { return name; });
  }
  return "?";
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string Value::to_json() const {
  switch (kind()) {
    case Kind::none: return "null";
    case Kind::boolean:
    case Kind::integer: return to_string();
    case Kind::list:
    case Kind::record:
      return composite(*this, [](const Value& v) { return v.to_json(); }, [](const std::string& name) { return json_quote(name); });
    default: return json_quote(to_string());
  }
}

bool operator==(const Value& a, const Value& b) {
  const bool numeric_a = a.kind() == Kind::integer || a.kind() == Kind::decimal;
  const bool numeric_b = b.kind() == Kind::integer || b.kind() == Kind::decimal;
  if (numeric_a && numeric_b) return a.as_number() == b.as_number();
  if (a.kind() != b.kind()) return false;
  if (a.kind() == Kind::list) {
    const auto &x = a.as_list(), &y = b.as_list();
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin());
  }
  if (a.kind() == Kind::record) return a.as_record() == b.as_record();
  return a.v_ == b.v_;
}

}  // namespace kaidah

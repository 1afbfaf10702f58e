#include "lang/values.h"

#include <algorithm>
#include <charconv>
#include <span>
#include <string_view>

#include "diagnostics.h"
#include "load/fields.h"
#include "load/flow_list.h"

namespace kaidah::detail {
namespace {

std::optional<Kind> scalar_kind(const std::string& name) {
  static const std::pair<const char*, Kind> kKinds[] = {
      {"bool", Kind::boolean}, {"integer", Kind::integer}, {"decimal", Kind::decimal},
      {"date", Kind::date},    {"month", Kind::month},     {"text", Kind::text},
      {"enum", Kind::text},    {"record", Kind::record}};
  for (const auto& [n, k] : kKinds) {
    if (name == n) return k;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Value> convert_scalar(std::string_view s, const Type& t, Kind kind, std::string& why) {
  switch (kind) {
    case Kind::boolean:
      if (s == "true") return Value(true);
      if (s == "false") return Value(false);
      why = "expected true or false, got '" + std::string(s) + "'";
      return std::nullopt;
    case Kind::integer: {
      std::int64_t v = 0;
      const char* end = s.data() + s.size();
      const char* begin = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
      auto [p, ec] = std::from_chars(begin, end, v);
      if (ec == std::errc::result_out_of_range) {
        why = "integer '" + std::string(s) + "' is out of range";
        return std::nullopt;
      }
      if (ec != std::errc() || p != end || begin == end) {
        why = "expected a whole number, got '" + std::string(s) + "'";
        return std::nullopt;
      }
      return Value(v);
    }
    case Kind::decimal:
      try {
        return Value(Decimal::parse(s));
      } catch (const std::exception& e) {
        why = e.what();
        return std::nullopt;
      }
    case Kind::date:
      try {
        return Value(Date::parse(s));
      } catch (const std::exception& e) {
        why = e.what();
        return std::nullopt;
      }
    case Kind::month:
      try {
        return Value(Month::parse(s));
      } catch (const std::exception& e) {
        why = e.what();
        return std::nullopt;
      }
    case Kind::text:
      if (t.is_enum() && std::find(t.enum_values->begin(), t.enum_values->end(), s) == t.enum_values->end()) {
        why = not_an_enum_value(std::string(s), *t.enum_values);
        return std::nullopt;
      }
      return Value(std::string(s));
    default:
      why = "unsupported type";
      return std::nullopt;
  }
}

namespace {

// A record of type `t` from named items (YAML entries, or a host's (name, Value) pairs): every
// field known, each converted by `convert_item`, missing ones defaulted.
template <class Entries, class IsMissing, class ConvertItem>
std::optional<Value> make_record(const Entries& given, const RecordType& t,
                                 std::string& why, IsMissing is_missing, ConvertItem convert_item) {
  Record fields;
  for (const RecordField& f : t.fields) {
    auto it = std::find_if(given.begin(), given.end(), [&](const auto& e) { return e.first == f.name; });
    if (it == given.end() || is_missing(it->second)) {
      if (!f.default_value.has_value()) {
        why = "field '" + f.name + "' is missing";
        return std::nullopt;
      }
      fields.emplace_back(f.name, f.default_value);
      continue;
    }
    auto v = convert_item(it->second, f.type);
    if (!v) {
      why = "field '" + f.name + "': " + why;
      return std::nullopt;
    }
    fields.emplace_back(f.name, std::move(*v));
  }
  for (const auto& [name, _] : given) {
    if (t.find(name) < 0) {
      why = "unknown field '" + std::string(name) + "'";
      return std::nullopt;
    }
  }
  return Value(std::move(fields));
}

// A word of YAML (a scalar) as a value of type `t`.
std::optional<Value> convert_word(std::string_view word, const Type& t, std::string& why) {
  if (t.kind == Kind::list) {
    why = "expected a list, like [2025-01, 2025-02]";
    return std::nullopt;
  }
  return convert_scalar(word, t, t.kind, why);
}

// The items of a list of type `t`, from YAML's or the plain reader's: `record(item)` reads an
// item of a list of records; `word(item)` gives an item's word, or nothing (no single value).
template <class Items, class ReadRecord, class WordOf>
std::optional<Value> convert_list(const Items& items, const Type& t, std::string& why, ReadRecord record, WordOf word) {
  std::vector<Value> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::optional<Value> v;
    if (t.element == Kind::record) {
      v = record(items[i]);
    } else if (const std::optional<std::string_view> w = word(items[i])) {
      v = convert_scalar(*w, t, t.element, why);
    } else {
      why = "expected a single value";
    }
    if (!v) {
      why = "item " + std::to_string(i + 1) + ": " + why;
      return std::nullopt;
    }
    out.push_back(std::move(*v));
  }
  return Value(std::move(out));
}

// A list read by the plain reader as a value of list type `t`: as convert() reads the same
// YAML value.
std::optional<Value> convert(const PlainFlowList& list, const Type& t, std::string& why) {
  using Item = PlainFlowList::Item;
  const auto record = [&](const Item& item) -> std::optional<Value> {
    if (!item.word.empty()) {
      why = "expected a record (a mapping of field names to values)";
      return std::nullopt;
    }
    return make_record(
        std::span(list.entries).subspan(item.first, item.count), *t.record, why, [](std::string_view) { return false; },
        [&](std::string_view word, const Type& ft) { return convert_word(word, ft, why); });
  };
  const auto word = [](const Item& item) { return item.word.empty() ? std::nullopt : std::optional(item.word); };
  return convert_list(list.items, t, why, record, word);
}

}  // namespace

std::string not_an_enum_value(const std::string& text, const std::vector<std::string>& values) {
  std::string out = "'" + text + "' is not one of:";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : " ") + values[i];
  const std::string guess = closest(text, values);
  if (!guess.empty()) out += " (did you mean '" + guess + "'?)";
  return out;
}

std::optional<Type> parse_type(const std::string& name, const std::vector<std::string>& values, std::string& why) {
  Type t;
  std::string element = name;
  const bool list = name.starts_with("list of ");
  if (list) element = name.substr(8);
  const auto kind = scalar_kind(element);
  if (!kind) {
    why = "unknown type '" + name +
          "' (expected bool, integer, decimal, date, month, text, enum, 'list of' one of them, or 'list of record')";
    return std::nullopt;
  }
  if (*kind == Kind::record && !list) {
    why = "a record is only allowed as the items of a list: write 'list of record'";
    return std::nullopt;
  }
  if (element == "enum") {
    if (values.empty()) {
      why = "an enum type needs its 'values'";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::find(values.begin(), values.begin() + i, values[i]) != values.begin() + i) {
        why = "enum value '" + values[i] + "' is listed twice";
        return std::nullopt;
      }
    }
    t.enum_values = std::make_shared<const std::vector<std::string>>(values);
  } else if (!values.empty()) {
    why = "'values' is only for enum types, and this type is '" + name + "'";
    return std::nullopt;
  }
  t.kind = list ? Kind::list : *kind;
  t.element = list ? *kind : Kind::none;
  return t;
}

std::optional<Value> convert_record(const RawValue& raw, const RecordType& t, std::string& why) {
  if (raw.shape != RawValue::Shape::mapping) {
    why = "expected a record (a mapping of field names to values)";
    return std::nullopt;
  }
  return make_record(
      raw.entries, t, why, [](const RawValue& v) { return v.shape == RawValue::Shape::null; },
      [&](const RawValue& v, const Type& ft) { return convert(v, ft, why); });
}

std::optional<Value> convert(const RawValue& raw, const Type& t, std::string& why) {
  if (raw.shape == RawValue::Shape::null) {
    why = "no value";
    return std::nullopt;
  }
  if (raw.shape == RawValue::Shape::scalar) return convert_word(raw.scalar, t, why);
  if (t.kind != Kind::list) {
    why = "expected a single " + describe(t) + " value";
    return std::nullopt;
  }
  if (raw.shape != RawValue::Shape::sequence) {
    why = "expected a list, like [2025-01, 2025-02]";
    return std::nullopt;
  }
  return convert_list(
      raw.items, t, why, [&](const RawValue& item) { return convert_record(item, *t.record, why); },
      [](const RawValue& item) {
        return item.shape == RawValue::Shape::scalar ? std::optional<std::string_view>(item.scalar) : std::nullopt;
      });
}

bool stored_as(const Value& v, const Type& t) {
  auto fits = [&](const Value& x, Kind want) {
    if (x.kind() != want) return false;
    if (want == Kind::record) {  // every declared field, in declared order, each stored as its type
      const Record& fields = x.as_record();
      if (fields.size() != t.record->fields.size()) return false;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const RecordField& f = t.record->fields[i];
        if (fields[i].first != f.name || !stored_as(fields[i].second, f.type)) return false;
      }
      return true;
    }
    return want != Kind::text || !t.is_enum() ||
           std::find(t.enum_values->begin(), t.enum_values->end(), x.as_text()) != t.enum_values->end();
  };
  if (t.kind != Kind::list) return fits(v, t.kind);
  if (v.kind() != Kind::list) return false;
  for (const Value& item : v.as_list())
    if (!fits(item, t.element)) return false;
  return true;
}

std::optional<Value> conform(const Value& v, const Type& t, std::string& why, const LoadOptions& limits) {
  auto fits = [&](const Value& x, Kind want) -> std::optional<Value> {
    if (want == Kind::record && x.kind() == Kind::record) {
      return make_record(
          x.as_record(), *t.record, why, [](const Value& v) { return !v.has_value(); },
          [&](const Value& v, const Type& ft) { return conform(v, ft, why, limits); });
    }
    if (want == Kind::decimal && x.kind() == Kind::integer) return Value(Decimal(x.as_integer()));
    // Text for a typed input (a CSV cell, a form field) is parsed strictly by the declared type.
    if (x.kind() == Kind::text && want != Kind::text && want != Kind::record) {
      return convert_scalar(x.as_text(), t, want, why);
    }
    if (want == Kind::integer && x.kind() == Kind::decimal && x.as_decimal().round(0, Rounding::down) == x.as_decimal() &&
        !x.as_decimal().scaled(0)) {
      // A whole number past 64 bits (a Python int, a uint64 column) arrives as a decimal.
      why = "the integer " + x.to_string() + " is out of range: integers are 64-bit (-9223372036854775808 to "
            "9223372036854775807)";
      return std::nullopt;
    }
    if (x.kind() != want) {
      why = "expected " + std::string(want == Kind::text && t.is_enum() ? "one of the enum's values"
                                                                       : (want == Kind::integer ? "an " : "a ") +
                                                                             std::string(to_string(want))) +
            ", got " + std::string(to_string(x.kind())) + " " +
            (x.kind() == Kind::text ? "'" + x.to_string() + "'" : x.to_string());
      return std::nullopt;
    }
    if (want == Kind::text && t.is_enum() &&
        std::find(t.enum_values->begin(), t.enum_values->end(), x.as_text()) == t.enum_values->end()) {
      why = not_an_enum_value(x.as_text(), *t.enum_values);
      return std::nullopt;
    }
    return x;
  };
  if (t.kind != Kind::list) return fits(v, t.kind);
  if (v.kind() == Kind::text) {
    // A list written as text, as in a CSV cell: YAML flow form, "[2025-01, 2025-02]". The plain
    // form rosters use is read directly; anything else by yaml-cpp, whose every complaint (a
    // syntax error, a key given twice) refuses the value.
    if (const auto plain = read_plain_flow_list(v.as_text())) return convert(*plain, t, why);
    Diagnostics out;
    const auto raw = read_yaml_text(v.as_text(), "text", limits, out);
    if (!raw || out.has_errors()) {
      why = (raw ? "" : "not a YAML list like [2025-01, 2025-02]: ") + out.take().front().message;
      return std::nullopt;
    }
    return convert(*raw, t, why);
  }
  if (v.kind() != Kind::list) {
    why = "expected a list, got " + std::string(to_string(v.kind()));
    return std::nullopt;
  }
  std::vector<Value> items;
  for (std::size_t i = 0; i < v.as_list().size(); ++i) {
    auto item = fits(v.as_list()[i], t.element);
    if (!item) {
      why = "item " + std::to_string(i + 1) + ": " + why;
      return std::nullopt;
    }
    items.push_back(std::move(*item));
  }
  return Value(std::move(items));
}

Value widened(const Value& v) {
  if (v.kind() == Kind::integer) return Value(Decimal(v.as_integer()));
  if (v.kind() != Kind::list) return v;
  std::vector<Value> items;
  items.reserve(v.as_list().size());
  for (const Value& item : v.as_list()) items.push_back(widened(item));
  return Value(std::move(items));
}

std::string describe(const Type& t) {
  if (t.kind == Kind::record || (t.kind == Kind::list && t.element == Kind::record)) {
    std::string fields = "record (";
    if (t.record) {
      for (std::size_t i = 0; i < t.record->fields.size(); ++i) fields += (i ? ", " : "") + t.record->fields[i].name;
    }
    fields += ")";
    return t.kind == Kind::list ? "list of " + fields : fields;
  }
  std::string base = t.is_enum() ? "enum (" : std::string(to_string(t.kind == Kind::list ? t.element : t.kind));
  if (t.is_enum()) {
    for (std::size_t i = 0; i < t.enum_values->size(); ++i) base += (i ? ", " : "") + (*t.enum_values)[i];
    base += ")";
  }
  if (t.kind == Kind::list) return t.element == Kind::none ? "empty list" : "list of " + base;
  return base;
}

}  // namespace kaidah::detail

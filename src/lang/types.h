#pragma once
// The language's static types: a kind; for lists, the element kind; for enums, the allowed
// spellings; for records, their fields. The checker gives every expression one; values are
// converted to them (lang/values.h).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/value.h"

namespace kaidah::detail {

struct RecordType;

// A static type: a kind; for lists, the element kind; for enums (text with declared values), the
// allowed spellings; for records (and lists of them), the fields.
struct Type {
  Kind kind = Kind::none;
  Kind element = Kind::none;                                  // lists
  std::shared_ptr<const std::vector<std::string>> enum_values;  // enums, and lists of enums
  std::shared_ptr<const RecordType> record;                     // records, and lists of them
  bool none_literal = false;  // the type of `none`: fits any type of an optional decision
  bool is_enum() const { return enum_values != nullptr; }
  bool numeric() const { return kind == Kind::integer || kind == Kind::decimal; }
};

struct RecordField {
  std::string name;
  Type type;
  Value default_value;  // none: the field must be given
  std::string description;
};

struct RecordType {
  std::vector<RecordField> fields;  // in declared order: a record value stores them so
  int find(std::string_view name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

// The type of one kind; a list of `element`'s values; the items of `list`.
inline Type scalar(Kind k) { return Type{k, Kind::none, nullptr, nullptr, false}; }
inline Type list_of(const Type& element) { return Type{Kind::list, element.kind, element.enum_values, element.record, false}; }
inline Type element_of(const Type& list) { return Type{list.element, Kind::none, list.enum_values, list.record, false}; }

std::string describe(const Type& t);  // "decimal", "enum (ppu, pbpu)", "list of month"

}  // namespace kaidah::detail

#pragma once
/// \file
/// `Value`: the one type of every input, parameter and decision value.

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "kaidah/date.h"
#include "kaidah/decimal.h"

namespace kaidah {

/// The kinds of value the rule language has. An enum value is text whose allowed spellings are
/// declared; a list holds values of one declared kind; a record (an item of a `list of record`
/// input, e.g. a family member) holds named fields.
enum class Kind { none, boolean, integer, decimal, date, month, text, list, record };

/// The rule-language spelling of `kind` ("decimal", "list"…).
std::string_view to_string(Kind kind);

class Value;
/// An immutable list, cheap to copy (shared).
using List = std::shared_ptr<const std::vector<Value>>;
/// A record's fields, by name. A host may give them in any order; kaidah stores them in the
/// order the input declares.
using Record = std::vector<std::pair<std::string, Value>>;

/// A value of the rule language: nothing, bool, integer (64-bit, checked), exact Decimal, Date,
/// Month, text (also enum values) or a list. Copying is cheap; values are immutable.
class Value {
 public:
  Value() = default;  ///< no value
  Value(bool v) : v_(v) {}
  Value(int v) : v_(std::int64_t{v}) {}
  Value(std::int64_t v) : v_(v) {}
  Value(Decimal v) : v_(v) {}
  Value(Date v) : v_(v) {}
  Value(Month v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(std::vector<Value> items) : v_(std::make_shared<const std::vector<Value>>(std::move(items))) {}
  Value(List items) : v_(std::move(items)) {}
  Value(Record fields) : v_(std::make_shared<const Record>(std::move(fields))) {}

  /// Replaces the value in place with a bool, std::int64_t, Decimal, Date, Month or std::string
  /// (exactly these types: anything else converts to a Value first), keeping the storage of a
  /// text of the same kind: cheaper than assigning a Value where a batch writes millions of cells.
  template <class T>
    requires(std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, Decimal> ||
             std::is_same_v<T, Date> || std::is_same_v<T, Month> || std::is_same_v<T, std::string>)
  Value& operator=(const T& v) {
    v_ = v;
    return *this;
  }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool has_value() const { return v_.index() != 0; }

  /// Accessors throw std::bad_variant_access if the kind differs.
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_integer() const { return std::get<std::int64_t>(v_); }
  const Decimal& as_decimal() const { return std::get<Decimal>(v_); }
  /// An integer or a decimal as a Decimal.
  Decimal as_number() const { return kind() == Kind::integer ? Decimal(as_integer()) : as_decimal(); }
  const Date& as_date() const { return std::get<Date>(v_); }
  const Month& as_month() const { return std::get<Month>(v_); }
  const std::string& as_text() const { return std::get<std::string>(v_); }
  const std::vector<Value>& as_list() const { return *std::get<List>(v_); }
  const Record& as_record() const { return *std::get<std::shared_ptr<const Record>>(v_); }

  /// Text form: "150000", "2025-01-01", "2025-01", "true", "ppu", "[2025-01, 2025-02]", "none",
  /// "{relation: child, birth_date: 2010-05-01}".
  std::string to_string() const;
  /// JSON form: numbers as JSON strings would lose nothing, but JSON readers turn numbers into
  /// doubles, so decimals are written as strings ("150000"); integers and bools are bare.
  std::string to_json() const;

  /// Equal if same kind and value; an integer equals the decimal of the same value; lists
  /// compare element-wise.
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, Decimal, Date, Month, std::string, List,
               std::shared_ptr<const Record>> v_;
};

/// A JSON string literal for `text` (quotes and escapes added).
std::string json_quote(std::string_view text);

}  // namespace kaidah

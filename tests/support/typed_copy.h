#pragma once
// Columns of Values as typed columns (TypedColumn), laid out as NumPy, pandas and Arrow hold
// them, for tests and benchmarks that compare the two paths or time the typed one. A column
// whose cells (or, for a column of lists, whose lists' items) are all of one kind a typed column
// holds is typed: decimals as int64 at a scale (when each is whole there and fits), integers,
// bools as bytes, dates as days after 1970-01-01, months after January 1970, enum spellings as
// codes into the column's own categories (-1 where missing, with no mask: a categorical's way),
// lists as offsets and items. The others (records, mixed kinds, a list with an item without
// value) stay Values. The columns are views of the copy: it must outlive them.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kaidah/kaidah.h"

namespace kaidah::testing {

struct TypedCopy {
  std::vector<std::vector<std::int64_t>> numbers, offsets;
  std::vector<std::vector<std::uint8_t>> flags, missing;
  std::vector<TypedColumn> typed;   // typed[c].data is null where column c stays Values
  std::vector<BatchColumn> columns;  // each column, typed or Values, for Batch::run

  bool is_typed(std::size_t c) const { return typed[c].data != nullptr; }
};

// `scale`: the digits of a decimal column's int64s (2: cents).
inline void make_typed(const std::vector<std::vector<Value>>& columns, TypedCopy& out, int scale) {
  const std::size_t n = columns.size();
  out.numbers.assign(n, {});
  out.offsets.assign(n, {});
  out.flags.assign(n, {});
  out.missing.assign(n, {});
  out.typed.assign(n, {});
  out.columns.clear();
  for (std::size_t c = 0; c < n; ++c) {
    // The kind of the cells, or of the lists' items: one, or none.
    Kind kind = Kind::none;
    bool one_kind = true, lists = false, scalars = false;
    const auto see = [&](const Value& v) {
      if (!v.has_value()) {
        one_kind = false;  // an item without value: no item array holds it
        return;
      }
      one_kind = one_kind && (kind == Kind::none || kind == v.kind());
      kind = v.kind();
      if (kind == Kind::decimal) one_kind = one_kind && v.as_decimal().scaled(scale).has_value();
    };
    for (const Value& v : columns[c]) {
      if (!v.has_value()) continue;
      if (v.kind() == Kind::list) {
        lists = true;
        for (const Value& item : v.as_list()) see(item);
      } else {
        scalars = true;
        see(v);
      }
    }
    const bool typed = one_kind && !(lists && scalars) && (kind == Kind::decimal || kind == Kind::integer || kind == Kind::boolean ||
                                                           kind == Kind::date || kind == Kind::month || kind == Kind::text);
    if (!typed) {
      out.columns.emplace_back(columns[c]);
      continue;
    }
    TypedColumn& t = out.typed[c];
    const auto put = [&](const Value& v) {
      out.flags[c].push_back(kind == Kind::boolean && v.has_value() && v.as_bool());
      std::int64_t number = kind == Kind::text ? -1 : 0;
      if (v.has_value()) {
        switch (kind) {
          case Kind::decimal: number = *v.as_decimal().scaled(scale); break;
          case Kind::integer: number = v.as_integer(); break;
          case Kind::date: number = days_between(Date(1970, 1, 1), v.as_date()); break;
          case Kind::month: number = (v.as_month().year() - 1970) * 12L + v.as_month().month() - 1; break;
          case Kind::text: {
            auto it = std::find(t.codes.begin(), t.codes.end(), v.as_text());
            if (it == t.codes.end()) it = t.codes.insert(t.codes.end(), v.as_text());
            number = it - t.codes.begin();
            break;
          }
          default: break;
        }
      }
      out.numbers[c].push_back(number);
    };
    if (lists) out.offsets[c].push_back(0);
    for (const Value& v : columns[c]) {
      out.missing[c].push_back(!v.has_value());
      if (!lists) {
        put(v);
        continue;
      }
      if (v.has_value())
        for (const Value& item : v.as_list()) put(item);
      out.offsets[c].push_back(static_cast<std::int64_t>(out.numbers[c].size()));
    }
    t.type = kind == Kind::decimal ? TypedColumn::Type::decimal : kind == Kind::integer ? TypedColumn::Type::integer
             : kind == Kind::boolean ? TypedColumn::Type::boolean : kind == Kind::date ? TypedColumn::Type::date
             : kind == Kind::month ? TypedColumn::Type::month : TypedColumn::Type::code;
    t.data = t.type == TypedColumn::Type::boolean ? static_cast<const void*>(out.flags[c].data()) : out.numbers[c].data();
    t.missing = t.type == TypedColumn::Type::code && !lists ? nullptr : out.missing[c].data();
    t.rows = columns[c].size();
    t.scale = scale;
    t.offsets = lists ? out.offsets[c].data() : nullptr;
    out.columns.emplace_back(t);
  }
}

}  // namespace kaidah::testing

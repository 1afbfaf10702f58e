#pragma once
// Cells as text columns (TypedColumn::Type::text), as kaidah sweep hands a roster's to a batch,
// beside the same texts as Values: the two must give the same answers and failures. An empty
// text is a missing cell. The columns are views of the texts given: they must outlive it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/kaidah.h"

namespace kaidah::testing {

struct TextColumns {
  explicit TextColumns(const std::vector<std::vector<std::string>>& texts)
      : views(texts.size()), missing(texts.size()), values(texts.size()), typed(texts.size()) {
    for (std::size_t c = 0; c < texts.size(); ++c) {
      for (const std::string& t : texts[c]) {
        views[c].push_back(t);
        missing[c].push_back(t.empty());
        values[c].push_back(t.empty() ? Value() : Value(t));
      }
      typed[c].type = TypedColumn::Type::text;
      typed[c].data = views[c].data();
      typed[c].missing = missing[c].data();
      typed[c].rows = texts[c].size();
    }
    columns.assign(typed.begin(), typed.end());
  }
  TextColumns(const TextColumns&) = delete;  // the columns point into it
  TextColumns& operator=(const TextColumns&) = delete;

  std::vector<std::vector<std::string_view>> views;
  std::vector<std::vector<std::uint8_t>> missing;
  std::vector<std::vector<Value>> values;  // the same texts as Values
  std::vector<TypedColumn> typed;
  std::vector<BatchColumn> columns;  // the text columns, for Batch::run
};

}  // namespace kaidah::testing

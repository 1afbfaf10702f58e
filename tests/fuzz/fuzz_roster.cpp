// libFuzzer target: a CSV roster as kaidah sweep reads it. The first row names the columns; each
// cell under an input's name is parsed by its declared type; the rows so read are evaluated as a
// batch and one by one, and the two must agree.

#include <algorithm>
#include <set>
#include <sstream>

#include "cli/csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaidah;
  static const Rulebook jkn = Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  static const std::set<std::string> inputs = [] {
    std::set<std::string> names;
    for (const InputInfo& in : jkn.inputs()) names.insert(in.name);
    return names;
  }();
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  cli::CsvReader reader(in, "roster");
  cli::CsvRow header_row, fields;
  std::string error;
  try {  // bytes that are not text end the roster with a located LoadError
    if (!reader.next(header_row, error)) return 0;
  } catch (const LoadError&) {
    return 0;
  }
  const std::vector<std::string> header = header_row.strings();
  // The columns that name an input (the first of a repeated name), as a batch of up to 64 rows.
  std::vector<std::string> names;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (inputs.count(header[i]) && std::find(names.begin(), names.end(), header[i]) == names.end()) {
      names.push_back(header[i]);
      at.push_back(i);
    }
  }
  std::vector<std::vector<Value>> columns(names.size());
  auto next = [&] {
    try {
      return reader.next(fields, error);
    } catch (const LoadError&) {
      return false;
    }
  };
  std::vector<RefusedCell> refused;  // a cell that does not parse is refused, as kaidah sweep does
  std::vector<std::vector<std::string>> texts(names.size());  // the cells as kaidah sweep gives them
  for (std::size_t row = 0; row < 64 && next(); ++row) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      texts[k].emplace_back(at[k] < fields.size() ? fields[at[k]] : std::string_view());
      Value cell;
      try {
        if (at[k] < fields.size()) cell = jkn.parse_input(names[k], std::string(fields[at[k]]));
      } catch (const CaseError& e) {
        refused.push_back({row, k, e.reason()});
      }
      columns[k].push_back(std::move(cell));
    }
  }
  if (!names.empty()) fuzz::evaluate_everything(jkn, names, columns, refused);
  if (!names.empty()) fuzz::compare_text_columns(jkn, names, texts);
  return 0;
}

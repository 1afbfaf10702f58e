// libFuzzer target: one expression, as the formula of a decision in a small rulebook with
// inputs and parameters of every kind. It is tried as a decision of each type in turn (only the
// right one checks); where one loads, it is evaluated for a few cases, as a batch and one by one,
// and the two must agree.

#include <sstream>

#include "fuzz_support.h"

namespace {

const char* const kDeclarations = R"Y(inputs:
  n: {type: integer, description: d, default: 3}
  x: {type: decimal, description: d, default: 1500.25}
  b: {type: bool, description: d, default: true}
  day: {type: date, description: d, default: 2024-02-29}
  m: {type: month, description: d, default: 2025-01}
  e: {type: enum, values: [ppu, pbpu], description: d, default: ppu}
  t: {type: text, description: d, default: abc}
  ms: {type: list of month, description: d, default: [2024-11, 2024-12]}
  xs: {type: list of decimal, description: d, default: [1, 2.5]}
  family:
    type: list of record
    description: d
    default: []
    fields:
      relation: {type: enum, values: [spouse, child], description: d}
      birth_date: {type: date, description: d}
parameters:
  rate:
    type: decimal
    description: d
    history:
      - {effective_from: 2020-01-01, value: 0.04, legal_basis: r}
      - {effective_from: 2025-01-01, value: 0.05, legal_basis: r}
  mode:
    type: enum
    values: [half_up, down]
    description: d
    history:
      - {effective_from: 2020-01-01, value: half_up, legal_basis: r}
decisions:
  other: {type: decimal, description: d, legal_basis: r, formula: x * rate}
  fuzzed:
    type: )Y";

// The rows each expression is evaluated for, as a batch and one by one: a few inputs given, none
// given (the defaults), and lists given that are unsorted, repeat an item, are empty or hold records.
const std::vector<std::string> kNames = {"n", "x", "b", "day", "m", "e", "t", "ms", "xs", "family"};

const std::vector<std::vector<kaidah::Value>>& rows() {
  using kaidah::Date, kaidah::Decimal, kaidah::Month, kaidah::Value;
  static const auto columns = [] {
    auto record = [](const char* relation, Date born) {
      return Value(kaidah::Record{{"relation", relation}, {"birth_date", born}});
    };
    const Value none;
    const std::vector<std::vector<Value>> by_row = {
        {7, Decimal::parse("-2.5"), none, none, none, "pbpu", none, none, none, none},
        {none, none, none, none, none, none, none, none, none, none},
        {0, Decimal(0), false, Date(2025, 3, 31), Month(2024, 2), "ppu", "",
         std::vector<Value>{Month(2025, 3), Month(2024, 12), Month(2025, 3)}, std::vector<Value>{},
         std::vector<Value>{record("child", Date(2010, 2, 28)), record("spouse", Date(1980, 1, 31))}},
        {-2, Decimal::parse("99999999.999"), true, Date(1999, 12, 31), Month(2020, 12), "pbpu", "zzz",
         std::vector<Value>{}, std::vector<Value>{Decimal::parse("0.5"), Decimal(-3), Decimal(7)},
         std::vector<Value>{record("child", Date(2004, 2, 29))}},
    };
    std::vector<std::vector<Value>> out(kNames.size());
    for (const auto& row : by_row)
      for (std::size_t k = 0; k < kNames.size(); ++k) out[k].push_back(row[k]);
    return out;
  }();
  return columns;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaidah;
  static const bool manifest = (fuzz::write_file(fuzz::work_dir() / "rulebook.yaml", "name: fuzzed\nversion: 1\n"), true);
  (void)manifest;
  // The expression as a literal block: every line indented under `formula: |`.
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::string block, line;
  while (std::getline(lines, line)) block += "      " + line + "\n";
  for (const char* type : {"decimal", "integer", "bool", "date", "month", "text", "list of month", "list of decimal"}) {
    fuzz::write_file(fuzz::work_dir() / "rules.yaml", std::string(kDeclarations) + type +
                                                          "\n    description: d\n    legal_basis: r\n    formula: |\n" + block);
    try {
      const Rulebook rules = Rulebook::load(fuzz::work_dir());
      fuzz::evaluate_everything(rules, kNames, rows());
      break;
    } catch (const Error&) {
    }
  }
  return 0;
}

// libFuzzer target: one expression, as the formula of a decision in a small rulebook with
// inputs and parameters of every kind. It is tried as a decision of each type in turn (only the
// right one checks); where one loads, it is evaluated for a case that gives every input.

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
      fuzz::evaluate_everything(rules, Case().set("n", 7).set("e", "pbpu").set("x", Decimal::parse("-2.5")));
      break;
    } catch (const Error&) {
    }
  }
  return 0;
}

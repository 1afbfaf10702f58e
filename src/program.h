#pragma once
// The checked, compiled rulebook: every name resolved to a slot, every expression typed,
// parameter histories sorted by date. Immutable once built; shared by all evaluations.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lang/node.h"
#include "kaidah/date.h"
#include "kaidah/diagnostic.h"
#include "kaidah/rulebook.h"
#include "load/scalar_text.h"

namespace kaidah::detail {

struct CompiledInput {
  std::string name;
  Type type;
  std::string type_name, description, unit, legal_basis;
  Value default_value;  // none: no default, the input is required by whatever reads it
  std::optional<Decimal> minimum, maximum;
  SourceLocation location;
  Labels labels;
};

struct Period {
  Date from;
  Value value;  // none: the parameter ended on `from`
  std::string legal_basis;
  SourceLocation location;
  bool from_reform = false;
};

struct CompiledParameter {
  std::string name;
  Type type;
  std::string type_name, description, unit;
  std::vector<Period> history;  // ascending by `from`
  SourceLocation location;

  // The index of the period in force on `d`, or -1 when there is none (before the first value or
  // after a null ended it).
  int period_at(const Date& d) const;
};

struct CompiledExpression {
  ScalarText text;  // for the explanation and for locating run-time errors
  NodePtr root;
};

struct CompiledRow {
  std::vector<CompiledExpression> when;
  CompiledExpression then;
  std::string legal_basis;
  SourceLocation location;
};

struct CompiledDecision {
  std::string name;
  Type type;
  std::string type_name, description, unit, legal_basis;
  bool optional = false;
  bool from_reform = false;
  std::optional<CompiledExpression> formula;
  std::vector<CompiledRow> table;
  SourceLocation location;
  Labels labels;
};

enum class SymbolKind { input, parameter, decision };
struct Symbol {
  SymbolKind kind;
  int slot;
};

struct Program {
  std::string name, version, description;
  std::string reform, reform_description;  // empty unless a reform was applied
  std::vector<std::string> outputs;                          // the manifest's `outputs`
  std::vector<std::pair<std::string, std::string>> payers;  // the manifest's `payers`: payer, decision
  std::string group_by;                // the manifest's `report.group_by`: a decision, or empty
  std::vector<Decimal> change_bands;   // `report.change_bands`: the edges, ascending
  std::vector<WorkListInfo> work_lists;  // `report.work_lists`
  std::vector<SummaryFigureInfo> summary;  // `report.summary`
  std::filesystem::path source_dir;         // the rulebook folder it was loaded from
  std::vector<CompiledInput> inputs;
  std::vector<CompiledParameter> parameters;
  std::vector<CompiledDecision> decisions;
  std::unordered_map<std::string, Symbol> symbols;
  std::uint64_t id = 0;  // unique per built program, never reused: keys per-thread evaluators
  LoadOptions limits;  // as loaded: the evaluation limits, and read_case's
  int max_locals = 0;  // deepest nesting of comprehension variables

  const Symbol* find(const std::string& name) const {
    auto it = symbols.find(name);
    return it == symbols.end() ? nullptr : &it->second;
  }
};

}  // namespace kaidah::detail

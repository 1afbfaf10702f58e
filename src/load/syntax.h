#pragma once
// The rulebook as written: what the loader read from YAML, with every position kept, before any
// name is resolved or any type checked. yaml-cpp does not leak past src/load.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kaidah/diagnostic.h"
#include "kaidah/rulebook.h"
#include "load/scalar_text.h"

namespace kaidah::detail {

// A YAML value copied out of yaml-cpp: a scalar (its text), a sequence, a mapping or null.
struct RawEntry;

struct RawValue {
  enum class Shape { null, scalar, sequence, mapping };
  Shape shape = Shape::null;
  std::string scalar;
  bool quoted = false;  // "2025" in quotes is text, never a number
  std::vector<RawValue> items;
  std::vector<RawEntry> entries;  // keys in file order, no duplicates
  SourceLocation location;
  std::vector<SourceLocation> key_locations;  // parallel to entries
  std::vector<SourceLocation> line_starts;    // scalars: see ScalarText::line_starts
};

// One `key: value` of a mapping. Named like the std::pair it stands for, which cannot hold a type
// still being defined (gcc accepts that; clang, rightly, does not).
struct RawEntry {
  RawEntry(std::string key, RawValue value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  RawValue second;
};

// `type:` of an input, parameter or decision: "decimal", "enum" with `values:`, "list of month".
struct FieldDecl;

struct TypeSpec {
  std::string name;                 // as written
  std::vector<std::string> values;  // for enums
  std::vector<FieldDecl> fields;    // for `list of record`
  SourceLocation location;
};

// A field of a record (`fields:` of a `list of record` input).
struct FieldDecl {
  std::string name;
  SourceLocation location;
  TypeSpec type;
  std::string description;
  std::optional<RawValue> default_value;
};

// `label` and `value_labels` as written: checked against the declared values later.
struct LabelsDecl {
  Labels labels;
  std::vector<std::pair<std::string, SourceLocation>> value_keys;  // each labelled value, where it is written
  SourceLocation value_labels_location;
  bool has_value_labels = false;
};

struct InputDecl {
  std::string name;
  SourceLocation location;
  TypeSpec type;
  std::string description, unit, legal_basis;
  std::optional<RawValue> default_value, minimum, maximum;
  LabelsDecl labels;
};

struct ParameterValueDecl {
  std::string effective_from;  // YYYY-MM-DD, checked later
  RawValue value;               // null ends the parameter
  std::string legal_basis;
  SourceLocation location;
  bool from_reform = false;
};

struct ParameterDecl {
  std::string name;
  SourceLocation location;
  TypeSpec type;
  std::string description, unit;
  std::vector<ParameterValueDecl> values;
};

struct TableRowDecl {
  std::vector<ScalarText> when;  // all must hold; empty: the default row
  ScalarText then;
  std::string legal_basis;
  SourceLocation location;
};

struct DecisionDecl {
  std::string name;
  SourceLocation location;
  TypeSpec type;
  std::string description, unit, legal_basis;
  bool optional = false;  // may have no value (`none`) for some cases
  std::optional<ScalarText> formula;
  std::vector<TableRowDecl> table;
  bool from_reform = false;
  LabelsDecl labels;
};

// A work list of the sweep's report (`report.work_lists`), as written.
struct WorkListDecl {
  std::string name;
  SourceLocation location;
  std::optional<std::pair<std::string, SourceLocation>> when;  // a bool decision
  std::vector<std::pair<std::string, SourceLocation>> columns;   // outputs
  std::map<std::string, std::string> label, note;                // language -> text
};

// A figure of the sweep's summary (`report.summary`), as written: one of `count`, `count_by` and
// `sum` (with `by`, `bands` and `when`), or a section of figures (`figures`, `headline`).
struct SummaryFigureDecl {
  using Name = std::pair<std::string, SourceLocation>;
  std::string name;
  SourceLocation location;
  std::optional<Name> count, count_by, sum, by, when, headline;
  std::vector<Name> bands;                // count_by an integer: each band's lowest value
  std::map<std::string, std::string> label;  // language -> text
  bool section = false;
  std::vector<SummaryFigureDecl> figures;  // a section's
};

struct Manifest {
  std::string name, version, description;
  SourceLocation location;
  std::vector<std::pair<std::string, SourceLocation>> outputs;  // `outputs`: decision names, where written
  // `payers`: payer -> the decision of what it pays, where written.
  std::vector<std::tuple<std::string, std::string, SourceLocation>> payers;
  // `report`: the decision a comparison groups people by, and the edges of its bands of change.
  std::optional<std::pair<std::string, SourceLocation>> group_by;
  std::vector<std::pair<std::string, SourceLocation>> change_bands;
  std::vector<WorkListDecl> work_lists;  // `report.work_lists`, in the order written
  std::vector<SummaryFigureDecl> summary;  // `report.summary`, in the order written
};

struct SyntaxTree {
  Manifest manifest;
  std::string reform, reform_description;  // set when a reform overlay was applied
  std::vector<InputDecl> inputs;
  std::vector<ParameterDecl> parameters;
  std::vector<DecisionDecl> decisions;
};

class Diagnostics;

// Reads `dir`/rulebook.yaml (the manifest) and every other *.yaml below `dir` except the tests/ and reforms/
// folders. Reports YAML syntax errors, unknown, missing and duplicate keys.
SyntaxTree load_files(const std::filesystem::path& dir, const LoadOptions& limits, Diagnostics& out);

// Applies the reform overlay in `file` to `tree` (a loaded base rulebook): `parameters:` add or
// replace dated values of existing parameters (from the reform's first date on), `decisions:`
// replace existing decisions, `new_inputs:`, `new_parameters:` and `new_decisions:` add names.
// A change to a name the base lacks, or an addition of a name it has, is an error.
void apply_reform(const std::filesystem::path& file, const LoadOptions& limits, SyntaxTree& tree, Diagnostics& out);

// Parses one YAML file into a RawValue (duplicate keys reported), or nothing after reporting
// why: not UTF-8, bad YAML, or past the limits' max_file_bytes or max_yaml_values.
// `display_name` is the name used in diagnostics.
std::optional<RawValue> read_yaml_file(const std::filesystem::path& path, const std::string& display_name,
                                       const LoadOptions& limits, Diagnostics& out,
                                       std::string* source_text = nullptr);
// The same for text already in memory.
std::optional<RawValue> read_yaml_text(const std::string& text, const std::string& display_name,
                                       const LoadOptions& limits, Diagnostics& out);

// Makes the ScalarText of an expression scalar read by read_yaml_*.
ScalarText expression_text(const RawValue& scalar);

}  // namespace kaidah::detail

#pragma once
/// \file
/// Scenario tests: YAML files of cases with their expected decisions, run against a rulebook.
/// One runner serves ctest, the CLI (`kaidah test`) and Python.

#include <filesystem>
#include <string>
#include <vector>

#include "kaidah/diagnostic.h"
#include "kaidah/rulebook.h"

namespace kaidah {

/// The outcome of one scenario.
struct ScenarioOutcome {
  std::string name;
  SourceLocation location;  ///< where the scenario is written
  bool passed = false;
  /// Why it failed: each mismatch as "decision: expected X, got Y", then the explanation.
  std::string message;
};

/// The outcomes of a run, in file order.
struct ScenarioReport {
  std::vector<ScenarioOutcome> outcomes;
  int passed() const;
  int failed() const;
  /// "N passed, N failed"
  std::string summary() const;
};

/// Runs every scenario in `path`: a YAML file, or a folder whose *.yaml files (recursively, in
/// name order) are scenario files. A malformed scenario counts as a failure with a located
/// message; nothing is skipped silently.
ScenarioReport run_scenarios(const Rulebook& rulebook, const std::filesystem::path& path);

}  // namespace kaidah

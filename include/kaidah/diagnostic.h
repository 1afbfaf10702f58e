#pragma once
/// \file
/// Where a rulebook problem is, and how it is printed (GCC's form, so editors can jump to it).

#include <string>
#include <string_view>
#include <vector>

namespace kaidah {

/// A place in a rulebook file. Line and column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;  ///< relative to the rulebook root, as the user would type it
  int line = 0;
  int column = 0;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// "decisions/iuran.yaml:12:9" (or "decisions/iuran.yaml" when the line is unknown).
std::string to_string(const SourceLocation& location);

enum class Severity { error, warning, note };
/// "error", "warning" or "note", as a diagnostic's text and Python's `Diagnostic.severity` spell it.
std::string_view to_string(Severity severity);

/// One problem found in a rulebook, a reform or a scenario file.
struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation location;
  std::string message;  ///< lower case, no trailing period: "unknown parameter 'iuran_pbpu'"
};

/// "decisions/iuran.yaml:12:9: error: unknown parameter 'iuran_pbpu'"
std::string to_string(const Diagnostic& d);
/// One diagnostic per line.
std::string to_string(const std::vector<Diagnostic>& ds);

}  // namespace kaidah

#include "kaidah/diagnostic.h"

#include "kaidah/error.h"

namespace kaidah {

std::string to_string(const SourceLocation& l) {
  if (l.line <= 0) return l.file;
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";  // not reached: every severity is named above
}

std::string to_string(const Diagnostic& d) {
  return to_string(d.location) + ": " + std::string(to_string(d.severity)) + ": " + d.message;
}

std::string to_string(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += to_string(d) + "\n";
  return out;
}

LoadError::LoadError(std::vector<Diagnostic> diagnostics)
    : Error(to_string(diagnostics)), diagnostics_(std::move(diagnostics)) {}

CaseError::CaseError(std::string field, std::string reason)
    : Error("input '" + field + "': " + reason), field_(std::move(field)), reason_(std::move(reason)) {}

EvaluationError::EvaluationError(std::string decision, std::string message, SourceLocation location, std::string input)
    : Error((location.file.empty() ? "" : to_string(location) + ": ") + "decision '" + decision +
            "': " + message),
      decision_(std::move(decision)),
      message_(std::move(message)),
      location_(std::move(location)),
      input_(std::move(input)) {}

}  // namespace kaidah

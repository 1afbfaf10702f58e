#pragma once
/// \file
/// kaidah's exceptions. Every one derives from `kaidah::Error` (a std::runtime_error).

#include <stdexcept>
#include <string>
#include <vector>

#include "kaidah/diagnostic.h"

namespace kaidah {

/// Base of every kaidah exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A rulebook (or a scenario file) did not load or check. `what()` lists every diagnostic, one
/// per line, as `file:line:column: error: message`.
class LoadError : public Error {
 public:
  explicit LoadError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// A case has an unknown field, a value of the wrong type or a value outside its declared
/// values. `what()` is "input 'wage': expected a decimal, got text 'abc'".
class CaseError : public Error {
 public:
  CaseError(std::string field, std::string reason);
  const std::string& field() const noexcept { return field_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_, reason_;
};

/// A decision could not be evaluated: a missing input, overflow, division by zero, no parameter
/// value in force, no table row matched, an iteration limit. `what()` is
/// "file:line:column: decision 'x': message" (the location of the expression when known).
class EvaluationError : public Error {
 public:
  EvaluationError(std::string decision, std::string message, SourceLocation location = {}, std::string input = {});
  /// The decision where the failure arose (the one asked for, or one it uses).
  const std::string& decision() const noexcept { return decision_; }
  const std::string& message() const noexcept { return message_; }
  const SourceLocation& location() const noexcept { return location_; }
  /// The input behind the failure when that is the cause: one the case does not give (and that
  /// has no default), or one whose value was refused (OnError::keep); "" otherwise.
  const std::string& input() const noexcept { return input_; }

 private:
  std::string decision_, message_;
  SourceLocation location_;
  std::string input_;
};

}  // namespace kaidah

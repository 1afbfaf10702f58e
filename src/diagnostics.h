#pragma once
// The sink every stage reports into (like cel-cpp's IssueReporter): it keeps going after an
// error so that one run shows every mistake, up to a limit.

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "kaidah/diagnostic.h"
#include "kaidah/rulebook.h"

namespace kaidah::detail {

class Diagnostics {
 public:
  explicit Diagnostics(int max_errors = LoadOptions{}.max_errors) : max_errors_(max_errors) {}

  void error(const SourceLocation& where, std::string message) {
    if (errors_ >= max_errors_) {
      truncated_ = true;
      return;
    }
    ++errors_;
    list_.push_back({Severity::error, where, std::move(message)});
  }
  void note(const SourceLocation& where, std::string message) {
    if (errors_ < max_errors_) list_.push_back({Severity::note, where, std::move(message)});
  }
  bool has_errors() const { return errors_ > 0; }
  // The diagnostics in file order (stages find them in another order), with a last line saying
  // so if some were left out.
  std::vector<Diagnostic> take() {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.file, a.location.line, a.location.column) <
             std::tie(b.location.file, b.location.line, b.location.column);
    });
    if (truncated_) {
      list_.push_back({Severity::note, {}, "too many errors (limit " + std::to_string(max_errors_) +
                                               "); the rest were not reported"});
    }
    return std::move(list_);
  }

 private:
  int max_errors_;
  int errors_ = 0;
  bool truncated_ = false;
  std::vector<Diagnostic> list_;
};

}  // namespace kaidah::detail

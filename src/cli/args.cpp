#include "args.h"

#include <cstdlib>

#include <unistd.h>

#include "text/reader.h"

namespace kaidah::cli {

namespace fs = std::filesystem;

fs::path bundled_rulebook() {
  if (const char* env = std::getenv("KAIDAH_RULES")) return fs::path(env) / "jkn";
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "kaidah" / "rules" / "jkn";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(KAIDAH_SOURCE_RULES) / "jkn";
}

Rulebook load_rulebook(const Args& a, bool named) {
  return Rulebook::load(named ? fs::path(a.positional.front()) : bundled_rulebook());
}

Date required_date(const Args& a) {
  if (!a.date) throw UsageError("--date is required, e.g. --date 2026-11-24");
  const auto d = Date::try_parse(*a.date);
  if (!d) throw UsageError("--date: expected a date like 2026-11-24, got '" + *a.date + "'");
  return *d;
}

Case read_case_file(const Rulebook& rulebook, const std::string& path) {
  // Read as every user's file is (src/text); the rulebook's reader checks the text once more.
  const detail::Text read = detail::read_text_file(path, {LoadOptions{}.max_file_bytes});
  try {
    if (const auto& p = read.problem) {
      throw LoadError({{Severity::error, {path, static_cast<int>(p->line), static_cast<int>(p->column)}, p->reason}});
    }
    return rulebook.read_case(read.text, path);
  } catch (const LoadError& e) {
    throw FileError(std::string("bad case file:\n") + e.what());
  }
}

}  // namespace kaidah::cli

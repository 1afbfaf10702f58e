#include "args.h"

#include <algorithm>
#include <cstdlib>

#include <unistd.h>

#include "load/fields.h"
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

namespace {

// The reforms in `base`/reforms, by name (the file name without .yaml), sorted.
std::vector<std::string> reforms_of(const fs::path& base) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base / "reforms", ec))
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

fs::path reform_file(const fs::path& base, const std::string& reform) {
  std::error_code ec;
  if (fs::is_regular_file(reform, ec)) return reform;
  const fs::path bundled = base / "reforms" / (reform + ".yaml");
  if (fs::is_regular_file(bundled, ec)) return bundled;
  const std::vector<std::string> known = reforms_of(base);
  const std::string meant = detail::closest(reform, known);
  std::string list;
  for (const std::string& n : known) list += (list.empty() ? "" : ", ") + n;
  throw UsageError("--reform: no file '" + reform + "' and no reform of that name in " + (base / "reforms").string() +
                   (meant.empty() ? "" : "; did you mean '" + meant + "'?") + (list.empty() ? "" : " (its reforms: " + list + ")"));
}

Rulebook load_rulebook(const Args& a, bool named) {
  const fs::path base = named ? fs::path(a.positional.front()) : bundled_rulebook();
  if (!a.reform) return Rulebook::load(base);
  return Rulebook::load_reform(base, reform_file(base, *a.reform));
}

void require_known(const std::string& option, const std::string& name, const std::vector<std::string>& known,
                   const std::string& what, const std::string& where) {
  if (std::find(known.begin(), known.end(), name) != known.end()) return;
  const std::string meant = detail::closest(name, known);
  throw UsageError(option + ": no " + what + " '" + name + "' in " + where +
                   (meant.empty() ? "" : "; did you mean '" + meant + "'?"));
}

void check_decision_names(const Rulebook& r, const std::vector<std::string>& names) {
  std::vector<std::string> known;
  for (const DecisionInfo& d : r.decisions()) known.push_back(d.name);
  std::string unknown;  // every name not known, each with its suggestion, not the first alone
  for (const std::string& name : names) {
    try {
      require_known("--decisions", name, known, "decision", r.name());
    } catch (const UsageError& e) {
      unknown += (unknown.empty() ? "" : "\n") + std::string(e.what());
    }
  }
  if (!unknown.empty()) throw UsageError(unknown);
}

Date date_option(const std::string& option, const std::string& text) {
  const bool well_formed = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                           std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  if (!well_formed) throw UsageError(option + ": expected a date like 2026-11-24, got '" + text + "'");
  try {
    return Date::parse(text);
  } catch (const std::invalid_argument& e) {  // a day the calendar lacks: 2025-02-30, 1399-12-31
    throw UsageError(option + ": " + e.what());
  }
}

Date required_date(const Args& a) {
  if (!a.date) throw UsageError("--date is required, e.g. --date 2026-11-24");
  return date_option("--date", *a.date);
}

StreamedOutput::StreamedOutput(const fs::path& dir, const std::string& name, const std::vector<std::string>& others)
    : path_(dir / name), partial_(dir / (name + ".partial")) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::remove(path_, ec);
  for (const std::string& other : others) fs::remove(dir / other, ec);
  out_.open(partial_, std::ios::binary);
  if (!out_) throw FileError("cannot write " + partial_.string());
}

StreamedOutput::~StreamedOutput() {
  std::error_code ignored;
  if (!finished_) fs::remove(partial_, ignored);
}

void StreamedOutput::finish() {
  out_.close();
  if (!out_) throw FileError("could not finish writing " + partial_.string());
  std::error_code ec;
  fs::rename(partial_, path_, ec);
  if (ec) throw FileError("could not write " + path_.string() + ": " + ec.message());
  finished_ = true;
}

Case read_case_file(const Rulebook& rulebook, const std::string& path, OnError on_error) {
  // Read as every user's file is (src/text); the rulebook's reader checks the text once more.
  const detail::Text read = detail::read_text_file(path, {LoadOptions{}.max_file_bytes});
  try {
    if (read.problem) throw LoadError({detail::diagnostic_of(*read.problem, path)});
    return rulebook.read_case(read.text, path, on_error);
  } catch (const LoadError& e) {
    throw FileError(std::string("bad case file:\n") + e.what());
  }
}

}  // namespace kaidah::cli

#pragma once
// Shared by the libFuzzer targets. Each target lets nothing but kaidah::Error out of the library:
// any other exception, a crash, a sanitizer report or a hang is a finding. A finding becomes a
// regression test (tests/unit or tests/diagnostics) once it is fixed.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kaidah/kaidah.h"

namespace kaidah::fuzz {

// A folder of this process's own for the files a target writes.
inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("kaidah-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Every decision of `rules` for `c`, one case alone and as a batch of two rows; values or
// kaidah::Error, nothing else.
inline void evaluate_everything(const Rulebook& rules, const Case& c) {
  static const Date date(2026, 11, 25);
  try {
    rules.evaluate(c, date);
  } catch (const Error&) {
  }
  try {
    std::vector<std::string> names;
    std::vector<std::vector<Value>> columns;
    for (const auto& [name, value] : c.values()) {
      names.push_back(name);
      columns.push_back({value, Value()});  // the row as given, and a row that gives nothing
    }
    const BatchResult out = Batch(rules, names, date, {}, {1}).run(columns);
    (void)out;
  } catch (const Error&) {
  }
}

}  // namespace kaidah::fuzz

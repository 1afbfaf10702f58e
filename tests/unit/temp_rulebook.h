#pragma once
// Writes a small rulebook into a fresh temporary folder for one test, and removes it afterwards.

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

namespace kaidah::testing {

class TempRulebook {
 public:
  // `files` maps relative paths to contents; a rulebook.yaml is added unless given.
  explicit TempRulebook(std::map<std::string, std::string> files) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("kaidah-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    if (!files.count("rulebook.yaml")) files["rulebook.yaml"] = "name: test\nversion: 1\n";
    for (const auto& [path, text] : files) {
      std::filesystem::create_directories((dir_ / path).parent_path());
      std::ofstream(dir_ / path, std::ios::binary) << text;
    }
  }
  ~TempRulebook() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace kaidah::testing

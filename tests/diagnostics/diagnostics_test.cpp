// Golden diagnostics: each folder under cases/ is a rulebook with one kind of authoring mistake,
// and its expected.txt holds the exact diagnostics kaidah must print. On a mismatch the actual
// text is printed in full, so updating an expectation is a copy and paste.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kaidah/kaidah.h"

namespace kaidah {
namespace {

namespace fs = std::filesystem;
const fs::path kCases = fs::path(KAIDAH_SOURCE_DIR) / "tests" / "diagnostics" / "cases";

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCases))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, DiagnosticsMatchExactly) {
  const fs::path dir = kCases / GetParam();
  std::ifstream in(dir / "expected.txt");
  ASSERT_TRUE(in) << "missing " << (dir / "expected.txt");
  std::stringstream expected;
  expected << in.rdbuf();
  std::string actual = "(loaded without errors)\n";
  try {
    Rulebook::load(dir);
  } catch (const LoadError& e) {
    actual = to_string(e.diagnostics());
  }
  EXPECT_EQ(actual, expected.str()) << "actual diagnostics of " << GetParam() << ":\n" << actual;
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(GoldenCorpus, CoversAtLeastTwentyMistakes) { EXPECT_GE(case_names().size(), 20u); }

}  // namespace
}  // namespace kaidah

// Limits: a rulebook or a case past one is a located error or the case's error, never a crash,
// a hang or a silent truncation (docs/language.md, "Limits").

#include <gtest/gtest.h>

#include "kaidah/kaidah.h"
#include "temp_rulebook.h"

namespace kaidah {
namespace {

// `n` declarations of `kind` ("inputs", "parameters" or "decisions"), one per line after the key.
std::string declarations(const std::string& kind, int n) {
  std::string yaml = kind + ":\n";
  for (int i = 0; i < n; ++i) {
    const std::string name = "  x" + std::to_string(i);
    if (kind == "inputs") yaml += name + ": {type: integer, description: d}\n";
    if (kind == "parameters") {
      yaml += name + ": {type: integer, description: d, history: [{effective_from: 2020-01-01, value: 1, legal_basis: r}]}\n";
    }
    if (kind == "decisions") yaml += name + ": {type: integer, description: d, legal_basis: r, formula: '1'}\n";
  }
  return yaml;
}

std::string load_error(const std::string& yaml, const LoadOptions& options) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", yaml}});
  try {
    Rulebook::load(files.dir(), options);
  } catch (const LoadError& e) {
    if (e.diagnostics().size() != 1) return "expected one diagnostic, got " + std::to_string(e.diagnostics().size());
    const Diagnostic& d = e.diagnostics()[0];
    return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " + d.message;
  }
  return "loaded";
}

// Review U12: a limit option that is not positive, or past its ceiling, is refused naming it
// (max_iterations = -1 loaded, and evaluation then failed at the first step; -1 for
// max_list_items refused every list); every option is checked, so all the bad ones are named.
TEST(Limits, AnOptionOutsideItsRangeIsRefusedNamingIt) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", declarations("decisions", 1)}});
  LoadOptions bad;
  bad.max_iterations = -1;
  bad.max_list_items = 0;
  bad.max_errors = -1;
  bad.max_expression_depth = 100'000;  // deeper than the stack is known to hold
  bad.max_file_bytes = static_cast<std::uintmax_t>(-1);  // -1 through an unsigned type
  try {
    Rulebook::load(files.dir(), bad);
    FAIL();
  } catch (const LoadError& e) {
    const std::string dir = files.dir().string();
    EXPECT_EQ(to_string(e.diagnostics()),
              dir + ": error: max_errors is -1; it must be between 1 and 10000\n" +
              dir + ": error: max_expression_depth is 100000; it must be between 1 and 64\n" +
              dir + ": error: max_iterations is -1; it must be between 1 and 1000000000\n" +
              dir + ": error: max_list_items is 0; it must be between 1 and 10000000\n" +
              dir + ": error: max_file_bytes is 18446744073709551615; it must be between 1 and 1073741824\n");
  }
  // At the ceilings and at 1, a rulebook loads.
  LoadOptions edges{.max_errors = 10'000, .max_expression_depth = 64, .max_expression_length = 1'000'000,
                    .max_iterations = 1'000'000'000, .max_dependency_depth = 256, .max_inputs = 1,
                    .max_parameters = 1, .max_decisions = 1, .max_list_items = 1, .max_file_bytes = std::uintmax_t{1} << 30,
                    .max_yaml_values = 100'000'000};
  EXPECT_EQ(Rulebook::load(files.dir(), edges).decisions().size(), 1u);
  // The ceilings, for hosts (the Python binding checks a value before it casts it).
  EXPECT_EQ(LoadOptions::ceiling("max_iterations"), 1'000'000'000u);
  EXPECT_EQ(LoadOptions::ceiling("max_file_bytes"), 1'073'741'824u);
  EXPECT_EQ(LoadOptions::ceiling("max_iteration"), 0u);
  // By name, for hosts that take options so (Python's kaidah.load(..., max_iterations=...)).
  ASSERT_EQ(LoadOptions::names().size(), 11u);
  EXPECT_EQ(LoadOptions::names().front(), "max_errors");
  LoadOptions named;
  EXPECT_EQ(named.get("max_list_items"), 100'000);  // the default, written once in LoadOptions
  named.set("max_list_items", 3);
  EXPECT_EQ(named.max_list_items, 3);
  EXPECT_EQ(named.get("max_iteration"), std::nullopt);
  try {
    named.set("max_iterations", -1);
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "max_iterations is -1; it must be between 1 and 1000000000");
  }
  EXPECT_THROW(named.set("max_iteration", 5), std::invalid_argument);
}

TEST(Limits, DeclarationsPastTheLimitAreRefusedAtTheFirstOnePast) {
  LoadOptions options;
  options.max_inputs = options.max_parameters = options.max_decisions = 3;
  // Line 1 is the key: the fourth declaration, x3, is on line 5.
  EXPECT_EQ(load_error(declarations("inputs", 4), options), "5:3: more than 3 inputs in this rulebook (max_inputs)");
  EXPECT_EQ(load_error(declarations("parameters", 4), options),
            "5:3: more than 3 parameters in this rulebook (max_parameters)");
  EXPECT_EQ(load_error(declarations("decisions", 4), options), "5:3: more than 3 decisions in this rulebook (max_decisions)");
  EXPECT_EQ(load_error(declarations("decisions", 3), options), "loaded");
  // The defaults take ten thousand decisions, and refuse one more.
  EXPECT_EQ(load_error(declarations("decisions", 10'000), {}), "loaded");
  EXPECT_EQ(load_error(declarations("decisions", 10'001), {}),
            "10002:3: more than 10000 decisions in this rulebook (max_decisions)");
}

TEST(Limits, AListPastMaxListItemsIsTheCasesError) {
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", R"Y(inputs:
  months_unpaid: {type: list of month, description: months not paid}
decisions:
  unpaid: {type: integer, description: months unpaid, legal_basis: r, formula: count(months_unpaid)}
)Y"}});
  LoadOptions options;
  options.max_list_items = 3;
  const Rulebook rules = Rulebook::load(files.dir(), options);
  const Date today(2026, 11, 25);
  const std::vector<Value> three = {Month(2026, 1), Month(2026, 2), Month(2026, 3)};
  std::vector<Value> four = three;
  four.push_back(Month(2026, 4));
  EXPECT_EQ(rules.evaluate(Case().set("months_unpaid", three), today)["unpaid"], Value(3));
  try {
    rules.evaluate(Case().set("months_unpaid", four), today);
    FAIL() << "a list of four was taken";
  } catch (const CaseError& e) {
    EXPECT_EQ(e.field(), "months_unpaid");
    EXPECT_EQ(e.reason(), "a list of 4 items; the limit is 3 (max_list_items)");
  }
  // The same list written as text (a CSV cell) is held to the limit once it is read.
  try {
    rules.evaluate(Case().set("months_unpaid", "[2026-01, 2026-02, 2026-03, 2026-04]"), today);
    FAIL() << "a list of four written as text was taken";
  } catch (const CaseError& e) {
    EXPECT_EQ(e.reason(), "a list of 4 items; the limit is 3 (max_list_items)");
  }
  // In a batch the row is refused, the others computed.
  const BatchResult out = Batch(rules, {"months_unpaid"}, today).run({{Value(four), Value(three)}});
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].row, 0u);
  EXPECT_EQ(out.errors[0].message, "a list of 4 items; the limit is 3 (max_list_items)");
  EXPECT_EQ(out.columns[0][1], Value(3));
}

TEST(Limits, AFileLargerThanMaxFileBytesIsRefusedWhetherRulebookReformOrCase) {
  const std::string rules = "decisions:\n  one: {type: integer, description: d, legal_basis: r, formula: '1'}\n";
  const std::string reform = "reform: {name: r, base: test}\n" + std::string(rules.size(), '#') + "\n";
  testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", rules}, {"reforms/r.yaml", reform}});
  const auto n = rules.size();  // the manifest is smaller; the reform is 30 + 81 = 111 bytes
  ASSERT_EQ(n, 80u);
  LoadOptions options;
  options.max_file_bytes = n - 1;
  try {
    Rulebook::load(files.dir(), options);
    FAIL() << "a file past max_file_bytes loaded";
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(to_string(e.diagnostics()[0]),
              "rules.yaml: error: 80 bytes, more than the limit of 79 (max_file_bytes); the file is refused");
  }
  options.max_file_bytes = n;  // exactly at the limit: taken
  const Rulebook at_limit = Rulebook::load(files.dir(), options);
  try {
    Rulebook::load_reform(files.dir(), files.dir() / "reforms/r.yaml", options);
    FAIL() << "a reform past max_file_bytes loaded";
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(to_string(e.diagnostics()[0]),
              "r.yaml: error: 111 bytes, more than the limit of 80 (max_file_bytes); the file is refused");
  }
  // read_case keeps the rulebook's limit: 80 bytes of case are read, 81 are not.
  const std::string padding = "{} #" + std::string(n - 5, '.') + "\n";  // a case with no inputs, 80 bytes
  EXPECT_TRUE(at_limit.read_case(padding, "case.yaml").values().empty());
  try {
    at_limit.read_case(padding + "\n", "case.yaml");
    FAIL() << "a case past max_file_bytes was read";
  } catch (const LoadError& e) {
    EXPECT_EQ(to_string(e.diagnostics()[0]),
              "case.yaml: error: 81 bytes, more than the limit of 80 (max_file_bytes); the file is refused");
  }
}

TEST(Limits, YamlValuesAreCountedWithAliasesExpandedAndRefusedAtTheFirstPastTheLimit) {
  // Values, counted as copied: the file (1), a's list and its 3 items (5), b's list (6) and its
  // three copies of a's list, 4 values each (18), c's list (19), c's first copy of b's list (20).
  // The 21st is the first item of that copy: a's list again, whose place is its anchor's, 1:4.
  const std::string bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n";
  LoadOptions options;
  options.max_yaml_values = 20;
  EXPECT_EQ(load_error(bomb, options),
            "1:4: more than 20 YAML values in one file once its aliases are expanded (max_yaml_values); "
            "the file is refused");
  // Under the default the same file is read (and refused for what it says, not for its size).
  EXPECT_EQ(load_error(bomb, {}).find("max_yaml_values"), std::string::npos);
}

}  // namespace
}  // namespace kaidah

// The compile stage (src/compile): the typed form both engines run, held by its dump as RE2's
// compile_test.cc holds Prog::Dump(). Each expected form is written by hand from the language's
// typing rules (docs/language.md, "The compiled form"); the JKN rulebook's hardest decisions are
// held in tests/golden/jkn-compiled.txt (test compile.jkn.golden).

#include <gtest/gtest.h>

#include "compile/compile.h"
#include "kaidah/kaidah.h"
#include "rulebook_access.h"
#include "temp_rulebook.h"

namespace {

using kaidah::Date;
using kaidah::Decimal;
using kaidah::Kind;
using kaidah::Value;

const char* kTyped = R"Y(inputs:
  n: {type: integer, description: a count}
  x: {type: decimal, description: an amount}
  flag: {type: bool, description: a flag, default: false}
  ns: {type: list of integer, description: counts}
parameters:
  rate:
    type: decimal
    description: a rate
    history:
      - {effective_from: 2020-01-01, value: 0.05, legal_basis: Reg 1}
decisions:
  scaled: {type: decimal, description: t, legal_basis: t, formula: "n * rate"}
  whole: {type: decimal, description: t, legal_basis: t, formula: "n + 1"}
  branches: {type: decimal, description: t, legal_basis: t, formula: "if flag then n else 0.5"}
  literal_widened: {type: decimal, description: t, legal_basis: t, formula: "x + 2"}
  folded: {type: decimal, description: t, legal_basis: t, formula: "x * (2 * 3 + 1) / 100"}
  not_folded: {type: decimal, description: t, legal_basis: t, formula: "x + 1 / 0"}
  compared: {type: bool, description: t, legal_basis: t, formula: "n < x"}
  member: {type: bool, description: t, legal_basis: t, formula: "x in [1, 2.5]"}
  rounded: {type: decimal, description: t, legal_basis: t, formula: "round(n, 0, half_up)"}
  doubled: {type: list of decimal, description: t, legal_basis: t, formula: "map(k in ns, k * 2)"}
  dated: {type: date, description: t, legal_basis: t, formula: "date(2025, 1, 31)"}
  picked:
    type: decimal
    description: t
    legal_basis: t
    table:
      - {when: flag, then: n}
      - {then: x}
)Y";

const kaidah::Rulebook& typed() {
  static const kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", kTyped}});
  static const kaidah::Rulebook r = kaidah::Rulebook::load(files.dir());
  return r;
}

std::string compiled(const std::string& decision) {
  for (const auto& d : kaidah::detail::program_of(typed()).decisions)
    if (d.name == decision) return kaidah::detail::dump(d);
  return "no decision " + decision;
}

// An integer met with a decimal is widened where they meet, by a node of its own; the integer
// arithmetic below it stays integer.
TEST(Compile, WideningIsANodeWhereAnIntegerMeetsADecimal) {
  EXPECT_EQ(compiled("scaled"),
            "decision scaled: decimal\n"
            "  formula n * rate\n"
            "    mul: decimal\n"
            "      widen: decimal\n"
            "        input n: integer\n"
            "      parameter rate: decimal\n");
  // A decimal decision with an integer formula: the sum is integer, its result widened.
  EXPECT_EQ(compiled("whole"),
            "decision whole: decimal\n"
            "  formula n + 1\n"
            "    widen: decimal\n"
            "      add: integer\n"
            "        input n: integer\n"
            "        literal 1: integer\n");
  // Both branches of `if` give its type: the integer branch is widened, not left to run time.
  EXPECT_EQ(compiled("branches"),
            "decision branches: decimal\n"
            "  formula if flag then n else 0.5\n"
            "    if: decimal\n"
            "      input flag: bool\n"
            "      widen: decimal\n"
            "        input n: integer\n"
            "      literal 0.5: decimal\n");
  EXPECT_EQ(compiled("compared"),
            "decision compared: bool\n"
            "  formula n < x\n"
            "    lt: bool\n"
            "      widen: decimal\n"
            "        input n: integer\n"
            "      input x: decimal\n");
  EXPECT_EQ(compiled("rounded"),
            "decision rounded: decimal\n"
            "  formula round(n, 0, half_up)\n"
            "    call round: decimal\n"
            "      widen: decimal\n"
            "        input n: integer\n"
            "      literal 0: integer\n"
            "      mode half_up\n");
  // A list: the map's integers, widened as a list (each item, in the list's own space).
  EXPECT_EQ(compiled("doubled"),
            "decision doubled: list of decimal\n"
            "  formula map(k in ns, k * 2)\n"
            "    widen: list of decimal\n"
            "      map k (local 0): list of integer\n"
            "        input ns: list of integer\n"
            "        mul: integer\n"
            "          local k (0): integer\n"
            "          literal 2: integer\n");
  // Each row of a table gives the decision's type.
  EXPECT_EQ(compiled("picked"),
            "decision picked: decimal\n"
            "  row 1 when flag\n"
            "    input flag: bool\n"
            "  row 1 then n\n"
            "    widen: decimal\n"
            "      input n: integer\n"
            "  row 2 then x\n"
            "    input x: decimal\n");
}

// A literal is converted where it stands (no node), and a constant part is folded to its value;
// one that fails (1 / 0) is left to fail at evaluation, where the case is known.
TEST(Compile, LiteralsAreConvertedAndConstantsFolded) {
  EXPECT_EQ(compiled("literal_widened"),
            "decision literal_widened: decimal\n"
            "  formula x + 2\n"
            "    add: decimal\n"
            "      input x: decimal\n"
            "      literal 2: decimal\n");
  // x * (2 * 3 + 1) / 100 is (x * 7) / 100: 2 * 3 + 1 = 7, an integer widened to 7 as a decimal.
  EXPECT_EQ(compiled("folded"),
            "decision folded: decimal\n"
            "  formula x * (2 * 3 + 1) / 100\n"
            "    div: decimal\n"
            "      mul: decimal\n"
            "        input x: decimal\n"
            "        literal 7: decimal\n"
            "      literal 100: decimal\n");
  EXPECT_EQ(compiled("not_folded"),
            "decision not_folded: decimal\n"
            "  formula x + 1 / 0\n"
            "    add: decimal\n"
            "      input x: decimal\n"
            "      div: decimal\n"
            "        literal 1: decimal\n"
            "        literal 0: decimal\n");
  EXPECT_EQ(compiled("member"),
            "decision member: bool\n"
            "  formula x in [1, 2.5]\n"
            "    in: bool\n"
            "      input x: decimal\n"
            "      list: list of decimal\n"
            "        literal 1: decimal\n"
            "        literal 2.5: decimal\n");
  EXPECT_EQ(compiled("dated"),
            "decision dated: date\n"
            "  formula date(2025, 1, 31)\n"
            "    literal 2025-01-31: date\n");
}

// The compiled form's values, one case alone and in a batch: a decimal node gives a decimal (of
// that kind, not an integer equal to it), in both engines.
TEST(Compile, BothEnginesGiveTheTypesTheFormSays) {
  const Date date(2026, 11, 24);
  const std::vector<std::string> names = {"n", "x", "flag", "ns"};
  const Value ns(std::vector<Value>{1, 2});
  const kaidah::Case c = kaidah::Case().set("n", 3).set("x", Decimal(10)).set("flag", true).set("ns", ns);
  const kaidah::Result alone = typed().evaluate(c, date, {}, kaidah::OnError::keep);
  const kaidah::Batch batch(typed(), names, date, {}, {1});
  EXPECT_EQ(batch.columnar_decisions(), batch.decisions());
  const kaidah::BatchResult many = batch.run({{3}, {Decimal(10)}, {true}, {ns}});
  // 3 x 0.05 = 0.15; 3 + 1 = 4; flag: n = 3; 10 + 2 = 12; 10 x 7 / 100 = 0.7; 3 < 10; 10 is not
  // 1 or 2.5; round(3) = 3; [1, 2] doubled = [2, 4]; flag: row 1, n = 3.
  const std::vector<std::pair<std::string, Value>> expected = {
      {"scaled", Decimal::parse("0.15")}, {"whole", Decimal(4)},     {"branches", Decimal(3)},
      {"literal_widened", Decimal(12)},   {"folded", Decimal::parse("0.7")}, {"compared", true},
      {"member", false},                  {"rounded", Decimal(3)},
      {"doubled", Value(std::vector<Value>{Decimal(2), Decimal(4)})},
      {"dated", Date(2025, 1, 31)},       {"picked", Decimal(3)}};
  for (const auto& [name, want] : expected) {
    const auto column = std::find(batch.decisions().begin(), batch.decisions().end(), name) - batch.decisions().begin();
    for (const Value& got : {alone[name], many.columns[column][0]}) {
      EXPECT_EQ(got, want) << name;
      EXPECT_EQ(got.kind(), want.kind()) << name;
      if (got.kind() == Kind::list) {
        for (const Value& item : got.as_list()) EXPECT_EQ(item.kind(), Kind::decimal) << name;
      }
    }
  }
  ASSERT_EQ(many.errors.size(), 1u);
  EXPECT_EQ(many.errors[0].field, "not_folded");
  EXPECT_NE(many.errors[0].message.find("division by zero"), std::string::npos) << many.errors[0].message;
}

// The edges a reviewer found (review of the compile stage): `[]` takes the type of the list it meets,
// so the batch builds it with decimal items where a list of decimals is read; a `none` is never
// folded into a literal typed as the other branch.
const char* kEdges = R"Y(inputs:
  income: {type: decimal, description: an amount}
  flag: {type: bool, description: a flag, default: false}
decisions:
  bands: {type: list of decimal, description: t, legal_basis: t, formula: "[]"}
  either: {type: list of decimal, description: t, legal_basis: t, formula: "if flag then [] else []"}
  listed: {type: bool, description: t, legal_basis: t, formula: "income in bands"}
  total: {type: decimal, description: t, legal_basis: t, formula: "sum(b in bands, b * income) + sum(either)"}
  nowhere: {type: bool, description: t, legal_basis: t, formula: "income in []"}
  maybe: {type: decimal, optional: true, description: t, legal_basis: t, formula: "if 1 > 2 then 5 else none"}
)Y";

TEST(Compile, AnEmptyListTakesTheTypeItMeetsAndNoneIsNotFolded) {
  const kaidah::testing::TempRulebook files(std::map<std::string, std::string>{{"rules.yaml", kEdges}});
  const kaidah::Rulebook rules = kaidah::Rulebook::load(files.dir());
  auto form = [&](const std::string& name) {
    for (const auto& d : kaidah::detail::program_of(rules).decisions)
      if (d.name == name) return kaidah::detail::dump(d);
    return std::string();
  };
  EXPECT_EQ(form("bands"), "decision bands: list of decimal\n  formula []\n    list: list of decimal\n");
  EXPECT_EQ(form("either"),
            "decision either: list of decimal\n"
            "  formula if flag then [] else []\n"
            "    if: list of decimal\n"
            "      input flag: bool\n"
            "      list: list of decimal\n"
            "      list: list of decimal\n");
  EXPECT_EQ(form("nowhere"),
            "decision nowhere: bool\n"
            "  formula income in []\n"
            "    in: bool\n"
            "      input income: decimal\n"
            "      list: list of decimal\n");
  // 1 > 2 folds to false; the `if` (an integer or none) keeps its none branch, which folding would
  // have made a literal typed as an integer; its value is widened for the decimal decision.
  EXPECT_EQ(form("maybe"),
            "decision maybe: decimal, optional\n"
            "  formula if 1 > 2 then 5 else none\n"
            "    widen: decimal\n"
            "      if: integer\n"
            "        literal false: bool\n"
            "        literal 5: integer\n"
            "        literal none: none\n");
  // Both engines: nothing is in an empty list, an empty sum is 0, and `maybe` has no value.
  const Date date(2026, 11, 24);
  const kaidah::Batch batch(rules, {"income", "flag"}, date, {}, {1});
  // `x in []` and an optional decimal are left to the evaluator; the lists of decimals are not.
  EXPECT_EQ(batch.columnar_decisions(), (std::vector<std::string>{"bands", "either", "listed", "total"}));
  const kaidah::BatchResult out = batch.run({{Decimal(100), Decimal(7)}, {true, false}});
  EXPECT_TRUE(out.errors.empty());
  const kaidah::Case c = kaidah::Case().set("income", Decimal(100)).set("flag", true);
  const kaidah::Result alone = rules.evaluate(c, date);
  for (std::size_t k = 0; k < batch.decisions().size(); ++k) {
    const std::string& name = batch.decisions()[k];
    const Value want = name == "bands" || name == "either" ? Value(std::vector<Value>{})
                       : name == "listed" || name == "nowhere" ? Value(false)
                       : name == "total"                        ? Value(Decimal(0))
                                                                : Value();
    EXPECT_EQ(out.columns[k][0], want) << name;
    EXPECT_EQ(out.columns[k][1], want) << name;
    EXPECT_EQ(alone[name], want) << name;
    EXPECT_EQ(alone[name].kind(), want.kind()) << name;
  }
}

}  // namespace

// The documented pattern for a host that reloads its rulebook while serving: readers take the
// current Rulebook from a std::atomic<std::shared_ptr<const Rulebook>>; a reload builds the new
// one aside and stores it only if it loaded. Evaluations in flight keep the one they started with.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kaidah/kaidah.h"
#include "temp_rulebook.h"

namespace kaidah {
namespace {

std::string rules_with_rate(const std::string& rate) {
  return "inputs:\n  wage: {type: decimal, description: wage}\nparameters:\n  rate:\n    type: decimal\n"
         "    description: rate\n    history: [{effective_from: 2014-01-01, value: " + rate + ", legal_basis: x}]\n"
         "decisions:\n  iuran: {type: decimal, description: x, legal_basis: y, formula: \"round(wage * rate, 0, half_up)\"}\n";
}

TEST(Swap, ReadersNeverSeeAHalfLoadedRulebookAndAFailedLoadKeepsTheOldOne) {
  testing::TempRulebook five(std::map<std::string, std::string>{{"rules.yaml", rules_with_rate("0.05")}});
  testing::TempRulebook four(std::map<std::string, std::string>{{"rules.yaml", rules_with_rate("0.04")}});
  testing::TempRulebook broken(std::map<std::string, std::string>{{"rules.yaml", rules_with_rate("0.04") + "  bad: {}\n"}});

  std::atomic<std::shared_ptr<const Rulebook>> current(std::make_shared<const Rulebook>(Rulebook::load(five.dir())));
  auto reload = [&](const std::filesystem::path& dir) {
    try {
      current.store(std::make_shared<const Rulebook>(Rulebook::load(dir)));
      return true;
    } catch (const LoadError&) {
      return false;  // the rulebook in service stays
    }
  };

  std::atomic<bool> stop = false;
  std::atomic<long> evaluations = 0, wrong = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      const Case c = Case().set("wage", Decimal(1'000'000));
      while (!stop) {
        const std::shared_ptr<const Rulebook> rules = current.load();
        const Value v = rules->evaluate(c, Date(2026, 1, 1), std::vector<std::string>{"iuran"})["iuran"];
        // Always one rulebook's answer: 5% or 4% of 1,000,000.
        if (!(v == Value(Decimal(50'000)) || v == Value(Decimal(40'000)))) ++wrong;
        ++evaluations;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(reload(i % 2 ? five.dir() : four.dir()));
    EXPECT_FALSE(reload(broken.dir()));
  }
  EXPECT_TRUE(reload(four.dir()));
  EXPECT_FALSE(reload(broken.dir()));
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(evaluations, 0);
  // The failed loads left the last good rulebook in service.
  EXPECT_EQ(current.load()->evaluate(Case().set("wage", Decimal(1'000'000)), Date(2026, 1, 1))["iuran"],
            Value(Decimal(40'000)));
}

}  // namespace
}  // namespace kaidah

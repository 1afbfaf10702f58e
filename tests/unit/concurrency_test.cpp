#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "kaidah/kaidah.h"

namespace kaidah {
namespace {

// Evaluates many generated cases serially and from 8 threads sharing one Rulebook: same results.
TEST(Concurrency, ThreadsAgreeWithSerialEvaluation) {
  const Rulebook rules = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/examples/mini-jkn");
  const char* segments[] = {"pbi", "ppu", "pbpu", "bp"};
  const char* classes[] = {"kelas_1", "kelas_2", "kelas_3"};
  std::mt19937 rng(20251230);
  std::vector<Case> cases;
  std::vector<Date> dates;
  for (int i = 0; i < 4000; ++i) {
    Case c;
    c.set("segment", segments[rng() % 4]).set("kelas", classes[rng() % 3]);
    c.set("wage", Decimal(static_cast<std::int64_t>(1'000'000 + rng() % 30'000'000)));
    c.set("minimum_wage", Decimal(static_cast<std::int64_t>(2'000'000 + rng() % 3'000'000)));
    std::vector<Value> family;
    for (int k = 0, n = static_cast<int>(rng() % 6); k < n; ++k) {
      family.emplace_back(Record{{"relation", k == 0 ? "spouse" : (k < 5 ? "child" : "parent")},
                                 {"birth_date", Date(1960 + static_cast<int>(rng() % 60), 1 + static_cast<int>(rng() % 12), 1)}});
    }
    c.set("family", std::move(family));
    c.set("last_month_paid", Month(2019 + static_cast<int>(rng() % 6), 1 + static_cast<int>(rng() % 12)));
    cases.push_back(c);
    dates.push_back(Date(2025, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)));
  }
  const std::vector<std::string> names = {"monthly_iuran", "iuran_worker", "additional_members", "arrears_amount", "reactivation_amount", "payer"};
  auto run = [&](std::size_t i) { return rules.evaluate(cases[i], dates[i], names).to_json(); };

  std::vector<std::string> serial(cases.size()), parallel(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) serial[i] = run(i);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < cases.size(); i += 8) parallel[i] = run(i);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(serial, parallel);
  // A spot check that the generated cases are real evaluations, not all errors or zeros.
  EXPECT_NE(serial[0].find("monthly_iuran"), std::string::npos);
}

}  // namespace
}  // namespace kaidah

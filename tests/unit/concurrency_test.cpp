#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <functional>
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

// The case numbered `i`, the same every time it is asked for: a mini-JKN person of any segment
// and class, wage, family and last month paid, some with facts that make a decision fail.
Case numbered_case(std::uint64_t i, Date& date) {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL * (i + 1);
  auto next = [&state] {  // splitmix64
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  const char* segments[] = {"pbi", "ppu", "pbpu", "bp"};
  const char* classes[] = {"kelas_1", "kelas_2", "kelas_3"};
  Case c;
  c.set("segment", segments[next() % 4]).set("kelas", classes[next() % 3]);
  if (next() % 20 != 0) c.set("wage", Decimal(static_cast<std::int64_t>(1'000'000 + next() % 30'000'000)));  // else: fails
  c.set("minimum_wage", Decimal(static_cast<std::int64_t>(2'000'000 + next() % 3'000'000)));
  std::vector<Value> family;
  for (int k = 0, n = static_cast<int>(next() % 4); k < n; ++k) {
    family.emplace_back(Record{{"relation", k == 0 ? "spouse" : "child"},
                               {"birth_date", Date(1960 + static_cast<int>(next() % 60), 1 + static_cast<int>(next() % 12), 1)}});
  }
  c.set("family", std::move(family));
  c.set("last_month_paid", Month(2019 + static_cast<int>(next() % 6), 1 + static_cast<int>(next() % 12)));
  date = Date(2025, 1 + static_cast<int>(next() % 12), 1 + static_cast<int>(next() % 28));
  return c;
}

// 1,000,000 cases (KAIDAH_STRESS_CASES; the sanitizer build runs fewer) on one Rulebook from 8
// threads at once, each result - values, or the error - the same as evaluated serially.
TEST(Concurrency, EightThreadsAMillionCasesEqualSerial) {
  const Rulebook rules = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/examples/mini-jkn");
  const char* env = std::getenv("KAIDAH_STRESS_CASES");
  const std::size_t total = env ? std::stoul(env) : 1'000'000;
  const std::vector<std::string> names = {"monthly_iuran", "iuran_worker", "additional_members", "arrears_amount", "reactivation_amount", "payer"};
  auto outcome = [&](std::size_t i) {  // a digest of the result, to compare a million without keeping them
    Date date(2000, 1, 1);
    const Case c = numbered_case(i, date);
    try {
      return std::hash<std::string>{}(rules.evaluate(c, date, names).to_json());
    } catch (const Error& e) {
      return std::hash<std::string>{}(std::string("error: ") + e.what());
    }
  };
  std::vector<std::size_t> serial(total);
  for (std::size_t i = 0; i < total; ++i) serial[i] = outcome(i);

  std::atomic<std::size_t> next{0}, differing{0}, evaluated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {  // threads take cases as they come, so each meets others' at random
      for (std::size_t i; (i = next.fetch_add(1)) < total;) {
        if (outcome(i) != serial[i]) ++differing;
        ++evaluated;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(evaluated.load(), total);
  EXPECT_EQ(differing.load(), 0u);
  // The cases are real evaluations: most give values, and the missing wages give errors.
  Date date(2000, 1, 1);
  std::size_t errors = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    try {
      rules.evaluate(numbered_case(i, date), date, names);
    } catch (const Error&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 5u);
  EXPECT_LT(errors, 200u);
}

}  // namespace
}  // namespace kaidah

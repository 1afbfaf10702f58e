// One-case evaluation of the example rulebook: the latency a host application sees per request.
// Run with `make bench`. Figures belong in benchmark output, never in tests.

#include <benchmark/benchmark.h>

#include "kaidah/kaidah.h"

namespace {

const kaidah::Rulebook& rules() {
  static const kaidah::Rulebook r = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/examples/mini-jkn");
  return r;
}

kaidah::Case ppu_worker() {
  kaidah::Case c;
  c.set("segment", "ppu").set("wage", kaidah::Decimal(5'000'000)).set("minimum_wage", kaidah::Decimal(2'000'000));
  return c;
}

void BM_PpuContribution(benchmark::State& state) {
  const kaidah::Case c = ppu_worker();
  const std::vector<std::string> wanted = {"monthly_iuran"};
  for (auto _ : state) benchmark::DoNotOptimize(rules().evaluate(c, kaidah::Date(2025, 1, 15), wanted));
}
BENCHMARK(BM_PpuContribution)->Repetitions(5)->ReportAggregatesOnly(true);  // the median: see batch_bench.cpp

// The same request prepared once (kaidah::Query): no name is looked up per request.
void BM_PpuContributionQuery(benchmark::State& state) {
  const kaidah::Query q(rules(), {"segment", "wage", "minimum_wage"}, {"monthly_iuran"});
  const kaidah::Value values[] = {"ppu", kaidah::Decimal(5'000'000), kaidah::Decimal(2'000'000)};
  for (auto _ : state) benchmark::DoNotOptimize(q.evaluate(values, kaidah::Date(2025, 1, 15)));
}
BENCHMARK(BM_PpuContributionQuery)->Repetitions(5)->ReportAggregatesOnly(true);  // the median: see batch_bench.cpp

void BM_PpuContributionExplained(benchmark::State& state) {
  const kaidah::Case c = ppu_worker();
  const std::vector<std::string> wanted = {"monthly_iuran"};
  for (auto _ : state) benchmark::DoNotOptimize(rules().explain(c, kaidah::Date(2025, 1, 15), wanted));
}
BENCHMARK(BM_PpuContributionExplained)->Repetitions(5)->ReportAggregatesOnly(true);  // the median: see batch_bench.cpp

// A PBPU participant 24 months in arrears: arrears priced month by month, reactivation capped.
void BM_ArrearsTwentyFourMonths(benchmark::State& state) {
  kaidah::Case c;
  c.set("segment", "pbpu").set("kelas", "kelas_2").set("last_month_paid", kaidah::Month(2023, 1));
  const std::vector<std::string> wanted = {"arrears_amount", "reactivation_amount", "suspended"};
  for (auto _ : state) benchmark::DoNotOptimize(rules().evaluate(c, kaidah::Date(2025, 2, 15), wanted));
}
BENCHMARK(BM_ArrearsTwentyFourMonths);

void BM_AllDecisions(benchmark::State& state) {
  kaidah::Case c = ppu_worker();
  c.set("last_month_paid", kaidah::Month(2024, 6));
  c.set("months_paid", std::vector<kaidah::Value>{kaidah::Month(2024, 5), kaidah::Month(2024, 6)});
  c.set("family", std::vector<kaidah::Value>{kaidah::Record{{"relation", "child"}, {"birth_date", kaidah::Date(2010, 5, 1)}}});
  c.set("reactivation_date", kaidah::Date(2025, 1, 2)).set("inpatient_date", kaidah::Date(2025, 1, 10));
  c.set("arrears_months_at_reactivation", 4).set("ina_cbg_estimate", kaidah::Decimal(8'000'000));
  for (auto _ : state) benchmark::DoNotOptimize(rules().evaluate(c, kaidah::Date(2025, 1, 15)));
}
BENCHMARK(BM_AllDecisions);

// The JKN rulebook: a PBPU participant with a family and 24 months in arrears, every decision.
void BM_JknFullPerson(benchmark::State& state) {
  static const kaidah::Rulebook jkn = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  kaidah::Case c;
  c.set("citizenship", "indonesian").set("work_status", "self_employed").set("enrolled_segment", "pbpu");
  c.set("kelas", "kelas_3").set("last_month_paid", kaidah::Month(2024, 10));
  c.set("family", std::vector<kaidah::Value>{kaidah::Record{{"relation", "spouse"}, {"birth_date", kaidah::Date(1990, 1, 1)}}});
  for (auto _ : state) benchmark::DoNotOptimize(jkn.evaluate(c, kaidah::Date(2026, 11, 24)));
}
BENCHMARK(BM_JknFullPerson)->Repetitions(5)->ReportAggregatesOnly(true);  // the median: see batch_bench.cpp

// The same person through a prepared Query, which runs the compiled form from the date's 8th
// request on (the first iterations build it).
const std::vector<std::string> kJknPersonInputs = {"citizenship", "work_status", "enrolled_segment", "kelas",
                                                   "last_month_paid", "family"};
const std::vector<kaidah::Value> kJknPerson = {
    "indonesian", "self_employed", "pbpu", "kelas_3", kaidah::Month(2024, 10),
    std::vector<kaidah::Value>{kaidah::Record{{"relation", "spouse"}, {"birth_date", kaidah::Date(1990, 1, 1)}}}};

void BM_JknFullPersonQuery(benchmark::State& state) {
  static const kaidah::Rulebook jkn = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  const kaidah::Query q(jkn, kJknPersonInputs);
  for (auto _ : state) benchmark::DoNotOptimize(q.evaluate(kJknPerson, kaidah::Date(2026, 11, 24)));
}
BENCHMARK(BM_JknFullPersonQuery)->Repetitions(5)->ReportAggregatesOnly(true);  // the median: see batch_bench.cpp

// What a date's 8th request costs: the compiled form of every JKN decision built for it.
void BM_JknQueryCompile(benchmark::State& state) {
  static const kaidah::Rulebook jkn = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  for (auto _ : state) {
    const kaidah::Query q(jkn, kJknPersonInputs);
    for (int request = 0; request < 8; ++request) benchmark::DoNotOptimize(q.evaluate(kJknPerson, kaidah::Date(2026, 11, 24)));
  }
}
BENCHMARK(BM_JknQueryCompile)->Unit(benchmark::kMillisecond);

void BM_Load(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/examples/mini-jkn"));
}
BENCHMARK(BM_Load);

}  // namespace

BENCHMARK_MAIN();

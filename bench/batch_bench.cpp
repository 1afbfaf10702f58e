// Batch evaluation against a hand-written C++ loop of the same formula, compiled in the same run.
// `make bench` runs it and bench/summarize.py prints the table with the ratios and the targets.
// Figures belong in benchmark output, never in tests.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>

#include "kaidah/kaidah.h"
#include "support/people.h"
#include "support/typed_copy.h"

namespace {

using kaidah::Batch;
using kaidah::BatchResult;
using kaidah::Date;
using kaidah::Decimal;
using kaidah::Value;

constexpr std::size_t kPersons = 1'000'000;
const Date kDate(2026, 11, 24);

// ---- The contribution set (bench/contribution), and the same formula written by hand ----

struct Person {
  bool ppu;
  int kelas;  // 1-3
  std::int64_t wage, minimum_wage;  // whole rupiah
  std::int64_t arrears_months;
  std::int64_t ina_cbg_estimate;
};

struct Due {
  std::int64_t wage_base, employer, worker, participant, total, reactivation, denda;
};

// Perpres 75/2019 Pasal 30, 32; Perpres 64/2020 Pasal 34, 42 - the rates in force from 2021,
// rounded half up to whole rupiah, as bench/contribution/decisions.yaml says.
Due reference(const Person& p) {
  constexpr std::int64_t kClass[] = {0, 150'000, 100'000, 35'000};
  Due d{};
  d.wage_base = p.ppu ? std::clamp(p.wage, p.minimum_wage, std::int64_t{12'000'000}) : 0;
  d.employer = (d.wage_base * 4 + 50) / 100;
  d.worker = (d.wage_base + 50) / 100;
  d.participant = p.ppu ? 0 : kClass[p.kelas];
  d.total = d.employer + d.worker + d.participant;
  d.reactivation = std::min<std::int64_t>(p.arrears_months, 24) * d.total;
  d.denda = std::min<std::int64_t>((p.ina_cbg_estimate * 5 * std::min<std::int64_t>(p.arrears_months, 12) + 50) / 100,
                                   30'000'000);
  return d;
}

// splitmix64: bench/python_batch.py draws the same numbers, so both benchmarks see the same people.
std::uint64_t next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

const std::vector<Person>& persons() {
  static const std::vector<Person> people = [] {
    std::uint64_t rng = 20261124;
    std::vector<Person> out(kPersons);
    for (Person& p : out) {
      p.ppu = next(rng) % 3 == 0;
      p.kelas = static_cast<int>(next(rng) % 3) + 1;
      p.wage = 1'500'000 + static_cast<std::int64_t>(next(rng) % 14'000'000);
      p.minimum_wage = 2'000'000 + static_cast<std::int64_t>(next(rng) % 3'000'000);
      p.arrears_months = next(rng) % 4 == 0 ? static_cast<std::int64_t>(next(rng) % 40) : 0;
      p.ina_cbg_estimate = next(rng) % 10 == 0 ? static_cast<std::int64_t>(next(rng) % 90'000'000) : 0;
    }
    return out;
  }();
  return people;
}

const kaidah::Rulebook& contribution_set() {
  static const kaidah::Rulebook r = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/bench/contribution");
  return r;
}

const std::vector<std::string> kContributionInputs = {"segment", "kelas", "wage", "minimum_wage", "arrears_months",
                                                      "ina_cbg_estimate"};
const std::vector<std::string> kContributionDecisions = {"wage_base", "iuran_employer", "iuran_worker", "iuran_participant",
                                                         "iuran_total", "reactivation_amount", "denda"};
constexpr std::size_t kChunk = 16'384;  // as kaidah sweep streams: a chunk's inputs and outputs stay in the cache

// The persons as input columns, in chunks of kChunk rows.
const std::vector<std::vector<std::vector<Value>>>& contribution_chunks() {
  static const auto chunks = [] {
    const char* kelas[] = {"", "kelas_1", "kelas_2", "kelas_3"};
    std::vector<std::vector<std::vector<Value>>> out;
    for (std::size_t begin = 0; begin < kPersons; begin += kChunk) {
      const std::size_t n = std::min(kChunk, kPersons - begin);
      std::vector<std::vector<Value>> columns(kContributionInputs.size(), std::vector<Value>(n));
      for (std::size_t i = 0; i < n; ++i) {
        const Person& p = persons()[begin + i];
        columns[0][i] = p.ppu ? "ppu" : "pbpu";
        if (p.ppu) {
          columns[2][i] = Decimal(p.wage);
          columns[3][i] = Decimal(p.minimum_wage);
        } else {
          columns[1][i] = kelas[p.kelas];
        }
        columns[4][i] = p.arrears_months;
        columns[5][i] = Decimal(p.ina_cbg_estimate);
      }
      out.push_back(std::move(columns));
    }
    return out;
  }();
  return chunks;
}

// Both must give the same figures for every person before either is timed.
bool batch_matches_reference(std::string& why) {
  const Batch batch(contribution_set(), kContributionInputs, kDate, kContributionDecisions, {0});
  BatchResult out;
  std::size_t row = 0;
  for (const auto& chunk : contribution_chunks()) {
    batch.run(chunk, out);
    if (!out.errors.empty()) {
      why = "row " + std::to_string(row + out.errors[0].row) + ": " + out.errors[0].message;
      return false;
    }
    for (std::size_t i = 0; i < out.rows(); ++i, ++row) {
      const Due d = reference(persons()[row]);
      const std::int64_t want[] = {d.wage_base, d.employer, d.worker, d.participant, d.total, d.reactivation, d.denda};
      for (std::size_t k = 0; k < kContributionDecisions.size(); ++k) {
        if (!(out.columns[k][i] == Value(Decimal(want[k])))) {
          why = "person " + std::to_string(row) + ": " + kContributionDecisions[k] + " is " + out.columns[k][i].to_string() +
                " in the batch, " + std::to_string(want[k]) + " by hand";
          return false;
        }
      }
    }
  }
  return true;
}

void BM_ContributionReference(benchmark::State& state) {
  std::vector<Due> out(kPersons);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kPersons; ++i) out[i] = reference(persons()[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPersons));
}
// The figures with targets are the median of 5 repetitions: this is a shared 2-core machine, and one
// run can be slowed by a neighbour by 30% (seen here).
BENCHMARK(BM_ContributionReference)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

void BM_ContributionBatch(benchmark::State& state) {
  std::string why;
  if (!batch_matches_reference(why)) {
    state.SkipWithError(("the batch and the hand-written reference differ: " + why).c_str());
    return;
  }
  const Batch batch(contribution_set(), kContributionInputs, kDate, kContributionDecisions,
                    {static_cast<unsigned>(state.range(0))});
  BatchResult out;
  for (auto _ : state) {
    for (const auto& chunk : contribution_chunks()) batch.run(chunk, out);
    benchmark::DoNotOptimize(out.columns.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPersons));
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ContributionBatch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

// The same persons as typed columns (TypedColumn: enums as codes, money as whole rupiah, months
// as integers), read in place as NumPy's buffers are, and typed results (ResultColumn): no Value
// a cell on the way in or out.
struct TypedPersons {
  std::vector<std::int64_t> segment, kelas, wage, minimum_wage, arrears, cbg;
  std::vector<std::uint8_t> not_ppu, ppu;
  std::vector<kaidah::TypedColumn> columns;
};

const TypedPersons& typed_persons() {
  static const TypedPersons t = [] {
    TypedPersons out;
    for (const Person& p : persons()) {
      out.segment.push_back(p.ppu ? 0 : 1);
      out.kelas.push_back(p.ppu ? -1 : p.kelas - 1);
      out.wage.push_back(p.wage);
      out.minimum_wage.push_back(p.minimum_wage);
      out.not_ppu.push_back(!p.ppu);
      out.arrears.push_back(p.arrears_months);
      out.cbg.push_back(p.ina_cbg_estimate);
    }
    using Type = kaidah::TypedColumn::Type;
    out.columns = {{Type::code, out.segment.data(), nullptr, kPersons, 0, {"ppu", "pbpu"}},
                   {Type::code, out.kelas.data(), nullptr, kPersons, 0, {"kelas_1", "kelas_2", "kelas_3"}},
                   {Type::decimal, out.wage.data(), out.not_ppu.data(), kPersons, 0, {}},
                   {Type::decimal, out.minimum_wage.data(), out.not_ppu.data(), kPersons, 0, {}},
                   {Type::integer, out.arrears.data(), nullptr, kPersons, 0, {}},
                   {Type::decimal, out.cbg.data(), nullptr, kPersons, 0, {}}};
    return out;
  }();
  return t;
}

void BM_ContributionBatchTyped(benchmark::State& state) {
  const Batch batch(contribution_set(), kContributionInputs, kDate, kContributionDecisions,
                    {.threads = static_cast<unsigned>(state.range(0)), .typed_results = true});
  const TypedPersons& typed = typed_persons();
  BatchResult out;
  std::vector<kaidah::TypedColumn> chunk = typed.columns;
  const std::vector<kaidah::BatchColumn> columns(chunk.begin(), chunk.end());
  // The chunks of the Values' benchmark, as views into the typed buffers.
  const auto run_chunks = [&] {
    for (std::size_t first = 0; first < kPersons; first += kChunk) {
      for (std::size_t c = 0; c < chunk.size(); ++c) chunk[c] = typed.columns[c].slice(first, std::min(kChunk, kPersons - first));
      batch.run(columns, {}, out);
    }
  };
  run_chunks();  // the last chunk's figures, against the hand-written reference
  for (std::size_t i = 0; i < out.rows(); ++i) {
    const std::size_t row = kPersons - out.rows() + i;
    if (!(out.typed[6].value(i) == Value(Decimal(reference(persons()[row]).denda))) ||
        !(out.typed[4].value(i) == Value(Decimal(reference(persons()[row]).total)))) {
      state.SkipWithError(("typed columns: person " + std::to_string(row) + " differs from the reference").c_str());
      return;
    }
  }
  for (auto _ : state) {
    run_chunks();
    benchmark::DoNotOptimize(out.typed.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPersons));
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ContributionBatchTyped)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

// ---- The full JKN rulebook: every decision, 24 months of payment history per person ----

constexpr std::size_t kJknChunk = 20'000;

// state.range(0) threads; state.range(1) months unpaid by the date (last paid that many months
// before October 2026): 24 (the most a reactivation bills: Perpres 82/2018 Pasal 42 ayat (3) as amended by
// Perpres 64/2020), or 120 (every unpaid month is still owed and priced); state.range(2) 0: Value
// columns in and out, 1: typed columns in and out (money as cents, enums as codes, the family
// Values: make_typed()), the path of NumPy and Arrow hosts.
void BM_JknBatch(benchmark::State& state) {
  static const kaidah::Rulebook jkn = kaidah::Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  // The bundled roster's 320 people, wages varied, all last paid the same month: with 24 months
  // unpaid, October 2024, and on 24 November 2026 each has 24 months to price (Nov 2024 - Oct
  // 2026). 50 chunks of 20,000 = 1,000,000.
  const auto months = static_cast<int>(state.range(1));
  const auto people = kaidah::testing::generated_people(jkn, kJknChunk, true, kaidah::Month(2026, 10).plus(-months));
  const bool typed = state.range(2) != 0;
  const Batch batch(jkn, people.names, kDate, {}, {.threads = static_cast<unsigned>(state.range(0)), .typed_results = typed});
  kaidah::testing::TypedCopy copy;
  kaidah::testing::make_typed(people.columns, copy, 2);
  const std::vector<kaidah::BatchColumn> values(people.columns.begin(), people.columns.end());
  BatchResult out;
  std::size_t failed = 0, alone = 0;
  for (auto _ : state) {
    for (std::size_t c = 0; c < kPersons / kJknChunk; ++c) {
      batch.run(typed ? copy.columns : values, {}, out);
      failed += out.errors.size();
      alone += out.rows_evaluated_alone;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kPersons));
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["months"] = months;
  state.counters["failed_rows"] = static_cast<double>(failed / state.iterations());
  // Rows the columnar form left to the Evaluator (a value past its lanes, say): slower, not wrong.
  state.counters["rows_alone"] = static_cast<double>(alone / state.iterations());
}
// The median of 3 runs of the million, as for the other figures with targets.
BENCHMARK(BM_JknBatch)->ArgsProduct({{1, 2}, {24, 120}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);

}  // namespace

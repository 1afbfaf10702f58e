// A host application: a Koperasi Desa Merah Putih employee earning Rp 3,500,000 where the
// regional minimum wage is Rp 2,500,000, evaluated with the JKN rulebook installed with kaidah.
// The contribution is 5% of the wage (Perpres 82/2018 Pasal 30 as amended by Perpres 64/2020):
// 4% by the cooperative and 1% by the worker, 140,000 + 35,000.
//
// Usage: cpp_host [RULEBOOK_DIR]   (default: <prefix>/share/kaidah/rules/jkn, found by CMake)
#include <kaidah/kaidah.h>

#include <iostream>

int main(int argc, char** argv) try {
  const kaidah::Rulebook rules = kaidah::Rulebook::load(argc > 1 ? argv[1] : KAIDAH_JKN_RULEBOOK);
  kaidah::Case worker;  // the JKN rulebook's inputs: `kaidah reference` or rules/jkn/REFERENCE.md lists them
  worker.set("citizenship", "indonesian")
      .set("work_status", "employee")
      .set("employer_type", "cooperative")
      .set("kopdes_merah_putih", true)
      .set("enrolled_segment", "ppu_badan_usaha")
      .set("wage", kaidah::Decimal(3'500'000))
      .set("minimum_wage", kaidah::Decimal(2'500'000))
      .set("last_month_paid", kaidah::Month(2026, 1));
  const std::vector<std::string> wanted = {"iuran_employer", "iuran_worker", "next_action"};
  const kaidah::Result r = rules.explain(worker, kaidah::Date(2026, 1, 15), wanted);
  std::cout << r["iuran_employer"].to_string() << " + " << r["iuran_worker"].to_string() << ", next: "
            << r["next_action"].to_string() << "\n";  // 140000 + 35000, next: none
  std::cout << r.explanation().to_text();

  // A host answering many such requests prepares their shape once: no name is looked up per request.
  const kaidah::Query shares(rules,
                             {"citizenship", "work_status", "employer_type", "enrolled_segment", "wage", "minimum_wage"},
                             {"iuran_employer", "iuran_worker"});
  const kaidah::Value values[] = {"indonesian", "employee", "cooperative", "ppu_badan_usaha",
                                  kaidah::Decimal(3'500'000), kaidah::Decimal(2'500'000)};
  const kaidah::Result q = shares.evaluate(values, kaidah::Date(2026, 1, 15));

  // The test suite runs this program: fail loudly if the figures are not the hand-computed ones.
  const kaidah::Value employer(kaidah::Decimal(140'000)), worker_share(kaidah::Decimal(35'000));
  const bool expected = r["iuran_employer"] == employer && r["iuran_worker"] == worker_share &&
                        q["iuran_employer"] == employer && q["iuran_worker"] == worker_share;
  return expected ? 0 : 1;
} catch (const kaidah::Error& e) {  // LoadError, CaseError, EvaluationError: each says where and why
  std::cerr << "cpp_host: " << e.what() << "\n";
  return 1;
}

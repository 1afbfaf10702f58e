// A Kopdes employee earning Rp 3,500,000 where the regional minimum wage is Rp 2,000,000:
// the contribution is 5% of the wage (Perpres 64/2020), 4% paid by the cooperative and 1% by
// the worker: 140,000 + 35,000. Usage: cpp_host RULEBOOK_DIR
#include <kaidah/kaidah.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: cpp_host RULEBOOK_DIR\n";
    return 2;
  }
  const kaidah::Rulebook rules = kaidah::Rulebook::load(argv[1]);
  kaidah::Case worker;
  worker.set("segment", "ppu").set("wage", kaidah::Decimal(3'500'000)).set("minimum_wage", kaidah::Decimal(2'000'000));
  const std::vector<std::string> wanted = {"iuran_employer", "iuran_worker"};
  const kaidah::Result r = rules.explain(worker, kaidah::Date(2026, 1, 15), wanted);
  std::cout << r["iuran_employer"].to_string() << " + " << r["iuran_worker"].to_string() << "\n";
  std::cout << r.explanation().to_text();
  // A host answering many such requests prepares their shape once: no name is looked up per request.
  const kaidah::Query shares(rules, {"segment", "wage", "minimum_wage"}, wanted);
  const kaidah::Value values[] = {"ppu", kaidah::Decimal(3'500'000), kaidah::Decimal(2'000'000)};
  const kaidah::Result q = shares.evaluate(values, kaidah::Date(2026, 1, 15));
  // The test suite runs this program: fail loudly if the figures are not the hand-computed ones.
  const kaidah::Value employer(kaidah::Decimal(140'000)), worker_share(kaidah::Decimal(35'000));
  const bool expected = r["iuran_employer"] == employer && r["iuran_worker"] == worker_share &&
                        q["iuran_employer"] == employer && q["iuran_worker"] == worker_share;
  return expected ? 0 : 1;
}

// Loads the example rulebook and checks one hand-computed value: a PPU worker earning
// Rp 5,000,000 pays 5% = Rp 250,000 a month (jkn.md §6, Perpres 64/2020).
#include <kaidah/kaidah.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const kaidah::Rulebook rules = kaidah::Rulebook::load(argv[1]);
  kaidah::Case worker;
  worker.set("segment", "ppu").set("wage", kaidah::Decimal(5'000'000)).set("minimum_wage", kaidah::Decimal(2'000'000));
  const std::vector<std::string> wanted = {"monthly_iuran"};
  const kaidah::Value total = rules.evaluate(worker, kaidah::Date(2025, 1, 15), wanted)["monthly_iuran"];
  std::cout << "monthly_iuran = " << total.to_string() << "\n";
  return total == kaidah::Value(kaidah::Decimal(250'000)) ? 0 : 1;
}

// libFuzzer target: one YAML file of a rulebook, next to a fixed manifest. Loading gives a
// rulebook or a LoadError; a rulebook that loads evaluates every decision of an empty case.

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaidah;
  static const bool manifest = (fuzz::write_file(fuzz::work_dir() / "rulebook.yaml", "name: fuzzed\nversion: 1\n"), true);
  (void)manifest;
  fuzz::write_file(fuzz::work_dir() / "rules.yaml", std::string(reinterpret_cast<const char*>(data), size));
  try {
    const Rulebook rules = Rulebook::load(fuzz::work_dir());
    fuzz::evaluate_everything(rules, Case());
  } catch (const Error&) {
  }
  return 0;
}

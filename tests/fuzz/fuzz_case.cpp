// libFuzzer target: a case as YAML or JSON text, read against the JKN rulebook and evaluated.

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaidah;
  static const Rulebook jkn = Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  try {
    const Case c = jkn.read_case(std::string(reinterpret_cast<const char*>(data), size), "case.yaml");
    fuzz::evaluate_everything(jkn, c);
  } catch (const Error&) {
  }
  return 0;
}

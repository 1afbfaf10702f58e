// libFuzzer target: a CSV roster as kaidah sweep reads it. The first row names the columns; each
// cell under an input's name is parsed by its declared type; each row so read is evaluated.

#include <sstream>

#include "cli/csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kaidah;
  static const Rulebook jkn = Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  cli::CsvReader reader(in);
  std::vector<std::string> header, fields;
  std::string error;
  if (!reader.next(header, error)) return 0;
  for (int rows = 0; rows < 64 && reader.next(fields, error); ++rows) {
    Case c;
    for (std::size_t i = 0; i < fields.size() && i < header.size(); ++i) {
      try {
        c.set(header[i], jkn.parse_input(header[i], fields[i]));
      } catch (const Error&) {
      }
    }
    fuzz::evaluate_everything(jkn, c);
  }
  return 0;
}

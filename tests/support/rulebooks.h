#pragma once
// The bundled rulebooks, each loaded once per test program.

#include "kaidah/kaidah.h"

namespace kaidah::testing {

inline const Rulebook& jkn() {
  static const Rulebook r = Rulebook::load(KAIDAH_SOURCE_DIR "/rules/jkn");
  return r;
}

}  // namespace kaidah::testing

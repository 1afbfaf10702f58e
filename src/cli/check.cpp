#include <iostream>

#include "args.h"

namespace kaidah::cli {

int check_command(const Args& a) {
  if (a.positional.size() > 1) throw UsageError("expected at most one RULEBOOK");
  const Rulebook r = load_rulebook(a, !a.positional.empty());
  std::cout << r.name() << " " << r.version() << ": ok (" << r.inputs().size() << " inputs, " << r.parameters().size()
            << " parameters, " << r.decisions().size() << " decisions)\n";
  return 0;
}

}  // namespace kaidah::cli

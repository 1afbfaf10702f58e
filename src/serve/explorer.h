#pragma once
// The rulebook explorer (src/serve/explorer.html): one page with no external assets, served by
// `kaidah serve` at / and written by `kaidah reference --html DIR` for publishing without a server.

#include <string>

namespace kaidah::serve {

// The page with `rulebook` (GET /v1/rulebook's JSON) in it. `live`: served, so that its form can
// evaluate a case with POST /v1/explain; else a static copy, whose form says where to evaluate.
std::string explorer_page(const std::string& rulebook, bool live);

}  // namespace kaidah::serve

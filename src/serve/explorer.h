#pragma once
// The rulebook explorer (src/serve/explorer.html): one page with no external assets, served by
// `kaidah serve` at / and written by `kaidah reference --html DIR` for publishing without a server.

#include <string>

namespace kaidah::serve {

// The page with `rulebook` (GET /v1/rulebook's JSON) in it. `live`: served, so that its form can
// evaluate a case with POST /v1/explain; else a static copy, whose form says where to evaluate.
std::string explorer_page(const std::string& rulebook, bool live);

// What GET / answers (401) on a service with --token-file when the request has no token: a browser
// cannot send a bearer token when it opens a page, so this page asks for it (or takes it from the
// link, #token=TOKEN, which never leaves the browser), fetches the explorer with it, and keeps it
// for the session, for the explorer's own requests. It holds nothing of the rulebook.
std::string token_page();

}  // namespace kaidah::serve

#include "serve/explorer.h"

#include <stdexcept>
#include <string_view>

namespace kaidah::serve {

extern const char* const kExplorerPage;

namespace {

void replace_once(std::string& text, std::string_view mark, const std::string& with) {
  const std::size_t at = text.find(mark);
  if (at == std::string::npos) throw std::logic_error("explorer.html lost its mark " + std::string(mark));
  text.replace(at, mark.size(), with);
}

}  // namespace

std::string explorer_page(const std::string& rulebook, bool live) {
  // In a <script> element, "</script" ends it and "<!--" changes how it is read: every "<" of the
  // JSON (only ever inside its strings) is written "\u003c", which JSON reads as the same "<".
  std::string data;
  data.reserve(rulebook.size());
  for (char c : rulebook) {
    if (c == '<') {
      data += "\\u003c";
    } else {
      data += c;
    }
  }
  std::string page = kExplorerPage;
  replace_once(page, "/*RULEBOOK*/", data);
  replace_once(page, "/*LIVE*/false", live ? "true" : "false");
  return page;
}

std::string token_page() {
  return R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kaidah serve: the explorer needs the service's token</title>
<style>body{font-family:system-ui,sans-serif;margin:4em auto;max-width:30em;padding:0 1em;color:#1d2b24}
h1{color:#14664a;font-size:1.4em} input{width:100%;padding:.5em;font-size:1em;box-sizing:border-box}
button{margin-top:.7em;padding:.5em 1.2em;font-size:1em;background:#14664a;color:#fff;border:0;border-radius:4px}
#why{color:#a32020}</style></head>
<body><h1>kaidah serve</h1>
<p>This service was started with <code>--token-file</code>: its rulebook explorer opens with the service's token, which
stays in this browser tab only.</p>
<form id="form"><label>Token <input id="token" type="password" autocomplete="current-password" required></label>
<button>Open the explorer</button></form><p id="why"></p>
<script>
// The explorer fetched with the token and written in place of this page; the token kept for the
// explorer's own requests. A link may carry it, #token=TOKEN&then=FRAGMENT (then: the explorer's).
// In a function of its own: the explorer's script, written into the same window, declares its own names.
(() => {
const openExplorer = async (token, then) => {
  const response = await fetch(location.pathname, { headers: { Authorization: "Bearer " + token } });
  if (response.status !== 200) {
    sessionStorage.removeItem("kaidah-token");
    document.getElementById("why").textContent = "The service refused that token (" + response.status + ").";
    return;
  }
  sessionStorage.setItem("kaidah-token", token);
  const page = await response.text();
  history.replaceState(null, "", location.pathname + (then ? "#" + then : ""));
  document.open();
  document.write(page);
  document.close();
};
// A token in the link leaves the address bar (and the history) at once, whatever the service says.
const link = new URLSearchParams(location.hash.slice(1));
const then = link.has("token") ? link.get("then") || "" : location.hash.slice(1);
if (link.has("token")) history.replaceState(null, "", location.pathname + (then ? "#" + then : ""));
document.getElementById("form").addEventListener("submit", (e) => {
  e.preventDefault();
  openExplorer(document.getElementById("token").value, then);
});
const kept = link.get("token") || sessionStorage.getItem("kaidah-token");
if (kept) openExplorer(kept, then);
})();
</script></body></html>
)";
}

}  // namespace kaidah::serve

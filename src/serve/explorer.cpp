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

}  // namespace kaidah::serve

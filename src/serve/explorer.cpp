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
  // In a <script> element, "</" could end it: JSON may write "/" as "\/", and does here.
  std::string data;
  data.reserve(rulebook.size());
  for (std::size_t i = 0; i < rulebook.size(); ++i) {
    data += rulebook[i];
    if (rulebook[i] == '<' && i + 1 < rulebook.size() && rulebook[i + 1] == '/') data += '\\';
  }
  std::string page = kExplorerPage;
  replace_once(page, "/*RULEBOOK*/", data);
  replace_once(page, "/*LIVE*/false", live ? "true" : "false");
  return page;
}

}  // namespace kaidah::serve

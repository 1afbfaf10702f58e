#pragma once
#include <string>

#include "kaidah/rulebook.h"

namespace kaidah::cli {

// The rulebook's reference in Markdown: every input, every parameter with its dated history and
// citations, every decision with its legal basis and formula or table.
std::string reference_markdown(const Rulebook& rulebook, const std::string& command);

}  // namespace kaidah::cli

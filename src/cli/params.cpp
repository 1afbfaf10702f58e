#include <iostream>

#include "args.h"

namespace kaidah::cli {

namespace {

void print(const ParameterInfo& p, bool json, bool first) {
  if (json) {
    std::cout << (first ? "" : ",\n") << "  " << json_quote(p.name) << ": {\"type\": " << json_quote(p.type)
              << ", \"unit\": " << json_quote(p.unit) << ", \"description\": " << json_quote(p.description)
              << ", \"history\": [";
    for (std::size_t i = 0; i < p.history.size(); ++i) {
      const ParameterValue& v = p.history[i];
      std::cout << (i ? ", " : "") << "{\"effective_from\": " << json_quote(v.effective_from.to_string())
                << ", \"value\": " << v.value.to_json() << ", \"legal_basis\": " << json_quote(v.legal_basis) << "}";
    }
    std::cout << "]}";
    return;
  }
  std::cout << p.name << " (" << p.type << (p.unit.empty() ? "" : ", " + p.unit) << "): " << p.description << "\n";
  for (const ParameterValue& v : p.history) {
    std::cout << "  from " << v.effective_from.to_string() << "  "
              << (v.value.has_value() ? v.value.to_string() : "(ends)") << "  [" << v.legal_basis << "]\n";
  }
}

}  // namespace

// params [RULEBOOK] [NAME] [--format text|json]: parameters with their dated histories.
int params_command(const Args& a) {
  if (a.positional.size() > 2) throw UsageError("expected [RULEBOOK] [NAME]");
  if (a.format != "text" && a.format != "json") throw UsageError("--format must be text or json");
  // One argument is a rulebook if it is a folder, else a parameter of the bundled rulebook.
  const bool named = a.positional.size() == 2 ||
                     (a.positional.size() == 1 && std::filesystem::is_directory(a.positional[0]));
  const Rulebook r = load_rulebook(a, named);
  const std::optional<std::string> only =
      a.positional.size() == (named ? 2u : 1u) ? std::optional<std::string>(a.positional.back()) : std::nullopt;
  const bool json = a.format == "json";
  if (json) std::cout << "{\n";
  bool found = false;
  for (const ParameterInfo& p : r.parameters()) {
    if (only && p.name != *only) continue;
    print(p, json, !found);
    found = true;
  }
  if (json) std::cout << "\n}\n";
  if (only && !found) {
    std::cerr << "kaidah: no parameter '" << *only << "' in " << r.name() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace kaidah::cli

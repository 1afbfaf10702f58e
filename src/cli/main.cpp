// The `kaidah` command: check a rulebook, evaluate or explain a case, run scenario tests.

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "kaidah/kaidah.h"
#include "reference.h"

namespace {

constexpr const char* kUsage = R"(usage: kaidah COMMAND [ARGS]

commands:
  check RULEBOOK                       load the rulebook and report every problem
  eval RULEBOOK CASE --date YYYY-MM-DD [--decisions a,b] [--format text|json]
                                       evaluate a case (a YAML or JSON file of inputs)
  explain RULEBOOK CASE --date YYYY-MM-DD [--decisions a,b] [--format text|json]
                                       evaluate and show why, with legal bases
  test RULEBOOK [PATH]                 run scenario tests (default RULEBOOK/tests)
  reference RULEBOOK                   print the rulebook's reference (Markdown): inputs,
                                       parameters with their dated history, decisions

Exit status: 0 success, 1 failed tests or rulebook errors, 2 bad usage or bad case.
)";

struct Args {
  std::vector<std::string> positional;
  std::string date, format = "text";
  std::vector<std::string> decisions;
};

int usage_error(const std::string& message) {
  std::cerr << "kaidah: " << message << "\n\n" << kUsage;
  return 2;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int evaluate(const Args& a, bool explain) {
  if (a.positional.size() != 2) return usage_error("expected RULEBOOK and CASE");
  if (a.date.empty()) return usage_error("--date is required");
  const auto date = kaidah::Date::try_parse(a.date);
  if (!date) return usage_error("--date: expected a date like 2025-01-01, got '" + a.date + "'");
  if (a.format != "text" && a.format != "json") return usage_error("--format must be text or json");
  const auto rulebook = kaidah::Rulebook::load(a.positional[0]);
  std::ifstream in(a.positional[1]);
  if (!in) {
    std::cerr << "kaidah: cannot read case file " << a.positional[1] << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  const kaidah::Case c = rulebook.read_case(text.str(), a.positional[1]);
  const kaidah::Result r = explain ? rulebook.explain(c, *date, a.decisions) : rulebook.evaluate(c, *date, a.decisions);
  if (a.format == "json") {
    std::cout << (explain ? r.explanation().to_json() : r.to_json()) << "\n";
  } else if (explain) {
    std::cout << r.explanation().to_text();
  } else {
    for (const auto& [name, value] : r.values()) std::cout << name << " = " << value.to_string() << "\n";
  }
  return 0;
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  Args a;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--date") {
      a.date = value("--date");
    } else if (arg == "--format") {
      a.format = value("--format");
    } else if (arg == "--decisions") {
      a.decisions = split(value("--decisions"));
    } else if (arg.starts_with("--")) {
      return usage_error("unknown option " + arg);
    } else {
      a.positional.push_back(arg);
    }
  }
  if (command == "check") {
    if (a.positional.size() != 1) return usage_error("expected RULEBOOK");
    const auto rulebook = kaidah::Rulebook::load(a.positional[0]);
    std::cout << a.positional[0] << ": ok (" << rulebook.inputs().size() << " inputs, " << rulebook.parameters().size()
              << " parameters, " << rulebook.decisions().size() << " decisions)\n";
    return 0;
  }
  if (command == "eval") return evaluate(a, false);
  if (command == "explain") return evaluate(a, true);
  if (command == "test") {
    if (a.positional.empty() || a.positional.size() > 2) return usage_error("expected RULEBOOK [PATH]");
    const auto rulebook = kaidah::Rulebook::load(a.positional[0]);
    const std::filesystem::path path =
        a.positional.size() == 2 ? std::filesystem::path(a.positional[1]) : std::filesystem::path(a.positional[0]) / "tests";
    const kaidah::ScenarioReport report = kaidah::run_scenarios(rulebook, path);
    for (const auto& o : report.outcomes) {
      if (!o.passed) std::cout << "FAIL " << kaidah::to_string(o.location) << ": " << o.name << "\n" << o.message << "\n";
    }
    std::cout << report.summary() << "\n";
    return report.failed() == 0 ? 0 : 1;
  }
  if (command == "reference") {
    if (a.positional.size() != 1) return usage_error("expected RULEBOOK");
    const auto rulebook = kaidah::Rulebook::load(a.positional[0]);
    std::cout << kaidah::cli::reference_markdown(rulebook, "kaidah reference " + a.positional[0]);
    return 0;
  }
  return usage_error("unknown command '" + command + "'");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const kaidah::LoadError& e) {
    std::cerr << e.what();
    return 1;
  } catch (const kaidah::CaseError& e) {
    std::cerr << "kaidah: bad case: " << e.what() << "\n";
    return 2;
  } catch (const kaidah::Error& e) {
    std::cerr << "kaidah: " << e.what() << "\n";
    return 1;
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }
}

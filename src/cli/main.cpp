// The `kaidah` command: check a rulebook, evaluate or explain a case, run scenario tests, list
// parameters, print a rulebook's reference, and sweep a roster (the PESIAR job).

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <sstream>

#include "args.h"

namespace {

using kaidah::cli::Args;

constexpr const char* kUsage = R"(usage: kaidah COMMAND [ARGS]   (kaidah COMMAND --help for more)

commands:
  check [RULEBOOK]                         load a rulebook and report every problem
  eval [RULEBOOK] CASE --date D            evaluate a case (a YAML or JSON file of inputs)
  explain [RULEBOOK] CASE --date D         evaluate and say why, with the legal basis of each step
  test [RULEBOOK] [PATH]                   run a rulebook's scenario tests
  params [RULEBOOK] [NAME]                 parameters and their dated histories, with citations
  reference [RULEBOOK] [--html DIR]        the rulebook's reference in Markdown, or the explorer as a web page
  functions                                the rule language's functions, as docs/language.md lists them
  dump [RULEBOOK] [--decisions a,b]        decisions in the compiled form both engines run (typed, widenings explicit)
  sweep [RULEBOOK] ROSTER.csv --date D     the PESIAR sweep of a roster: per-person CSV, summary, HTML report
  template [RULEBOOK]                      a roster's columns for the sweep (a CSV header, or --format text)
  diff [BASE] REFORM.yaml ROSTER.csv --date D   what a reform changes, for whom, by how much and why
  timeline [RULEBOOK] CASE --dates D1,D2,...    one case at several dates: what changed and why
  serve [RULEBOOK] [--listen HOST:PORT]    a JSON web service over HTTP (README.md, 'kaidah serve')

RULEBOOK is a rulebook folder; left out, the bundled JKN rulebook is used. --reform FILE|NAME
applies a reform (a file, or the name of one in RULEBOOK/reforms) for check, eval, explain,
params, reference, dump, sweep and timeline. kaidah --version prints the version.
Exit status: 0 success; 1 rulebook errors, failed tests, decisions a case's facts do not
allow, or sweep rows with errors; 2 bad usage, an unreadable file, or a bad case.
)";

const std::map<std::string, std::string>& help_texts() {
  static const std::map<std::string, std::string> texts = {
      {"check", "usage: kaidah check [RULEBOOK] [--reform FILE|NAME]\n\nLoads and checks the rulebook; prints every problem as\n"
                "file:line:column: error: message and exits 1, or prints a one-line summary and exits 0.\n"},
      {"eval", "usage: kaidah eval [RULEBOOK] CASE --date YYYY-MM-DD [--decisions a,b] [--format text|json]\n"
               "                   [--reform FILE|NAME]\n\n"
               "Evaluates the case (a YAML or JSON mapping of input names to values) as of the date.\n"
               "Every decision the case's facts allow is given; each that is not is said on stderr with\n"
               "its reason (every missing input at once), and the exit status is 1 (2: a bad value).\n"
               "text: one 'name = value' line per decision; json: {\"name\": value, ...} with decimals,\n"
               "dates and months as strings. --reform applies a reform: a file, or the name of one in\n"
               "RULEBOOK/reforms (e.g. kris-single-rate).\n"},
      {"explain", "usage: kaidah explain [RULEBOOK] CASE --date YYYY-MM-DD [--decisions a,b] [--format text|json]\n"
                  "                      [--reform FILE|NAME]\n\n"
                  "Like eval, and says why: each decision with its formula or table row, legal basis,\n"
                  "inputs, and parameter values with their effective dates and citations. The JSON form\n"
                  "is documented in docs/language.md (Explanations).\n"},
      {"test", "usage: kaidah test [RULEBOOK] [PATH]\n\nRuns the scenario tests in PATH (a file or folder; default\n"
               "RULEBOOK/tests). Prints each failure, then 'N passed, N failed'; exits 1 if any failed.\n"},
      {"params", "usage: kaidah params [RULEBOOK] [NAME] [--format text|json] [--reform FILE|NAME]\n\nLists the parameters (or the one\n"
                 "named) with every dated value and the regulation that set it.\n"},
      {"reference", "usage: kaidah reference [RULEBOOK] [--reform FILE|NAME] [--html DIR]\n\nPrints the rulebook's reference in Markdown (inputs,\n"
                    "parameter histories, decisions with legal bases); rules/jkn/REFERENCE.md is made by it.\n"
                    "--html DIR writes the rulebook explorer (the page kaidah serve shows at /) to DIR/index.html\n"
                    "instead: one file, no external assets, to publish without a server.\n"},
      {"functions", "usage: kaidah functions\n\nPrints the functions a formula may call, with what each gives, as a\n"
                    "Markdown table: the one in docs/language.md is made by it.\n"},
      {"dump", "usage: kaidah dump [RULEBOOK] [--decisions a,b] [--reform FILE|NAME]\n\nPrints each decision (or those named) in\n"
               "the compiled form that both engines run: one node a line, indented under what uses it,\n"
               "with its type; names resolved, every integer-to-decimal widening a `widen` node, constant\n"
               "parts folded. docs/language.md (The compiled form) explains it.\n"},
      {"sweep", "usage: kaidah sweep [RULEBOOK] ROSTER.csv --date YYYY-MM-DD [--out DIR] [--threads N] [--reform FILE|NAME]\n"
                "                    [--progress|--no-progress] [--max-field-bytes N] [--max-fields N]\n"
                "                    [--encoding utf-8|windows-1252] [--locale id|en] [--language id|en]\n\n"
                "The PESIAR sweep: evaluates every person of the roster (a CSV whose header names the\n"
                "rulebook's inputs; 'id' and 'name' columns are carried through) and writes, in DIR\n"
                "(default kaidah-sweep): people.csv (one row per person: decisions, next action, error),\n"
                "summary.txt and summary.json (the summary printed), report.html (summary, charts and\n"
                "people, readable offline). Malformed rows and cells are reported with their line and\n"
                "reason and kept in people.csv with the error; the good rows are all processed. The\n"
                "roster is streamed, so its size is not bounded by memory. A field longer than\n"
                "--max-field-bytes (default 65536) or a row of more than --max-fields fields (default\n"
                "1024) is that row's error. Exits 1 if any row had an error. Columns and formats:\n"
                "README.md, 'The PESIAR sweep'.\n\n"
                "The roster is read as spreadsheets write it: a byte-order mark, CRLF or CR line ends and\n"
                "blank rows are fine. A header column near an input's name ('Kelas', ' kelas'), a column\n"
                "named twice, or bytes that are not UTF-8 stop the sweep with the line and column (exit 2);\n"
                "--encoding windows-1252 reads an older Excel export. A roster as a spreadsheet set to\n"
                "Indonesian saves it (';' between columns, money as 3.500.000,00 or Rp 3.500.000, dates as\n"
                "24/11/2026, months as 11/2026) is recognised by its header line and read so, and the\n"
                "summary says it; --locale id asks for that reading, --locale en refuses it. A number or\n"
                "date written neither way is refused: the answers that read it are left blank, with why.\n\n"
                "The summary's figures and the work lists are the rulebook's (report.summary and\n"
                "report.work_lists in its rulebook.yaml). report.html is the officer's page: a one-page\n"
                "summary, then the work lists (for JKN: whom to register, whom to collect from, who may\n"
                "apply for REHAB, whom pemutihan would reach, what the employer must do) and whose facts\n"
                "are missing, sortable and printable. --language id (the default) writes it and the\n"
                "summary in Bahasa Indonesia with the rulebook's labels and rupiah as Rp 1.234.567;\n"
                "--language en in English.\n"},
      {"diff", "usage: kaidah diff [BASE] REFORM.yaml ROSTER.csv --date YYYY-MM-DD [--out DIR] [--decisions a,b] [--by NAME]\n"
               "                   [--chart NAME]\n"
               "                   [--format text|json] [--max-field-bytes N] [--max-fields N]\n"
               "                   [--encoding utf-8|windows-1252] [--locale id|en]\n\n"
               "Evaluates every person of the roster under the base rulebook (default: the bundled JKN)\n"
               "and under the reform, and writes in DIR (default kaidah-diff): changes.csv (line, id,\n"
               "decision, before, after, difference, causes: the reform's parameter values and decisions\n"
               "behind the change), summary.txt, summary.json (by decision and by segment: changed, up,\n"
               "down, total change, largest increase and decrease, distribution in rupiah bands; for a\n"
               "decision that is not a number, how many went from one value to another) and report.html.\n"
               "--by NAME groups by a decision or an input (default: the rulebook's report.group_by).\n"
               "Without --decisions, the rulebook's declared outputs and payers are compared (every\n"
               "decision when it declares none); the summary then gives the cost to each payer.\n"
               "--chart NAME draws the distribution of the change in that decision (default: the first\n"
               "output that changed as a number).\n"
               "The roster is read and checked as kaidah sweep reads it.\n"},
      {"template", "usage: kaidah template [RULEBOOK] [--decisions a,b] [--format csv|text] [--reform FILE|NAME]\n\n"
                   "The columns a roster needs for the answers named (default: those kaidah sweep reports),\n"
                   "from the rulebook: csv (default) prints the header line to fill in (id, name, then each\n"
                   "input those answers may read); text lists each column with its type or values, its\n"
                   "default, and the answers that need it.\n"},
      {"serve", "usage: kaidah serve [RULEBOOK] [--listen HOST:PORT] [--reform A,B] [--token-file FILE] [--threads N]\n"
                "                    [--access-log FILE|-|off] [--max-body-bytes N] [--max-rows N] [--max-connections N]\n"
                "                    [--max-concurrent N] [--header-timeout S] [--body-timeout S] [--shutdown-timeout S]\n\n"
                "Serves the rulebook over HTTP/1.1 as JSON: POST /v1/evaluate, /v1/explain and /v1/compare (with a\n"
                "reform given by --reform), GET /v1/rulebook (inputs, decisions, parameters with their histories),\n"
                "/healthz, /readyz and /metrics (Prometheus). Money crosses as exact decimal strings. README.md,\n"
                "'kaidah serve', documents every endpoint with curl examples.\n\n"
                "--listen (default 127.0.0.1:8080; port 0 takes a free one, printed on start) is loopback unless\n"
                "told otherwise. --token-file FILE: every request must send 'Authorization: Bearer TOKEN' (the\n"
                "file's first line, at least 16 characters); the admin endpoint POST /v1/admin/reload needs it\n"
                "and is off without it. SIGHUP reloads too: the new rulebook is loaded aside and put in service\n"
                "whole; one that does not load leaves the old one serving, and is reported. SIGINT or SIGTERM\n"
                "stops: requests in flight finish (--shutdown-timeout, default 30 s), idle connections close.\n"
                "--reform A,B loads reforms (files, or names in RULEBOOK/reforms) for /v1/compare and a request's\n"
                "\"reform\". Limits: --max-body-bytes (default 16777216; a larger body is answered 413),\n"
                "--max-rows (cases in one request, default 10000), --max-connections (default 10000, held to the\n"
                "system's open-file limit; more are answered 503 and closed), --max-concurrent (requests answered\n"
                "at once, default 64; more get 503),\n"
                "--header-timeout (seconds for a request's header, and for an idle connection; default 10),\n"
                "--body-timeout (seconds for its body, and for the client to take the answer; default 60).\n"
                "--threads (network threads and workers, each; default: one per core). --access-log: a line\n"
                "per request to standard error (-, the default), a file, or off.\n"},
      {"timeline", "usage: kaidah timeline [RULEBOOK] CASE --dates D1,D2,... [--decisions a,b] [--reform FILE|NAME]\n\n"
                   "Evaluates the case at each date and prints, between consecutive dates, each decision\n"
                   "that changed and the parameter values that took effect in between.\n"},
  };
  return texts;
}

// The whole number an option takes ("--threads 2"); a UsageError otherwise.
std::size_t number(const std::string& option, const std::string& v) {
  std::size_t used = 0;
  try {
    const unsigned long n = std::stoul(v, &used);
    if (used == v.size() && !v.empty() && v[0] != '-') return n;
  } catch (const std::exception&) {
  }
  throw kaidah::cli::UsageError(option + ": expected a whole number, got '" + v + "'");
}

// A limit ("--max-fields 1024"): a whole number of at least 1, since 0 would refuse every row.
std::size_t limit(const std::string& option, const std::string& v) {
  const std::size_t n = number(option, v);
  if (n == 0) throw kaidah::cli::UsageError(option + ": expected a limit of at least 1, got 0");
  return n;
}

int usage_error(const std::string& command, const std::string& message) {
  std::cerr << "kaidah: " << message << "\n\n";
  auto it = help_texts().find(command);
  std::cerr << (it == help_texts().end() ? kUsage : it->second.c_str());
  return 2;
}

// "a, b" -> {a, b}: a list as a person types it, spaces after commas included.
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    const std::size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

int run(const std::string& command, const Args& a) {
  using namespace kaidah::cli;
  if (a.reform && (command == "test" || command == "diff"))
    throw UsageError(command == "diff" ? "diff takes the reform as REFORM.yaml, not --reform"
                                       : "test takes no --reform: a scenario file names its reform (reform: reforms/x.yaml)");
  // An option the command does not take is refused, not ignored: the usage line (the first
  // paragraph of its help) lists what it takes.
  if (const auto help = help_texts().find(command); help != help_texts().end()) {
    const std::string usage = help->second.substr(0, help->second.find("\n\n"));
    for (const std::string& option : a.options) {
      bool named = false;
      for (std::size_t at = usage.find(option); at != std::string::npos && !named; at = usage.find(option, at + 1)) {
        const std::size_t end = at + option.size();
        named = end == usage.size() || !(std::isalnum(static_cast<unsigned char>(usage[end])) || usage[end] == '-');
      }
      if (!named) throw UsageError(command + " takes no " + option + " option");
    }
  }
  if (command == "check") return check_command(a);
  if (command == "eval") return eval_command(a, false);
  if (command == "explain") return eval_command(a, true);
  if (command == "test") return test_command(a);
  if (command == "params") return params_command(a);
  if (command == "reference") return reference_command(a);
  if (command == "functions") return functions_command(a);
  if (command == "dump") return dump_command(a);
  if (command == "sweep") return sweep_command(a);
  if (command == "template") return template_command(a);
  if (command == "diff") return diff_command(a);
  if (command == "timeline") return timeline_command(a);
  if (command == "serve") return serve_command(a);
  throw UsageError("unknown command '" + command + "'");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (std::string(argv[1]) == "--version" || std::string(argv[1]) == "version") {
    std::cout << "kaidah " << KAIDAH_VERSION << "\n";
    return 0;
  }
  const std::string command = argv[1];
  try {
    Args a;
    for (int i = 2; i < argc; ++i) {
      std::string arg = argv[i];
      // --date=2026-11-24 as well as --date 2026-11-24.
      std::optional<std::string> attached;
      if (const std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
        attached = arg.substr(eq + 1);
        arg.resize(eq);
      }
      bool used = false;
      auto value = [&]() -> std::string {
        used = true;
        if (attached) return *attached;
        if (i + 1 >= argc) throw kaidah::cli::UsageError(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--help" || arg == "-h") {
        auto it = help_texts().find(command);
        std::cout << (it == help_texts().end() ? kUsage : it->second.c_str());
        return 0;
      } else if (arg == "--date") {
        a.date = value();
      } else if (arg == "--reform") {
        a.reform = value();
      } else if (arg == "--by") {
        a.by = value();
      } else if (arg == "--chart") {
        a.chart = value();
      } else if (arg == "--format") {
        a.format = value();
        a.format_given = true;
      } else if (arg == "--decisions") {
        a.decisions = split(value());
        // Empty would mean every decision (the C++ API's "all"): say so rather than do that.
        if (a.decisions.empty()) throw kaidah::cli::UsageError("--decisions names no decision; leave it out for all of them");
      } else if (arg == "--dates") {
        a.dates = split(value());
      } else if (arg == "--html") {
        a.html = value();
      } else if (arg == "--out") {
        a.out = value();
      } else if (arg == "--threads") {
        a.threads = static_cast<unsigned>(number(arg, value()));
      } else if (arg == "--max-field-bytes") {
        a.csv.max_field = limit(arg, value());
      } else if (arg == "--max-fields") {
        a.csv.max_fields = limit(arg, value());
      } else if (arg == "--encoding") {
        const std::string name = value();
        const auto encoding = kaidah::detail::encoding_named(name);
        if (!encoding) throw kaidah::cli::UsageError("--encoding: expected utf-8 or windows-1252, got '" + name + "'");
        a.csv.encoding = *encoding;
      } else if (arg == "--locale") {
        const std::string locale = value();
        if (locale != "id" && locale != "en") throw kaidah::cli::UsageError("--locale: expected id or en, got '" + locale + "'");
        a.indonesian = locale == "id";
      } else if (arg == "--language") {
        a.language = value();
        if (a.language != "id" && a.language != "en")
          throw kaidah::cli::UsageError("--language: expected id (Bahasa Indonesia) or en, got '" + a.language + "'");
      } else if (arg == "--listen" || arg == "--token-file" || arg == "--access-log" || arg == "--max-body-bytes" ||
                 arg == "--max-rows" || arg == "--max-connections" || arg == "--max-concurrent" ||
                 arg == "--header-timeout" || arg == "--body-timeout" || arg == "--shutdown-timeout") {
        a.serve[arg] = value();
      } else if (arg == "--progress" || arg == "--no-progress") {
        a.progress = arg == "--progress";
      } else if (arg.starts_with("--")) {
        throw kaidah::cli::UsageError("unknown option " + arg);
      } else {
        a.positional.push_back(arg);
      }
      if (arg.starts_with("--")) {
        // Given twice, one would silently win (--decisions a --decisions b kept b alone).
        if (std::count(a.options.begin(), a.options.end(), arg)) throw kaidah::cli::UsageError(arg + " is given twice");
        a.options.push_back(arg);
      }
      if (attached && !used) throw kaidah::cli::UsageError(arg + " takes no value");
    }
    return run(command, a);
  } catch (const kaidah::cli::UsageError& e) {
    return usage_error(command, e.what());
  } catch (const kaidah::cli::FileError& e) {
    std::cerr << "kaidah: " << e.what() << "\n";
    return 2;
  } catch (const kaidah::LoadError& e) {
    std::cerr << e.what();
    return 1;
  } catch (const kaidah::CaseError& e) {
    std::cerr << "kaidah: bad case: " << e.what() << "\n";
    return 2;
  } catch (const kaidah::Error& e) {
    std::cerr << "kaidah: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {  // a read or write the system failed (EIO, a full disk): said, never an abort
    std::cerr << "kaidah: " << e.what() << "\n";
    return 2;
  }
}

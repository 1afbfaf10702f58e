#pragma once
// What every subcommand shares: its parsed arguments, how it reports bad usage, and where the
// bundled rulebook is.

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv.h"
#include "kaidah/kaidah.h"

namespace kaidah::cli {

struct Args {
  std::vector<std::string> positional;
  std::vector<std::string> options;  // the options given ("--date"), checked against the command's usage
  std::optional<std::string> date, out;
  std::optional<std::string> reform;  // --reform: a reform file, or the name of one in RULEBOOK/reforms
  std::optional<std::string> by;      // --by: diff's groups, a decision or an input
  std::optional<std::string> chart;   // --chart: the decision whose distribution diff draws
  std::string format = "text";
  bool format_given = false;    // --format was given (template's own default is csv)
  std::string language = "id";  // --language: the words of the sweep's report and summary
  std::vector<std::string> decisions;
  std::vector<std::string> dates;  // --dates, for timeline
  std::optional<bool> progress;  // unset: a progress bar when standard error is a terminal
  unsigned threads = 0;          // 0: all cores
  CsvOptions csv;                // --max-field-bytes, --max-fields (a roster's rows past them are errors), --encoding
  // --locale id: a roster as a spreadsheet set to Indonesian writes it; en: as kaidah writes it;
  // not given: detected from the roster's header line.
  std::optional<bool> indonesian;
  // kaidah serve's own options (--listen, --token-file, --access-log and its limits): option -> value.
  std::map<std::string, std::string> serve;
  std::optional<std::string> html;  // reference --html DIR: the explorer as a static site
};

// Bad usage: printed with the subcommand's help, exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file that cannot be read or written: exit status 2.
struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file a run streams into its output folder (people.csv, changes.csv), written aside and
// renamed into place by finish(), when the run is complete. The previous run's outputs are removed
// first, so a run that stops (a bad byte in the roster) leaves nothing that looks complete.
class StreamedOutput {
 public:
  // Creates `dir`, removes `name` and `others` from it, and opens `name`.partial for writing.
  StreamedOutput(const std::filesystem::path& dir, const std::string& name, const std::vector<std::string>& others);
  ~StreamedOutput();  // removes the .partial file unless finished
  std::ofstream& stream() { return out_; }
  const std::filesystem::path& path() const { return path_; }
  void finish();  // a FileError if the file could not be written whole

 private:
  std::filesystem::path path_, partial_;
  std::ofstream out_;
  bool finished_ = false;
};

// The JKN rulebook shipped with kaidah: $KAIDAH_RULES/jkn, else <prefix>/share/kaidah/rules/jkn
// beside the installed command, else the source tree the command was built from.
std::filesystem::path bundled_rulebook();

// The reform file `reform` names: a file, or a reform of that name in `base`/reforms; else a
// UsageError listing the reforms there.
std::filesystem::path reform_file(const std::filesystem::path& base, const std::string& reform);

// The rulebook named by the first positional argument when `named` says so, else the bundled one;
// with --reform, that rulebook with the reform applied (a file, or a name in its reforms/ folder).
Rulebook load_rulebook(const Args& a, bool named);

// `name`, given to `option`, is one of `known`; else a UsageError with a suggestion for a typo:
// "--by: no decision or input 'kelass' in jkn; did you mean 'kelas'?" (what, name, where).
void require_known(const std::string& option, const std::string& name, const std::vector<std::string>& known,
                   const std::string& what, const std::string& where);
// --decisions names checked against the rulebook (require_known).
void check_decision_names(const Rulebook& r, const std::vector<std::string>& names);

// --date as a Date (required).
Date required_date(const Args& a);
// A date given to `option` (--date, one of --dates); a UsageError that says what is wrong with it.
Date date_option(const std::string& option, const std::string& text);

// The case in a YAML or JSON file; a malformed file is a FileError (exit 2: the case, not the
// rulebook, is wrong).
// The case in file `path`; with OnError::keep a value that does not fit is kept for evaluation to
// refuse (eval's partial answers), else it is the file's CaseError.
Case read_case_file(const Rulebook& rulebook, const std::string& path, OnError on_error = OnError::raise);

// The subcommands; each returns the exit status.
int check_command(const Args& a);
int eval_command(const Args& a, bool explain);
int test_command(const Args& a);
int params_command(const Args& a);
int reference_command(const Args& a);
int functions_command(const Args& a);
int dump_command(const Args& a);
int sweep_command(const Args& a);
int template_command(const Args& a);
int diff_command(const Args& a);
int timeline_command(const Args& a);
int serve_command(const Args& a);

}  // namespace kaidah::cli

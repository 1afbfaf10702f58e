// kaidah sweep: the PESIAR job. Every person of a roster (CSV) is evaluated with the rulebook;
// people.csv gets one row per person, the summary adds them up exactly, report.html shows both.
// The roster is read and written in chunks, so memory does not grow with its size.

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <unordered_map>

#include <unistd.h>

#include "args.h"
#include "csv.h"
#include "report.h"
#include "roster.h"

namespace kaidah::cli {
namespace {

namespace fs = std::filesystem;

// The decisions the PESIAR summary reads (add()), each once: the JKN report's figures. people.csv's
// columns are the rulebook's `outputs`, which must include these. (The work lists are the
// rulebook's own: `report.work_lists`.)
#define KAIDAH_SWEEP_FIGURES(X)                                                                                   \
  X(contribution_segment, enum) X(next_action, enum) X(employer_next_action, enum) X(iuran_employer, number)        \
  X(iuran_participant, number) X(iuran_central_government, number) X(iuran_regional_government, number)            \
  X(iuran_total, number) X(arrears_months, integer) X(arrears_amount, number) X(billed_arrears_amount, number)       \
  X(suspended, bool) X(reactivation_amount, number) X(rehab_eligible, bool) X(pemutihan_status, enum)                \
  X(pemutihan_amount_written_off, number)
#define KAIDAH_AS_ENUM(name, type) name,
#define KAIDAH_AS_NAME(name, type) {#name, #type},
enum Figure { KAIDAH_SWEEP_FIGURES(KAIDAH_AS_ENUM) kFigures };
// Each figure's name and the type the summary reads it as: enum, bool, integer, or number
// (integer or decimal).
constexpr std::pair<const char*, std::string_view> kFigureNames[] = {KAIDAH_SWEEP_FIGURES(KAIDAH_AS_NAME)};
#undef KAIDAH_AS_NAME
#undef KAIDAH_AS_ENUM
#undef KAIDAH_SWEEP_FIGURES

// Where each figure is among the outputs (the batch's columns).
using FigureColumns = std::array<std::size_t, kFigures>;

constexpr std::size_t kChunk = 16384;  // rows read, evaluated and written at a time

// A row of the roster; its error is also a cell's or the evaluation's.
using Row = RosterRow;

Decimal number(const Value& v) { return v.has_value() ? v.as_number() : Decimal(); }
std::string text(const Value& v) { return v.has_value() ? v.to_string() : ""; }
std::int64_t count(const Value& v) { return v.has_value() ? v.as_integer() : 0; }
bool yes(const Value& v) { return v.has_value() && v.as_bool(); }

const std::string& arrears_bucket(std::int64_t months) {
  const int i = months == 0 ? 0 : months <= 3 ? 1 : months <= 12 ? 2 : months <= 24 ? 3 : 4;
  return kArrearsBuckets[i];
}

// Adds row `row` of the batch's decision columns to the summary: the cells it has (a partial
// answer's missing cells are counted in SweepSummary::missing_answers, not as zero).
void add(SweepSummary& s, const BatchResult& r, const FigureColumns& column, std::size_t row) {
  auto at = [&](Figure f) -> const Value& { return r.columns[column[f]][row]; };
  // A blank answer (a fact missing) is no category: it is counted in missing_answers only.
  const std::string segment = text(at(contribution_segment));
  if (!segment.empty()) ++s.by_segment[segment];
  if (const std::string action = text(at(next_action)); !action.empty()) ++s.by_action[action];
  // The employer's action is its own list: what the cooperative must do is not the worker's. A
  // person whose employer is not known (a fact missing) is in the list of facts missing instead.
  if (const std::string employer = text(at(employer_next_action)); !employer.empty() && employer != "no_employer") {
    ++s.by_employer_action[employer];
    if (employer != "none") ++s.employers_to_act;
  }
  s.employers += number(at(iuran_employer));
  s.participants += number(at(iuran_participant));
  s.central += number(at(iuran_central_government));
  s.regional += number(at(iuran_regional_government));
  s.total += number(at(iuran_total));
  if (at(arrears_months).has_value()) {
    const std::int64_t months = count(at(arrears_months));
    ++s.arrears_distribution[arrears_bucket(months)];
    if (months > 0) ++s.in_arrears;
  }
  s.arrears += number(at(arrears_amount));
  s.billed += number(at(billed_arrears_amount));
  if (yes(at(suspended))) ++s.suspended;
  s.reactivation += number(at(reactivation_amount));
  if (yes(at(rehab_eligible))) ++s.rehab;
  // eligible[_on_application], would_qualify[_on_application]_when_in_force: both routes count.
  const std::string status = text(at(pemutihan_status));
  const bool eligible = status.starts_with("eligible"), would_qualify = status.starts_with("would_qualify");
  if (eligible || would_qualify) {
    ++(eligible ? s.pemutihan_eligible : s.pemutihan_would_qualify);
    if (status.find("on_application") != std::string::npos) {
      ++s.pemutihan_on_application;
      s.writeoff_on_application += number(at(pemutihan_amount_written_off));
    }
    s.writeoff += number(at(pemutihan_amount_written_off));
    if (!segment.empty()) s.writeoff_by_segment[segment] += number(at(pemutihan_amount_written_off));
  }
  if (text(at(next_action)) == "register") ++s.to_register;
}

// The rulebook's work lists, then the sweep's own list of the people whose facts are missing, as
// the report shows them; and the batch's decisions: the outputs (people.csv's columns), then each
// list's condition that is not among them (`when_column`: where each list's condition is).
struct WorkLists {
  std::vector<WorkListView> views;
  std::vector<std::string> requested;
  std::vector<std::size_t> when_column;
};

// A label in `language`, else in English, else `fallback`.
std::string label_in(const std::map<std::string, std::string>& label, const std::string& language, const std::string& fallback) {
  for (const std::string& l : {language, std::string("en")})
    if (const auto it = label.find(l); it != label.end()) return it->second;
  return fallback;
}

WorkLists work_lists(const Rulebook& r, const Words& words) {
  WorkLists out;
  out.requested = r.outputs();
  for (const WorkListInfo& l : r.work_lists()) {
    std::vector<std::string> columns = {"id", "name"};
    columns.insert(columns.end(), l.columns.begin(), l.columns.end());
    out.views.push_back({l.name, label_in(l.label, words.language(), l.name), label_in(l.note, words.language(), ""), columns});
    auto at = std::find(out.requested.begin(), out.requested.end(), l.when);
    if (at == out.requested.end()) at = out.requested.insert(out.requested.end(), l.when);
    out.when_column.push_back(static_cast<std::size_t>(at - out.requested.begin()));
  }
  out.views.push_back({"incomplete", words("list_incomplete"), words("list_incomplete_note"), {"line", "id", "name", "error"}});
  return out;
}

// A row's failures as people.csv says them: a failure that blanks answers (the batch's first
// `outputs` columns) names those only, not the lists' conditions it blanked too; one that blanks
// only a list's condition (a fact only that condition reads) is said with the condition's name,
// so that nobody is left off a list in silence.
std::vector<RowError> as_said(std::span<const RowError> failures, std::size_t outputs) {
  std::vector<RowError> out;
  for (const RowError& e : failures) {
    RowError kept = e;
    std::erase_if(kept.columns, [&](std::size_t c) { return c >= outputs; });
    out.push_back(kept.columns.empty() ? e : std::move(kept));
  }
  return out;
}

// A failure for want of an input the case does not give (a refused value is a failure of kind
// input, which gathers every decision it blanked).
bool missing_input(const RowError& e) { return e.kind == RowError::Kind::decision && !e.input.empty(); }

// A row's failures for the officer, in the report's language with the rulebook's labels, one
// reason each with the answers it leaves blank: "Kelas rawat (kolom kelas) belum diisi — belum
// bisa dihitung: Pembayar iuran, Iuran per bulan". (people.csv has describe_failures' codes.)
// `own`: the officer's words for a refusal the roster's reader made (input -> its reason).
std::string officer_reasons_of(std::span<const RowError> errors, const std::vector<std::string>& decisions,
                               const Words& words, const std::map<std::string, std::string>& own) {
  std::vector<std::pair<std::string, std::string>> said;  // reason -> the answers it leaves blank
  for (const RowError& e : errors) {
    std::string reason;
    if (e.kind == RowError::Kind::input) {
      const auto said_so = own.find(e.field);
      reason = words.input(e.field) + " " + words("refused") + ": " + (said_so != own.end() ? said_so->second : e.message);
    } else if (missing_input(e)) {
      reason = words.input(e.input) + " " + words("not_given");
    } else {
      reason = e.message;
    }
    auto it = std::find_if(said.begin(), said.end(), [&](const auto& r) { return r.first == reason; });
    if (it == said.end()) it = said.insert(said.end(), {reason, ""});
    for (const std::size_t d : e.columns) it->second += (it->second.empty() ? "" : ", ") + words.decision(decisions[d]);
  }
  std::string out;
  for (const auto& [reason, blank] : said)
    out += (out.empty() ? "" : "; ") + reason + (blank.empty() ? "" : " — " + words("blank_of") + ": " + blank);
  return out;
}

// An input a roster needs for some answers, and those answers.
struct NeededInput {
  InputInfo input;
  std::vector<std::string> answers;  // the decisions asked that may read it
};

// The inputs the decisions `asked` may read, in the rulebook's order of inputs.
std::vector<NeededInput> needed_inputs(const Rulebook& r, const std::vector<std::string>& asked) {
  const std::vector<DecisionInfo> decisions = r.decisions();
  std::vector<NeededInput> out;
  for (InputInfo& in : r.inputs()) {
    NeededInput need{std::move(in), {}};
    for (const std::string& name : asked) {
      const auto d = std::find_if(decisions.begin(), decisions.end(), [&](const DecisionInfo& i) { return i.name == name; });
      if (std::find(d->inputs.begin(), d->inputs.end(), need.input.name) != d->inputs.end()) need.answers.push_back(name);
    }
    if (!need.answers.empty()) out.push_back(std::move(need));
  }
  return out;
}

// The inputs a sweep's roster needs: those of the outputs, then any that only a work list's
// condition reads (without it nobody could be put on that list).
std::vector<NeededInput> sweep_inputs(const Rulebook& r) {
  std::vector<NeededInput> out = needed_inputs(r, r.outputs());
  std::vector<std::string> conditions;
  for (const WorkListInfo& l : r.work_lists())
    if (std::find(r.outputs().begin(), r.outputs().end(), l.when) == r.outputs().end()) conditions.push_back(l.when);
  for (NeededInput& n : needed_inputs(r, conditions)) {
    const auto known = [&](const NeededInput& k) { return k.input.name == n.input.name; };
    if (std::none_of(out.begin(), out.end(), known)) out.push_back(std::move(n));
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The rulebook's outputs (people.csv's columns), which hold every figure the summary reads: where
// each is among them.
FigureColumns sweep_columns(const Rulebook& r) {
  const std::vector<std::string>& outputs = r.outputs();
  if (outputs.empty()) throw Error("rulebook " + r.name() + " declares no outputs (the decisions a sweep writes for each person)");
  const std::vector<DecisionInfo> decisions = r.decisions();
  FigureColumns at{};
  std::vector<std::string> missing, mistyped;
  for (std::size_t f = 0; f < kFigures; ++f) {
    const std::string name = kFigureNames[f].first;  // (no structured binding: a lambda reads it)
    const std::string_view wanted = kFigureNames[f].second;
    at[f] = static_cast<std::size_t>(std::find(outputs.begin(), outputs.end(), name) - outputs.begin());
    if (at[f] == outputs.size()) {
      missing.push_back(name);
      continue;
    }
    const std::string& type = std::find_if(decisions.begin(), decisions.end(), [&](const DecisionInfo& d) { return d.name == name; })->type;
    if (type == wanted || (wanted == "number" && (type == "integer" || type == "decimal"))) continue;
    mistyped.push_back(name + " as " + std::string(wanted) + " (it is " + type + ")");
  }
  if (!missing.empty()) throw Error("rulebook " + r.name() + " lacks outputs the sweep's summary reads: " + joined(missing));
  if (!mistyped.empty()) throw Error("rulebook " + r.name() + ": the sweep's summary reads " + joined(mistyped));
  return at;
}

}  // namespace

// kaidah template [RULEBOOK] [--decisions a,b] [--format csv|text]: the roster's columns for the
// answers asked (the sweep's by default): a header line to fill in, or each column with its type
// and the answers that need it.
int template_command(const Args& a) {
  if (a.positional.size() > 1) throw UsageError("expected [RULEBOOK]");
  const std::string format = a.format == "text" && !a.format_given ? "csv" : a.format;
  if (format != "csv" && format != "text") throw UsageError("--format must be csv or text");
  const Rulebook r = load_rulebook(a, a.positional.size() == 1);
  check_decision_names(r, a.decisions);
  std::vector<std::string> asked = a.decisions;
  if (asked.empty()) {
    sweep_columns(r);  // throws if the rulebook cannot be swept
    asked = r.outputs();
  }
  const std::vector<NeededInput> needed = a.decisions.empty() ? sweep_inputs(r) : needed_inputs(r, asked);
  if (format == "csv") {
    std::vector<std::string> header = {"id", "name"};
    for (const NeededInput& n : needed) header.push_back(n.input.name);
    write_csv_row(std::cout, header);
    return 0;
  }
  std::cout << "Roster columns for " << r.name() << " " << r.version() << " (the answers: " << joined(asked) << ")\n"
            << "id, name: carried into the results. An empty cell is 'not given': its default, or no\n"
            << "value for the answers that need it (they are left blank, with the reason).\n\n";
  for (const NeededInput& n : needed) {
    const InputInfo& in = n.input;
    const std::string given = in.default_value.has_value() ? "default " + in.default_value.to_string()
                              : in.may_be_left_out                ? "may be left out"
                                                                  : "needed where read";
    std::cout << in.name << " (" << (in.values.empty() ? in.type : "one of " + joined(in.values)) << "; " << given << ")\n"
              << "    " << in.description << "\n    needed for: " << joined(n.answers) << "\n";
  }
  return 0;
}

int sweep_command(const Args& a) {
  if (a.positional.empty() || a.positional.size() > 2) throw UsageError("expected [RULEBOOK] ROSTER.csv");
  const Date date = required_date(a);
  const Rulebook r = load_rulebook(a, a.positional.size() == 2);
  const FigureColumns figures = sweep_columns(r);
  const std::vector<std::string>& decisions = r.outputs();  // people.csv's columns
  const fs::path roster_path = a.positional.back();
  Roster roster(roster_path, r, a.csv, a.indonesian);
  const std::vector<RosterColumn>& columns = roster.columns();
  const fs::path out_dir = a.out.value_or("kaidah-sweep");
  StreamedOutput people_file(out_dir, "people.csv", {"summary.txt", "summary.json", "report.html"});
  std::ofstream& people = people_file.stream();

  SweepSummary s;
  s.roster = roster_path.string();
  s.rulebook = r.name() + " " + r.version();
  s.date = date;
  s.column_problems = roster.notes();
  const Words words(a.language, r.decisions(), r.inputs());
  const WorkLists lists = work_lists(r, words);
  s.list_views = lists.views;
  s.list_sizes.assign(lists.views.size(), 0);
  s.list_undecided.assign(lists.views.size(), 0);
  s.lists.resize(lists.views.size());
  // Up front: the inputs some answers need, with no default, that the roster has no column for.
  // Not an error (each person it concerns gets the other answers); said with how many people
  // needed each, so that a column nobody here needs (a pension, for a village) is no noise.
  std::vector<NeededInput> absent;
  for (NeededInput& n : sweep_inputs(r)) {
    if (n.input.default_value.has_value() || n.input.may_be_left_out) continue;
    if (std::any_of(columns.begin(), columns.end(), [&](const RosterColumn& c) { return c.name == n.input.name; })) continue;
    absent.push_back(std::move(n));
  }
  std::map<std::string, long> needed_absent;  // absent input -> people whose answers needed it
  std::vector<std::string> out_header = {"line", "id", "name"};
  out_header.insert(out_header.end(), decisions.begin(), decisions.end());
  out_header.push_back("error");
  write_csv_row(people, out_header);
  s.people_header = out_header;

  // Ids seen, with their first line: a roster pasted into itself would count people twice.
  std::unordered_map<std::string, long> line_of_id;
  long repeated_ids = 0;
  struct {
    std::string id;
    long first_line = 0, line = 0;
  } first_repeat;
  const bool progress = a.progress.value_or(isatty(STDERR_FILENO) != 0);
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  std::vector<std::string> input_names;
  std::vector<std::size_t> input_fields;  // where each input is in a roster row
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].role != RosterColumn::input) continue;
    input_names.push_back(columns[c].name);
    input_fields.push_back(c);
  }
  const Batch batch(r, input_names, date, lists.requested, {a.threads});
  std::vector<std::vector<Value>> cells(input_names.size());
  BatchResult out;
  std::vector<Row> rows;
  rows.reserve(kChunk);
  bool more = true;
  std::vector<RefusedCell> refused;  // the chunk's cells not read as their input's value
  while (more) {
    rows.clear();
    refused.clear();
    for (auto& column : cells) column.clear();
    while (rows.size() < kChunk) {
      Row row;
      if (!roster.next(row)) {
        more = false;
        break;
      }
      for (std::size_t i = 0; i < input_names.size(); ++i) {
        Value v;
        if (row.error.empty()) {
          const std::size_t c = input_fields[i];
          // A cell not read is refused by the batch, which answers what does not read it: one the
          // roster's locale refused, or one not of its input's type.
          const auto locale = std::find_if(row.refused.begin(), row.refused.end(), [&](const auto& r) { return r.first == c; });
          if (locale != row.refused.end()) {
            refused.push_back({rows.size(), i, note_text(locale->second, "en")});
          } else {
            try {
              v = r.parse_input(input_names[i], row.fields[c]);
            } catch (const CaseError& e) {
              refused.push_back({rows.size(), i, e.reason()});
            }
          }
        }
        cells[i].push_back(std::move(v));
      }
      rows.push_back(std::move(row));
    }
    batch.run(cells, refused, out);
    std::vector<std::string> reasons(rows.size()), officer_reasons(rows.size());
    std::vector<std::size_t> missing(rows.size());
    std::vector<char> blank(rows.size());  // an answer left blank (not only a list's condition)
    for (std::size_t k = 0; k < out.errors.size();) {
      const std::size_t row = out.errors[k].row;
      std::size_t end = k;
      while (end < out.errors.size() && out.errors[end].row == row) ++end;
      // A malformed row: nothing of it was read, its own error stands.
      if (rows[row].error.empty()) {
        const std::vector<RowError> failures = as_said(std::span(out.errors).subspan(k, end - k), decisions.size());
        for (const RowError& e : failures) {
          const auto answers = std::count_if(e.columns.begin(), e.columns.end(), [&](std::size_t c) { return c < decisions.size(); });
          missing[row] += static_cast<std::size_t>(answers);
          if (answers > 0 || e.columns.empty()) blank[row] = 1;
        }
        reasons[row] = describe_failures(failures, lists.requested);
        std::map<std::string, std::string> own;  // the reader's refusals, in the officer's language
        for (const auto& [column, note] : rows[row].refused) own[columns[column].name] = words.note(note);
        officer_reasons[row] = officer_reasons_of(failures, lists.requested, words, own);
        std::set<std::string> needed;
        for (const RowError& e : failures)
          if (missing_input(e)) needed.insert(e.input);
        for (const NeededInput& n : absent) needed_absent[n.input.name] += needed.count(n.input.name);
      }
      k = end;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& row = rows[i];
      ++s.rows;
      std::vector<std::string> line = {std::to_string(row.line), "", ""};
      for (std::size_t c = 0; c < columns.size() && c < row.fields.size(); ++c) {
        if (columns[c].role == RosterColumn::carried) line[columns[c].name == "id" ? 1 : 2] = row.fields[c];
      }
      if (!line[1].empty()) {
        const auto [seen, added] = line_of_id.emplace(line[1], row.line);
        if (!added && repeated_ids++ == 0) first_repeat = {line[1], seen->second, row.line};
      }
      if (row.error.empty()) {
        // Every answer its facts allow; the others blank, with the reason.
        ++(blank[i] ? s.partial : s.evaluated);
        s.missing_answers += static_cast<long>(missing[i]);
        add(s, out, figures, i);
        for (std::size_t d = 0; d < decisions.size(); ++d) line.push_back(text(out.columns[d][i]));
        line.push_back(reasons[i]);
        if (!reasons[i].empty() && s.row_errors.size() < SweepSummary::kKeptRows) s.row_errors.emplace_back(row.line, reasons[i]);
        // The lists the person is on (several, maybe: in arrears and REHAB-eligible); the last, of
        // the facts missing, has the reasons in the report's words. A condition that could not be
        // decided while every answer was given (a fact only it reads) is counted for its list.
        const std::size_t incomplete = lists.when_column.size();
        for (std::size_t k = 0; k <= incomplete; ++k) {
          if (k < incomplete && !blank[i] && !out.columns[lists.when_column[k]][i].has_value()) ++s.list_undecided[k];
          const bool on = k == incomplete ? blank[i] != 0 : yes(out.columns[lists.when_column[k]][i]);
          if (!on || s.list_sizes[k]++ >= static_cast<long>(SweepSummary::kKeptRows)) continue;
          s.lists[k].push_back(line);
          if (k == incomplete) s.lists[k].back().back() = officer_reasons[i];
        }
      } else {
        ++s.failed;
        line.resize(line.size() + decisions.size());
        line.push_back(row.error);
        // A row not read is kept apart from the partial answers' cap: many of those never hide it.
        if (s.unread_rows.size() < SweepSummary::kKeptRows) {
          s.unread_rows.emplace_back(row.line, row.error);
          s.row_errors.emplace_back(row.line, row.error);
        }
      }
      write_csv_row(people, line);
      if (s.people_rows.size() < SweepSummary::kKeptRows) s.people_rows.push_back(std::move(line));
    }
    const auto now = std::chrono::steady_clock::now();
    if (progress && now - start > std::chrono::seconds(1) && now - last_report > std::chrono::milliseconds(250)) {
      last_report = now;
      const double seconds = std::chrono::duration<double>(now - start).count();
      const auto done = static_cast<double>(roster.position());
      const int percent = roster.size() ? static_cast<int>(100 * done / static_cast<double>(roster.size())) : 0;
      std::cerr << "\r  swept " << s.rows << " people (" << percent << "%, " << static_cast<long>(s.rows / seconds)
                << " a second)   " << std::flush;
    }
  }
  people_file.finish();
  for (const NeededInput& n : absent) {
    if (const long people_needing = needed_absent[n.input.name]) {
      s.column_problems.push_back({"column_needed", {n.input.name, std::to_string(people_needing)}, n.answers});
    }
  }
  for (Note& note : roster.row_notes()) s.column_problems.push_back(std::move(note));
  if (repeated_ids) {
    s.column_problems.push_back({"ids_repeated", {std::to_string(repeated_ids), first_repeat.id,
                                                  std::to_string(first_repeat.first_line), std::to_string(first_repeat.line)}});
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress && s.seconds > 1) std::cerr << "\n";

  write_summary_files(s, words, out_dir);
  std::cout << summary_text(s, words);
  std::cout << "\n" << words("written") << ": " << (out_dir / "people.csv").string() << ", " << (out_dir / "summary.json").string()
            << ", " << (out_dir / "report.html").string() << "\n";
  const bool undecided = std::any_of(s.list_undecided.begin(), s.list_undecided.end(), [](long n) { return n > 0; });
  return s.failed == 0 && s.partial == 0 && !undecided ? 0 : 1;
}

}  // namespace kaidah::cli

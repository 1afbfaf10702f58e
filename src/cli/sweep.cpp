// kaidah sweep: the PESIAR job. Every person of a roster (CSV) is evaluated with the rulebook;
// people.csv gets one row per person, the summary adds them up exactly, report.html shows both.
// The roster is read and written in chunks, so memory does not grow with its size.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <unordered_map>

#include <unistd.h>

#include "args.h"
#include "csv.h"
#include "report.h"
#include "roster.h"

namespace kaidah::cli {
namespace {

namespace fs = std::filesystem;

// The decisions the sweep reads, in people.csv order. A rulebook to sweep must have them all.
const std::vector<std::string> kDecisions = {
    "must_enroll", "enrolled", "required_segment", "contribution_segment", "payer", "iuran_total",
    "iuran_employer", "iuran_participant", "iuran_central_government", "iuran_regional_government",
    "arrears_months", "arrears_amount", "suspended", "reactivation_amount", "rehab_eligible",
    "rehab_installment_amount", "pemutihan_status", "pemutihan_amount_written_off", "next_action",
    "employer_next_action"};
enum Column {
  must_enroll, enrolled, required_segment, contribution_segment, payer, iuran_total, iuran_employer,
  iuran_participant, iuran_central_government, iuran_regional_government, arrears_months, arrears_amount,
  suspended, reactivation_amount, rehab_eligible, rehab_installment_amount, pemutihan_status,
  pemutihan_amount_written_off, next_action, employer_next_action
};
constexpr std::size_t kChunk = 16384;  // rows read, evaluated and written at a time

// A row of the roster; its error is also a cell's or the evaluation's.
using Row = RosterRow;

Decimal number(const Value& v) { return v.has_value() ? v.as_number() : Decimal(); }
std::string text(const Value& v) { return v.has_value() ? v.to_string() : ""; }

const std::string& arrears_bucket(std::int64_t months) {
  const int i = months == 0 ? 0 : months <= 3 ? 1 : months <= 12 ? 2 : months <= 24 ? 3 : 4;
  return kArrearsBuckets[i];
}

// Adds row `row` of the batch's decision columns to the summary.
void add(SweepSummary& s, const BatchResult& r, std::size_t row) {
  auto at = [&](Column c) -> const Value& { return r.columns[c][row]; };
  const std::string segment = text(at(contribution_segment));
  ++s.by_segment[segment];
  ++s.by_action[text(at(next_action))];
  // The employer's action is its own list: what the cooperative must do is not the worker's.
  if (const std::string employer = text(at(employer_next_action)); employer != "no_employer")
    ++s.by_employer_action[employer];
  s.employers += number(at(iuran_employer));
  s.participants += number(at(iuran_participant));
  s.central += number(at(iuran_central_government));
  s.regional += number(at(iuran_regional_government));
  s.total += number(at(iuran_total));
  const std::int64_t months = at(arrears_months).as_integer();
  ++s.arrears_distribution[arrears_bucket(months)];
  if (months > 0) ++s.in_arrears;
  s.arrears += number(at(arrears_amount));
  if (at(suspended).as_bool()) ++s.suspended;
  s.reactivation += number(at(reactivation_amount));
  if (at(rehab_eligible).as_bool()) ++s.rehab;
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
    s.writeoff_by_segment[segment] += number(at(pemutihan_amount_written_off));
  }
  if (text(at(next_action)) == "register") ++s.to_register;
}

}  // namespace

int sweep_command(const Args& a) {
  if (a.positional.empty() || a.positional.size() > 2) throw UsageError("expected [RULEBOOK] ROSTER.csv");
  const Date date = required_date(a);
  const Rulebook r = load_rulebook(a, a.positional.size() == 2);
  {
    std::vector<std::string> missing;
    for (const std::string& name : kDecisions) {
      bool found = false;
      for (const DecisionInfo& d : r.decisions()) found = found || d.name == name;
      if (!found) missing.push_back(name);
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      throw Error("rulebook " + r.name() + " lacks decisions the sweep reports: " + list);
    }
  }
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
  std::vector<std::string> out_header = {"line", "id", "name"};
  out_header.insert(out_header.end(), kDecisions.begin(), kDecisions.end());
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
  const Batch batch(r, input_names, date, kDecisions, {a.threads});
  std::vector<std::vector<Value>> cells(input_names.size());
  BatchResult out;
  std::vector<Row> rows;
  rows.reserve(kChunk);
  bool more = true;
  while (more) {
    rows.clear();
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
          try {
            v = r.parse_input(input_names[i], row.fields[input_fields[i]]);
          } catch (const CaseError& e) {
            row.error = "column " + std::string(e.what());
          }
        }
        cells[i].push_back(std::move(v));
      }
      rows.push_back(std::move(row));
    }
    batch.run(cells, out);
    for (const RowError& e : out.errors) {
      std::string& error = rows[e.row].error;
      if (error.empty()) error = e.kind == RowError::Kind::input ? "input '" + e.field + "': " + e.message : e.message;
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
        ++s.evaluated;
        add(s, out, i);
        for (const auto& column : out.columns) line.push_back(text(column[i]));
        line.push_back("");
      } else {
        ++s.failed;
        line.resize(line.size() + kDecisions.size());
        line.push_back(row.error);
        if (s.row_errors.size() < SweepSummary::kKeptRows) s.row_errors.emplace_back(row.line, row.error);
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
  for (std::string& note : roster.row_notes()) s.column_problems.push_back(std::move(note));
  if (repeated_ids) {
    s.column_problems.push_back(std::to_string(repeated_ids) + " row(s) repeat an id of an earlier row, the first '" +
                                first_repeat.id + "' on lines " + std::to_string(first_repeat.first_line) + " and " +
                                std::to_string(first_repeat.line) + " (a person pasted twice is counted twice)");
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress && s.seconds > 1) std::cerr << "\n";

  write_summary_files(s, out_dir);
  std::cout << summary_text(s);
  std::cout << "\nwritten: " << (out_dir / "people.csv").string() << ", " << (out_dir / "summary.json").string()
            << ", " << (out_dir / "report.html").string() << "\n";
  return s.failed == 0 ? 0 : 1;
}

}  // namespace kaidah::cli

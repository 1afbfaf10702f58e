#pragma once
// What a sweep adds up, and its three renderings: the text table, summary.json and report.html
// (the officer's page: a one-page summary, then a work list per action, in Indonesian or English).

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kaidah/kaidah.h"
#include "words.h"

namespace kaidah::cli {

// An officer's work list: whom to visit for what (the rulebook's `report.work_lists`, then the
// people whose facts are missing). `name` is its key in summary.json; title and note are in the
// report's language; `columns` are people.csv's.
struct WorkListView {
  std::string name, title, note;
  std::vector<std::string> columns;
};

struct SweepSummary {
  static constexpr std::size_t kKeptRows = 1000;  // people, errors and each work list's rows shown in the HTML report

  std::string roster, rulebook;
  Date date{2000, 1, 1};
  double seconds = 0;
  long rows = 0;
  long evaluated = 0;        // rows with every answer
  long partial = 0;          // rows with some answers: the others blank, with the reason
  long missing_answers = 0;  // the blank answers of those rows, left out of every total
  long failed = 0;           // rows not read at all (malformed lines)
  std::map<std::string, long> by_segment, by_action, arrears_distribution;
  std::map<std::string, long> by_employer_action;  // people who have an employer, by its next action
  Decimal employers, participants, central, regional, total;  // monthly contributions by payer
  long in_arrears = 0, suspended = 0, rehab = 0, to_register = 0;
  long employers_to_act = 0;  // people whose employer has something to do
  Decimal arrears, billed, reactivation;  // billed: the arrears BPJS bills (24 months at most)
  long pemutihan_would_qualify = 0, pemutihan_eligible = 0;
  long pemutihan_on_application = 0;  // of the two above, those who must apply (and pay)
  Decimal writeoff, writeoff_on_application;  // the second: the most the application route cancels
  std::map<std::string, Decimal> writeoff_by_segment;
  std::vector<Note> column_problems;
  // line, reason: the first kKeptRows partly answered rows and the first kKeptRows not read.
  std::vector<std::pair<long, std::string>> row_errors;
  std::vector<std::pair<long, std::string>> unread_rows;  // the first kKeptRows rows not read (malformed)
  std::vector<std::string> people_header;
  std::vector<std::vector<std::string>> people_rows;  // the first kKeptRows, as in people.csv
  // Per work list: what it is, how many people are on it, and the first kKeptRows of them
  // (people.csv rows), in roster order.
  std::vector<WorkListView> list_views;
  std::vector<long> list_sizes;
  std::vector<long> list_undecided;  // people whose every answer was given but not the list's condition
  std::vector<std::vector<std::vector<std::string>>> lists;
};

// The months-in-arrears buckets, in month order.
inline const std::vector<std::string> kArrearsBuckets = {"0", "1-3", "4-12", "13-24", "25+"};

// 12345678 -> "12,345,678" (whole rupiah; a fraction, if any, is kept after the point).
std::string grouped(const Decimal& d);

// The summary as printed: in `words`' language.
std::string summary_text(const SweepSummary& s, const Words& words);

// A horizontal bar chart as inline SVG (no scripts): one bar per label, scaled to the largest
// magnitude; negative values are drawn to the same scale and labelled with their sign. Each value
// is written by `format` (default: grouped, then the unit).
std::string bar_chart(const std::string& title, const std::vector<std::pair<std::string, Decimal>>& bars,
                      const std::string& unit, const std::function<std::string(const Decimal&)>& format = {});
std::string html_escape(const std::string& s);
// Writes summary.txt, summary.json and report.html into `dir`.
void write_summary_files(const SweepSummary& s, const Words& words, const std::filesystem::path& dir);

}  // namespace kaidah::cli

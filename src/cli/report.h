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

// A figure of the summary (the rulebook's `report.summary`) over the roster: people counted or an
// exact total, by group (a value, or a band) when it is broken down; a section's figures. `column`,
// `by_column` and `when_column` are where its decisions are among the batch's columns.
struct FigureValue {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const SummaryFigureInfo* info = nullptr;
  Decimal total;
  std::map<std::string, Decimal> by;
  std::vector<FigureValue> figures;
  std::size_t column = kNone, by_column = kNone, when_column = kNone;
  long undecided = 0;  // people with every answer given whom a value it needs (not an answer) left out

  bool counts() const { return info->kind == SummaryFigureInfo::Kind::count || info->kind == SummaryFigureInfo::Kind::count_by; }
  bool broken_down() const { return info->kind == SummaryFigureInfo::Kind::count_by || !info->by.empty(); }
};

// The band of `bands` (each band's lowest value, ascending) that `v` is in: "0", "1-3", "25+"
// ("-5 to -1" where a number is negative); below the first, "<" and the first ("<0").
std::string band_of(const std::vector<std::int64_t>& bands, std::int64_t v);

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
  std::vector<FigureValue> figures;  // the rulebook's `report.summary`, in its order
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

// kaidah diff: a roster under the base rulebook and under a reform. changes.csv lists every
// decision that changed for every person, with why; the summary adds the changes up exactly.
// kaidah timeline: one case at several dates, and what took effect in between.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "args.h"
#include "csv.h"
#include "load/fields.h"
#include "report.h"
#include "roster.h"

namespace kaidah::cli {
namespace {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "; ") + i;
  return out;
}

std::string summary_text(const ComparisonSummary& s, const std::string& title, const std::string& group_by) {
  std::string out = title + "\n\n  people compared   " + std::to_string(s.cases()) + "\n  changed           " +
                    std::to_string(s.changed_cases()) + "\n  compared in part  " + std::to_string(s.partial()) +
                    " (some decisions have no value: see summary.json, problems)\n  not comparable    " +
                    std::to_string(s.errors()) + "\n\n";
  if (const auto costs = s.payer_costs(); !costs.empty()) {
    out += "cost to each payer (the change in what it pays a month, over the roster)\n";
    for (const auto& [payer, cost] : costs) out += "  " + payer + ": " + (cost.sign() > 0 ? "+" : "") + grouped(cost) + "\n";
    out += "\n";
  }
  auto table = [&](const std::map<std::string, ComparisonSummary::Totals>& totals, const std::string& indent) {
    for (const auto& [name, t] : totals) {
      out += indent + name + ": " + std::to_string(t.changed) + " changed";
      if (t.increased || t.decreased) {
        out += " (" + std::to_string(t.increased) + " up, " + std::to_string(t.decreased) + " down), total change " +
               grouped(t.total_change);
      }
      out += "\n";
      // From one value to another, most frequent first (at most 8).
      std::vector<std::pair<std::string, long>> moves(t.transitions.begin(), t.transitions.end());
      std::stable_sort(moves.begin(), moves.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
      for (std::size_t i = 0; i < moves.size() && i < 8; ++i)
        out += indent + "    " + moves[i].first + ": " + std::to_string(moves[i].second) + "\n";
    }
  };
  out += "by decision\n";
  table(s.by_decision(), "  ");
  out += "\nby " + (group_by.empty() ? std::string("group") : group_by) + "\n";
  for (const auto& [group, totals] : s.by_group()) {
    out += "  " + group + "\n";
    table(totals, "    ");
  }
  return out;
}

}  // namespace

// diff [BASE] REFORM.yaml ROSTER.csv --date D [--out DIR] [--decisions a,b] [--format text|json]
int diff_command(const Args& a) {
  if (a.positional.size() < 2 || a.positional.size() > 3) throw UsageError("expected [BASE] REFORM.yaml ROSTER.csv");
  const Date date = required_date(a);
  const fs::path base_dir = a.positional.size() == 3 ? fs::path(a.positional[0]) : bundled_rulebook();
  const fs::path reform_file = a.positional[a.positional.size() - 2];
  const fs::path roster_path = a.positional.back();
  const Rulebook base = Rulebook::load(base_dir);
  const Rulebook reform = Rulebook::load_reform(base_dir, reform_file);
  check_decision_names(reform, a.decisions);
  Roster roster(roster_path, reform, a.csv, a.indonesian);
  const fs::path out_dir = a.out.value_or("kaidah-diff");
  StreamedOutput changes_file(out_dir, "changes.csv", {"summary.txt", "summary.json", "report.html"});
  std::ofstream& changes = changes_file.stream();
  write_csv_row(changes, {"line", "id", "decision", "before", "after", "difference", "causes"});

  // The rulebook's declared outputs and payers unless --decisions asks for others.
  const std::vector<std::string> decisions = a.decisions.empty() ? default_comparison(reform) : a.decisions;
  if (a.chart) require_known("--chart", *a.chart, decisions.empty() ? [&] {
    std::vector<std::string> all;
    for (const DecisionInfo& d : reform.decisions()) all.push_back(d.name);
    return all;
  }() : decisions, "decision compared", reform.name());
  std::vector<std::string> problems;
  ComparisonSummary summary;
  summary.set_payers(reform.payers(), decisions);
  summary.set_change_bands(reform.change_bands());
  const std::string group_by = a.by.value_or(default_group(reform));
  if (a.by) {  // a decision or an input, checked before any row is read
    std::vector<std::string> names;
    for (const DecisionInfo& d : reform.decisions()) names.push_back(d.name);
    for (const InputInfo& i : reform.inputs()) names.push_back(i.name);
    require_known("--by", *a.by, names, "decision or input", reform.name());
  }
  const std::vector<RosterColumn>& columns = roster.columns();
  for (RosterRow row; roster.next(row);) {
    std::string id;
    try {
      if (!row.error.empty()) throw CaseError("(row)", row.error);
      if (!row.refused.empty())
        throw CaseError(columns[row.refused.front().first].name, note_text(row.refused.front().second, "en"));
      Case person;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].name == "id") id = std::string(row.fields[c]);
        if (columns[c].role != RosterColumn::input) continue;
        const Value v = reform.parse_input(columns[c].name, std::string(row.fields[c]));
        if (v.has_value()) person.set(columns[c].name, v);
      }
      std::vector<DecisionError> unanswered;  // every decision the facts allow is compared; the rest said
      const auto found = compare_into(summary, base, reform, person, date, decisions, group_by, &unanswered);
      if (!unanswered.empty()) {
        problems.push_back("line " + std::to_string(row.line) + ": compared in part: " + unanswered_text(unanswered));
      }
      for (const DecisionChange& c : found) {
        write_csv_row(changes, {std::to_string(row.line), id, c.decision, c.before.to_string(), c.after.to_string(),
                                c.difference ? c.difference->to_string() : "", join(c.causes)});
      }
    } catch (const Error& e) {
      summary.add_error();
      problems.push_back("line " + std::to_string(row.line) + ": " + e.what());
    }
  }
  changes_file.finish();
  std::vector<std::string> notes;
  for (const Note& note : roster.notes()) notes.push_back(note_text(note, "en"));
  for (const Note& note : roster.row_notes()) notes.push_back(note_text(note, "en"));
  const std::string title = "Reform " + reform.reform() + " against " + base.name() + " " + base.version() + " on " +
                            date.to_string() + ", roster " + roster_path.string();
  const std::string text = summary_text(summary, title, group_by);
  std::ofstream(out_dir / "summary.json") << "{\"reform\": " << json_quote(reform.reform()) << ", \"date\": "
                                          << json_quote(date.to_string()) << ", \"summary\": " << summary.to_json()
                                          << ", \"problems\": [" << [&] {
                                               std::string p;
                                               for (const auto& x : problems) p += (p.empty() ? "" : ", ") + json_quote(x);
                                               return p;
                                             }() << "], \"notes\": [" << [&] {
                                               std::string p;
                                               for (const auto& x : notes) p += (p.empty() ? "" : ", ") + json_quote(x);
                                               return p;
                                             }() << "]}\n";
  std::ofstream(out_dir / "summary.txt") << text;
  std::string html = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>kaidah diff</title>"
                     "<style>body{font-family:sans-serif;margin:2em}pre{background:#f5f5f5;padding:1em}"
                     "figcaption{font-weight:bold}svg text{font-size:12px}</style></head><body>"
                     "<h1>What the reform changes</h1><pre>" + html_escape(text) + "</pre><h2>Charts</h2>\n";
  // The unit the decisions `bars` are in (each decision's declared `unit`), or none when they differ:
  // a count of instalments is no rupiah.
  const std::vector<DecisionInfo> infos = reform.decisions();
  auto unit_of = [&](const std::string& name) {
    const auto info = std::find_if(infos.begin(), infos.end(), [&](const DecisionInfo& d) { return d.name == name; });
    return info == infos.end() ? std::string() : info->unit;
  };
  auto common_unit = [&](const auto& named) {  // pairs whose first is a decision's name
    const std::string unit = named.empty() ? "" : unit_of(named.front().first);
    for (const auto& item : named)
      if (unit_of(item.first) != unit) return std::string();
    return unit;
  };
  std::vector<std::pair<std::string, Decimal>> total_change, changed_by_decision;
  for (const auto& [name, t] : summary.by_decision()) {
    changed_by_decision.emplace_back(name, Decimal(t.changed));
    if (t.increased || t.decreased) total_change.emplace_back(name, t.total_change);
  }
  if (const auto costs = summary.payer_costs(); !costs.empty()) {
    std::vector<std::pair<std::string, std::string>> paid;  // decision -> payer, for the decisions' unit
    for (const auto& [payer, decision] : reform.payers()) paid.emplace_back(decision, payer);
    html += bar_chart("Cost to each payer, a month (red: it pays less)", costs, common_unit(paid));
  }
  html += bar_chart("Total change by decision (red: a decrease)", total_change, common_unit(total_change));
  html += bar_chart("People whose value changed, by decision", changed_by_decision, "people");
  // The distribution of the change, band by band: of the decision --chart names; else of the first
  // declared output that changed as a number (the contribution, for JKN); else of the largest total.
  const ComparisonSummary::Totals* widest = nullptr;
  std::string widest_name;
  auto chart = [&](const std::string& name) {
    const auto it = summary.by_decision().find(name);
    if (it == summary.by_decision().end() || it->second.distribution.empty()) return false;
    widest = &it->second;
    widest_name = name;
    return true;
  };
  if (a.chart) {
    chart(*a.chart);
  } else if (std::none_of(reform.outputs().begin(), reform.outputs().end(), chart)) {
    for (const auto& [name, t] : summary.by_decision()) {
      if (!t.distribution.empty() && (!widest || t.total_change.abs() > widest->total_change.abs())) {
        widest = &t;
        widest_name = name;
      }
    }
  }
  if (a.chart && !widest) {
    html += "<p>" + html_escape(*a.chart) +
            (summary.change_bands().empty() ? ": the rulebook declares no change_bands (report: in rulebook.yaml), no distribution to draw.</p>\n"
                                            : ": no number changed, no distribution to draw.</p>\n");
  }
  if (widest) {
    std::vector<std::pair<std::string, Decimal>> bands;
    for (const std::string& band : summary.change_bands()) {
      const auto it = widest->distribution.find(band);
      bands.emplace_back(band, Decimal(it == widest->distribution.end() ? 0 : it->second));
    }
    const std::string unit = unit_of(widest_name);
    html += bar_chart("Distribution of the change in " + widest_name + (unit.empty() ? "" : " (" + unit + ")"), bands, "people");
  }
  for (const auto& [group, totals] : summary.by_group()) {
    std::vector<std::pair<std::string, Decimal>> bars;
    for (const auto& [name, t] : totals)
      if (t.increased || t.decreased) bars.emplace_back(name, t.total_change);
    if (!bars.empty()) html += bar_chart("Total change in " + group, bars, common_unit(bars));
  }
  html += "<p>Every change, person by person, with its causes: changes.csv.</p></body></html>\n";
  std::ofstream(out_dir / "report.html") << html;
  if (a.format == "json") {
    std::cout << summary.to_json() << "\n";
  } else {
    std::cout << text;
    for (const auto& p : problems) std::cout << "  not comparable: " << p << "\n";
    for (const auto& n : notes) std::cout << "  note: " << n << "\n";
    std::cout << "\nwritten: " << (out_dir / "changes.csv").string() << ", " << (out_dir / "summary.json").string()
              << ", " << (out_dir / "report.html").string() << "\n";
  }
  return problems.empty() ? 0 : 1;
}

// timeline [RULEBOOK] CASE --dates d1,d2,... [--decisions a,b]
int timeline_command(const Args& a) {
  if (a.positional.empty() || a.positional.size() > 2) throw UsageError("expected [RULEBOOK] CASE");
  if (a.dates.size() < 2) throw UsageError("--dates needs two or more dates, e.g. --dates 2020-12-15,2021-01-15");
  std::vector<Date> dates;
  for (const std::string& d : a.dates) dates.push_back(date_option("--dates", d));
  const Rulebook r = load_rulebook(a, a.positional.size() == 2);
  check_decision_names(r, a.decisions);
  const std::string& case_file = a.positional.back();
  const Case c = read_case_file(r, case_file);
  for (const DatedChanges& step : timeline(r, c, dates, a.decisions)) {
    std::cout << step.from.to_string() << " -> " << step.to.to_string() << ": "
              << (step.changes.empty() ? "no change" : std::to_string(step.changes.size()) + " changed") << "\n";
    for (const DecisionChange& ch : step.changes) {
      std::cout << "  " << ch.decision << ": " << ch.before.to_string() << " -> " << ch.after.to_string() << "\n";
      for (const std::string& cause : ch.causes) std::cout << "      because " << cause << "\n";
    }
  }
  return 0;
}

}  // namespace kaidah::cli

#include "report.h"

#include <fstream>
#include <sstream>

#include "args.h"

namespace kaidah::cli {
namespace {

std::string pad(const std::string& left, const std::string& right, std::size_t width = 50) {
  const std::size_t used = left.size() + right.size();
  return left + std::string(used < width ? width - used : 1, ' ') + right + "\n";
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart(const std::string& title, const std::vector<std::pair<std::string, Decimal>>& bars,
                      const std::string& unit) {
  Decimal largest;
  for (const auto& [_, v] : bars) largest = std::max(largest, v.abs());
  const int row = 26, label = 230, width = 420;
  std::string svg = "<figure><figcaption>" + html_escape(title) + "</figcaption><svg xmlns='http://www.w3.org/2000/svg' width='" +
                    std::to_string(label + width + 160) + "' height='" + std::to_string(row * bars.size() + 8) + "'>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& [name, v] = bars[i];
    // Bar length in whole pixels: an exact ratio, rounded only for drawing.
    const long px = largest.sign() > 0 ? (v.abs() * Decimal(width) / largest).round(0, Rounding::half_up).to_int64() : 0;
    const std::string y = std::to_string(row * i + 4);
    svg += "<text x='0' y='" + std::to_string(row * i + 20) + "'>" + html_escape(name) + "</text>";
    svg += "<rect x='" + std::to_string(label) + "' y='" + y + "' width='" + std::to_string(px) +
           "' height='" + std::to_string(row - 8) + "' fill='" + (v.sign() < 0 ? "#b5533c" : "#2f6f9f") + "'/>";
    svg += "<text x='" + std::to_string(label + px + 6) + "' y='" + std::to_string(row * i + 20) + "'>" +
           grouped(v) + (unit.empty() ? "" : " " + unit) + "</text>";
  }
  return svg + "</svg></figure>\n";
}

namespace {

std::vector<std::pair<std::string, Decimal>> counts(const std::map<std::string, long>& m) {
  std::vector<std::pair<std::string, Decimal>> out;
  for (const auto& [k, v] : m) out.emplace_back(k, Decimal(v));
  return out;
}

std::string json_counts(const std::map<std::string, long>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) out += (out.size() > 1 ? ", " : "") + json_quote(k) + ": " + std::to_string(v);
  return out + "}";
}

std::string json_amounts(const std::map<std::string, Decimal>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) out += (out.size() > 1 ? ", " : "") + json_quote(k) + ": " + json_quote(v.to_string());
  return out + "}";
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw FileError("cannot write " + path.string());
}

}  // namespace

std::string grouped(const Decimal& d) {
  std::string s = d.to_string();
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  const std::size_t point = s.find('.');
  std::string whole = s.substr(0, point), out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (negative ? "-" : "") + out + (point == std::string::npos ? "" : s.substr(point));
}

std::string summary_text(const SweepSummary& s) {
  std::ostringstream o;
  o << "PESIAR sweep of " << s.roster << " with " << s.rulebook << " on " << s.date.to_string() << "\n\n";
  o << pad("  people in the roster", std::to_string(s.rows));
  o << pad("  every answer given", std::to_string(s.evaluated));
  o << pad("  some answers (see people.csv, error)", std::to_string(s.partial));
  if (s.missing_answers) o << "  note: " << s.missing_answers << " answers those facts do not allow are blank and left out of every total\n";
  o << pad("  rows not read (see people.csv, error)", std::to_string(s.failed));
  for (const std::string& p : s.column_problems) o << "  note: " << p << "\n";
  o << "\n" << pad("people by segment", "people");
  for (const auto& [k, v] : s.by_segment) o << pad("  " + k, std::to_string(v));
  o << "\n" << pad("next action", "people");
  for (const auto& [k, v] : s.by_action) o << pad("  " + k, std::to_string(v));
  o << "\n" << pad("employer's next action (workers)", "people");
  for (const auto& [k, v] : s.by_employer_action) o << pad("  " + k, std::to_string(v));
  o << "\n" << pad("monthly contributions by payer", "rupiah");
  o << pad("  employers", grouped(s.employers));
  o << pad("  participants", grouped(s.participants));
  o << pad("  central government", grouped(s.central));
  o << pad("  regional government", grouped(s.regional));
  o << pad("  total", grouped(s.total));
  o << "\n" << pad("arrears", "");
  o << pad("  people in arrears", std::to_string(s.in_arrears));
  o << pad("  suspended", std::to_string(s.suspended));
  o << pad("  arrears (rupiah)", grouped(s.arrears));
  o << pad("  to reactivate all now (rupiah)", grouped(s.reactivation));
  o << pad("  may pay in instalments (REHAB)", std::to_string(s.rehab));
  o << "\n" << pad("pemutihan (arrears write-off)", "");
  o << pad("  eligible now", std::to_string(s.pemutihan_eligible));
  o << pad("  would qualify when in force", std::to_string(s.pemutihan_would_qualify));
  o << pad("  of these, on application", std::to_string(s.pemutihan_on_application));
  o << pad("  write-off (rupiah)", grouped(s.writeoff));
  o << pad("  of which on application, at most", grouped(s.writeoff_on_application));
  o << "\n" << pad("people to register", std::to_string(s.to_register));
  std::ostringstream seconds;
  seconds.precision(2);
  seconds << std::fixed << s.seconds;
  o << pad("time (seconds)", seconds.str());
  return o.str();
}

void write_summary_files(const SweepSummary& s, const std::filesystem::path& dir) {
  const std::string text = summary_text(s);
  write(dir / "summary.txt", text);

  std::string errors = "[";
  for (const auto& [line, message] : s.row_errors)
    errors += (errors.size() > 1 ? ", " : "") + std::string("{\"line\": ") + std::to_string(line) + ", \"error\": " + json_quote(message) + "}";
  errors += "]";
  std::string problems = "[";
  for (const std::string& p : s.column_problems) problems += (problems.size() > 1 ? ", " : "") + json_quote(p);
  problems += "]";
  auto amount = [](const Decimal& d) { return json_quote(d.to_string()); };
  write(dir / "summary.json",
        "{\"roster\": " + json_quote(s.roster) + ", \"rulebook\": " + json_quote(s.rulebook) + ", \"date\": " +
            json_quote(s.date.to_string()) + ",\n \"rows\": {\"read\": " + std::to_string(s.rows) + ", \"evaluated\": " +
            std::to_string(s.evaluated) + ", \"partial\": " + std::to_string(s.partial) + ", \"missing_answers\": " +
            std::to_string(s.missing_answers) + ", \"errors\": " + std::to_string(s.failed) + "},\n \"by_segment\": " +
            json_counts(s.by_segment) + ",\n \"by_action\": " + json_counts(s.by_action) +
            ",\n \"by_employer_action\": " + json_counts(s.by_employer_action) +
            ",\n \"monthly_contributions\": {\"employers\": " + amount(s.employers) + ", \"participants\": " +
            amount(s.participants) + ", \"central_government\": " + amount(s.central) + ", \"regional_government\": " +
            amount(s.regional) + ", \"total\": " + amount(s.total) + "},\n \"arrears\": {\"people\": " +
            std::to_string(s.in_arrears) + ", \"suspended\": " + std::to_string(s.suspended) + ", \"amount\": " +
            amount(s.arrears) + ", \"reactivation\": " + amount(s.reactivation) + ", \"rehab_eligible\": " +
            std::to_string(s.rehab) + ", \"months_distribution\": " + json_counts(s.arrears_distribution) +
            "},\n \"pemutihan\": {\"eligible\": " + std::to_string(s.pemutihan_eligible) + ", \"would_qualify\": " +
            std::to_string(s.pemutihan_would_qualify) + ", \"on_application\": " +
            std::to_string(s.pemutihan_on_application) + ", \"write_off\": " + amount(s.writeoff) +
            ", \"write_off_on_application\": " + amount(s.writeoff_on_application) +
            ", \"write_off_by_segment\": " + json_amounts(s.writeoff_by_segment) + "},\n \"to_register\": " +
            std::to_string(s.to_register) + ",\n \"column_problems\": " + problems + ",\n \"row_errors\": " + errors + "}\n");

  std::string html = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>PESIAR sweep " +
                     html_escape(s.date.to_string()) + "</title><style>"
                     "body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f5f5f5;padding:1em}"
                     "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}"
                     "th{background:#eee}figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}"
                     "svg text{font-size:12px}</style></head><body>\n";
  html += "<h1>PESIAR sweep</h1>\n<p>" + html_escape(s.roster) + " with " + html_escape(s.rulebook) + " on " +
          html_escape(s.date.to_string()) + ". Every figure is a sum over people.csv.</p>\n";
  html += "<h2>Summary</h2>\n<pre>" + html_escape(text) + "</pre>\n<h2>Charts</h2>\n";
  std::vector<std::pair<std::string, Decimal>> buckets;
  for (const std::string& b : kArrearsBuckets) {
    const auto it = s.arrears_distribution.find(b);
    buckets.emplace_back(b + " months", Decimal(it == s.arrears_distribution.end() ? 0 : it->second));
  }
  html += bar_chart("People by months in arrears", buckets, "people");
  std::vector<std::pair<std::string, Decimal>> writeoff(s.writeoff_by_segment.begin(), s.writeoff_by_segment.end());
  if (writeoff.empty()) writeoff.emplace_back("(nobody qualifies)", Decimal());
  html += bar_chart("Pemutihan write-off by segment", writeoff, "rupiah");
  html += bar_chart("People by segment", counts(s.by_segment), "people");
  html += bar_chart("People by next action", counts(s.by_action), "people");
  if (!s.by_employer_action.empty())
    html += bar_chart("Employers: next action, by worker", counts(s.by_employer_action), "people");
  if (!s.row_errors.empty()) {
    html += "<h2>Rows with errors</h2>\n<table><tr><th>line</th><th>error</th></tr>\n";
    for (const auto& [line, message] : s.row_errors)
      html += "<tr><td>" + std::to_string(line) + "</td><td>" + html_escape(message) + "</td></tr>\n";
    html += "</table>\n";
  }
  html += "<h2>People</h2>\n<p>" +
          (s.rows > static_cast<long>(s.people_rows.size())
               ? "The first " + std::to_string(s.people_rows.size()) + " of " + std::to_string(s.rows) + " rows; all are in people.csv."
               : std::string("All rows, as in people.csv.")) +
          "</p>\n<table><tr>";
  for (const std::string& h : s.people_header) html += "<th>" + html_escape(h) + "</th>";
  html += "</tr>\n";
  for (const auto& row : s.people_rows) {
    html += "<tr>";
    for (const std::string& f : row) html += "<td>" + html_escape(f) + "</td>";
    html += "</tr>\n";
  }
  html += "</table>\n</body></html>\n";
  write(dir / "report.html", html);
}

}  // namespace kaidah::cli

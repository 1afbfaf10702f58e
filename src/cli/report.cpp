#include "report.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "args.h"

namespace kaidah::cli {
namespace {

std::string pad(const std::string& left, const std::string& right, std::size_t width = 58) {
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
      case '\'': out += "&#39;"; break;  // attributes are single-quoted
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart(const std::string& title, const std::vector<std::pair<std::string, Decimal>>& bars,
                      const std::string& unit, const std::function<std::string(const Decimal&)>& format) {
  Decimal largest;
  for (const auto& [_, v] : bars) largest = std::max(largest, v.abs());
  const int row = 26, label = 230, width = 420;
  // A viewBox, so that the chart shrinks to a phone's width instead of overflowing it.
  const std::string w = std::to_string(label + width + 160), h = std::to_string(row * bars.size() + 8);
  std::string svg = "<figure><figcaption>" + html_escape(title) + "</figcaption><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " +
                    w + " " + h + "' style='max-width:" + w + "px;width:100%'>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& [name, v] = bars[i];
    // Bar length in whole pixels: an exact ratio, rounded only for drawing.
    const long px = largest.sign() > 0 ? (v.abs() * Decimal(width) / largest).round(0, Rounding::half_up).to_int64() : 0;
    const std::string y = std::to_string(row * i + 4);
    svg += "<text x='0' y='" + std::to_string(row * i + 20) + "'>" + html_escape(name) + "</text>";
    svg += "<rect x='" + std::to_string(label) + "' y='" + y + "' width='" + std::to_string(px) +
           "' height='" + std::to_string(row - 8) + "' fill='" + (v.sign() < 0 ? "#b5533c" : "#2f6f9f") + "'/>";
    svg += "<text x='" + std::to_string(label + px + 6) + "' y='" + std::to_string(row * i + 20) + "'>" +
           html_escape(format ? format(v) : grouped(v) + (unit.empty() ? "" : " " + unit)) + "</text>";
  }
  return svg + "</svg></figure>\n";
}

namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw FileError("cannot write " + path.string());
}

}  // namespace

std::string grouped(const Decimal& d) { return group_digits(d, ',', '.'); }

std::string band_of(const std::vector<std::int64_t>& bands, std::int64_t v) {
  if (v < bands.front()) return "<" + std::to_string(bands.front());
  const auto i = static_cast<std::size_t>(std::upper_bound(bands.begin(), bands.end(), v) - bands.begin()) - 1;
  const std::string low = std::to_string(bands[i]);
  if (i + 1 == bands.size()) return low + "+";
  const std::int64_t high = bands[i + 1] - 1;  // above bands[i]'s, so no overflow
  if (high == bands[i]) return low;
  return low + (high < 0 ? " to " : "-") + std::to_string(high);
}

namespace {

// A figure's title: its label, else its decision's, else its name.
std::string title_of(const FigureValue& f, const Words& w) {
  return w.label(f.info->label, f.info->decision.empty() ? f.info->name : w.decision(f.info->decision));
}

// A figure's number as an officer reads it: people, or an amount in its decision's unit; `alone`
// (a headline, a card, a bar) says "people" after a count.
std::string shown(const FigureValue& f, const Decimal& d, const Words& w, bool alone = false) {
  return f.counts() ? w.number(d) + (alone ? " " + w("people") : "") : w.amount(f.info->decision, d);
}

// A banded figure's bands in their order, every one (with nobody in it too), and below them if
// anybody is.
std::vector<std::pair<std::string, Decimal>> bands_in_order(const FigureValue& f) {
  std::vector<std::pair<std::string, Decimal>> out;
  const std::vector<std::int64_t>& bands = f.info->bands;
  if (const auto below = f.by.find("<" + std::to_string(bands.front())); below != f.by.end()) out.push_back(*below);
  for (const std::int64_t low : bands) {
    const auto it = f.by.find(band_of(bands, low));
    out.emplace_back(band_of(bands, low), it == f.by.end() ? Decimal() : it->second);
  }
  return out;
}

// A broken-down figure's groups, labelled, in the order shown: bands in their order, values most
// first (then in the order of their names).
std::vector<std::pair<std::string, Decimal>> groups_of(const FigureValue& f, const Words& w) {
  if (!f.info->bands.empty()) return bands_in_order(f);
  std::vector<std::pair<std::string, Decimal>> out;
  const std::string& of = f.info->by.empty() ? f.info->decision : f.info->by;
  for (const auto& [value, n] : f.by) out.emplace_back(w.value(of, value), n);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// A section's headline figure, or nullptr.
const FigureValue* headline_of(const FigureValue& section) {
  for (const FigureValue& f : section.figures)
    if (f.info->name == section.info->headline) return &f;
  return nullptr;
}

// A figure in the text: one line, or its title and a line per group.
void figure_lines(std::ostringstream& o, const FigureValue& f, const Words& w, const std::string& indent) {
  if (!f.broken_down()) {
    o << pad(indent + title_of(f, w), shown(f, f.total, w));
    return;
  }
  o << pad(indent + title_of(f, w), f.counts() ? w("people") : "");
  const auto groups = groups_of(f, w);
  for (const auto& [label, n] : groups) o << pad(indent + "  " + label, shown(f, n, w));
  if (groups.empty()) o << indent << "  " << w("none_counted") << "\n";
}

// A figure in summary.json: a count, an amount (exact, as a string), its groups (values in the
// order of their names, bands in theirs, every one), or a section's figures.
std::string figure_json(const FigureValue& f) {
  const auto value = [&](const Decimal& d) { return f.counts() ? d.to_string() : json_quote(d.to_string()); };
  if (f.info->kind != SummaryFigureInfo::Kind::section && !f.broken_down()) return value(f.total);
  std::string out;
  for (const FigureValue& g : f.figures) out += (out.empty() ? "" : ", ") + json_quote(g.info->name) + ": " + figure_json(g);
  const std::vector<std::pair<std::string, Decimal>> groups =
      f.info->bands.empty() ? std::vector<std::pair<std::string, Decimal>>(f.by.begin(), f.by.end()) : bands_in_order(f);
  for (const auto& [group, n] : groups) out += (out.empty() ? "" : ", ") + json_quote(group) + ": " + value(n);
  return "{" + out + "}";
}

}  // namespace

std::string summary_text(const SweepSummary& s, const Words& w) {
  std::ostringstream o;
  o << w("title") << ": " << s.roster << ", " << w("rules") << " " << s.rulebook << ", " << w("on") << " " << w.date(s.date)
    << "\n\n";
  o << pad("  " + w("people_in_roster"), w.number(s.rows));
  o << pad("  " + w("every_answer"), w.number(s.evaluated));
  o << pad("  " + w("some_answers"), w.number(s.partial));
  if (s.missing_answers) o << "  " << w("note") << ": " << w.number(s.missing_answers) << " " << w("missing_note") << "\n";
  o << pad("  " + w("rows_not_read"), w.number(s.failed));
  for (const Note& p : s.column_problems) o << "  " << w("note") << ": " << w.note(p) << "\n";
  for (const FigureValue& f : s.figures) {
    o << "\n";
    if (f.info->kind != SummaryFigureInfo::Kind::section) {
      figure_lines(o, f, w, "");
      continue;
    }
    const FigureValue* headline = headline_of(f);
    o << pad(title_of(f, w), headline ? shown(*headline, headline->total, w, true) : "");
    for (const FigureValue& g : f.figures)
      if (&g != headline) figure_lines(o, g, w, "  ");
  }
  // The work lists' sizes, as report.html's navigation gives them.
  o << "\n" << pad(w("work_lists"), w("people"));
  for (std::size_t l = 0; l < s.list_views.size(); ++l) {
    o << pad("  " + s.list_views[l].title, w.number(s.list_sizes[l]));
    if (s.list_undecided[l]) o << "    " << w.number(s.list_undecided[l]) << " " << w("undecided") << "\n";
  }
  o << "\n";
  std::ostringstream seconds;
  seconds.precision(2);
  seconds << std::fixed << s.seconds;
  o << pad(w("time"), seconds.str());
  return o.str();
}

namespace {

// Text for HTML whose rupiah never break from their amount ("Rp" alone at a line's end).
std::string html_text(const std::string& s) {
  std::string out = html_escape(s);
  for (std::size_t at = 0; (at = out.find("Rp ", at)) != std::string::npos; at += 8) out.replace(at, 3, "Rp&#160;");
  return out;
}

// A table of people.csv rows, showing `columns`: labelled headers, cells as an officer reads
// them, numbers carrying their exact value (data-v) so that a click on a header sorts exactly.
std::string people_table(const SweepSummary& s, const Words& w, const std::vector<std::string>& columns,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> at;
  for (const std::string& c : columns)
    at.push_back(static_cast<std::size_t>(std::find(s.people_header.begin(), s.people_header.end(), c) - s.people_header.begin()));
  std::string html = "<div class='scroll'><table class='sortable'><thead><tr>";
  for (const std::string& c : columns) {
    const bool own = c == "line" || c == "id" || c == "name" || c == "error";
    html += "<th title='" + html_escape(c) + "'>" + html_escape(own ? w(c == "error" ? "reason" : c) : w.decision(c)) + "</th>";
  }
  html += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    html += "<tr>";
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const std::string value = at[k] < row.size() ? row[at[k]] : "";
      const bool number = w.numeric(columns[k]) || columns[k] == "line";
      html += number && !value.empty() ? "<td class='num' data-v='" + html_escape(value) + "'>" : "<td>";
      html += html_text(w.cell(columns[k], value)) + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

// A summary card: what, how many, and the figures behind it, one a line: a label, and its value
// kept whole at the right.
std::string card(const std::string& title, const std::string& figure,
                 const std::vector<std::pair<std::string, std::string>>& details = {}) {
  std::string sub;
  for (const auto& [label, value] : details)
    sub += "<div class='d'><span>" + html_text(label) + "</span><span class='v'>" + html_text(value) + "</span></div>";
  return "<div class='card'><div class='t'>" + html_escape(title) + "</div>" +
         (figure.empty() ? "" : "<div class='n'>" + html_text(figure) + "</div>") + "<div class='sub'>" + sub + "</div></div>\n";
}

// Sorting by a header: numbers compared as exact decimal text (sign, then digits), never as floats.
constexpr const char* kSortScript = R"JS(<script>
function key(s){var n=s[0]==='-';if(n)s=s.slice(1);var p=s.split('.');return [n,p[0].replace(/^0+/,''),p[1]||''];}
function cmpNum(a,b){var x=key(a),y=key(b);if(x[0]!==y[0])return x[0]?-1:1;var g=x[0]?-1:1;
 if(x[1].length!==y[1].length)return (x[1].length-y[1].length)*g;if(x[1]!==y[1])return (x[1]<y[1]?-1:1)*g;
 var l=Math.max(x[2].length,y[2].length),f=x[2].padEnd(l,'0'),h=y[2].padEnd(l,'0');return f===h?0:(f<h?-1:1)*g;}
document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){
 th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.dir==='asc'?-1:1;
  th.dataset.dir=d>0?'asc':'desc';r.sort(function(x,y){var a=x.cells[i].dataset.v,c=y.cells[i].dataset.v;
   if(a===undefined&&c===undefined)return x.cells[i].textContent.localeCompare(y.cells[i].textContent)*d;
   if(a===undefined)return 1;if(c===undefined)return -1;return cmpNum(a,c)*d;});
  r.forEach(function(e){b.appendChild(e);});});});});
</script>
)JS";

constexpr const char* kStyle =
    ":root{--ink:#1d2733;--muted:#5b6775;--line:#d9dee4;--accent:#0a6e4f}"
    "*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:var(--ink);"
    "line-height:1.4}header{background:var(--accent);color:#fff;padding:1rem 1.25rem}header h1{margin:0;font-size:1.4rem}"
    "header p{margin:.25rem 0 0;opacity:.9}main{padding:1rem 1.25rem;max-width:1200px}h2{margin:1.5rem 0 .5rem}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.75rem}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:.75rem;min-width:0}.card .t{color:var(--muted);font-size:.9rem}"
    ".card .n{font-size:clamp(1rem,4vw,1.25rem);font-weight:700;white-space:nowrap}.card .sub{color:var(--muted);font-size:.85rem}"
    ".card .d{display:flex;justify-content:space-between;gap:.5rem}.card .d .v{white-space:nowrap;text-align:right}"
    "nav a{display:inline-block;margin:.25rem .4rem .25rem 0;padding:.35rem .7rem;border:1px solid var(--line);"
    "border-radius:999px;text-decoration:none;color:var(--ink)}nav a b{color:var(--accent)}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;width:100%}"
    "th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f5f7;cursor:pointer;white-space:nowrap}td.num{text-align:right;white-space:nowrap}"
    ".note{color:var(--muted);font-size:.9rem}h2 button{font-size:.9rem;padding:.25rem .8rem;margin-left:.75rem;vertical-align:middle}"
    "td:first-child{white-space:nowrap}"
    "figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:4px}svg text{font-size:12px}"
    "@media print{nav,button,.noprint{display:none}header{background:none;color:#000}section.list{break-before:page}}";

}  // namespace

void write_summary_files(const SweepSummary& s, const Words& w, const std::filesystem::path& dir) {
  write(dir / "summary.txt", summary_text(s, w));

  std::string errors = "[";
  for (const auto& [line, message] : s.row_errors)
    errors += (errors.size() > 1 ? ", " : "") + std::string("{\"line\": ") + std::to_string(line) + ", \"error\": " + json_quote(message) + "}";
  errors += "]";
  std::string problems = "[";
  for (const Note& p : s.column_problems) problems += (problems.size() > 1 ? ", " : "") + json_quote(note_text(p, "en"));
  problems += "]";
  std::string lists = "{";
  for (std::size_t l = 0; l < s.list_views.size(); ++l)
    lists += std::string(l ? ", " : "") + json_quote(s.list_views[l].name) + ": " + std::to_string(s.list_sizes[l]);
  lists += "}";
  std::string figures;
  for (const FigureValue& f : s.figures) figures += ",\n " + json_quote(f.info->name) + ": " + figure_json(f);
  write(dir / "summary.json",
        "{\"roster\": " + json_quote(s.roster) + ", \"rulebook\": " + json_quote(s.rulebook) + ", \"date\": " +
            json_quote(s.date.to_string()) + ",\n \"rows\": {\"read\": " + std::to_string(s.rows) + ", \"evaluated\": " +
            std::to_string(s.evaluated) + ", \"partial\": " + std::to_string(s.partial) + ", \"missing_answers\": " +
            std::to_string(s.missing_answers) + ", \"errors\": " + std::to_string(s.failed) + "}" + figures +
            ",\n \"work_lists\": " + lists + ",\n \"column_problems\": " + problems +
            ",\n \"row_errors\": " + errors + "}\n");

  // report.html: the officer's page. A summary that fits one printed page, then one list per
  // thing to do, each sortable and printed on its own page; charts and everyone after.
  const std::vector<WorkListView>& views = s.list_views;
  std::string html = "<!DOCTYPE html>\n<html lang='" + w.language() +
                     "'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width,initial-scale=1'>"
                     "<title>" + html_escape(w("title") + " " + w.date(s.date)) + "</title><style>" + kStyle +
                     "</style></head><body>\n<header><h1>" + html_escape(w("title")) + "</h1><p>" +
                     html_escape(s.roster + " · " + w("rules") + " " + s.rulebook + " · " + w("on") + " " + w.date(s.date)) +
                     "</p></header>\n<main>\n<section class='page' id='summary'><h2>" + html_escape(w("summary")) +
                     "<button class='noprint' onclick='window.print()'>" + html_escape(w("print")) + "</button></h2>\n<div class='cards'>\n";
  html += card(w("people_in_roster"), w.number(s.rows),
               {{w("every_answer"), w.number(s.evaluated)}, {w("some_answers"), w.number(s.partial)},
                {w("rows_not_read"), w.number(s.failed)}});
  // A card for each figure that is one number, and for each section: its headline, its numbers.
  for (const FigureValue& f : s.figures) {
    if (f.broken_down()) continue;
    if (f.info->kind != SummaryFigureInfo::Kind::section) {
      html += card(title_of(f, w), shown(f, f.total, w, true));
      continue;
    }
    const FigureValue* headline = headline_of(f);
    std::vector<std::pair<std::string, std::string>> details;
    for (const FigureValue& g : f.figures)
      if (&g != headline && !g.broken_down()) details.emplace_back(title_of(g, w), shown(g, g.total, w));
    if (headline || !details.empty()) html += card(title_of(f, w), headline ? shown(*headline, headline->total, w, true) : "", details);
  }
  html += "</div>\n";
  if (s.missing_answers)
    html += "<p class='note'>" + html_escape(w.number(s.missing_answers) + " " + w("missing_note")) + "</p>\n";
  html += "<p class='note'>" + html_escape(w("sums_note")) + "</p>\n<h2>" + html_escape(w("work_lists")) + "</h2>\n<nav>";
  for (std::size_t l = 0; l < views.size(); ++l)
    html += "<a href='#list-" + std::to_string(l) + "'>" + html_escape(views[l].title) + " <b>" + w.number(s.list_sizes[l]) + "</b></a>";
  html += "</nav>\n</section>\n";

  for (std::size_t l = 0; l < views.size(); ++l) {
    const long size = s.list_sizes[l];
    html += "<section class='list' id='list-" + std::to_string(l) + "'><h2>" + html_escape(views[l].title) + " (" +
            w.number(size) + ")</h2>\n<p class='note'>" + html_escape(views[l].note);
    if (size > static_cast<long>(s.lists[l].size()))
      html += " " + html_escape(w.number(static_cast<long>(s.lists[l].size())) + " " + w("first_of") + " " + w.number(size) + "; " + w("all_in_csv") + ".");
    const long undecided = s.list_undecided[l];
    if (undecided) html += " " + html_escape(w.number(undecided) + " " + w("undecided"));
    html += size ? " " + html_escape(w("sort_hint")) + "</p>\n" : undecided ? "</p>\n" : "</p><p>" + html_escape(w("nobody")) + "</p>\n";
    if (size) html += people_table(s, w, views[l].columns, s.lists[l]);
    html += "</section>\n";
  }

  // A chart for each figure broken down by group, in the order of the summary.
  std::string charts;
  const auto chart = [&](const FigureValue& f) {
    std::vector<std::pair<std::string, Decimal>> bars = groups_of(f, w);
    if (bars.empty()) bars.emplace_back(w("none_counted"), Decimal());
    charts += bar_chart(title_of(f, w), bars, "", [&](const Decimal& d) { return shown(f, d, w, true); });
  };
  for (const FigureValue& f : s.figures) {
    if (f.broken_down()) chart(f);
    for (const FigureValue& g : f.figures)
      if (g.broken_down()) chart(g);
  }
  if (!charts.empty()) html += "<section class='list'><h2>" + html_escape(w("charts")) + "</h2>\n" + charts + "</section>\n";
  if (!s.column_problems.empty() || !s.unread_rows.empty()) {
    html += "<section class='list'><h2>" + html_escape(w("notes")) + "</h2>\n<ul>";
    for (const Note& p : s.column_problems) html += "<li>" + html_escape(w.note(p)) + "</li>";
    html += "</ul>\n";
    if (!s.unread_rows.empty()) {  // the partly answered are in their work list
      html += "<h3>" + html_escape(w("rows_not_read")) + "</h3><div class='scroll'><table class='sortable'><thead><tr><th>" +
              html_escape(w("line")) + "</th><th>" + html_escape(w("reason")) + "</th></tr></thead><tbody>\n";
      for (const auto& [line, message] : s.unread_rows)
        html += "<tr><td class='num' data-v='" + std::to_string(line) + "'>" + std::to_string(line) + "</td><td>" +
                html_escape(message) + "</td></tr>\n";
      html += "</tbody></table></div>\n";
    }
    html += "</section>\n";
  }
  html += "<section class='list'><h2>" + html_escape(w("everyone")) + " (" + w.number(s.rows) + ")</h2>\n<p class='note'>";
  if (s.rows > static_cast<long>(s.people_rows.size()))
    html += html_escape(w.number(static_cast<long>(s.people_rows.size())) + " " + w("first_of") + " " + w.number(s.rows) + "; " + w("all_in_csv") + ". ");
  html += html_escape(w("sort_hint")) + "</p>\n" + people_table(s, w, s.people_header, s.people_rows) + "</section>\n";
  html += std::string("</main>\n") + kSortScript + "</body></html>\n";
  write(dir / "report.html", html);
}

}  // namespace kaidah::cli

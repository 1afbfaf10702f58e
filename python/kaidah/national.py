"""The national summary of many cooperatives' sweeps: every figure of the rulebook's
``report.summary`` added up over their summary.json files, nationally and by region, exactly
(counts as integers, amounts as Decimals), and the page that shows it (:func:`report_html`).
:func:`kaidah.dask.sweep` writes both; they need no Dask."""

from __future__ import annotations

import html
import json
from urllib.parse import quote
from decimal import Decimal
from typing import Any, Sequence

from . import Rulebook

# The page's own words; what the rulebook names comes from its labels.
_WORDS = {
    "title": {"id": "Hasil PESIAR nasional", "en": "National PESIAR sweep"},
    "rules": {"id": "aturan", "en": "rules"},
    "on": {"id": "tanggal", "en": "on"},
    "region": {"id": "Wilayah", "en": "Region"},
    "rosters": {"id": "Daftar (koperasi)", "en": "Rosters (cooperatives)"},
    "people": {"id": "Orang", "en": "People"},
    "every_answer": {"id": "Jawaban lengkap", "en": "Every answer given"},
    "partial": {"id": "Sebagian jawaban", "en": "Some answers"},
    "not_read": {"id": "Baris tidak terbaca", "en": "Rows not read"},
    "total": {"id": "Nasional", "en": "National"},
    "work_lists": {"id": "Daftar kerja", "en": "Work lists"},
    "each_roster": {"id": "Setiap daftar", "en": "Each roster"},
    "roster": {"id": "Daftar", "en": "Roster"},
    "report": {"id": "laporan", "en": "report"},
    "figures": {"id": "Angka lainnya", "en": "Other figures"},
    "incomplete": {"id": "Data belum lengkap", "en": "Facts missing"},
    "problems": {"id": "Daftar yang perlu diperiksa", "en": "Rosters to check"},
}


def _number_of(figure: dict) -> type:
    return int if figure["kind"] in ("count", "count_by") else Decimal


def _broken_down(figure: dict) -> bool:
    return figure["kind"] == "count_by" or bool(figure["by"])


def _read(figure: dict, value: Any) -> Any:
    """A figure's value in a summary.json, exact: counts as int, amounts (strings) as Decimal."""
    if figure["kind"] == "section":
        return {g["name"]: _read(g, value[g["name"]]) for g in figure["figures"]}
    number = _number_of(figure)
    return {k: number(v) for k, v in value.items()} if _broken_down(figure) else number(value)


def _added(figure: dict, a: Any, b: Any) -> Any:
    if figure["kind"] == "section":
        return {g["name"]: _added(g, a[g["name"]], b[g["name"]]) for g in figure["figures"]}
    if _broken_down(figure):
        out = dict(a)
        for group, v in b.items():
            out[group] = out.get(group, 0) + v
        return out
    return a + b


def _counts_added(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + b.get(k, 0) for k in {**a, **b}}


def add_up(rulebook: Rulebook, summaries: Sequence[dict]) -> dict:
    """The rows, every figure and the work lists' sizes of ``summaries`` (summary.json files as
    loaded) added up: ``{"rosters", "rows", <figure>…, "work_lists"}``."""
    total: dict = {"rosters": 0, "rows": {}, **{f["name"]: None for f in rulebook.summary}, "work_lists": {}}
    for s in summaries:
        total["rosters"] += 1
        total["rows"] = _counts_added(total["rows"], s["rows"])
        total["work_lists"] = _counts_added(total["work_lists"], s["work_lists"])
        for f in rulebook.summary:
            value = _read(f, s[f["name"]])
            total[f["name"]] = value if total[f["name"]] is None else _added(f, total[f["name"]], value)
    return total


def national_summary(rulebook: Rulebook, date: str, rosters: Sequence[tuple[str, str, dict]]) -> dict:
    """``rosters``: (name, region, summary.json) of each cooperative. The national figures, then
    the same by region (regions in name order), and the rosters with rows not fully answered."""
    regions = sorted({region for _, region, _ in rosters})
    out = {"rulebook": f"{rulebook.name} {rulebook.version}" + (f" + {rulebook.reform}" if rulebook.reform else ""),
           "date": str(date), **add_up(rulebook, [s for _, _, s in rosters])}
    out["regions"] = {r: add_up(rulebook, [s for _, region, s in rosters if region == r]) for r in regions}
    out["rosters_to_check"] = [
        {"roster": name, "region": region, "partial": s["rows"]["partial"], "errors": s["rows"]["errors"],
         "column_problems": s["column_problems"]}
        for name, region, s in rosters if s["rows"]["partial"] or s["rows"]["errors"] or s["column_problems"]]
    return out


def to_json(summary: dict) -> str:
    """The national summary as JSON, amounts as exact decimal strings (as summary.json writes them)."""
    return json.dumps(summary, indent=1, ensure_ascii=False, default=str) + "\n"


def _in(labels: dict, language: str) -> str | None:
    return labels.get(language) or labels.get("en")


class _Labels:
    """The rulebook's labels in one language, as the sweep's report shows them."""

    def __init__(self, rulebook: Rulebook, language: str):
        self.language = language
        self.decisions = {d.name: d for d in rulebook.decisions}
        self.lists = {l["name"]: l["label"] for l in rulebook.work_lists}

    def figure(self, figure: dict) -> str:
        decision = self.decisions.get(figure["decision"])
        return _in(figure["label"], self.language) or (decision and _in(decision.label, self.language)) or figure["name"]

    def group(self, figure: dict, value: str) -> str:
        decision = self.decisions.get(figure["by"] or figure["decision"])
        labels = decision.value_labels.get(value, {}) if decision else {}
        return _in(labels, self.language) or {"true": "✓", "false": "✗"}.get(value, value)

    def value(self, figure: dict, value: Any) -> str:
        """A count or an amount as the sweep's report writes it: 1.234.567 (id) or 1,234,567 (en),
        rupiah with "Rp"."""
        point, group = (",", ".") if self.language == "id" else (".", ",")
        text = f"{value:,}".replace(",", "\0").replace(".", point).replace("\0", group)
        decision = self.decisions.get(figure.get("decision", ""))
        return f"Rp {text}" if figure["kind"] == "sum" and decision and decision.unit == "rupiah" else text

    def work_list(self, name: str, own: str) -> str:
        return _in(self.lists.get(name, {}), self.language) or own


def report_html(rulebook: Rulebook, summary: dict, rosters: Sequence[tuple[str, str, dict]], language: str = "id") -> str:
    """The national page: the people read and each figure by region, with the national total as the
    last row; a table a section or breakdown; then each roster with a link to its own report."""
    def w(key: str) -> str:
        return _WORDS[key][language if language in ("id", "en") else "en"]

    e = html.escape
    regions = list(summary["regions"])
    labels = _Labels(rulebook, language)

    def table(title: str, columns: list[str], cells) -> str:
        head = "".join(f"<th>{e(c)}</th>" for c in [w("region"), *columns])
        body = ""
        for name, scope in [*((r, summary["regions"][r]) for r in regions), (w("total"), summary)]:
            row = "".join(f"<td class='num'>{e(v)}</td>" for v in cells(scope))
            body += f"<tr{' class=total' if scope is summary else ''}><td>{e(name)}</td>{row}</tr>\n"
        return f"<h2>{e(title)}</h2>\n<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table></div>\n"

    number = lambda n: labels.value({"kind": "count"}, n)  # noqa: E731
    year, month, d = summary["date"].split("-")
    day = f"{d}/{month}/{year}" if language == "id" else summary["date"]  # as the sweep's report writes it
    parts = [table(w("people"), [w("rosters"), w("people"), w("every_answer"), w("partial"), w("not_read")],
                   lambda s: [number(s["rosters"]), number(s["rows"]["read"]), number(s["rows"]["evaluated"]),
                              number(s["rows"]["partial"]), number(s["rows"]["errors"])])]
    scalars = [f for f in rulebook.summary if f["kind"] != "section" and not _broken_down(f)]
    if scalars:
        parts.append(table(w("figures"), [labels.figure(f) for f in scalars],
                           lambda s: [labels.value(f, s[f["name"]]) for f in scalars]))
    for f in rulebook.summary:
        if f["kind"] == "section":
            inside = [g for g in f["figures"] if not _broken_down(g)]
            parts.append(table(labels.figure(f), [labels.figure(g) for g in inside],
                               lambda s, f=f, inside=inside: [labels.value(g, s[f["name"]][g["name"]])
                                                              for g in inside]))
        broken = [(f, [f["name"]])] if _broken_down(f) else []
        broken += [(g, [f["name"], g["name"]]) for g in f["figures"] if _broken_down(g)]
        for g, path in broken:
            def at(s, path=path):
                for key in path:
                    s = s[key]
                return s
            # Bands in their order; values the largest first, nationally.
            national = at(summary)
            groups = list(national) if g["bands"] else sorted(national, key=lambda k, national=national: -national[k])
            parts.append(table(labels.figure(g), [labels.group(g, k) for k in groups],
                               lambda s, g=g, groups=groups, at=at: [labels.value(g, at(s).get(k, 0))
                                                                    for k in groups]))
    lists = [l["name"] for l in rulebook.work_lists] + ["incomplete"]
    parts.append(table(w("work_lists"), [labels.work_list(k, w("incomplete")) for k in lists],
                       lambda s: [number(s["work_lists"].get(k, 0)) for k in lists]))
    each = "".join(
        f"<tr><td><a href='../{e(quote(name))}/report.html'>{e(name)}</a></td><td>{e(region)}</td>"
        f"<td class='num'>{number(s['rows']['read'])}</td><td class='num'>{number(s['rows']['partial'])}</td>"
        f"<td class='num'>{number(s['rows']['errors'])}</td></tr>\n" for name, region, s in rosters)
    parts.append(f"<h2>{e(w('each_roster'))}</h2>\n<div class='scroll'><table><thead><tr><th>{e(w('roster'))}</th>"
                 f"<th>{e(w('region'))}</th><th>{e(w('people'))}</th><th>{e(w('partial'))}</th><th>{e(w('not_read'))}</th>"
                 f"</tr></thead><tbody>\n{each}</tbody></table></div>\n")
    if summary["rosters_to_check"]:  # what each roster's own report says in full
        items = "".join(
            f"<li><a href='../{e(quote(r['roster']))}/report.html'>{e(r['roster'])}</a>: "
            f"{e(w('partial'))} {number(r['partial'])}, {e(w('not_read'))} {number(r['errors'])}"
            + "".join(f"<br>{e(p)}" for p in r["column_problems"]) + "</li>\n" for r in summary["rosters_to_check"])
        parts.append(f"<h2>{e(w('problems'))}</h2>\n<ul>\n{items}</ul>\n")
    style = ("body{font-family:system-ui,sans-serif;margin:0;color:#1d2733}header{background:#0a6e4f;color:#fff;"
             "padding:1rem 1.25rem}header h1{margin:0;font-size:1.4rem}header p{margin:.25rem 0 0}main{padding:0 1.25rem "
             "1rem;max-width:1200px}.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem}"
             "th,td{border-bottom:1px solid #d9dee4;padding:.3rem .5rem;text-align:left}th{background:#f3f5f7}"
             "td.num{text-align:right;white-space:nowrap}tr.total td{font-weight:700}h2{margin:1.25rem 0 .5rem;font-size:1.1rem}")
    return (f"<!DOCTYPE html>\n<html lang='{e(language)}'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{e(w('title'))}</title><style>{style}</style></head><body>\n"
            f"<header><h1>{e(w('title'))}</h1><p>{e(w('rules'))} {e(summary['rulebook'])} · {e(w('on'))} {e(day)} · "
            f"{number(summary['rosters'])} {e(w('rosters').lower())} · {number(summary['rows']['read'])} "
            f"{e(w('people').lower())}</p></header>\n<main>\n{''.join(parts)}</main></body></html>\n")

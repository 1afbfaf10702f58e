"""Explanations, introspection and the rulebook's own scenario tests, from Python."""

import datetime
import json

from conftest import D, TODAY


def test_explanation_says_why_a_kopdes_employee_pays_what_they_pay(jkn, kopdes_worker):
    x = jkn.explain(kopdes_worker, TODAY, ["iuran_worker"])
    worker = x["iuran_worker"]
    assert worker["value"] == D("35000")
    # Row 1 is a laid-off worker's (no contribution after a PHK); row 2 fires.
    assert worker["row"] == 2 and worker["conditions"] == ["contribution_segment == 'ppu_badan_usaha'"]
    assert worker["row_legal_basis"] == "Perpres 82/2018 Pasal 30 ayat (2) as amended: 1% by the worker"
    rate = next(p for p in worker["parameters"] if p["name"] == "ppu_badan_usaha_worker_rate")
    assert rate["value"] == D("0.01") and rate["effective_from"] == datetime.date(2020, 1, 1)
    assert "Perpres 75/2019 Pasal 30" in rate["legal_basis"]
    assert x["wage_base"]["value"] == D("3500000")
    text = x.to_text()
    assert text.startswith("iuran_worker = 35000 rupiah\n")
    assert "input wage = 3500000 rupiah" in text
    assert json.loads(x.to_json())["decisions"]["iuran_worker"]["value"] == "35000"
    html = x._repr_html_()
    # In a notebook: money as an Indonesian officer reads it, each decision collapsed to its line.
    assert "<b>iuran_worker</b> = Rp 35.000</summary>" in html and "Perpres" in html
    assert "<details open" not in html


def test_explanation_prices_each_month_at_its_own_rate(jkn):
    # Class III unpaid since October 2020: Oct-Dec 2020 at 25,500, then 35,000 a month.
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
            "kelas": "kelas_3", "last_month_paid": "2020-09"}
    x = jkn.explain(case, TODAY, ["arrears_amount"])
    assert x["arrears_amount"]["value"] == D("2526500")
    reads = {(p["value"], p["times"]) for p in x["arrears_month_prices"]["parameters"]
             if p["name"] == "iuran_kelas_3_participant"}
    assert reads == {(D("25500"), 3), (D("35000"), 70)}


def test_introspection(jkn):
    assert jkn.name == "jkn"
    ceiling = jkn.parameter("ppu_wage_ceiling")
    assert [(v.effective_from, v.value) for v in ceiling.history] == [
        (datetime.date(2014, 1, 1), D("4725000")), (datetime.date(2016, 4, 1), D("8000000")),
        (datetime.date(2020, 1, 1), D("12000000"))]
    assert ceiling.at(datetime.date(2019, 12, 31)).value == D("8000000")
    frame = ceiling.history_frame()
    assert list(frame.columns) == ["effective_from", "value", "legal_basis"] and len(frame) == 3
    kelas = next(i for i in jkn.inputs if i.name == "kelas")
    assert kelas.values == ["kelas_1", "kelas_2", "kelas_3"] and kelas.default is None
    family = next(i for i in jkn.inputs if i.name == "family")
    assert [f["name"] for f in family.fields][:2] == ["relation", "birth_date"]
    denda = next(d for d in jkn.decisions if d.name == "denda")
    assert denda.table[0]["when"] == ["denda_applies"] and "Pasal 42" in denda.legal_basis


def test_rulebook_scenarios_pass_from_python(jkn):
    outcomes = jkn.run_tests()
    assert len(outcomes) >= 80
    assert [o.name for o in outcomes if not o.passed] == []

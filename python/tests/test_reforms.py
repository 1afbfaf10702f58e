"""Reforms from Python: load with a reform, compare with the base, time travel."""

import datetime
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import kaidah

ROOT = Path(__file__).resolve().parents[2]
KAIDAH = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))


def test_load_a_bundled_reform_and_see_it_in_the_explanation():
    kris = kaidah.load("jkn", reform="kris-single-rate")
    assert kris.reform == "kris-single-rate" and kaidah.load("jkn").reform == ""
    case = {"citizenship": "indonesian", "work_status": "self_employed", "kelas": "kelas_2"}
    # HYPOTHETICAL KRIS rate: 75,000 from 2027 instead of 100,000.
    assert kris.evaluate(case, "2027-03-01", ["iuran_participant"]) == {"iuran_participant": Decimal("75000")}
    why = kris.explain(case, "2027-03-01", ["class_rate"])
    assert "iuran_kelas_2 = 75000 rupiah, in force from 2027-01-01 (HYPOTHETICAL" in why.to_text()
    assert "[reform]" in why.to_text()
    # The reform's mark reaches Python: on the parameter value it set, in the explanation too.
    read = why.to_dict()["decisions"]["class_rate"]["parameters"]
    assert [(p["name"], p["from_reform"]) for p in read] == [("iuran_kelas_2", True)]
    assert kris.parameter("iuran_kelas_2").history[-1].from_reform
    assert not any(v.from_reform for v in kaidah.load("jkn").parameter("iuran_kelas_2").history)
    wider = kaidah.load("jkn", reform="pemutihan-wider")
    assert {d.name for d in wider.decisions if d.from_reform} and not any(d.from_reform for d in kris.decisions)


def test_a_reform_with_mistakes_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("reform: {name: bad}\nparameters:\n  iuran_kelas_9:\n    history: [{effective_from: 2027-01-01, value: 1, legal_basis: x}]\n")
    with pytest.raises(kaidah.LoadError) as caught:
        kaidah.load("jkn", reform=bad)
    (d,) = caught.value.diagnostics
    assert (d.file, d.line, d.column) == ("bad.yaml", 3, 3)
    assert d.message.startswith("no parameter 'iuran_kelas_9' in the base rulebook jkn; did you mean 'iuran_kelas_1'?")


def test_python_compare_gives_the_cli_figures(tmp_path):
    roster = ROOT / "examples" / "data" / "population.csv"
    run = subprocess.run([KAIDAH, "diff", str(ROOT / "rules" / "jkn" / "reforms" / "kris-single-rate.yaml"), str(roster),
                          "--date", "2027-03-01", "--out", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    cli = json.loads((tmp_path / "summary.json").read_text())["summary"]

    people = pd.read_csv(roster, dtype=str, keep_default_na=False).replace("", None).drop(columns=["id", "name"])
    changes, summary = kaidah.compare(kaidah.load("jkn"), kaidah.load("jkn", reform="kris-single-rate"), people, "2027-03-01")
    as_text = json.loads(json.dumps(summary, default=str))
    assert {k: as_text[k] for k in cli} == cli
    assert summary["cases"] == 320 and summary["changed"] == cli["changed"] > 0
    # The per-change rows add up to the summary, exactly.
    total = changes.loc[changes["decision"] == "iuran_total", "difference"].sum()
    assert total == summary["by_decision"]["iuran_total"]["total_change"]
    assert isinstance(total, Decimal)
    assert changes["causes"].map(len).min() >= 1


def test_timeline_says_what_took_effect():
    jkn = kaidah.load("jkn")
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu", "kelas": "kelas_3",
            "last_month_paid": "2020-09"}
    (step,) = jkn.timeline(case, [datetime.date(2020, 12, 15), "2021-01-15"], ["iuran_participant", "iuran_total"])
    assert step["from"] == datetime.date(2020, 12, 15) and step["to"] == datetime.date(2021, 1, 15)
    (change,) = step["changes"]  # the total stays 42,000; the participant's share goes up
    assert (change["decision"], change["before"], change["after"], change["difference"]) == (
        "iuran_participant", Decimal("25500"), Decimal("35000"), Decimal("9500"))
    assert change["causes"] == ["iuran_kelas_3_participant = 35000 from 2021-01-01 (Perpres 64/2020 Pasal 34 ayat (2) huruf b)"]

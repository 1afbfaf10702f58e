"""The Python examples run, and their figures are the ones the regulations give."""

import runpy
from decimal import Decimal
from pathlib import Path

import pandas as pd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def run(name):
    return runpy.run_path(str(EXAMPLES / name))["main"]


def test_kopdes_employee_example(capsys):
    values = run("kopdes_employee.py")()
    # Perpres 64/2020: 4% and 1% of Rp 3,500,000, paid this month.
    assert values == {"iuran_employer": Decimal("140000"), "iuran_worker": Decimal("35000"), "next_action": "none"}
    assert "legal basis: Perpres 82/2018 Pasal 30" in capsys.readouterr().out


def test_population_example(tmp_path, capsys):
    run("make_population.py")(320, tmp_path / "population.csv")
    bundled = EXAMPLES.parent / "data" / "population.csv"
    assert (tmp_path / "population.csv").read_text() == bundled.read_text()  # the generator is reproducible
    summary = run("population.py")(bundled)
    assert summary["people"].sum() == 320
    assert set(summary.index) == {"bp", "not_required", "pbi_jk", "pbpu", "pbpu_pemda", "ppu_badan_usaha",
                                  "ppu_penyelenggara_negara"}
    # PBI and Pemda-registered residents: Rp 42,000 each (Perpres 75/2019 Pasal 29).
    assert summary.loc["pbi_jk", "iuran_central_government"] == 42000 * int(summary.loc["pbi_jk", "people"])
    assert summary.loc["pbpu_pemda", "iuran_regional_government"] == 42000 * int(summary.loc["pbpu_pemda", "people"])
    # The cooperative's employees have no additional family here: 4% employer = 4 x the 1% worker share.
    ppu = summary.loc["ppu_badan_usaha"]
    assert ppu["iuran_employer"] == 4 * ppu["iuran_participant"]
    assert isinstance(ppu["iuran_employer"], Decimal)
    assert "register" in capsys.readouterr().out


def test_the_dask_example_on_three_rosters_equals_one_process(tmp_path, capsys):
    """examples/python/on_dask.py on the bundled population split into three cooperatives' rosters
    (a local cluster of two worker processes): the same people and exact totals by segment, and
    the same comparison, as kaidah.evaluate_frame and kaidah.compare on the whole population."""
    import kaidah

    people = pd.read_csv(EXAMPLES.parent / "data" / "population.csv", dtype=str)
    for k, first in enumerate(range(0, len(people), 120)):
        people.iloc[first:first + 120].to_csv(tmp_path / f"koperasi-{k}.csv", index=False)
    by_segment, summary = run("on_dask.py")(str(tmp_path / "koperasi-*.csv"))
    jkn = kaidah.load("jkn")
    inputs = people.drop(columns=["id", "name"])
    one = kaidah.evaluate_frame(jkn, inputs, "2026-11-25", ["contribution_segment", "iuran_total"])
    expected = one.groupby("contribution_segment", observed=True)["iuran_total"].agg(["count", "sum"])
    assert by_segment["people"].to_dict() == expected["count"].to_dict()
    assert by_segment["iuran_total"].to_dict() == expected["sum"].to_dict()
    assert sum(by_segment["iuran_total"]) == Decimal("45486250")  # kaidah sweep's summary.json for the population
    _, whole = kaidah.compare(jkn, kaidah.load("jkn", reform="pemutihan-wider"), inputs, "2027-03-01")
    assert summary == whole
    assert "pemutihan-wider changes something for" in capsys.readouterr().out


def test_the_national_population_is_made_the_same_on_any_worker():
    """examples/python/national_population.py: a partition is made from its index alone (a worker
    that makes it again, after another was lost, makes the same people), of one province, with
    the JKN inputs and the columns that are not inputs (id, province, cooperative)."""
    import kaidah

    national = runpy.run_path(str(EXAMPLES / "national_population.py"))
    first, again = national["partition"](7, 2_000), national["partition"](7, 2_000)
    pd.testing.assert_frame_equal(first, again)
    assert first.index[0] == 14_000 and first["id"].iloc[0] == "P0000014000"
    assert first["province"].nunique() == 1 and first["province"].iloc[0] in national["PROVINCES"]
    jkn = kaidah.load("jkn")
    assert set(first.columns) - {i.name for i in jkn.inputs} == {"id", "province", "cooperative"}
    answers = kaidah.evaluate_frame(jkn, first.drop(columns=["id", "province", "cooperative"]), "2026-11-25",
                                    ["contribution_segment"])
    # The bundled roster's proportions: PBPU the largest segment, PPU employees about 1 in 16.
    shares = answers["contribution_segment"].value_counts(normalize=True)
    assert shares.index[0] == "pbpu" and 0.03 < shares["ppu_badan_usaha"] < 0.10

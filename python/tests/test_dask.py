"""kaidah.dask on a real cluster (issue #21): distributed.LocalCluster with two worker processes,
started here. Results equal single-process evaluate_frame and compare row for row; the rulebook
travels as its sources and is loaded once per worker process; a worker killed in the middle of a
job changes nothing; a bad row stays data."""

import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
from decimal import Decimal
import dask
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import kaidah
import kaidah.dask

ROOT = Path(__file__).resolve().parents[2]
DATE = "2026-11-25"

# The workers cannot import this file: its functions travel by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dask")


@pytest.fixture(scope="module")
def client(tmp_dir):
    # The workers' temporary folder, where each unpickled rulebook is written once (counted below).
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp_dir)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    if saved is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = saved
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def people():
    """The bundled population (320 people), with two bad rows in different partitions: a class
    that does not exist and a wage that is no number."""
    frame = pd.read_csv(ROOT / "examples" / "data" / "population.csv", dtype=str).set_index("id").drop(columns=["name"])
    frame.loc[frame.index[10], "kelas"] = "kelas_9"
    frame.loc[frame.index[250], "wage"] = "abc"
    return frame


def test_evaluate_on_two_worker_processes_equals_one_process(client, people, tmp_dir):
    jkn = kaidah.load("jkn")
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()  # processes, not threads
    answers = kaidah.dask.evaluate(jkn, dd.from_pandas(people, npartitions=8), DATE, jkn.outputs)
    # The columns' types are known before anything runs, from the rulebook's declarations.
    assert str(answers.dtypes["iuran_total"]) == "kaidah.decimal"
    assert str(answers.dtypes["arrears_months"]) == "Int64" and str(answers.dtypes["suspended"]) == "boolean"
    assert answers.dtypes["contribution_segment"] == "category"
    got = client.compute(answers).result()
    pd.testing.assert_frame_equal(got, kaidah.evaluate_frame(jkn, people, DATE, jkn.outputs))
    # The bad rows are data: their answers that read the bad value blank, with the reason.
    assert "kelas_9" in got.loc[people.index[10], "error"] and "wage" in got.loc[people.index[250], "error"]
    assert got["error"].isna().sum() == len(people) - 2
    # Totals stay exact across partitions: summary.json of kaidah sweep gives 45,486,250 for the
    # population; the two bad rows' contributions are blank.
    total = answers["iuran_total"].sum().compute()
    assert total == kaidah.evaluate_frame(jkn, people, DATE, ["iuran_total"])["iuran_total"].sum()
    assert isinstance(total, Decimal)
    # The rulebook was shipped as its sources and loaded at most once in each worker process (8
    # partitions): each load writes the sources into one folder of the workers' TMPDIR.
    assert 1 <= len(list(tmp_dir.glob("kaidah-rulebook-*"))) <= 2


def test_compare_on_the_cluster_equals_one_process(client, people):
    base, wider = kaidah.load("jkn"), kaidah.load("jkn", reform="pemutihan-wider")
    changes, summary = kaidah.dask.compare(base, wider, dd.from_pandas(people, npartitions=5), "2027-03-01")
    changes, summary = dask.compute(changes, summary)
    expected_changes, expected_summary = kaidah.compare(base, wider, people, "2027-03-01")
    assert summary == expected_summary and summary["changed"] > 0
    # The two bad rows are counted as errors, with their row in the problems, the others compared.
    assert (summary["cases"], summary["errors"], len(summary["problems"])) == (318, 2, 2)
    pd.testing.assert_frame_equal(changes.reset_index(drop=True), expected_changes)


def _slowly(partition, started):
    """A partition that takes half a second, saying which process runs it first."""
    Path(started, str(os.getpid())).touch()
    time.sleep(0.5)
    return partition


def test_a_worker_killed_in_the_middle_of_a_job_changes_nothing(client, people, tmp_path):
    jkn = kaidah.load("jkn")
    frame = dd.from_pandas(people, npartitions=16)
    slow = frame.map_partitions(_slowly, str(tmp_path), meta=frame._meta)
    future = client.compute(kaidah.dask.evaluate(jkn, slow, DATE, jkn.outputs))
    deadline = time.monotonic() + 60
    while not list(tmp_path.iterdir()):  # a worker is in the middle of a partition
        assert time.monotonic() < deadline
        time.sleep(0.02)
    killed = int(next(tmp_path.iterdir()).name)
    assert killed in client.run(os.getpid).values()
    os.kill(killed, signal.SIGKILL)
    got = future.result(timeout=300)
    pd.testing.assert_frame_equal(got, kaidah.evaluate_frame(jkn, people, DATE, jkn.outputs))
    client.wait_for_workers(2, timeout=60)  # the nanny started another
    assert killed not in client.run(os.getpid).values()


def test_a_rulebook_and_its_decimals_pickle_exactly():
    reformed = kaidah.load("jkn", reform="pemutihan-wider")
    again = pickle.loads(pickle.dumps(reformed))
    assert (again.name, again.reform, again.version) == ("jkn", "pemutihan-wider", reformed.version)
    assert pickle.loads(pickle.dumps(reformed)) is again  # loaded once in this process
    # An inactive class II PBPU, Nov 2026 - Feb 2027 unpaid: covered only by the reform
    # (tests/reform-pemutihan.yaml).
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu", "kelas": "kelas_2",
            "last_month_paid": "2026-10", "dtsen_decile": 3}
    assert again.evaluate(case, "2027-03-01", ["pemutihan_amount_written_off"]) == {
        "pemutihan_amount_written_off": Decimal("400000")}
    amounts = kaidah.DecimalArray._from_sequence(["0.000000000001", None, "123456789012345678901234.5"])
    back = pickle.loads(pickle.dumps(amounts))
    assert list(back.astype(object)) == list(amounts.astype(object)) and back.isna().tolist() == [False, True, False]


def test_the_national_sweep_writes_each_cooperative_as_kaidah_sweep_and_adds_them_up(client, tmp_path):
    """kaidah.dask.sweep over rosters in region folders: each cooperative's outputs are kaidah
    sweep's, byte for byte; the national figures are those of the whole population swept at once
    (every figure of report.summary adds up); the regions add up to the nation."""
    from kaidah import national

    population = pd.read_csv(ROOT / "examples" / "data" / "population.csv", dtype=str)
    rosters = tmp_path / "rosters"
    for region, name, rows in [("Aceh", "koperasi-1", slice(0, 100)), ("Aceh", "koperasi-2", slice(100, 200)),
                               ("Bali", "koperasi #3", slice(200, 320))]:
        (rosters / region).mkdir(parents=True, exist_ok=True)
        roster = population.iloc[rows]
        if region == "Bali":  # a column the rulebook does not read: a note of that roster's
            roster = roster.assign(catatan="x")
        roster.to_csv(rosters / region / f"{name}.csv", index=False)
    jkn = kaidah.load("jkn")
    out = rosters / "out"  # inside the rosters' folder: its people.csv files are never taken for rosters
    kaidah.dask.sweep(jkn, rosters, out, DATE)
    total = kaidah.dask.sweep(jkn, rosters, out, DATE)
    # A glob lays the outputs out below its folder before the first wildcard, whatever it matched.
    kaidah.dask.sweep(jkn, str(rosters / "*" / "koperasi-1.csv"), tmp_path / "glob", DATE)
    assert (tmp_path / "glob" / "Aceh" / "koperasi-1" / "summary.json").is_file()
    cli = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))
    subprocess.run([cli, "sweep", str(rosters / "Bali" / "koperasi #3.csv"), "--date", DATE, "--out",
                    str(tmp_path / "one"), "--no-progress"], capture_output=True, check=True)
    for file in ("people.csv", "summary.json"):
        assert (out / "Bali" / "koperasi #3" / file).read_bytes() == (tmp_path / "one" / file).read_bytes()
    # report.html names the roster it read: the same but for its path.
    assert ((out / "Bali" / "koperasi #3" / "report.html").read_text().replace(str(rosters / "Bali" / "koperasi #3.csv"), "R")
            == (tmp_path / "one" / "report.html").read_text().replace(str(rosters / "Bali" / "koperasi #3.csv"), "R"))
    subprocess.run([cli, "sweep", str(ROOT / "examples" / "data" / "population.csv"), "--date", DATE, "--out",
                    str(tmp_path / "whole"), "--no-progress"], capture_output=True, check=True)
    whole = json.loads((tmp_path / "whole" / "summary.json").read_text())
    for figure in jkn.summary:
        assert total[figure["name"]] == national._read(figure, whole[figure["name"]]), figure["name"]
    assert total["rows"] == whole["rows"] and total["work_lists"] == whole["work_lists"]
    assert total["monthly_contributions"]["total"] == Decimal("45486250") and total["to_register"] == 55
    assert (total["rosters"], total["regions"]["Aceh"]["rosters"], total["regions"]["Bali"]["rosters"]) == (3, 2, 1)
    assert total["regions"]["Aceh"]["to_register"] + total["regions"]["Bali"]["to_register"] == 55
    written = json.loads((out / "national" / "summary.json").read_text())
    assert written["monthly_contributions"]["total"] == "45486250" and written["regions"]["Bali"]["rows"]["read"] == 120
    page = (out / "national" / "report.html").read_text()
    assert "<h1>Hasil PESIAR nasional</h1>" in page and "Rp 45.486.250" in page
    assert "<a href='../Bali/koperasi%20%233/report.html'>Bali/koperasi #3</a>" in page
    # The roster with a note is listed to check, with the note.
    assert [r["roster"] for r in total["rosters_to_check"]] == ["Bali/koperasi #3"]
    assert "<h2>Daftar yang perlu diperiksa</h2>" in page and "column &#x27;catatan&#x27; is not an input" in page


def test_a_roster_that_cannot_be_read_fails_the_national_sweep_with_its_path(client, tmp_path):
    (tmp_path / "rosters").mkdir()
    (tmp_path / "rosters" / "koperasi-1.csv").write_text("id,name,citizenship\na,A,indonesian\n")
    (tmp_path / "rosters" / "koperasi-2.csv").write_bytes(b"id,name,citizenship\nb,B,indon\xe9sian\n")  # not UTF-8
    with pytest.raises(RuntimeError, match=r"kaidah sweep of .*koperasi-2\.csv failed: .*UTF-8"):
        kaidah.dask.sweep(kaidah.load("jkn"), tmp_path / "rosters", tmp_path / "out", DATE)
    with pytest.raises(FileNotFoundError, match="no roster"):
        kaidah.dask.sweep(kaidah.load("jkn"), tmp_path / "nothing-*.csv", tmp_path / "out", DATE)


def test_the_wrong_kind_of_frame_is_refused_with_what_to_use(people):
    """A Dask DataFrame given to evaluate_frame or compare would be read by pandas as one column of
    its column names: every person "needs citizenship", or no case at all, with no error."""
    jkn = kaidah.load("jkn")
    on_dask = dd.from_pandas(people, npartitions=2)
    with pytest.raises(TypeError, match="kaidah.dask.evaluate"):
        kaidah.evaluate_frame(jkn, on_dask, DATE, extra_columns="drop")
    with pytest.raises(TypeError, match="kaidah.dask.compare"):
        kaidah.compare(jkn, jkn, on_dask, DATE)
    with pytest.raises(TypeError, match="use kaidah.evaluate_frame, or dask.dataframe.from_pandas"):
        kaidah.dask.evaluate(jkn, people, DATE)
    with pytest.raises(TypeError, match="use kaidah.compare"):
        kaidah.dask.compare(jkn, jkn, people, DATE)
    # An index that may repeat across partitions (dd.read_csv's) is warned about: a change's row
    # would not say whose it is.
    with pytest.warns(UserWarning, match="set_index"):
        kaidah.dask.compare(jkn, jkn, on_dask.clear_divisions(), DATE)

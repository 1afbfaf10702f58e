"""bench/summarize.py: the table `make bench` prints, and how it reads issue #20's targets."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def median(name, per_second):
    return {"name": name, "run_name": name, "run_type": "aggregate", "aggregate_name": "median",
            "real_time": 1e9 / per_second, "time_unit": "ns", "items_per_second": per_second}


def table(tmp_path, benchmarks, sweep=None):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({"benchmarks": benchmarks}))
    files = [str(path)]
    if sweep:
        (tmp_path / "sweep.json").write_text(json.dumps({"sweep": sweep}))
        files.append(str(tmp_path / "sweep.json"))
    return subprocess.run([sys.executable, str(ROOT / "bench" / "summarize.py"), *files],
                          capture_output=True, text=True, check=True).stdout


def row(out, figure_prefix):
    return next(line for line in out.splitlines() if line.startswith(figure_prefix))


@pytest.mark.parametrize("reference, one, two, ratio, met", [
    # Issue #20: the contribution batch on 2 threads within 2x the hand-written loop's time.
    (54e6, 16e6, 30e6, "1.8x", "yes"),  # 54 / 30 = 1.8; 30 / 16 = 1.875 (1.88x one thread)
    (54e6, 4.2e6, 7.5e6, "7.2x", "no"),  # 54 / 7.5 = 7.2; 7.5 / 4.2 = 1.786
])
def test_the_contribution_target_is_a_ratio_to_the_reference(tmp_path, reference, one, two, ratio, met):
    out = table(tmp_path, [median("BM_ContributionReference/repeats:5/real_time", reference),
                           median("BM_ContributionBatch/1/repeats:5/real_time", one),
                           median("BM_ContributionBatch/2/repeats:5/real_time", two)])
    line = row(out, "batch, contribution set, 2 threads")
    assert f"{two / 1e6:.3f} M persons/s, {ratio} the reference's time, {two / one:.2f}x one thread" in line
    assert "<= 2x the reference's time" in line
    assert line.endswith(met)


def test_full_jkn_targets_and_the_cost_of_120_months(tmp_path):
    # Each figure twice: Value columns (typed 0) and typed columns in and out (1), each from its own run.
    name = "BM_JknBatch/{}/{}/{}/iterations:1/repeats:3/real_time"
    out = table(tmp_path, [median(name.format(1, 24, 0), 1.2e6), median(name.format(2, 24, 0), 2.1e6),
                           median(name.format(1, 120, 0), 0.8e6), median(name.format(2, 120, 0), 1.2e6),
                           median(name.format(1, 24, 1), 1.0e6), median(name.format(2, 24, 1), 1.9e6),
                           median(name.format(1, 120, 1), 1.0e6), median(name.format(2, 120, 1), 1.9e6)])
    line = row(out, "batch, full JKN, 24 months in arrears, Values in and out, 2 threads")
    assert "2.100 M persons/s, 1.75x one thread" in line  # 2.1 / 1.2
    assert line.split()[-4:] == [">=", "2", "M/s", "yes"]
    assert "1.200 M persons/s, 1.50x one thread" in row(out, "batch, full JKN, 120 months in arrears, Values in and out, 2 threads")
    # 2.1 / 1.2 = 1.75: 120 months take 1.75 times as long as 24, above 1.5
    assert row(out, "full JKN, Values in and out, 120 months' time").split()[-4:] == ["1.75x", "<=", "1.5x", "no"]
    typed = row(out, "batch, full JKN, 24 months in arrears, typed columns in and out, 2 threads")
    assert "1.900 M persons/s, 1.90x one thread" in typed  # 1.9 / 1.0
    assert typed.split()[-4:] == [">=", "2", "M/s", "no"]
    assert row(out, "full JKN, typed columns in and out, 120 months' time").split()[-4:] == ["1.00x", "<=", "1.5x", "yes"]


@pytest.mark.parametrize("seconds, megabytes, met", [(2.5, 200, "yes"), (3.5, 200, "no"), (2.5, 300, "no")])
def test_the_sweep_of_a_million_rows_meets_time_and_memory(tmp_path, seconds, megabytes, met):
    sweep = {"rows": 1_000_000, "1": {"seconds": seconds * 1.5, "peak_rss_bytes": megabytes * 2**20},
             "2": {"seconds": seconds, "peak_rss_bytes": megabytes * 2**20}}
    line = row(table(tmp_path, [], sweep), "kaidah sweep, 1,000,000 rows, --threads 2")
    assert f"{seconds:.2f} s, peak RSS {megabytes} MB, 1.50x --threads 1" in line
    assert "<= 3 s, <= 256 MB" in line
    assert line.endswith(met)


@pytest.mark.parametrize("rps, p99, batch_seconds, met_load, met_batch", [
    # Issue #22: >= 20,000 requests/s with p99 <= 5 ms; the batch within 2x the sweep's time.
    (24_651.0, 0.00478, 5.6, "yes", "yes"),  # 5.6 / 2.8 = 2.0x
    (24_651.0, 0.00548, 5.7, "no", "no"),    # p99 5.48 ms; 5.7 / 2.8 = 2.04x
    (18_000.0, 0.003, 30.0, "no", "no"),
])
def test_the_service_under_load_and_its_streamed_batch(tmp_path, rps, p99, batch_seconds, met_load, met_batch):
    sweep = {"rows": 1_000_000, "1": {"seconds": 4.0, "peak_rss_bytes": 100 * 2**20},
             "2": {"seconds": 2.8, "peak_rss_bytes": 100 * 2**20}}
    serve = {"evaluate": {"requests_per_second": rps, "p50_seconds": 0.0025, "p99_seconds": p99, "connections": 64, "non_2xx": 0},
             "batch": {"rows": 1_000_000, "seconds": batch_seconds, "decisions": 14},
             "batch_csv": {"rows": 1_000_000, "seconds": batch_seconds / 4, "decisions": 14}}
    (tmp_path / "serve.json").write_text(json.dumps({"serve": serve}))
    (tmp_path / "sweep.json").write_text(json.dumps({"sweep": sweep}))
    (tmp_path / "bench.json").write_text(json.dumps({"benchmarks": []}))
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "summarize.py"), str(tmp_path / "bench.json"),
                          str(tmp_path / "sweep.json"), str(tmp_path / "serve.json")],
                         capture_output=True, text=True, check=True).stdout
    load = row(out, "kaidah serve, POST /v1/evaluate, one PPU case a request, 64 connections")
    assert f"{rps:,.0f} requests/s, p50 2.50 ms, p99 {p99 * 1e3:.2f} ms" in load and load.endswith(met_load)
    batch = row(out, "kaidah serve, POST /v1/batch, 1,000,000 rows as NDJSON, the 14 outputs")
    assert f"{batch_seconds:.2f} s, {1 / batch_seconds:.2f} M persons/s, {batch_seconds / 2.8:.1f}x the sweep's time" in batch
    assert batch.endswith(met_batch)
    # The roster streamed as CSV, in a quarter of the time here: 5.6 / 4 = 1.4 s, 0.5x the sweep's.
    batch = row(out, "kaidah serve, POST /v1/batch, 1,000,000 rows as CSV, the 14 outputs")
    assert f"{batch_seconds / 4:.2f} s, {4 / batch_seconds:.2f} M persons/s, {batch_seconds / 4 / 2.8:.1f}x the sweep's time" in batch
    assert batch.endswith("yes" if batch_seconds / 4 <= 5.6 else "no")

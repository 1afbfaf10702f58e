"""The Python DataFrame path on the contribution set: the same 1,000,000 people as
bench/batch_bench.cpp (same generator), twice: as a typed DataFrame (categoricals for the enums,
exact kaidah.DecimalArray columns for money, int64 for months: the fast path) and as a
DataFrame of text and decimal.Decimal cells (objects, read cell by cell). Times
kaidah.evaluate_frame (the best of three runs), not the building of the frames; checks that both give the same exact
totals. Writes persons a second as JSON for bench/summarize.py.

Usage: python3 bench/python_batch.py OUT.json [PERSONS]   (PYTHONPATH=build/python)
"""

import decimal
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import kaidah

ROOT = Path(__file__).resolve().parents[1]
MASK = (1 << 64) - 1


def people(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    state = 20261124

    def draw() -> int:  # splitmix64, as in batch_bench.cpp
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    columns = {name: [None] * n for name in
               ("segment", "kelas", "wage", "minimum_wage", "arrears_months", "ina_cbg_estimate")}
    for i in range(n):
        ppu = draw() % 3 == 0
        kelas = draw() % 3 + 1
        wage = 1_500_000 + draw() % 14_000_000
        minimum = 2_000_000 + draw() % 3_000_000
        arrears = draw() % 40 if draw() % 4 == 0 else 0
        cbg = draw() % 90_000_000 if draw() % 10 == 0 else 0
        columns["segment"][i] = "ppu" if ppu else "pbpu"
        if ppu:
            columns["wage"][i] = decimal.Decimal(wage)
            columns["minimum_wage"][i] = decimal.Decimal(minimum)
        else:
            columns["kelas"][i] = f"kelas_{kelas}"
        columns["arrears_months"][i] = arrears
        columns["ina_cbg_estimate"][i] = decimal.Decimal(cbg)
    objects = pd.DataFrame(columns, dtype=object)

    def money(name: str) -> kaidah.DecimalArray:
        cells = columns[name]
        return kaidah.DecimalArray.from_integers(np.array([0 if c is None else int(c) for c in cells], dtype=np.int64),
                                                 np.array([c is None for c in cells]))

    typed = pd.DataFrame({
        "segment": pd.Categorical(columns["segment"], categories=["ppu", "pbpu"]),
        "kelas": pd.Categorical(columns["kelas"], categories=["kelas_1", "kelas_2", "kelas_3"]),
        "wage": money("wage"), "minimum_wage": money("minimum_wage"),
        "arrears_months": np.array(columns["arrears_months"], dtype=np.int64),
        "ina_cbg_estimate": money("ina_cbg_estimate")})
    return typed, objects


def main() -> None:
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rules = kaidah.load(ROOT / "bench" / "contribution")
    typed, objects = people(n)
    decisions = ["wage_base", "iuran_employer", "iuran_worker", "iuran_participant", "iuran_total",
                 "reactivation_amount", "denda"]
    figures, results = {}, {}
    for name, frame in (("typed", typed), ("objects", objects)):
        seconds = float("inf")
        for _ in range(3):  # the best of three, as a benchmark library would report a steady state
            start = time.perf_counter()
            result = kaidah.evaluate_frame(rules, frame, "2026-11-24", decisions)
            seconds = min(seconds, time.perf_counter() - start)
        failed = int(result["error"].notna().sum())
        if failed:
            sys.exit(f"{failed} rows failed: {result['error'].dropna().iloc[0]}")
        results[name] = result
        figures[name] = {"persons": n, "seconds": seconds, "persons_per_second": n / seconds}
        print(f"python evaluate_frame, {name} columns: {n} persons in {seconds:.2f} s = {n / seconds:,.0f} persons/s")
    for d in decisions:  # the two paths agree, to the rupiah
        totals = {name: sum(r[d].tolist()) for name, r in results.items()}
        if totals["typed"] != totals["objects"]:
            sys.exit(f"{d}: the typed and object paths differ: {totals}")
    out.write_text(json.dumps(figures))


if __name__ == "__main__":
    main()

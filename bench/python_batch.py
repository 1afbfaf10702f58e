"""The Python DataFrame path on the contribution set: the same 1,000,000 people as
bench/batch_bench.cpp (same generator), as a pandas DataFrame of text and decimal.Decimal
cells. Times kaidah.evaluate_frame, not the building of the frame. Writes persons a second as
JSON for bench/summarize.py.

Usage: python3 bench/python_batch.py OUT.json [PERSONS]   (PYTHONPATH=build/python)
"""

import decimal
import json
import sys
import time
from pathlib import Path

import pandas as pd

import kaidah

ROOT = Path(__file__).resolve().parents[1]
MASK = (1 << 64) - 1


def people(n: int) -> pd.DataFrame:
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
    return pd.DataFrame(columns, dtype=object)


def main() -> None:
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rules = kaidah.load(ROOT / "bench" / "contribution")
    frame = people(n)
    decisions = ["wage_base", "iuran_employer", "iuran_worker", "iuran_participant", "iuran_total",
                 "reactivation_amount", "denda"]
    start = time.perf_counter()
    result = kaidah.evaluate_frame(rules, frame, "2026-11-24", decisions)
    seconds = time.perf_counter() - start
    failed = int(result["error"].notna().sum())
    if failed:
        sys.exit(f"{failed} rows failed: {result['error'].dropna().iloc[0]}")
    out.write_text(json.dumps({"name": "python evaluate_frame, contribution set", "persons": n,
                               "seconds": seconds, "persons_per_second": n / seconds}))
    print(f"python evaluate_frame: {n} persons in {seconds:.2f} s = {n / seconds:,.0f} persons/s")


if __name__ == "__main__":
    main()

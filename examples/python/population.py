"""Evaluate a synthetic population around one cooperative and summarise contributions by segment.

Reads examples/data/population.csv (made by make_population.py) with every column as text, so
money stays exact from the file on, evaluates it with the JKN rulebook and prints, per segment,
the number of people and the monthly contributions by payer, in whole rupiah.

Run from a build tree:  PYTHONPATH=build/python /usr/bin/python3 examples/python/population.py
"""

import datetime
from pathlib import Path

import pandas as pd

import kaidah

DATA = Path(__file__).resolve().parents[1] / "data" / "population.csv"
DECISIONS = ["contribution_segment", "iuran_employer", "iuran_participant", "iuran_central_government",
             "iuran_regional_government", "arrears_amount", "next_action"]


def main(path: Path = DATA) -> pd.DataFrame:
    jkn = kaidah.load("jkn")
    people = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
    inputs = [c for c in people.columns if c in {i.name for i in jkn.inputs}]  # not id and name
    results = kaidah.evaluate_frame(jkn, people[inputs], datetime.date(2026, 11, 24), DECISIONS)
    failed = results["error"].notna()
    if failed.any():
        print(f"{failed.sum()} rows could not be evaluated:")
        print(results.loc[failed, "error"].to_string())
    money = ["iuran_employer", "iuran_participant", "iuran_central_government", "iuran_regional_government",
             "arrears_amount"]
    summary = results[~failed].groupby("contribution_segment", observed=True).agg(  # segments present
        people=("next_action", "size"), **{m: (m, "sum") for m in money})
    print(summary.to_string())
    print()
    print(results[~failed]["next_action"].value_counts().to_string())
    return summary


if __name__ == "__main__":
    main()

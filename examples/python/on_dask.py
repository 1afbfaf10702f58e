"""Every cooperative's roster on Dask: contributions by segment and what a reform changes.

Reads every roster matching a glob (one CSV a cooperative, every column as text so that money
stays exact), evaluates them with the JKN rulebook on a Dask cluster, and prints the people and
the monthly contributions by segment (exact Decimals, added up across partitions), then what the
pemutihan-wider reform would change. Without a scheduler's address it starts a local cluster of
two worker processes; on a real cluster, give the address `dask scheduler` printed.

Run from a build tree:
    PYTHONPATH=build/python /usr/bin/python3 examples/python/on_dask.py 'rosters/*.csv' [tcp://host:8786]
"""

import sys
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import kaidah
import kaidah.dask

DATA = Path(__file__).resolve().parents[1] / "data" / "population.csv"
DATE = "2026-11-25"


def main(rosters: str = str(DATA), scheduler: str | None = None) -> tuple[pd.DataFrame, dict]:
    cluster = None if scheduler else LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    with Client(scheduler or cluster):
        jkn = kaidah.load("jkn")
        # One partition a roster (blocksize=None); an empty cell is not given; id and name are no inputs.
        people = dd.read_csv(rosters, dtype=str, blocksize=None)
        answers = kaidah.dask.evaluate(jkn, people, DATE, ["contribution_segment", "iuran_total"],
                                       extra_columns="drop")
        by_segment = answers.groupby("contribution_segment", observed=True)["iuran_total"].agg(["count", "sum"])
        wider = kaidah.load("jkn", reform="pemutihan-wider")
        changes, summary = kaidah.dask.compare(jkn, wider, people.set_index("id"), "2027-03-01", extra_columns="drop")
        by_segment, summary = dask.compute(by_segment, summary)
    if cluster is not None:
        cluster.close()
    by_segment.columns = ["people", "iuran_total"]
    by_segment = by_segment[by_segment["people"] > 0]  # the segments present
    print(by_segment.to_string())
    print(f"\npemutihan-wider changes something for {summary['changed']} of {summary['cases']} people; "
          f"write-off: +Rp {summary['by_decision']['pemutihan_amount_written_off']['total_change']:,}")
    return by_segment, summary


if __name__ == "__main__":
    main(*sys.argv[1:])

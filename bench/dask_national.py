"""The national run on Dask: PERSONS people of the synthetic national population
(examples/python/national_population.py, made partition by partition, nothing stored) through
kaidah.dask.evaluate with the full JKN rulebook (its outputs), on a LocalCluster of WORKERS worker
processes of one thread, reduced to the people and the exact monthly contributions by province.
Then the same partitions one after the other in this process (kaidah.evaluate_frame, one thread),
for the ratio. Prints throughput, each worker's peak memory and the ratio; checks that every
person got an answer.

Usage: python3 bench/dask_national.py [PERSONS] [ROWS_PER_PARTITION] [WORKERS] [SINGLE_PARTITIONS]
       (PYTHONPATH=build/python; defaults 20,000,000, 250,000, 2 and 4: the single-process rate is
       measured on that many partitions)
"""

import logging
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "python"
# The workers import the generator by name (and keep its pool once per process).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLES), os.environ.get("PYTHONPATH")]))
sys.path.insert(0, str(EXAMPLES))

import dask  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import kaidah  # noqa: E402
import kaidah.dask  # noqa: E402
import national_population as national  # noqa: E402

DATE = "2026-11-25"
NOT_INPUTS = ["id", "province", "cooperative"]


def by_province(answers, people):
    """People and the exact monthly contributions (iuran_total) by province."""
    frame = answers[["iuran_total"]].assign(province=people["province"])
    return frame.groupby("province")["iuran_total"].agg(["count", "sum"])


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(persons: int = 20_000_000, rows: int = 250_000, workers: int = 2, single: int = 4) -> None:
    partitions = max(1, persons // rows)
    persons = partitions * rows
    jkn = kaidah.load("jkn")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.run(national.pool)  # each worker makes the pool once, as a long job would
        people = national.population(partitions, rows)
        answers = kaidah.dask.evaluate(jkn, people.drop(columns=NOT_INPUTS), DATE, jkn.outputs)
        start = time.perf_counter()
        totals = dask.compute(by_province(answers, people))[0]
        seconds = time.perf_counter() - start
        assert int(totals["count"].sum()) == persons  # every person got an answer
        memory = client.run(peak_memory_mb)
    national.pool()
    start = time.perf_counter()
    for index in range(single):
        part = national.partition(index, rows)
        one = kaidah.evaluate_frame(jkn, part.drop(columns=NOT_INPUTS), DATE, jkn.outputs, threads=1)
        assert one["iuran_total"].notna().all()
    single_seconds = (time.perf_counter() - start) / (single * rows) * persons
    cluster_rate, single_rate = persons / seconds, persons / single_seconds
    print(f"kaidah.dask.evaluate, full JKN rulebook ({len(jkn.outputs)} outputs), {persons:,} persons in "
          f"{partitions} partitions of {rows:,}, {workers} worker processes:")
    print(f"  {seconds:.1f} s, {cluster_rate / 1e6:.3f} M persons/s "
          f"(made, evaluated and reduced by province; {int(totals['count'].sum()):,} answers, "
          f"Rp {totals['sum'].sum():,} a month)")
    print("  peak memory per worker: " + ", ".join(f"{mb:,.0f} MB" for mb in memory.values()))
    print(f"  one process, one thread (evaluate_frame on {single} partitions, extrapolated): {single_rate / 1e6:.3f} M persons/s")
    print(f"  ratio: {cluster_rate / single_rate:.2f}x one process")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])

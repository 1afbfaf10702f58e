"""A synthetic national population for kaidah.dask, made partition by partition: nothing is stored.

Each partition is a block of cooperatives of one province: people drawn (with a seed, so that a
partition is the same every time it is made, on any worker) from a pool made by make_population.py,
which has the bundled roster's proportions of segments, classes, arrears histories and families.
Provinces are drawn in proportion to their population.

    import national_population as national
    people = national.population(partitions=80, rows=250_000)   # 20 million people, a Dask DataFrame

Columns: the JKN rulebook's inputs, and `id`, `province` and `cooperative` (not inputs). Nobody in
it is a real person.
"""

import functools
import random
import runpy
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent

# Indonesia's 38 provinces with their population in millions, rounded (BPS, mid-2024 projection;
# approximate, used only to draw provinces in realistic proportions).
PROVINCES = {
    "Aceh": 5.5, "Sumatera Utara": 15.6, "Sumatera Barat": 5.8, "Riau": 7.0, "Jambi": 3.7, "Sumatera Selatan": 8.8,
    "Bengkulu": 2.1, "Lampung": 9.4, "Kepulauan Bangka Belitung": 1.5, "Kepulauan Riau": 2.2, "DKI Jakarta": 10.7,
    "Jawa Barat": 50.3, "Jawa Tengah": 37.9, "DI Yogyakarta": 3.8, "Jawa Timur": 41.8, "Banten": 12.4, "Bali": 4.4,
    "Nusa Tenggara Barat": 5.6, "Nusa Tenggara Timur": 5.7, "Kalimantan Barat": 5.6, "Kalimantan Tengah": 2.8,
    "Kalimantan Selatan": 4.2, "Kalimantan Timur": 4.0, "Kalimantan Utara": 0.7, "Sulawesi Utara": 2.7,
    "Sulawesi Tengah": 3.1, "Sulawesi Selatan": 9.4, "Sulawesi Tenggara": 2.8, "Gorontalo": 1.2, "Sulawesi Barat": 1.5,
    "Maluku": 1.9, "Maluku Utara": 1.4, "Papua Barat": 0.6, "Papua Barat Daya": 0.6, "Papua": 1.1,
    "Papua Selatan": 0.5, "Papua Tengah": 1.4, "Papua Pegunungan": 1.5,
}
PEOPLE_PER_COOPERATIVE = 3_500  # 280 million participants over about 80,000 cooperatives


@functools.lru_cache(maxsize=1)
def pool(size: int = 20_000) -> pd.DataFrame:
    """People as make_population.py makes them (its seed), every column text; employees of a
    cooperative in the bundled roster's proportion (20 of every 320)."""
    maker = runpy.run_path(str(HERE / "make_population.py"))
    rng = random.Random(20251230)
    rows = [maker["person"](rng, i % 320) for i in range(size)]
    frame = pd.DataFrame(rows, columns=maker["COLUMNS"]).drop(columns=["id", "name"])
    return frame.replace("", None)


def partition(index: int, rows: int) -> pd.DataFrame:
    """Partition `index`: `rows` people of one province's cooperatives, the same every time."""
    rng = np.random.default_rng(index)
    names = list(PROVINCES)
    weights = np.array([PROVINCES[p] for p in names])
    province = names[rng.choice(len(names), p=weights / weights.sum())]
    people = pool().sample(n=rows, replace=True, random_state=rng).reset_index(drop=True)
    first = index * rows
    people.index = pd.RangeIndex(first, first + rows, name="row")
    people.insert(0, "id", [f"P{first + k:010d}" for k in range(rows)])
    people.insert(1, "province", province)
    people.insert(2, "cooperative", [f"KDMP-{index:05d}-{k // PEOPLE_PER_COOPERATIVE:03d}" for k in range(rows)])
    return people


def population(partitions: int, rows: int):
    """A Dask DataFrame of `partitions` x `rows` people, each partition made where it is used."""
    import dask.dataframe as dd

    return dd.from_map(partition, range(partitions), rows=rows, meta=partition(0, 0),
                       divisions=[k * rows for k in range(partitions)] + [partitions * rows - 1])

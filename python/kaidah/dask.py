"""kaidah on Dask: the same evaluations and comparisons as :func:`kaidah.evaluate_frame` and
:func:`kaidah.compare`, partition by partition, on one machine or a cluster.

>>> import dask.dataframe as dd, kaidah, kaidah.dask
>>> jkn = kaidah.load("jkn")
>>> people = dd.read_csv("rosters/*.csv", dtype=str)            # every cooperative's roster
>>> answers = kaidah.dask.evaluate(jkn, people, "2026-11-25", ["iuran_total"], extra_columns="drop")
>>> answers["iuran_total"].sum().compute()                      # exact: a Decimal

A rulebook travels to the workers as its sources (pickling a :class:`kaidah.Rulebook` carries its
files) and is loaded once per worker process. Every reduction stays exact: decimal columns are
:class:`kaidah.DecimalArray`, and the summary of a comparison adds up partition summaries as
integers and Decimals, never floats.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Sequence

import dask
import dask.dataframe as dd
import pandas as pd

from dask.dataframe.extensions import make_array_nonempty

from . import Rulebook, compare as _compare, evaluate_frame
from .decimal_array import DecimalArray, DecimalDtype

__all__ = ["evaluate", "compare"]


@make_array_nonempty.register(DecimalDtype)
def _nonempty_decimals(dtype: DecimalDtype) -> DecimalArray:
    """What Dask tries an operation on before running it (its "non-empty meta")."""
    return DecimalArray._from_sequence(["1", None], dtype=dtype)


def evaluate(rulebook: Rulebook, frame: dd.DataFrame, date: datetime.date | str, decisions: Sequence[str] | None = None,
             *, errors: str = "keep", convert_floats: bool = False, extra_columns: str = "raise",
             threads: int = 1) -> dd.DataFrame:
    """:func:`kaidah.evaluate_frame` of each partition of ``frame``: a Dask DataFrame with the same
    index, the same typed columns (decimals as :class:`kaidah.DecimalArray`, nullable Int64 and
    boolean, enums as categoricals) and the same ``error`` column, row for row. The columns' types
    (Dask's ``meta``) come from the rulebook's declarations, before any partition is read. A bad
    row is kept as data, as in ``evaluate_frame``: its answers blank and its reason in ``error``.
    ``threads`` is per partition (1: Dask runs one partition a thread)."""
    meta = evaluate_frame(rulebook, frame._meta, date, decisions, errors=errors, convert_floats=convert_floats,
                          extra_columns=extra_columns)
    return frame.map_partitions(_evaluate_partition, rulebook, date, decisions, errors=errors,
                                convert_floats=convert_floats, extra_columns=extra_columns, threads=threads, meta=meta)


def _evaluate_partition(partition: pd.DataFrame, rulebook: Rulebook, *args: Any, **options: Any) -> pd.DataFrame:
    return evaluate_frame(rulebook, partition, *args, **options)


def compare(base: Rulebook, reform: Rulebook, frame: dd.DataFrame, date: datetime.date | str,
            decisions: Sequence[str] | None = None, *, extra_columns: str = "raise"):
    """:func:`kaidah.compare` over every partition of ``frame``: returns ``(changes, summary)``,
    both lazy. ``changes`` is a Dask DataFrame with the rows ``kaidah.compare`` gives (``row`` is
    the frame's index); ``summary`` a Dask Delayed of the same dict, the partitions' summaries
    added up exactly (counts and Decimal totals added, largest changes the largest of all,
    problems in partition order). Compute them together so that each partition is compared once:
    ``changes, summary = dask.compute(changes, summary)``."""
    parts = [dask.delayed(_compare, nout=2)(base, reform, part, date, decisions, extra_columns=extra_columns)
             for part in frame.to_delayed()]
    meta = pd.DataFrame({"row": pd.Series(dtype=frame.index.dtype), "decision": pd.Series(dtype=object),
                         "before": pd.Series(dtype=object), "after": pd.Series(dtype=object),
                         "difference": pd.Series(dtype=object), "causes": pd.Series(dtype=object)})
    changes = dd.from_delayed([changes for changes, _ in parts], meta=meta, verify_meta=False)
    summary = dask.delayed(_summary_of_all)([summary for _, summary in parts])
    return changes, summary


# How two partitions' figures of one key combine; every other number adds.
_LARGEST = {"largest_increase": max, "largest_decrease": min}


def _merged(a: Any, b: Any, key: str = "") -> Any:
    """Two partitions' summaries (or parts of them) as one: dicts key by key (in the order first
    met), counts and amounts added, the largest changes compared, lists joined."""
    if isinstance(a, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merged(a[k], v, k) if k in a else v
        return out
    if isinstance(a, list):
        return a + b
    if key in _LARGEST:
        return b if a is None else a if b is None else _LARGEST[key](a, b)
    if isinstance(a, (int, decimal.Decimal)) and isinstance(b, (int, decimal.Decimal)):
        return a + b
    raise TypeError(f"cannot add up the summaries' {key!r}: {a!r} and {b!r}")


def _summary_of_all(summaries: list[dict]) -> dict:
    total = summaries[0]
    for s in summaries[1:]:
        total = _merged(total, s)
    return total

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
import glob
import itertools
import json
import os
import subprocess
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import dask
import dask.dataframe as dd
import pandas as pd

from dask.dataframe.extensions import make_array_nonempty

from . import Rulebook, compare as _compare, evaluate_frame
from .decimal_array import DecimalArray, DecimalDtype

__all__ = ["evaluate", "compare", "sweep"]


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
    _dask_frame(frame, "evaluate_frame")
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
    problems in partition order; keys may come in another order than one process's). Compute them
    together so that each partition is compared once: ``changes, summary = dask.compute(changes,
    summary)``. ``row`` is the frame's index: give it one that tells people apart."""
    _dask_frame(frame, "compare")
    if not frame.known_divisions:
        warnings.warn("the frame's index is not known to tell people apart across partitions (dd.read_csv numbers "
                      "each partition's rows from 0), so a change's row may not say whose it is: set one, "
                      "frame.set_index('id')", UserWarning, stacklevel=2)
    parts = [dask.delayed(_compare, nout=2)(base, reform, part, date, decisions, extra_columns=extra_columns)
             for part in frame.to_delayed()]
    meta = pd.DataFrame({"row": pd.Series(dtype=frame.index.dtype), "decision": pd.Series(dtype=object),
                         "before": pd.Series(dtype=object), "after": pd.Series(dtype=object),
                         "difference": pd.Series(dtype=object), "causes": pd.Series(dtype=object)},
                        index=pd.RangeIndex(0))
    changes = dd.from_delayed([changes for changes, _ in parts], meta=meta, verify_meta=False)
    summary = dask.delayed(_summary_of_all)([summary for _, summary in parts])
    return changes, summary


def _dask_frame(frame: Any, pandas_function: str) -> None:
    if isinstance(frame, pd.DataFrame):
        raise TypeError(f"a pandas DataFrame: use kaidah.{pandas_function}, or dask.dataframe.from_pandas(frame, "
                        "npartitions=…) to run it on Dask")
    if not isinstance(frame, dd.DataFrame):
        raise TypeError(f"expected a Dask DataFrame, got {type(frame).__name__}")


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


def sweep(rulebook: Rulebook, rosters: str | Path | Sequence[str | Path], out: str | Path, date: datetime.date | str,
          *, language: str = "id", region: Callable[[Path], str] | None = None) -> dict:
    """``kaidah sweep`` of every roster, one Dask task each, then the national summary.

    ``rosters``: a folder (its ``*.csv``, in every subfolder), a glob (``"rosters/*/*.csv"``) or a
    list of paths: one CSV a cooperative. Each roster's people.csv, summary.txt, summary.json and
    report.html are written by the kaidah command itself, exactly as ``kaidah sweep`` writes them,
    to ``out/`` and the roster's path below the rosters' common folder without ``.csv``
    (``rosters/Aceh/koperasi-1.csv``: ``out/Aceh/koperasi-1/``). The rules are those loaded (the
    rulebook's sources, as pickling carries them), not the folder as it may be now. A roster whose
    rows are partly answered is no failure (its summary says so); one that cannot be read fails
    the job with its path and the reason. Then ``out/national/summary.json`` and ``report.html``:
    every figure of the rulebook's ``report.summary`` added up over the rosters, exactly,
    nationally and by region. A roster's region is ``region(path)``; by default the name of its
    folder (Aceh). Returns the national summary (counts as int, amounts as Decimal)."""
    from . import national

    out = Path(out).resolve()
    paths = [p for p in _roster_paths(rosters) if out not in p.parents]  # not the outputs of an earlier run
    if not paths:
        raise FileNotFoundError(f"no roster (*.csv) in {rosters}")
    root = _rosters_folder(rosters, paths)
    names = [p.relative_to(root).with_suffix("").as_posix() for p in paths]  # unique, as the paths are
    if "national" in {n.split("/")[0] for n in names}:
        raise ValueError(f"a roster's outputs would be in {out / 'national'}, where the national summary goes; rename it")
    region = region or (lambda path: path.parent.name)
    tasks = [dask.delayed(_sweep_roster, pure=False)(rulebook, str(p), str(out / n), str(date), language)
             for p, n in zip(paths, names)]
    summaries = dask.compute(*tasks)
    rosters_read = [(n, region(p), s) for p, n, s in zip(paths, names, summaries)]
    total = national.national_summary(rulebook, str(date), rosters_read)
    (out / "national").mkdir(parents=True, exist_ok=True)
    (out / "national" / "summary.json").write_text(national.to_json(total), encoding="utf-8")
    (out / "national" / "report.html").write_text(national.report_html(rulebook, total, rosters_read, language),
                                                   encoding="utf-8")
    return total


def _roster_paths(rosters: str | Path | Sequence[str | Path]) -> list[Path]:
    """The rosters, as absolute paths (a worker may run elsewhere; a name never reads as an option)."""
    if isinstance(rosters, (str, Path)) and Path(rosters).is_dir():
        paths = Path(rosters).rglob("*.csv")
    elif isinstance(rosters, (str, Path)):
        paths = (Path(p) for p in glob.glob(str(rosters)))
    else:
        paths = (Path(p) for p in rosters)
    return sorted(p.resolve() for p in paths)


def _rosters_folder(rosters: str | Path | Sequence[str | Path], paths: list[Path]) -> Path:
    """What the rosters' outputs are laid out below: the folder given, a glob's folder before its
    first wildcard (rosters/*/*.csv: rosters), or the folder a list's rosters have in common."""
    if isinstance(rosters, (str, Path)):
        given = Path(rosters)
        if given.is_dir():
            return given.resolve()
        if not glob.has_magic(str(given)):  # one roster's path
            return given.resolve().parent
        fixed = [part for part in itertools.takewhile(lambda part: not glob.has_magic(part), given.parts)]
        return Path(*fixed).resolve() if fixed else Path.cwd()
    return Path(os.path.commonpath([p.parent for p in paths]))


# The kaidah command the package carries (python/CMakeLists.txt copies it in).
_COMMAND = Path(__file__).resolve().parent / "bin" / "kaidah"


def _sweep_roster(rulebook: Rulebook, roster: str, out: str, date: str, language: str) -> dict:
    """kaidah sweep of one roster into ``out``; its summary.json. Exit 1 (rows partly answered) is
    a result; anything else fails with the roster's path and what the command said."""
    from . import _unpickle

    rules = _unpickle(rulebook._sources) if rulebook._sources else rulebook  # as loaded, in this process once
    command = [str(_COMMAND), "sweep", str(rules.path), roster, "--date", date, "--out", out,
               "--language", language, "--threads", "1", "--no-progress"]
    if rules.reform_path is not None:
        command += ["--reform", str(rules.reform_path)]
    Path(out, "summary.json").unlink(missing_ok=True)  # what is there after the run is this run's
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode not in (0, 1) or not (Path(out) / "summary.json").is_file():
        raise RuntimeError(f"kaidah sweep of {roster} failed: {run.stderr.strip() or f'exit status {run.returncode}'}")
    return json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))

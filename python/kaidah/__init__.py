"""Exact, explainable JKN rules: load a rulebook, evaluate cases, ask why.

>>> import datetime, decimal, kaidah
>>> jkn = kaidah.load("jkn")
>>> worker = {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
...           "kopdes_merah_putih": True, "wage": decimal.Decimal("3500000"),
...           "minimum_wage": decimal.Decimal("2500000")}
>>> jkn.evaluate(worker, datetime.date(2026, 11, 24), ["iuran_employer", "iuran_worker"])
{'iuran_employer': Decimal('140000'), 'iuran_worker': Decimal('35000')}

Money is ``decimal.Decimal`` both ways (a float is refused), dates are ``datetime.date``, months
are :class:`Month` (or text like ``"2025-01"`` on input), enum values are their YAML spelling.
NumPy and pandas values are read too (:meth:`Rulebook.evaluate` lists them), exactly and whatever
the ``decimal`` context. ``decisions=None`` asks for every decision, ``[]`` for none.
"""

from __future__ import annotations

import datetime as _datetime
import decimal
import html as _html
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from . import _kaidah
from ._kaidah import Month, __version__
from ._kaidah import Rulebook as _Rulebook
from .errors import CaseError, Diagnostic, EvaluationError, FloatError, KaidahError, LoadError, SourceLocation

__all__ = [
    "load", "bundled_rulebooks", "Rulebook", "Answers", "Explanation", "Month", "InputInfo", "ParameterInfo",
    "ParameterValue", "DecisionInfo", "ScenarioOutcome", "KaidahError", "LoadError", "CaseError",
    "FloatError", "EvaluationError", "Diagnostic", "SourceLocation", "evaluate_frame", "numeric_view", "compare",
    "DecimalArray", "DecimalDtype", "LIMITS",
    "__version__",
]

_BUNDLED = Path(__file__).resolve().parent / "rules"

#: The limits :func:`load` takes, each with its default (``{"max_errors": 50, ...}``): read from the
#: C++ library's ``LoadOptions``, where they are written once. Read-only: pass a limit to load().
LIMITS: Mapping[str, int] = MappingProxyType(dict(_kaidah.default_limits()))


def bundled_rulebooks() -> list[str]:
    """The names of the rulebooks shipped with kaidah (``["jkn"]``)."""
    if not _BUNDLED.is_dir():
        return []
    return sorted(p.name for p in _BUNDLED.iterdir() if (p / "rulebook.yaml").is_file())


def load(path: str | Path, *, reform: str | Path | None = None, **limits: int) -> "Rulebook":
    """Loads, checks and compiles a rulebook: a folder path, or the name of a bundled one ("jkn").

    ``reform`` applies a reform overlay: a YAML file, or the name of one in the rulebook's
    ``reforms/`` folder (``kaidah.load("jkn", reform="kris-single-rate")``). The base is not
    changed: load it without ``reform`` to compare the two (:func:`compare`).

    ``limits`` are those of the rule language reference ("Limits"), for the rulebook and its reform
    alike: :data:`LIMITS` names each with its default (``kaidah.load("jkn", max_iterations=10**7)``).
    A name that is not a limit raises TypeError, a value out of range ValueError.

    Raises :class:`LoadError` with every problem found (``.diagnostics``), the reform's included;
    a rulebook that does not check never loads half-way.
    """
    candidate = Path(path)
    if not candidate.exists() and isinstance(path, str) and path in bundled_rulebooks():
        candidate = _BUNDLED / path
    overlay = None
    if reform is not None:
        overlay = Path(reform)
        if not overlay.exists() and (candidate / "reforms" / f"{reform}.yaml").is_file():
            overlay = candidate / "reforms" / f"{reform}.yaml"
    sources = _Sources.read(candidate, overlay, limits)
    if overlay is not None:
        reformed = Rulebook(_kaidah.load_reform(str(candidate), str(overlay), **limits), candidate, sources)
        reformed.reform_path = overlay
        return reformed
    return Rulebook(_Rulebook.load(str(candidate), **limits), candidate, sources)


@dataclass(frozen=True)
class _Sources:
    """What a rulebook was loaded from, as bytes: what a pickled :class:`Rulebook` carries, so that
    another process (a Dask worker on another machine) loads the same rules without the files."""

    files: tuple[tuple[str, bytes], ...]  # (path in the folder, contents): the files the loader reads
    reform: tuple[str, bytes] | None   # the reform overlay's file name and contents
    limits: tuple[tuple[str, int], ...]

    @staticmethod
    def read(folder: Path, reform: Path | None, limits: Mapping[str, int]) -> "_Sources | None":
        """The files the C++ loader reads (src/load/loader.cpp load_files: every .yaml or .yml, but
        not in the top-level folders tests/, reforms/ or hidden ones); None when the folder cannot
        be read (loading then says why)."""
        try:
            files = []
            for file in sorted(folder.rglob("*")):
                relative = file.relative_to(folder)
                top = relative.parts[0]
                if len(relative.parts) > 1 and (top in ("tests", "reforms") or top.startswith(".")):
                    continue
                if file.suffix.lower() in (".yaml", ".yml") and file.is_file():
                    files.append((relative.as_posix(), file.read_bytes()))
            overlay = (reform.name, reform.read_bytes()) if reform is not None else None
        except OSError:
            return None
        return _Sources(tuple(files), overlay, tuple(sorted(limits.items())))

    def key(self) -> str:
        """A hash of everything loading depends on: equal keys, equal rulebooks."""
        import hashlib

        h = hashlib.sha256()
        for part in (*[b for f in self.files for b in (f[0].encode(), f[1])],
                     *(self.reform or ()), repr(self.limits).encode()):
            part = part if isinstance(part, bytes) else part.encode()
            h.update(len(part).to_bytes(8, "little") + part)
        return h.hexdigest()


# Rulebooks unpickled in this process, by their sources' key: a job of 1,000 partitions loads its
# rulebook once per worker process, not once per partition (the lock: once, whatever the threads).
_UNPICKLED: dict[str, "Rulebook"] = {}
_UNPICKLING = threading.Lock()


def _unpickle(sources: _Sources) -> "Rulebook":
    """The rulebook of ``sources``, written into a temporary folder and loaded, once per process.
    Its rules only: the folder has no tests/ (run_tests needs the original)."""
    key = sources.key()
    with _UNPICKLING:
        if key not in _UNPICKLED:
            import atexit
            import shutil
            import tempfile

            where = Path(tempfile.mkdtemp(prefix="kaidah-rulebook-"))
            atexit.register(shutil.rmtree, where, True)
            folder = where / "rulebook"
            for name, contents in sources.files:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(contents)
            overlay = None
            if sources.reform is not None:
                overlay = where / "reform" / sources.reform[0]
                overlay.parent.mkdir()
                overlay.write_bytes(sources.reform[1])
            _UNPICKLED[key] = load(folder, reform=overlay, **dict(sources.limits))
        return _UNPICKLED[key]


load.__doc__ = (load.__doc__ or "") + "\n    The limits and their defaults: " + ", ".join(
    f"``{name}={value}``" for name, value in LIMITS.items()) + ".\n"


@dataclass(frozen=True)
class _Declared:
    name: str
    type: str
    description: str
    unit: str
    legal_basis: str
    values: list[str]  # the allowed values of an enum


@dataclass(frozen=True)
class InputInfo(_Declared):
    """A declared input: a fact a case may give (``default`` None: none)."""

    default: Any
    fields: list[dict]  # for a list of records: name, type, description, values, default


@dataclass(frozen=True)
class ParameterValue:
    """One dated value of a parameter (``value`` None: the parameter ended that day)."""

    effective_from: _datetime.date
    value: Any
    legal_basis: str
    from_reform: bool = False  # set by the reform applied


@dataclass(frozen=True)
class ParameterInfo:
    """A parameter with its dated history."""

    name: str
    type: str
    description: str
    unit: str
    values: list[str]
    history: list[ParameterValue]

    def at(self, date: _datetime.date) -> ParameterValue | None:
        """The value in force on ``date``, or None."""
        current = None
        for v in self.history:
            if v.effective_from <= date:
                current = v
        return current if current is not None and current.value is not None else None

    def history_frame(self):
        """The history as a pandas DataFrame (effective_from, value, legal_basis)."""
        import pandas as pd

        return pd.DataFrame([vars(v) for v in self.history], columns=["effective_from", "value", "legal_basis"])


@dataclass(frozen=True)
class DecisionInfo(_Declared):
    """A declared decision with its legal basis and its formula or table (rows: when, then, legal_basis)."""

    optional: bool
    formula: str
    table: list[dict]
    from_reform: bool = False  # added or replaced by the reform applied
    label: dict = field(default_factory=dict)  # language -> its title ({"id": "Iuran per bulan", ...})
    value_labels: dict = field(default_factory=dict)  # an enum value -> language -> its title


@dataclass(frozen=True)
class ScenarioOutcome:
    """The outcome of one scenario test."""

    name: str
    location: str
    passed: bool
    message: str


class Answers(dict):
    """The decisions that have a value for a case (decision -> value), as :meth:`Rulebook.evaluate`
    gives them. With ``errors="keep"``, ``errors`` maps each decision asked for that could not be
    computed to its :class:`EvaluationError` (``.input`` names the input behind it, if that is
    the cause), and ``refused`` lists a :class:`CaseError` for each value of the case that did not
    fit its input. Reading a decision that has no value raises its error, never gives None.
    """

    def __init__(self, values: dict, errors: dict | None = None, refused: list | None = None):
        super().__init__(values)
        self.errors: dict[str, EvaluationError] = dict(errors or {})
        self.refused: list[CaseError] = list(refused or [])

    def __missing__(self, decision: str):
        if decision in self.errors:
            raise self.errors[decision]
        raise KeyError(decision)

    def get(self, decision: str, default: Any = None) -> Any:
        """As dict.get, but a decision that could not be computed raises its error: never None."""
        if decision in self.errors:
            raise self.errors[decision]
        return super().get(decision, default)

    @property
    def ok(self) -> bool:
        """Every decision asked for has a value and every value given was accepted."""
        return not self.errors and not self.refused


class Explanation:
    """Why a result is what it is: every decision computed, with its value, formula or table row,
    legal basis, the inputs it read and each parameter value with its effective date and citation
    (``from_reform``: True for a decision or parameter value a reform set).

    ``str(x)`` or :meth:`to_text` is the readable legal argument, :meth:`to_dict` the tree as
    Python values, :meth:`to_json` the documented JSON form; in Jupyter it renders as HTML.
    """

    def __init__(self, data: dict, errors: dict | None = None, refused: list | None = None):
        self._data = data
        self.errors: dict[str, EvaluationError] = dict(errors or {})  #: decision asked for -> why it has no value
        self.refused: list[CaseError] = list(refused or [])  #: the values of the case that were refused

    @property
    def date(self) -> _datetime.date:
        return self._data["date"]

    @property
    def roots(self) -> list[str]:
        return list(self._data["roots"])

    @property
    def decisions(self) -> dict[str, dict]:
        """Decision name -> its trace (value, unit, description, legal_basis, formula, row,
        conditions, row_legal_basis, decisions, inputs, parameters, from_reform, error)."""
        return self._data["decisions"]

    def __getitem__(self, decision: str) -> dict:
        return self.decisions[decision]

    def to_text(self) -> str:
        return self._data["text"]

    def to_dict(self) -> dict:
        return {"date": self.date, "roots": self.roots, "decisions": self.decisions}

    def to_json(self) -> str:
        return self._data["json"]

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Explanation of {', '.join(self.roots)} on {self.date}>"

    def _repr_html_(self) -> str:
        shown: set[str] = set()

        def shown_value(d: dict) -> str:
            # Rupiah as an Indonesian reads it (Rp 1.234.567,50); anything else as it is.
            if d["unit"] == "rupiah" and isinstance(d["value"], decimal.Decimal) and d["value"].is_finite():
                text = f"{d['value']:f}"  # exact digits, never the exponent form
                sign, number = ("-", text[1:]) if text.startswith("-") else ("", text)
                whole, _, cents = number.partition(".")
                grouped = f"{int(whole):,}".replace(",", ".")
                return f"{sign}Rp {grouped}" + (f",{cents}" if cents else "")
            return f"{d['value']}" + (f" {d['unit']}" if d["unit"] else "")

        def block(name: str) -> str:
            d = self.decisions[name]
            value = _html.escape(shown_value(d))
            head = f"<summary><b>{_html.escape(name)}</b> = {value}</summary>"
            if name in shown:
                return f"<details>{head}<i>explained above</i></details>"
            shown.add(name)
            rows = [f"<div>{_html.escape(d['description'])}</div>",
                    f"<div><i>legal basis:</i> {_html.escape(d['legal_basis'])}</div>"]
            if d["row"]:
                when = " and ".join(d["conditions"]) or "(default row)"
                rows.append(f"<div><i>table row {d['row']}:</i> <code>{_html.escape(when)}</code></div>")
            rows.append(f"<pre>{_html.escape(d['formula'])}</pre>")
            for i in d["inputs"]:
                default = " (default)" if i["defaulted"] else ""
                rows.append(f"<div>input <b>{_html.escape(i['name'])}</b> = {_html.escape(str(i['value']))}{default}</div>")
            for p in d["parameters"]:
                rows.append(f"<div>parameter <b>{_html.escape(p['name'])}</b> = {_html.escape(str(p['value']))}, "
                            f"in force from {p['effective_from']} ({_html.escape(p['legal_basis'])})</div>")
            rows += [block(child) for child in d["decisions"]]
            # Collapsed: each line is the decision and its value; a click opens why.
            return f"<details>{head}<div style='margin-left:1.5em'>{''.join(rows)}</div></details>"

        return "".join(block(r) for r in self.roots)


class Rulebook:
    """An immutable, compiled rulebook. Safe to share between threads.

    Load one with :func:`load`. A case is a mapping of input names to values.
    """

    def __init__(self, core: _Rulebook, path: Path, sources: "_Sources | None" = None):
        self._core = core
        self.path = path  # the rulebook's folder
        self.reform_path: Path | None = None  # the reform's file, when one was applied
        self._sources = sources

    def __reduce__(self):
        """Pickled as its sources (the rulebook's files, its reform's, the limits), and loaded again
        when unpickled, once per process: what Dask ships to its workers (kaidah.dask)."""
        if self._sources is None:
            raise TypeError(f"rulebook {self.name} cannot be pickled: its files could not be read when it was loaded")
        return (_unpickle, (self._sources,))

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def version(self) -> str:
        return self._core.version

    @property
    def description(self) -> str:
        return self._core.description

    @property
    def reform(self) -> str:
        """The name of the reform applied, or "" for the rulebook as written."""
        return self._core.reform

    @property
    def outputs(self) -> list[str]:
        """The decisions the rulebook answers for a person (its manifest's ``outputs``): what
        :func:`compare` compares unless asked for others; [] when it declares none."""
        return list(self._core.outputs)

    @property
    def payers(self) -> dict[str, str]:
        """Who pays what (its manifest's ``payers``): payer -> the decision of the amount it pays."""
        return dict(self._core.payers)

    @property
    def work_lists(self) -> list[dict]:
        """The sweep's work lists (its manifest's ``report.work_lists``), in order: each a dict of
        ``name``, ``when`` (the bool decision that puts a person on it), ``columns`` (the outputs it
        shows), ``label`` and ``note`` (language -> text)."""
        return list(self._core.work_lists)

    @property
    def summary(self) -> list[dict]:
        """The figures of the sweep's summary (its manifest's ``report.summary``), in order: each a
        dict of ``name`` (its key in summary.json), ``kind`` (``count``, ``count_by``, ``sum`` or
        ``section``), ``decision``, ``by``, ``when`` (decision names, "" for none), ``bands``,
        ``label`` (language -> text), and a section's ``figures`` and ``headline``."""
        return list(self._core.summary)

    def __repr__(self) -> str:
        reform = f" + reform {self.reform}" if self.reform else ""
        return f"<kaidah.Rulebook {self.name} {self.version}{reform}>"

    def timeline(self, case: Mapping[str, Any], dates: Sequence[_datetime.date | str],
                 decisions: Sequence[str] | None = None) -> list[dict]:
        """The case at each of ``dates`` (the ``decisions``: all when None, none when ``[]``): for
        each date after the first, ``{"from", "to", "changes"}``
        where each change is ``{"decision", "before", "after", "difference", "causes"}`` and the
        causes are the parameter values that took effect in between (with their citations)."""
        steps = _kaidah.timeline(self._core, dict(case), list(dates), _names(decisions))
        return [{"from": f, "to": t, "changes": [_change(c) for c in changes]} for f, t, changes in steps]

    def evaluate(self, case: Mapping[str, Any], date: _datetime.date | str,
                 decisions: Sequence[str] | None = None, *, errors: str = "raise") -> Answers:
        """The requested decisions (all when None) for ``case`` as of ``date``, as a dict
        (an :class:`Answers`).

        Only those decisions and what they depend on are computed: ``[]`` asks for none and gives
        ``{}`` (the case is still read and its input names checked). With ``errors="raise"`` (the
        default) it raises :class:`CaseError` (``.field``, ``.reason``) for a bad input,
        :class:`EvaluationError` (``.decision``, ``.message``, ``.input``) when a decision cannot
        be computed, e.g. a needed input is missing. With ``errors="keep"`` it gives every
        decision the case's facts allow: each that cannot be computed is left out of the dict
        and in ``.errors`` (decision -> :class:`EvaluationError`; reading it from the dict
        raises that error), each value refused in ``.refused`` (:class:`CaseError`). A villager
        who has not chosen a class still gets ``must_enroll`` and ``next_action``.

        Values are read exactly, whatever the caller's ``decimal`` context: ``decimal.Decimal``
        (any exponent, within kaidah's range and 12 places), ``int`` (64-bit), ``str`` (parsed
        by the input's type), ``bool``, ``datetime.date``, :class:`Month`, lists and dicts; also
        their subclasses (an ``IntEnum`` is its int), NumPy scalars and 1-d arrays, a naive
        ``datetime`` or ``pd.Timestamp`` at midnight (its date; with a time of day or a time zone
        it is refused), a monthly ``pd.Period`` (a month) or a daily one (a date), and None, NaN,
        ``pd.NA`` or ``pd.NaT`` for "not given". Floats are refused (:class:`FloatError`), and
        so is anything else, with a :class:`CaseError` naming the input.
        """
        values, _explanation, failed, refused = self._core.evaluate(dict(case), date, _names(decisions), errors)
        return Answers(values, failed, refused)

    def explain(self, case: Mapping[str, Any], date: _datetime.date | str,
                decisions: Sequence[str] | None = None, *, errors: str = "raise") -> Explanation:
        """Like :meth:`evaluate`, and says why: an :class:`Explanation` (``.decisions[name]['value']``;
        none for ``decisions=[]``). With ``errors="keep"`` a decision that could not be computed
        is in it with its ``error``, and in ``.errors``."""
        _values, data, failed, refused = self._core.explain(dict(case), date, _names(decisions), errors)
        return Explanation(data, failed, refused)

    def evaluate_columns(self, columns: Mapping[str, Sequence[Any]], date: _datetime.date | str,
                         decisions: Sequence[str] | None = None, *, threads: int = 0):
        """Evaluates many cases given as columns (input name -> values, one per case).

        ``decisions``: all when None, none when ``[]`` (the cells are only read).
        Returns ``(results, errors)``: ``results`` maps each decision to a list with one value per
        case (None where it could not be computed), ``errors`` lists ``(row, kind, name, message,
        input, decisions)`` per failure, ascending by row: kind "input" (name = the input whose
        value was refused) or "decision" (name = the decision where it arose), ``input`` the
        input behind it ("" if none), ``decisions`` those it left without value (every decision
        the case's facts allow is computed). The GIL is released
        while C++ evaluates, across ``threads`` threads (0: all cores). A value of None means the
        input is not given for that case.
        """
        results, errors, _reasons = self._core.evaluate_columns({k: list(v) for k, v in columns.items()}, date,
                                                                 _names(decisions), threads)
        return results, errors

    @property
    def inputs(self) -> list[InputInfo]:
        return [InputInfo(**d) for d in self._core.inputs()]

    @property
    def parameters(self) -> list[ParameterInfo]:
        out = []
        for d in self._core.parameters():
            history = [ParameterValue(*v) for v in d.pop("history")]
            out.append(ParameterInfo(history=history, **d))
        return out

    def parameter(self, name: str) -> ParameterInfo:
        """The parameter ``name`` with its history (KeyError if there is none)."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def decisions(self) -> list[DecisionInfo]:
        return [DecisionInfo(**d) for d in self._core.decisions()]

    def run_tests(self, path: str | Path | None = None) -> list[ScenarioOutcome]:
        """Runs the scenario tests in ``path`` (default: the rulebook's tests/ folder)."""
        target = Path(path) if path is not None else self.path / "tests"
        return [ScenarioOutcome(**o) for o in self._core.run_tests(str(target))]


def _change(c: tuple) -> dict:
    decision, before, after, difference, causes = c
    return {"decision": decision, "before": before, "after": after, "difference": difference, "causes": list(causes)}


def compare(base: Rulebook, reform: Rulebook, frame, date: _datetime.date | str,
            decisions: Sequence[str] | None = None, *, extra_columns: str = "raise"):
    """What ``reform`` changes for each case of ``frame`` (a DataFrame or a dict of columns named
    after inputs) at ``date``, compared with ``base``, in ``decisions`` (when None, the rulebook's
    declared ``outputs`` and ``payers``' decisions, or every decision when it declares none;
    none when ``[]``: every case is read and counted, and nothing changes).

    Returns ``(changes, summary)``: ``changes`` is a DataFrame with one row per changed decision
    per case (``row``: the frame's index, ``decision``, ``before``, ``after``, ``difference`` for
    numbers, ``causes``: the reform's parameter values and decisions behind it); ``summary`` is
    the dict ``kaidah diff`` writes to summary.json (cases, changed, partial, errors, by_payer: the
    change in what each payer pays, by_decision,
    by_group: changed, increased, decreased, total_change, largest_increase, largest_decrease,
    distribution, transitions: for a decision that is not a number, "before -> after" counts),
    with amounts as ``decimal.Decimal``. Both tools compute it the same way. A column that is not
    an input raises :class:`CaseError`, unless ``extra_columns="drop"`` asks to leave it out.
    """
    import decimal
    import json

    import pandas as pd

    from .dataframe import _cell, _column_names, as_frame, inputs_only

    frame = as_frame(frame)
    frame = inputs_only(frame, reform, extra_columns)
    columns = {n: [_cell(v, False, False) for v in frame.iloc[:, k].tolist()] for k, n in enumerate(_column_names(frame))}
    per_row, summary_json, errors = _kaidah.compare_columns(base._core, reform._core, columns, date, _names(decisions))
    rows = [{"row": frame.index[i], **_change(c)} for i, changes in enumerate(per_row) for c in changes]
    changes = pd.DataFrame(rows, columns=["row", "decision", "before", "after", "difference", "causes"])
    amounts = ("total_change", "largest_increase", "largest_decrease")

    def exact(node):
        if not isinstance(node, dict):
            return node
        return {k: decimal.Decimal(v) if k in amounts and v is not None else exact(v) for k, v in node.items()}

    summary = exact(json.loads(summary_json))
    summary["by_payer"] = {payer: decimal.Decimal(cost) for payer, cost in summary["by_payer"].items()}
    summary["problems"] = [f"row {frame.index[i]!r}: {message}" for i, message in errors]
    return changes, summary


def _names(decisions: Sequence[str] | str | None) -> list[str] | None:
    if decisions is None:
        return None
    if isinstance(decisions, str):
        return [decisions]
    return list(decisions)


from .dataframe import evaluate_frame, numeric_view  # noqa: E402  (needs Rulebook above)
from .decimal_array import DecimalArray, DecimalDtype  # noqa: E402

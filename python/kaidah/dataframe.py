"""pandas: evaluate a DataFrame of cases (one row a case) into a DataFrame of decisions."""

from __future__ import annotations

import datetime
import decimal
import math
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .decimal_array import DecimalArray, DecimalDtype
from .errors import CaseError, EvaluationError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from . import Rulebook


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover
        return False


# Cells of these types go to C++ as they are; only the others (None, NaN, NA, floats) need _cell.
# bool is a subclass of int but has its own type.
_PLAIN = frozenset({str, int, bool, decimal.Decimal, datetime.date, list, dict})
# And None, which _cell gives back as it is: a column of only these is handed over untouched; a
# float too (the NaN of a missing cell in pd.read_csv(dtype=str)) where _cell gives it back as it
# is, read by the core as _cell would (NaN missing, any other refused), unless floats are
# converted or the input is an integer (3.0 read as 3).
_PLAIN_OR_NONE = _PLAIN | {type(None)}
_PLAIN_OR_NONE_OR_FLOAT = _PLAIN_OR_NONE | {float}


def _cell(value: Any, convert_floats: bool, integer_input: bool) -> Any:
    if _missing(value):
        return None  # the case does not give this input
    if isinstance(value, float) and integer_input and value.is_integer():
        # pandas stores an integer column with missing cells as float64: 3.0 is exactly 3.
        return int(value)
    if isinstance(value, float) and convert_floats:
        # The documented opt-in: a float becomes the decimal of its shortest repr (5000000.0 ->
        # Decimal("5000000.0")), which is what was written in the spreadsheet for such values.
        return decimal.Decimal(repr(value))
    return value  # the core reads the rest: Timestamps at midnight as dates, NumPy scalars, arrays...


def evaluate_frame(rulebook: "Rulebook", frame: "pd.DataFrame | Mapping[str, Sequence[Any]]", date: datetime.date | str,
                   decisions: Sequence[str] | None = None, *, errors: str = "keep",
                   convert_floats: bool = False, threads: int = 0, extra_columns: str = "raise",
                   progress: bool = False) -> "pd.DataFrame":
    """Evaluates every row of ``frame`` (a DataFrame, or a dict of columns, named after inputs) as of ``date``.

    Returns a DataFrame with the same index and one column per decision (all when ``decisions``
    is None; none when it is ``[]``: then the cells are only read), plus an ``error`` column.
    With ``errors="keep"`` (the default) each row gets every decision its facts allow: a
    decision that depends on a missing input or a refused value is missing in that row, and the
    row's ``error`` says why and which decisions it left out, one reason per cause joined by
    ``"; "``, as people.csv writes it (C++'s ``describe_failures``): ``"needs kelas, not given
    (no a, b)"``, ``"input 'wage': <reason> (no a, b)"`` or the failure located (``"rules.yaml:3:5:
    decision 'x': <message> (no a, b)"``); None when the row has every
    answer. ``errors="row"``: the first failure leaves the
    whole row without decisions (as before partial answers). ``errors="raise"``: the first
    failure raises its :class:`CaseError` or :class:`EvaluationError`.
    Columns keep their declared type, never a float: decimals are exact :class:`DecimalArray`
    columns (cells read as ``decimal.Decimal``, sums exact), integers and bools pandas' nullable
    Int64 and boolean, enums categoricals; dates, months and lists are objects. A missing
    value (a failed row, or none) is what pandas uses for the type: <NA>, NaN in a categorical,
    None in an object column; ``pd.isna`` tells them all.
    Every column must be an input: one that is not (an id, a name) raises :class:`CaseError`
    before any row is evaluated, unless ``extra_columns="drop"`` asks to leave such columns out.
    Missing cells (None, NaN, NA, NaT) mean the input is not
    given. A frame without columns is as many cases that give no input (each input's default
    applies); a column name given twice raises :class:`CaseError` naming it. See
    :func:`numeric_view` for plots.

    Columns of these dtypes cross to C++ as NumPy buffers, with no Python object a cell (the
    fast path): :class:`DecimalArray`, integer (also nullable Int64), bool (also nullable
    boolean), and categoricals of text for enums. Other columns are read cell by cell.

    Object cells are read as :meth:`Rulebook.evaluate` reads a case's values (NumPy scalars and
    1-d arrays, pandas Timestamps at midnight and Periods included). An integer input's
    whole-number floats (pandas turns an integer column with missing cells into
    floats) are taken as integers. Other floats are refused (:class:`FloatError`) unless
    ``convert_floats=True``: read money columns
    as text (``pd.read_csv(..., dtype=str)``) or Decimals to stay exact from the file on. The
    GIL is released while C++ evaluates, across ``threads`` threads (0: all cores); the results
    equal evaluating row by row. A decimal input (money) whose column arrives as floats (a default
    ``pd.read_csv``) is warned about up front (:class:`UserWarning` naming the columns), as its
    cells will be refused. ``progress=True`` evaluates the frame in chunks of 65,536 rows and
    writes how far it is on standard error; the result is the same.
    """
    import pandas as pd

    frame = as_frame(frame)
    if errors not in ("keep", "row", "raise"):
        raise ValueError("errors must be 'keep', 'row' or 'raise'")
    frame = inputs_only(frame, rulebook, extra_columns)
    _warn_of_float_money(frame, rulebook, convert_floats)
    if not progress or len(frame) <= _PROGRESS_CHUNK:
        return _evaluate(rulebook, frame, date, decisions, errors, convert_floats, threads)
    import sys

    parts = []
    for first in range(0, len(frame), _PROGRESS_CHUNK):
        parts.append(_evaluate(rulebook, frame.iloc[first:first + _PROGRESS_CHUNK], date, decisions, errors,
                               convert_floats, threads))
        done = min(first + _PROGRESS_CHUNK, len(frame))
        print(f"\r  evaluated {done:,} of {len(frame):,} rows ({100 * done // len(frame)}%)", end="", file=sys.stderr,
              flush=True)
    print(file=sys.stderr)
    return pd.concat(parts)


_PROGRESS_CHUNK = 65_536


def _warn_of_float_money(frame: "pd.DataFrame", rulebook: "Rulebook", convert_floats: bool) -> None:
    """Warns, before anything is evaluated, of money columns that arrived as floats."""
    if convert_floats:
        return
    decimal_inputs = {i.name for i in rulebook.inputs if i.type == "decimal"}
    floats = [str(c) for k, c in enumerate(frame.columns) if str(c) in decimal_inputs and frame.iloc[:, k].dtype.kind == "f"]
    if floats:
        import warnings

        warnings.warn(f"money column(s) {', '.join(floats)} arrived as floats: each of their cells will be refused "
                      "(and the answers that read it left out, said in the row's error). Read them as text (pd.read_csv(..., dtype=str)) to stay exact, or pass "
                      "convert_floats=True", UserWarning, stacklevel=3)


def _evaluate(rulebook: "Rulebook", frame: "pd.DataFrame", date, decisions, errors: str, convert_floats: bool,
              threads: int) -> "pd.DataFrame":
    """evaluate_frame of a frame whose columns are checked: one batch."""
    import pandas as pd

    from . import _names

    names = _column_names(frame)
    inputs = rulebook.inputs
    integer_inputs = {i.name for i in inputs if i.type == "integer"}
    columns = {name: _column(frame.iloc[:, k], convert_floats, name in integer_inputs) for k, name in enumerate(names)}
    if not columns and len(frame) and inputs:
        # No input given: every row is the same case. A column of no values (each input's default
        # applies, as when left out) tells the batch how many rows there are.
        columns = {inputs[0].name: [None] * len(frame)}
    results, failures, reasons = rulebook._core.evaluate_columns(columns, date, _names(decisions), threads, True,
                                                                 errors != "keep")
    if errors == "raise" and failures:
        row, kind, name, message, _input, _blank = failures[0]
        if kind == "input":
            raise CaseError(name, f"{message} (row {frame.index[row]!r})")
        raise EvaluationError(name, f"{message} (row {frame.index[row]!r})")
    import numpy as np

    decimals = {d.name for d in rulebook.decisions if d.type == "decimal"}
    error_column = np.full(len(frame), None, dtype=object)  # pandas infers a list of None 50x slower
    for row, reason in reasons:
        error_column[row] = reason
    # Made at once: a column set afterwards is copied.
    out = {name: _series(column, frame.index, name in decimals) for name, column in results.items()}
    out["error"] = pd.Series(error_column, index=frame.index, dtype=object, copy=False)
    return pd.DataFrame(out, index=frame.index, copy=False)


def as_frame(frame: Any) -> "pd.DataFrame":
    """``frame`` as a pandas DataFrame: one, or a dict of columns. Anything else (a Dask DataFrame,
    which pandas would take for one column of its column names) is refused with what to use."""
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return frame
    if type(frame).__module__.startswith("dask"):
        raise TypeError("a Dask DataFrame is evaluated partition by partition: use kaidah.dask.evaluate or "
                        "kaidah.dask.compare (or .compute() it first)")
    if not isinstance(frame, Mapping):
        raise TypeError(f"expected a pandas DataFrame or a dict of columns, got {type(frame).__name__}")
    return pd.DataFrame(frame)


def inputs_only(frame: "pd.DataFrame", rulebook: "Rulebook", extra_columns: str) -> "pd.DataFrame":
    """``frame`` as given (``"raise"``: a column that is not an input is refused later, by name),
    or without its columns that are not inputs (``"drop"``: only when asked, never silently)."""
    if extra_columns not in ("raise", "drop"):
        raise ValueError("extra_columns must be 'raise' or 'drop'")
    if extra_columns == "raise":
        return frame
    inputs = {i.name for i in rulebook.inputs}
    return frame.loc[:, [str(c) in inputs for c in frame.columns]]


def _column_names(frame: "pd.DataFrame") -> list[str]:
    """The frame's column names as inputs; a name given twice is a CaseError naming it."""
    names = [str(name) for name in frame.columns]
    if len(set(names)) != len(names):
        name = next(n for n in names if names.count(n) > 1)
        raise CaseError(name, f"the frame has {names.count(name)} columns named '{name}'; give each input once")
    return names


def _column(series: "pd.Series", convert_floats: bool, integer_input: bool) -> Any:
    """A frame's column as the C++ side reads it: NumPy buffers where the dtype allows (no Python
    object a cell), else a list of cells."""
    import numpy as np
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, DecimalDtype):
        array = series.array
        if array._values.dtype == object:  # wide: cell by cell
            return [None if pd.isna(v) else v for v in array]
        return ("decimal", array._values, array._missing, array.scale)
    if isinstance(dtype, pd.CategoricalDtype) and all(isinstance(c, str) for c in dtype.categories):
        return ("enum", series.cat.codes.to_numpy(dtype=np.int64), list(dtype.categories))
    if isinstance(dtype, pd.BooleanDtype):
        return ("bool", series.array._data, series.array._mask)
    if isinstance(dtype, pd.core.arrays.integer.IntegerDtype):  # Int64 and its kin: exact, nullable
        return ("integer", series.array._data.astype(np.int64, copy=False), series.array._mask)
    if not isinstance(dtype, np.dtype):  # another extension type (a Period, a zoned datetime, text)
        return [_cell(v, convert_floats, integer_input) for v in series.tolist()]
    if dtype == np.bool_:
        return ("bool", series.to_numpy(), np.zeros(len(series), dtype=bool))
    if np.issubdtype(dtype, np.integer) and dtype != np.uint64:
        return ("integer", series.to_numpy(dtype=np.int64), np.zeros(len(series), dtype=bool))
    cells = series.tolist()
    handed_over = _PLAIN_OR_NONE if convert_floats or integer_input else _PLAIN_OR_NONE_OR_FLOAT
    if handed_over.issuperset(map(type, cells)):  # a CSV read with dtype=str: str, None or NaN, at C speed
        return cells
    return [v if type(v) in _PLAIN else _cell(v, convert_floats, integer_input) for v in cells]


def _series(column: Any, index: "pd.Index", decimal: bool) -> "pd.Series":
    """A result column as a Series of its declared type: exact decimals, nullable Int64 and
    boolean, enums as categoricals; dates, months and lists as objects. Never a float. A decimal
    column whose values do not fit 64 bits comes as cells, and is a wide DecimalArray."""
    import numpy as np
    import pandas as pd

    if isinstance(column, tuple):
        kind = column[0]
        if kind == "decimal":
            array: Any = DecimalArray(column[1], column[2], column[3])
        elif kind == "integer":
            array = pd.arrays.IntegerArray(column[1], column[2])
        elif kind == "bool":
            array = pd.arrays.BooleanArray(column[1], column[2])
        else:  # enum
            array = pd.Categorical.from_codes(column[1], categories=column[2])
        return pd.Series(array, index=index, copy=False)
    if decimal:
        return pd.Series(DecimalArray._from_sequence(column), index=index, copy=False)
    # np.fromiter fills an object array 40x faster than pandas does from a list
    return pd.Series(np.fromiter(column, dtype=object, count=len(column)), index=index, dtype=object, copy=False)


def numeric_view(frame: "pd.DataFrame", columns: Sequence[str] | None = None, *, kind: str = "float") -> "pd.DataFrame":
    """A copy of ``frame`` with Decimal columns as numbers, for plotting and quick statistics.

    ``kind="float"`` gives float64 (inexact: for charts only), ``kind="int"`` whole numbers
    (nullable Int64; a value with a fraction raises ValueError rather than being rounded).
    Columns default to every column holding Decimals. Sums for reports should use the exact frame.
    """
    import pandas as pd

    if kind not in ("float", "int"):
        raise ValueError("kind must be 'float' or 'int'")
    out = frame.copy()
    names = columns if columns is not None else [
        c for c in frame.columns if any(isinstance(v, decimal.Decimal) for v in frame[c].head(100))]
    for name in names:
        values = [None if pd.isna(v) else v for v in frame[name].tolist()]  # None, pd.NA or NaN: missing
        if kind == "float":
            out[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        else:
            whole = []
            for v in values:
                if v is not None and v != v.to_integral_value():
                    raise ValueError(f"column {name!r} has {v}, which is not a whole number")
                whole.append(None if v is None else int(v))
            out[name] = pd.array(whole, dtype="Int64")
    return out

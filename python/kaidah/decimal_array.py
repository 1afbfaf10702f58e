"""Exact decimal columns for pandas: money in a DataFrame without floats or one object a cell.

A :class:`DecimalArray` holds whole numbers (int64) at one scale (digits after the point, 0 to
12), with a mask for missing values: Rp 200,000 at scale 0 is 200000; 0.05 at scale 2 is 5. A
column whose values do not fit 64 bits at its scale (10,000,000 beside 0.123456789012) holds
Python integers instead (an object array): slower, as exact. Its cells are ``decimal.Decimal``
when read. It is what :func:`kaidah.evaluate_frame` returns for decimal decisions, and what it reads
fastest.

Money behaves like numbers, exactly, whatever the caller's ``decimal`` context:

- comparisons (``==``, ``<``, ...) with another column or a number give a nullable boolean column;
- ``+``, ``-`` and ``*`` are exact (a product keeps every digit; more than 12 after the point is an
  error: round a side first with :meth:`DecimalArray.round`); ``/`` is refused, since a quotient
  needs a rounding: :meth:`DecimalArray.divide` takes the places and the rounding mode;
- ``sum``, ``min`` and ``max`` are exact; ``mean``, ``median``, ``var``, ``std`` and quantiles are
  exact when the result has at most 12 digits after the point, else rounded half to even at 12
  (``std`` is a square root: always rounded so); ``value_counts``, ``sort_values`` and
  ``groupby`` sums and means work on them; ``describe()`` is pandas' float summary of a numeric
  column (Float64, as for Int64);
- ``series.decimal.nlargest(n)`` and ``.nsmallest(n)``: pandas' own ``nlargest`` selects with a
  NumPy kernel that takes NumPy numbers only (it fails on these columns with "No matching
  signature found"), so these answer it, exactly, as pandas does for an Int64 column;
- ``astype(float)`` for plotting (the only place a float appears), ``to_csv`` writes the exact
  digits, and pickling keeps them.

::

    wages = kaidah.DecimalArray.from_integers(frame["wage_rupiah"].to_numpy())
    frame["wage"] = pd.Series(wages, index=frame.index)
"""

from __future__ import annotations

import decimal
import numbers
import operator
from fractions import Fraction
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype
from pandas.api.types import pandas_dtype

MAX_SCALE = 12  # kaidah's Decimal holds 12 digits after the point


def _decimal(value: int, scale: int) -> decimal.Decimal:
    """``value / 10**scale`` written the shortest way (as kaidah writes it: 1.5, not 1.50).

    Built from text, which is exact: arithmetic such as ``scaleb`` would round to the caller's
    ``decimal`` context (8 digits under ``getcontext().prec = 8``).
    """
    while scale and value % 10 == 0:
        value //= 10
        scale -= 1
    return decimal.Decimal(f"{value}E-{scale}") if scale else decimal.Decimal(value)


def _shortest(value: decimal.Decimal) -> decimal.Decimal:
    """``value`` without trailing zeros after the point (``normalize()`` would round to the context)."""
    sign, digits, exponent = value.as_tuple()
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return decimal.Decimal((sign, digits, exponent))


def _units(value: decimal.Decimal, scale: int) -> int:
    """``value * 10**scale`` as an int, exactly (``value`` has at most ``scale`` digits after the
    point), whatever the caller's ``decimal`` context."""
    sign, digits, exponent = value.as_tuple()
    units = int("".join(map(str, digits))) * 10 ** (exponent + scale)
    return -units if sign else units


def _wide(units: list[int]) -> np.ndarray:
    """Python integers in an object array (np.array would try int64 and fail, or make floats)."""
    out = np.empty(len(units), dtype=object)
    out[:] = units
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _exact(value: Any) -> decimal.Decimal:
    # Decimal(x) copies a Decimal (or a subclass's value) and parses text exactly, whatever the
    # context; the subclass's own methods are never called.
    if isinstance(value, (decimal.Decimal, str)) or (isinstance(value, numbers.Integral) and
                                                      not isinstance(value, (bool, np.bool_))):
        try:
            exact = decimal.Decimal(value if not isinstance(value, numbers.Integral) else int(value))
        except decimal.InvalidOperation:
            raise ValueError(f"expected a number like 150000 or 0.05, got {value!r}") from None
        if not exact.is_finite():
            raise ValueError(f"{exact} is not a finite number")
        if not exact:
            return decimal.Decimal(0)  # 0E+999999 too
        if exact.adjusted() > 26:  # kaidah's decimals stay below about 1.7e26
            raise ValueError(f"{exact} is out of kaidah's decimal range (magnitudes below about 1.7e26)")
        return exact
    raise TypeError(f"a DecimalArray holds exact numbers (decimal.Decimal, int, or text like '150000.50'), "
                    f"not {type(value).__name__} {value!r}")


# kaidah's rounding modes (the rule language's names) on a rational: the integer nearest by the mode.
_MODES = ("half_up", "half_even", "half_down", "up", "down", "floor", "ceiling")


def _round_integer(value: Fraction, mode: str) -> int:
    if mode not in _MODES:
        raise ValueError(f"rounding must be one of {', '.join(_MODES)}; got {mode!r}")
    floor = value.numerator // value.denominator
    rest = value - floor  # 0 <= rest < 1
    if rest == 0:
        return floor
    toward_zero = floor if value > 0 else floor + 1
    away = floor + 1 if value > 0 else floor
    if mode == "floor":
        return floor
    if mode == "ceiling":
        return floor + 1
    if mode == "down":
        return toward_zero
    if mode == "up":
        return away
    half = Fraction(1, 2)
    if rest != half:
        return floor + 1 if rest > half else floor
    if mode == "half_up":
        return away
    if mode == "half_down":
        return toward_zero
    return floor if floor % 2 == 0 else floor + 1  # half_even


def _rounded(value: Fraction, places: int = MAX_SCALE, mode: str = "half_even") -> decimal.Decimal:
    """``value`` rounded to ``places`` digits after the point (0 to 12), exactly."""
    if not 0 <= places <= MAX_SCALE:
        raise ValueError(f"places must be 0 to {MAX_SCALE}, got {places}")
    return _decimal(_round_integer(value * 10**places, mode), places)


def _fraction(value: decimal.Decimal) -> Fraction:
    sign, digits, exponent = value.as_tuple()
    units = int("".join(map(str, digits)))
    return Fraction(-units if sign else units) * Fraction(10) ** exponent


class DecimalNumber(np.number):
    """What pandas sees as the scalar type of a :class:`DecimalDtype` column: a NumPy number.

    pandas 1.5 tells a numeric column by its dtype's scalar type being a NumPy number (pandas 2
    also by ``_is_numeric``), and only then gives ``describe()`` its count, mean, std and
    quantiles. The cells themselves are ``decimal.Decimal``; nothing is ever made of this type.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("kaidah.decimal cells are decimal.Decimal; DecimalNumber only marks the column as numeric")


@register_extension_dtype
class DecimalDtype(ExtensionDtype):
    """The pandas dtype ``"kaidah.decimal"`` of :class:`DecimalArray`."""

    name = "kaidah.decimal"
    type = DecimalNumber
    kind = "O"
    na_value = pd.NA
    _is_numeric = True  # pandas 2's mark of a numeric extension dtype; pandas 1.5 asks `type`

    @classmethod
    def construct_array_type(cls) -> type["DecimalArray"]:
        return DecimalArray

    def __repr__(self) -> str:
        return "DecimalDtype()"


class DecimalArray(ExtensionArray):
    """An exact decimal column: ``values[i] / 10**scale``, missing where ``missing[i]``."""

    def __init__(self, values: Any, missing: Any = None, scale: int = 0) -> None:
        values = np.asarray(values)
        if values.dtype == object:  # wide: Python integers, for values past 64 bits
            if not all(type(v) is int for v in values.tolist()):
                raise TypeError("the values of a wide DecimalArray are Python integers")
        else:
            values = values.astype(np.int64, copy=False)
        missing = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
        if values.ndim != 1 or values.shape != missing.shape:
            raise ValueError("values and missing must be one-dimensional and of one length")
        if not 0 <= int(scale) <= MAX_SCALE:
            raise ValueError(f"scale must be 0 to {MAX_SCALE}, got {scale}")
        self._values, self._missing, self._scale = values, missing, int(scale)

    @classmethod
    def from_integers(cls, values: Any, missing: Any = None) -> "DecimalArray":
        """Whole numbers (e.g. rupiah in an int64 column) as exact decimals, without a copy."""
        return cls(values, missing, 0)

    @property
    def scale(self) -> int:
        return self._scale

    # ---- the ExtensionArray interface ----

    @classmethod
    def _from_sequence(cls, scalars: Iterable[Any], *, dtype: Any = None, copy: bool = False) -> "DecimalArray":
        if isinstance(scalars, DecimalArray):
            return scalars.copy() if copy else scalars
        # Trailing zeros after the point carry no value: 1.50 needs one digit, 1.0000000000000 none.
        items = [None if _missing(x) else _exact(x) for x in scalars]
        items = [d if d is None or d.as_tuple().exponent >= 0 else _shortest(d) for d in items]
        scale = max((max(0, -d.as_tuple().exponent) for d in items if d is not None), default=0)
        if scale > MAX_SCALE:
            raise ValueError(f"a value has more than {MAX_SCALE} digits after the point")
        units = [0 if d is None else _units(d, scale) for d in items]
        try:
            values = np.array(units, dtype=np.int64)
        except OverflowError:  # past 64 bits at this scale: Python integers, exact all the same
            values = _wide(units)
        return cls(values, np.array([d is None for d in items], dtype=bool), scale)

    @classmethod
    def _from_factorized(cls, values: Any, original: "DecimalArray") -> "DecimalArray":
        return cls._from_sequence(values)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, numbers.Integral):
            i = int(item)
            return pd.NA if self._missing[i] else _decimal(int(self._values[i]), self._scale)
        item = pd.api.indexers.check_array_indexer(self, item)
        return DecimalArray(self._values[item], self._missing[item], self._scale)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        scale = self._scale
        for value, missing in zip(self._values.tolist(), self._missing.tolist()):
            yield pd.NA if missing else _decimal(value, scale)

    @property
    def dtype(self) -> DecimalDtype:
        return DecimalDtype()

    @property
    def nbytes(self) -> int:
        return self._values.nbytes + self._missing.nbytes

    def isna(self) -> np.ndarray:
        return self._missing.copy()

    def copy(self) -> "DecimalArray":
        return DecimalArray(self._values.copy(), self._missing.copy(), self._scale)

    def take(self, indices: Any, *, allow_fill: bool = False, fill_value: Any = None) -> "DecimalArray":
        indices = np.asarray(indices, dtype=np.intp)
        if not allow_fill:
            return DecimalArray(self._values.take(indices), self._missing.take(indices), self._scale)
        if (indices < -1).any():
            raise ValueError("indices below -1 with allow_fill")
        # The fill value rides along as one more item, so that it takes the array's scale.
        source = self if _missing(fill_value) else DecimalArray._concat_same_type([self, DecimalArray._from_sequence([fill_value])])
        values = np.append(source._values, 0)
        missing = np.append(source._missing, True)
        where = np.where(indices == -1, len(self) if source is not self else len(values) - 1, indices)
        return DecimalArray(values.take(where), missing.take(where), source._scale)

    @classmethod
    def _concat_same_type(cls, to_concat: Any) -> "DecimalArray":
        arrays = list(to_concat)
        scale = max((a._scale for a in arrays), default=0)
        values = []
        for a in arrays:
            factor = 10 ** (scale - a._scale)
            fits = a._values.dtype != object and (
                factor == 1 or not len(a) or np.abs(a._values).max() <= np.iinfo(np.int64).max // factor)
            values.append(a._values * factor if fits else _wide([v * factor for v in a._values.tolist()]))
        if any(v.dtype == object for v in values):
            values = [v if v.dtype == object else _wide(v.tolist()) for v in values]
        return cls(np.concatenate(values) if values else np.zeros(0, np.int64),
                   np.concatenate([a._missing for a in arrays]) if arrays else np.zeros(0, bool), scale)

    def _values_for_factorize(self) -> tuple[np.ndarray, Any]:
        return np.array([None if m else v for v, m in zip(self, self._missing)], dtype=object), None

    def __array__(self, dtype: Any = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype).kind == "f":  # for plotting: missing is NaN
            return self.astype(np.dtype(dtype))
        return np.array(list(self), dtype=object if dtype is None else dtype)

    # ---- numbers: comparisons, arithmetic, reductions ----

    def _operand(self, other: Any) -> "DecimalArray | None":
        """``other`` as a DecimalArray of this length; None when pandas should handle it."""
        if isinstance(other, (pd.Series, pd.Index, pd.DataFrame)):
            return None
        if isinstance(other, DecimalArray):
            if len(other) != len(self):
                raise ValueError(f"columns of {len(self)} and {len(other)} values")
            return other
        if isinstance(other, (float, np.floating)) and not _missing(other):
            raise TypeError(f"{other!r} is a float, which is not exact: give a decimal.Decimal, an int or text")
        if _missing(other) or isinstance(other, (decimal.Decimal, numbers.Integral, str)) and not isinstance(other, bool):
            one = DecimalArray._from_sequence([other])
            return DecimalArray(np.repeat(one._values, len(self)) if one._values.dtype != object
                                else _wide([int(one._values[0])] * len(self)),
                                np.repeat(one._missing, len(self)), one._scale)
        if isinstance(other, (list, tuple, np.ndarray, ExtensionArray)):
            return self._operand(DecimalArray._from_sequence(other))
        raise TypeError(f"cannot combine exact decimals with {type(other).__name__} {other!r}")

    def _aligned(self, other: "DecimalArray") -> tuple[np.ndarray, np.ndarray, int]:
        """Both columns' whole numbers at one scale."""
        joined = DecimalArray._concat_same_type([self, other])
        n = len(self)
        return joined._values[:n], joined._values[n:], joined._scale

    def _compare(self, other: Any, op: Callable[[Any, Any], Any]) -> Any:
        operand = self._operand(other)
        if operand is None:
            return NotImplemented
        a, b, _ = self._aligned(operand)
        return pd.arrays.BooleanArray(np.asarray(op(a, b), dtype=bool), self._missing | operand._missing)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare(other, operator.eq)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare(other, operator.ne)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, operator.ge)

    @staticmethod
    def _trimmed(values: np.ndarray, missing: np.ndarray, scale: int) -> "DecimalArray":
        """The same numbers at the smallest scale that holds them all (0.05 x 200,000 is 10,000)."""
        present = values[~missing]
        while scale and len(values):
            # int64: one NumPy pass; Python integers (past 64 bits) one by one.
            ends_in_zero = not (present % 10).any() if present.dtype != object else not any(v % 10 for v in present.tolist())
            if not ends_in_zero:
                break
            values, present = values // 10, present // 10
            scale -= 1
        return DecimalArray(values, missing, scale)

    @staticmethod
    def _exact_op(a: np.ndarray, b: np.ndarray, op: Callable[[Any, Any], Any], bound: int) -> np.ndarray:
        """``op`` element by element in int64 when ``bound`` (the largest result) fits, else in Python
        integers: never a wrapped-around value."""
        if a.dtype != object and b.dtype != object and bound <= np.iinfo(np.int64).max:
            return op(a, b)
        return _wide([op(x, y) for x, y in zip(a.tolist(), b.tolist())])

    @staticmethod
    def _largest(values: np.ndarray) -> int:
        """The largest magnitude, as a Python int (abs of int64's minimum does not fit int64)."""
        if not len(values):
            return 0
        if values.dtype == object:
            return max(abs(int(v)) for v in values.tolist())
        return max(abs(int(values.min())), abs(int(values.max())))

    def _add(self, other: Any, sign: int, reflected: bool = False) -> Any:
        operand = self._operand(other)
        if operand is None:
            return NotImplemented
        a, b, scale = self._aligned(operand)
        if reflected:
            a, b = b, a
        missing = self._missing | operand._missing
        op = operator.add if sign > 0 else operator.sub
        result = self._exact_op(np.where(missing, 0, a) if a.dtype != object else a,
                                np.where(missing, 0, b) if b.dtype != object else b,
                                op, self._largest(a) + self._largest(b))
        return self._trimmed(result, missing, scale)

    def __add__(self, other: Any) -> Any:
        return self._add(other, 1)

    def __radd__(self, other: Any) -> Any:
        return self._add(other, 1, reflected=True)

    def __sub__(self, other: Any) -> Any:
        return self._add(other, -1)

    def __rsub__(self, other: Any) -> Any:
        return self._add(other, -1, reflected=True)

    def __mul__(self, other: Any) -> Any:
        operand = self._operand(other)
        if operand is None:
            return NotImplemented
        mine = self._trimmed(self._values, self._missing, self._scale)
        theirs = self._trimmed(operand._values, operand._missing, operand._scale)
        scale = mine._scale + theirs._scale
        if scale > MAX_SCALE:
            raise ValueError(f"the product has {scale} digits after the point, more than {MAX_SCALE}: "
                             "round a side first (DecimalArray.round)")
        missing = self._missing | operand._missing
        a = np.where(missing, 0, mine._values) if mine._values.dtype != object else mine._values
        b = np.where(missing, 0, theirs._values) if theirs._values.dtype != object else theirs._values
        result = self._exact_op(a, b, operator.mul, self._largest(a) * self._largest(b))
        return self._trimmed(result, missing, scale)

    __rmul__ = __mul__

    def __neg__(self) -> "DecimalArray":
        return DecimalArray(-self._values, self._missing.copy(), self._scale)

    def __abs__(self) -> "DecimalArray":
        return DecimalArray(abs(self._values), self._missing.copy(), self._scale)

    def __truediv__(self, other: Any) -> Any:
        raise TypeError("a quotient of exact decimals needs a rounding: use "
                        "series.array.divide(other, places, rounding), e.g. divide(12, 0, 'up')")

    __rtruediv__ = __floordiv__ = __rfloordiv__ = __truediv__

    def divide(self, other: Any, places: int = 0, rounding: str = "half_up") -> "DecimalArray":
        """Each value divided by ``other`` (a column or a number), rounded to ``places`` digits after
        the point by ``rounding`` (half_up, half_even, half_down, up, down, floor, ceiling: the rule
        language's modes). Dividing by zero is an error."""
        operand = self._operand(other)
        if operand is None:
            raise TypeError("divide a column by a DecimalArray or a number")
        out = []
        for x, y in zip(self, operand):
            if x is pd.NA or y is pd.NA:
                out.append(None)
            elif not y:
                raise ZeroDivisionError("division of an exact decimal by zero")
            else:
                out.append(_rounded(_fraction(x) / _fraction(y), places, rounding))
        return DecimalArray._from_sequence(out)

    def round(self, places: int = 0, rounding: str = "half_up") -> "DecimalArray":
        """Each value rounded to ``places`` digits after the point by ``rounding`` (as divide)."""
        return DecimalArray._from_sequence([None if x is pd.NA else _rounded(_fraction(x), places, rounding) for x in self])

    def _fractions(self) -> list[Fraction]:
        """The values that are not missing, as exact rationals."""
        scale = Fraction(10) ** -self._scale
        return [Fraction(int(v)) * scale for v in self._values[~self._missing].tolist()]

    def _reduce(self, name: str, *, skipna: bool = True, **kwargs: Any) -> Any:
        if not skipna and self._missing.any():
            return pd.NA
        values = self._values[~self._missing]
        if name == "sum":
            limit = np.iinfo(np.int64).max
            if len(values) == 0:
                return decimal.Decimal(0)
            if values.dtype != object and int(np.abs(values).max()) <= limit // len(values):  # no overflow in int64
                return _decimal(int(values.sum()), self._scale)
            return _decimal(sum(values.tolist()), self._scale)  # Python integers: exact at any size
        if name in ("min", "max"):
            if len(values) == 0:
                return pd.NA
            return _decimal(int(min(values.tolist()) if name == "min" else max(values.tolist())), self._scale)
        if name in ("mean", "median", "var", "std"):
            items = sorted(self._fractions())
            n = len(items)
            ddof = int(kwargs.get("ddof", 1))
            if n == 0 or (name in ("var", "std") and n - ddof <= 0):
                return pd.NA
            if name == "median":
                middle = items[n // 2] if n % 2 else (items[n // 2 - 1] + items[n // 2]) / 2
                return _rounded(middle)
            mean = sum(items) / n
            if name == "mean":
                return _rounded(mean)
            variance = sum((x - mean) ** 2 for x in items) / (n - ddof)
            if name == "var":
                return _rounded(variance)
            with decimal.localcontext() as context:  # a square root: 40 digits, then 12 places
                context.prec = 40
                root = (decimal.Decimal(variance.numerator) / decimal.Decimal(variance.denominator)).sqrt()
            return _rounded(_fraction(root))
        raise TypeError(f"{name} of exact decimals is not defined here; sum, min, max, mean, median, var "
                        "and std are (or astype(float) first)")

    def _quantile(self, qs: np.ndarray, interpolation: str) -> "DecimalArray":
        items = sorted(self._fractions())
        out: list[Any] = []
        for q in np.asarray(qs).tolist():
            if not items:
                out.append(None)
                continue
            position = Fraction(str(q)) * (len(items) - 1)  # the float's shortest text: 0.25 is 1/4
            low = position.numerator // position.denominator
            high = min(low + 1, len(items) - 1)
            part = position - low
            if interpolation == "lower" or part == 0:
                value = items[low]
            elif interpolation == "higher":
                value = items[high]
            elif interpolation == "nearest":
                value = items[low] if part < Fraction(1, 2) or (part == Fraction(1, 2) and low % 2 == 0) else items[high]
            elif interpolation == "midpoint":
                value = (items[low] + items[high]) / 2
            else:  # linear
                value = items[low] + (items[high] - items[low]) * part
            out.append(_rounded(value))
        return DecimalArray._from_sequence(out)

    def value_counts(self, dropna: bool = True) -> pd.Series:
        present = self._values[~self._missing]
        uniques, counts = np.unique(present, return_counts=True) if present.dtype != object else \
            np.unique(np.array(present.tolist(), dtype=object), return_counts=True)
        index = DecimalArray(uniques if present.dtype != object else _wide(list(uniques)), None, self._scale)
        counts = counts.astype(np.int64)
        if not dropna and self._missing.any():
            index = DecimalArray._concat_same_type([index, DecimalArray._from_sequence([None])])
            counts = np.append(counts, int(self._missing.sum()))
        return pd.Series(counts, index=pd.Index(index))

    def _values_for_argsort(self) -> np.ndarray:
        return self._values if self._values.dtype != object else np.array(self._values.tolist(), dtype=object)

    def astype(self, dtype: Any, copy: bool = True) -> Any:
        dtype = pandas_dtype(dtype)
        if isinstance(dtype, np.dtype) and dtype.kind == "f":  # for plotting: the one place a float appears
            return np.array([np.nan if m else float(_decimal(int(v), self._scale))
                             for v, m in zip(self._values.tolist(), self._missing.tolist())], dtype=dtype)
        return super().astype(dtype, copy=copy)

    def _formatter(self, boxed: bool = False) -> Any:
        return str


@pd.api.extensions.register_series_accessor("decimal")
class DecimalAccessor:
    """``series.decimal``: what pandas does for NumPy numbers only, exactly on a money column.

    pandas' ``nlargest`` and ``nsmallest`` select with a NumPy kernel that takes NumPy numbers
    only (in every pandas version), so a :class:`DecimalArray` column answers them here::

        frame["arrears_amount"].decimal.nlargest(10)   # the ten largest, with their index
    """

    def __init__(self, series: pd.Series) -> None:
        if not isinstance(series.dtype, DecimalDtype):
            raise AttributeError(f".decimal is for kaidah.decimal columns, not {series.dtype}")
        self._series = series

    def nlargest(self, n: int = 5, keep: str = "first") -> pd.Series:
        """The ``n`` largest values, largest first, as ``Series.nlargest``: of equal values the
        first in the column (``keep="first"``), the last (``"last"``), or all of those tied with
        the n-th (``"all"``, so possibly more than n). Missing values come last, as in pandas."""
        return self._select(n, keep, largest=True)

    def nsmallest(self, n: int = 5, keep: str = "first") -> pd.Series:
        """The ``n`` smallest values, smallest first; ``keep`` as in :meth:`nlargest`."""
        return self._select(n, keep, largest=False)

    def _select(self, n: int, keep: str, largest: bool) -> pd.Series:
        # As pandas' SelectNSeries does for an Int64 column: values ranked, equal values in the
        # column's order (its reverse for keep="last"); missing values after them.
        if keep not in ("first", "last", "all"):
            raise ValueError('keep must be either "first", "last" or "all"')
        n = int(n)
        array: DecimalArray = self._series.array
        missing = array._missing
        blanks = np.flatnonzero(missing)
        if n >= len(array):  # pandas sorts the whole column then, whatever keep says
            keep = "first"
        where = np.flatnonzero(~missing)  # positions of the values, in the column's order
        units = array._values[where]  # exact whole numbers at the column's one scale
        tiebreak = where if keep != "last" else -where
        if units.dtype != object:
            primary = ~units if largest else units  # ~x is -x - 1: descending, and no overflow at the int64 minimum
            ranked = where[np.lexsort((tiebreak, primary))]
        else:  # wide values (Python integers)
            order = sorted(range(len(where)), key=lambda k: (-units[k] if largest else units[k], tiebreak[k]))
            ranked = where[np.array(order, dtype=np.intp)]
        n = max(n, 0)
        taken = ranked[:n]
        if keep == "all" and 0 < n < len(ranked):  # every value tied with the n-th
            values = array._values
            tied = [p for p in ranked[n:].tolist() if values[p] == values[ranked[n - 1]]]
            taken = np.concatenate([taken, np.array(tied, dtype=np.intp)])
        # Missing values fill up to n; with keep="all", all of them once the values fall short.
        blanks = blanks if keep == "all" and len(taken) < n else blanks[:max(0, n - len(taken))]
        return self._series.iloc[np.concatenate([taken, blanks]).astype(np.intp)]

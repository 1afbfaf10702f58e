"""Exact decimal columns for pandas: money in a DataFrame without floats or one object a cell.

A :class:`DecimalArray` holds whole numbers (int64) at one scale (digits after the point, 0 to
12), with a mask for missing values: Rp 200,000 at scale 0 is 200000; 0.05 at scale 2 is 5. A
column whose values do not fit 64 bits at its scale (10,000,000 beside 0.123456789012) holds
Python integers instead (an object array): slower, as exact. Its cells are ``decimal.Decimal``
when read; sums, minimums and maximums are exact, whatever the caller's ``decimal`` context. It is what
:func:`kaidah.evaluate_frame` returns for decimal decisions, and what it reads fastest::

    wages = kaidah.DecimalArray.from_integers(frame["wage_rupiah"].to_numpy())
    frame["wage"] = pd.Series(wages, index=frame.index)
"""

from __future__ import annotations

import decimal
import numbers
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype

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


@register_extension_dtype
class DecimalDtype(ExtensionDtype):
    """The pandas dtype ``"kaidah.decimal"`` of :class:`DecimalArray`."""

    name = "kaidah.decimal"
    type = decimal.Decimal
    kind = "O"
    na_value = pd.NA

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
        return np.array(list(self), dtype=object if dtype is None else dtype)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        if isinstance(other, (pd.Series, pd.Index, pd.DataFrame)):
            return NotImplemented
        if isinstance(other, DecimalArray):
            joined = DecimalArray._concat_same_type([self, other])
            n = len(self)
            return pd.arrays.BooleanArray(joined._values[:n] == joined._values[n:], self._missing | other._missing)
        if _missing(other):
            return pd.arrays.BooleanArray(np.zeros(len(self), bool), np.ones(len(self), bool))
        if isinstance(other, (decimal.Decimal, numbers.Integral, str)) and not isinstance(other, bool):
            return self == DecimalArray._from_sequence([other] * len(self))
        return pd.arrays.BooleanArray(np.array([a == other for a in self], dtype=bool), self._missing.copy())

    def _reduce(self, name: str, *, skipna: bool = True, **kwargs: Any) -> Any:
        if not skipna and self._missing.any():
            return pd.NA
        values = self._values[~self._missing]
        if name == "sum":
            limit = np.iinfo(np.int64).max
            if len(values) == 0:
                return decimal.Decimal(0)
            if int(np.abs(values).max()) <= limit // len(values):  # cannot overflow in int64
                return _decimal(int(values.sum()), self._scale)
            return _decimal(sum(values.tolist()), self._scale)  # Python integers: exact at any size
        if name in ("min", "max"):
            if len(values) == 0:
                return pd.NA
            return _decimal(int(values.min() if name == "min" else values.max()), self._scale)
        raise TypeError(f"{name} of exact decimals is not defined here; sum, min and max are")

    def _formatter(self, boxed: bool = False) -> Any:
        return str

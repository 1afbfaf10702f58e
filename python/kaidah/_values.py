"""Python values the compiled core does not read directly, made plain for it.

The core reads ``None``, ``bool``, ``int``, ``float`` (refused), ``str``, ``decimal.Decimal``,
``datetime.date``, :class:`kaidah.Month`, ``list``, ``tuple`` and ``dict`` of exactly those types.
Everything else comes here once: subclasses, NumPy and pandas scalars, arrays, datetimes and
periods. :func:`plain` returns a value of one of those types, or raises :class:`Refused` with
the reason, which the core reports as the field's :class:`kaidah.CaseError`.
"""

from __future__ import annotations

import datetime
import decimal
import numbers
import operator
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from . import _kaidah


class Refused(ValueError):
    """The value has no kaidah form; the message says why."""


_PLAIN = frozenset({type(None), bool, int, float, str, decimal.Decimal, datetime.date, list, tuple, dict})


def plain(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    numpy = sys.modules.get("numpy")  # NumPy values exist only once NumPy is imported
    pandas = sys.modules.get("pandas")
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return None
    if pandas is not None and isinstance(value, pandas.Period):
        return _period(value)
    if numpy is not None and isinstance(value, numpy.ndarray):
        if value.ndim == 0:
            return plain(value[()])  # its one value
        if value.ndim != 1:
            raise Refused(f"got a {value.ndim}-dimensional array; kaidah takes a list (one dimension)")
        return list(value)  # items are NumPy scalars, each converted on its own
    if numpy is not None and isinstance(value, numpy.generic):
        return _numpy_scalar(numpy, value)
    # Subclasses of the plain types: their value, copied by the base type's own code (a
    # subclass's methods, which may lie or raise, are not asked). An IntEnum is its int, a
    # (str, Enum) its text.
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, decimal.Decimal):
        return decimal.Decimal(value)  # exact, whatever the context
    if isinstance(value, datetime.datetime):
        return _datetime(value)
    if isinstance(value, datetime.date):
        return datetime.date.fromordinal(datetime.date.toordinal(value))
    if isinstance(value, _kaidah.Month):
        return _kaidah.Month(value.year, value.month)
    if isinstance(value, numbers.Integral):  # another library's integer (gmpy2's mpz...)
        return operator.index(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray, memoryview)):
        return list(value)  # e.g. a range, or a sequence a columnar library hands over
    raise Refused(f"kaidah has no value of Python type {type(value).__module__}.{type(value).__qualname__}"
                  .replace("builtins.", ""))


def _datetime(value: datetime.datetime) -> datetime.date:
    """A datetime (or a pandas Timestamp) at midnight without a time zone is its date; anything
    else names a moment, not a day, and is refused."""
    if value.tzinfo is not None:
        raise Refused(f"got a datetime with a time zone ({value}); pass a datetime.date")
    if value.time() != datetime.time() or getattr(value, "nanosecond", 0):
        raise Refused(f"got a datetime, which has a time of day ({value}); pass a datetime.date")
    return datetime.date(value.year, value.month, value.day)


def _period(value: Any) -> Any:
    """A monthly pandas Period is a month, a daily one a date; other spans are refused."""
    if value.freqstr == "M":
        return _month(value.year, value.month)
    if value.freqstr == "D":
        return datetime.date(value.year, value.month, value.day)
    raise Refused(f"got a period of frequency {value.freqstr}; kaidah takes a monthly period (a month) "
                  "or a daily one (a date)")


def _numpy_scalar(numpy: Any, value: Any) -> Any:
    if isinstance(value, numpy.datetime64):
        if numpy.isnat(value):
            return None
        unit = numpy.datetime_data(value.dtype)[0]
        if unit == "M":
            months = int(value.astype(numpy.int64))  # since 1970-01
            return _month(1970 + months // 12, months % 12 + 1)
        if unit in ("Y", "W"):
            raise Refused(f"got a datetime64 in units of {unit}; kaidah takes days (a date) or months")
        day = value.astype("datetime64[D]")
        if day != value:
            raise Refused(f"got the datetime64 {value}, which has a time of day; pass a date")
        year = int(day.astype("datetime64[Y]").astype(numpy.int64)) + 1970
        if not 1400 <= year <= 9999:
            raise Refused(f"the date {value} is outside the years 1400 to 9999 that kaidah's calendar holds")
        return day.item()  # a datetime.date within those years
    if isinstance(value, numpy.timedelta64):  # an integer to NumPy, but a span of time: not a number
        raise Refused(f"got the time span {value!r}; kaidah has no value of NumPy type timedelta64")
    if isinstance(value, (numpy.bool_, numpy.integer, numpy.floating, numpy.str_)):
        return value.item()  # bool, int, float (refused as a float) or str
    raise Refused(f"kaidah has no value of NumPy type {type(value).__name__}")


def _month(year: int, month: int) -> Any:
    try:
        return _kaidah.Month(year, month)
    except ValueError as e:
        raise Refused(str(e)) from None

"""Every value Python hands over converts exactly or is the named input's kaidah error: through
evaluate, and through evaluate_frame in object columns and typed columns (review findings C1 and
U6, and the class around them: NumPy, pandas, datetimes, subclasses, range limits)."""

import datetime
import decimal
import enum
import re

import numpy as np
import pandas as pd
import pytest

import kaidah
from conftest import D, TODAY

MAX = D(f"{2**127 - 1}E-12")  # kaidah's largest decimal: (2^127 - 1) / 10^12, about 1.7e26
BEYOND = D(f"{2**127}E-12")  # MAX + 10^-12, written out: MAX + TINY and -MAX would round to 28 digits
NEG_MAX, NEG_BEYOND = D(f"-{2**127 - 1}E-12"), D(f"-{2**127}E-12")
TINY = D("1E-12")
MISSING = "missing"  # the input is not given: `x_out = x` fails with "has no value"


class Refused:
    """The expected error: the kaidah exception type and a part of its reason."""

    def __init__(self, error, reason):
        self.error, self.reason = error, reason

    def __repr__(self):
        return f"{self.error.__name__}({self.reason!r})"


def refused(reason, error=kaidah.CaseError):
    return Refused(error, reason)


class Money(decimal.Decimal):
    """A Decimal subclass whose own methods all fail: kaidah must not need them."""

    def is_finite(self):
        raise RuntimeError("is_finite was called")

    def as_tuple(self):
        raise RuntimeError("as_tuple was called")

    def __str__(self):
        raise RuntimeError("__str__ was called")


class Count(int):
    def __index__(self):
        raise RuntimeError("__index__ was called")


class Segment(str, enum.Enum):
    X = "x"


class Kelas(enum.IntEnum):
    THREE = 3


class Day(datetime.date):
    pass


# (input, value given, what the decision `<input>_out` gives, or the error)
CASES = [
    # decimals: exact at every size and exponent, refused past 12 places or the range
    ("a", D("1234567.891234"), D("1234567.891234")),
    ("a", D("1.50E+3"), D("1500")),
    ("a", D("1.0000000000000"), D("1")),  # 13 places, but all zeros: exactly 1
    ("a", D("-0"), D("0")),
    ("a", MAX, MAX),
    ("a", NEG_MAX, NEG_MAX),
    ("a", TINY, TINY),
    ("a", D("1E-13"), refused("more than 12 decimal places")),
    ("a", BEYOND, refused("is out of range")),
    ("a", NEG_BEYOND, refused("is out of range")),
    ("a", D("1E+27"), refused("is out of range")),
    ("a", D("1E+999999999"), refused("is out of range")),  # not written out digit by digit
    ("a", D("NaN"), refused("not a finite number")),
    ("a", D("-Infinity"), refused("not a finite number")),
    ("a", Money("2.5"), D("2.5")),
    ("a", "150000.50", D("150000.5")),
    ("a", 7, D("7")),
    ("a", np.int64(-7), D("-7")),
    # past 64 bits an integer is a decimal, as the same number given as text is
    ("a", np.uint64(2**64 - 1), D("18446744073709551615")),
    ("a", 2**63, D("9223372036854775808")),
    ("a", 10**27, refused("is out of range")),
    ("a", 1.5, refused("got the float 1.5", kaidah.FloatError)),
    ("a", np.float64(1.5), refused("got the float 1.5", kaidah.FloatError)),
    ("a", np.float32(0.5), refused("got the float 0.5", kaidah.FloatError)),
    ("a", np.bool_(True), refused("expected a decimal, got bool true")),
    ("a", np.array(5), D("5")),  # a 0-d array is its one value
    ("a", np.array([1, 2]), refused("expected a decimal, got list")),
    ("a", np.array([1.5, 2]), refused("got the float 1.5", kaidah.FloatError)),
    ("a", np.array([[1, 2]]), refused("2-dimensional array")),
    ("a", b"1", refused("kaidah has no value of Python type bytes")),
    ("a", 1j, refused("kaidah has no value of Python type complex")),
    # missing values: None, NaN, pandas NA and NaT, NumPy NaT
    ("a", None, MISSING),
    ("a", float("nan"), MISSING),
    ("a", np.nan, MISSING),
    ("a", pd.NA, MISSING),
    ("d", pd.NaT, MISSING),
    ("d", np.datetime64("NaT"), MISSING),
    # integers: 64-bit both ways
    ("n", 2**63 - 1, 2**63 - 1),
    ("n", -2**63, -2**63),
    ("n", -2**63 - 1, refused("the integer -9223372036854775809 is out of range: integers are 64-bit")),
    ("n", np.int32(-3), -3),
    ("n", np.int64(2**62), 2**62),
    ("n", Kelas.THREE, 3),
    ("n", Count(4), 4),
    ("n", True, refused("expected an integer, got bool true")),
    ("n", np.bool_(False), refused("expected an integer, got bool false")),
    # bools: NumPy's is a bool, not the integer 1
    ("flag", np.bool_(True), True),
    ("flag", False, False),
    ("flag", 1, refused("expected a bool, got integer 1")),
    # text and enums: subclasses are their text; a lone surrogate is not text
    ("t", "kaidah", "kaidah"),
    ("t", np.str_("numpy"), "numpy"),
    ("t", "\ud800", refused("not valid Unicode")),
    ("e", Segment.X, "x"),
    ("e", np.str_("y"), "y"),
    ("e", "z", refused("'z' is not one of: x, y")),
    # dates: 1400 to 9999; a naive midnight datetime or Timestamp is its day, a time or zone is refused
    ("d", datetime.date(2025, 1, 31), datetime.date(2025, 1, 31)),
    ("d", datetime.date(1400, 1, 1), datetime.date(1400, 1, 1)),
    ("d", datetime.date(9999, 12, 31), datetime.date(9999, 12, 31)),
    ("d", datetime.date(1399, 12, 31), refused("outside the years 1400 to 9999")),
    ("d", Day(2024, 2, 29), datetime.date(2024, 2, 29)),
    ("d", "2025-02-30", refused("2025-02-30 is not a valid date")),
    ("d", datetime.datetime(2025, 1, 31), datetime.date(2025, 1, 31)),
    ("d", datetime.datetime(2025, 1, 31, 8, 0), refused("has a time of day")),
    ("d", datetime.datetime(2025, 1, 31, tzinfo=datetime.timezone.utc), refused("with a time zone")),
    ("d", pd.Timestamp("2025-01-31"), datetime.date(2025, 1, 31)),
    ("d", pd.Timestamp("2025-01-31 00:00:00.000000001"), refused("has a time of day")),
    ("d", pd.Timestamp("2025-01-31", tz="Asia/Jakarta"), refused("with a time zone")),
    ("d", np.datetime64("2025-01-31"), datetime.date(2025, 1, 31)),
    ("d", np.datetime64("2025-01-31T00:00:00.000000000"), datetime.date(2025, 1, 31)),
    ("d", np.datetime64("2025-01-31T08:00"), refused("has a time of day")),
    ("d", np.datetime64("10000-01-01"), refused("outside the years 1400 to 9999")),
    ("d", np.datetime64("2025"), refused("in units of Y")),
    ("d", pd.Period("2025-01-31", "D"), datetime.date(2025, 1, 31)),
    ("d", pd.Period("2025-01", "M"), refused("expected a date, got month 2025-01")),
    ("d", np.timedelta64(5, "D"), refused("no value of NumPy type timedelta64")),
    # months: a monthly Period or datetime64 is a month
    ("m", kaidah.Month(2025, 1), kaidah.Month(2025, 1)),
    ("m", "2025-01", kaidah.Month(2025, 1)),
    ("m", pd.Period("2025-01", "M"), kaidah.Month(2025, 1)),
    ("m", np.datetime64("1969-12"), kaidah.Month(1969, 12)),
    ("m", pd.Period("2025Q1", "Q-DEC"), refused("frequency Q-DEC")),
    # lists: a 1-d NumPy array (as Parquet and Arrow list columns arrive) is a list
    ("L", [1, 2], [D(1), D(2)]),
    ("L", np.array([1, 2]), [D(1), D(2)]),
    ("L", np.array([5]), [D(5)]),
    ("L", np.array([], dtype=np.int64), []),
    ("L", (D("0.5"), 2), [D("0.5"), D(2)]),
    ("L", range(1, 3), [D(1), D(2)]),
    ("L", np.array([[1, 2], [3, 4]]), refused("2-dimensional array")),
    ("L", np.array([1.5]), refused("got the float 1.5", kaidah.FloatError)),
    ("LI", np.array([1, 2], dtype=np.int32), [1, 2]),
    ("LI", np.array([True]), refused("expected an integer, got bool true")),
    ("LD", np.array(["2025-01-01", "2025-02-01"], dtype="datetime64[D]"),
     [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)]),
    ("LD", pd.Series([pd.Timestamp("2025-01-01")]).to_numpy(), [datetime.date(2025, 1, 1)]),
]


def check(field, expected, value=None, error=None):
    """`value` (or `error`: a kaidah exception) is what `expected` says."""
    if isinstance(expected, Refused):
        assert isinstance(error, expected.error), error
        assert error.field == field and expected.reason in error.reason, error
    elif expected == MISSING:
        assert isinstance(error, kaidah.EvaluationError) and f"input '{field}' has no value" in error.message, error
    else:
        assert error is None, error
        assert value == expected and type(value) is type(expected), value


@pytest.mark.parametrize("field, value, expected", CASES, ids=lambda x: repr(x)[:40])
def test_evaluate(probe, field, value, expected):
    try:
        result, error = probe.evaluate({field: value}, TODAY, [f"{field}_out"])[f"{field}_out"], None
    except kaidah.KaidahError as e:
        result, error = None, e
    check(field, expected, result, error)


def frame_error(row):
    """The kaidah error an evaluate_frame error cell stands for (one cause, as describe_failures
    writes it: "needs a, not given (no a_out)", "input 'a': <reason> (no a_out)", or the failure
    located, "<file>:<line>:<column>: decision 'x': <message> (no a_out)")."""
    row = re.sub(r" \(no [^()]*\)$", "", row)
    if row.startswith("needs "):  # "needs a, not given": the input's own message
        name = row[len("needs "):].split(",", 1)[0]
        return kaidah.EvaluationError(f"{name}_out", f"input '{name}' has no value in this case and no default")
    if row.startswith("input '"):
        name, message = row[len("input '"):].split("': ", 1)
        error = kaidah.FloatError if message.startswith("got the float") else kaidah.CaseError
        return error(name, message)
    name, message = re.match(r"(?:.*?: )?decision '([^']*)': (.*)$", row).groups()
    return kaidah.EvaluationError(name, message)


def cell(value):
    """A result cell as evaluate gives it: pandas' missing markers as None, categoricals as text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if isinstance(value, np.generic) else value  # Int64 and boolean cells are NumPy's


@pytest.mark.parametrize("field, value, expected", CASES, ids=lambda x: repr(x)[:40])
def test_evaluate_frame_object_column(probe, field, value, expected):
    column = pd.Series([None], dtype=object)
    column.iat[0] = value  # as it is: pandas would unpack an array given in a list
    out = kaidah.evaluate_frame(probe, pd.DataFrame({field: column}), TODAY, [f"{field}_out"])
    error = out["error"].iat[0]
    check(field, expected, cell(out[f"{field}_out"].iat[0]), None if error is None else frame_error(error))


def test_a_numpy_array_is_a_list_in_evaluate_and_in_a_frame(probe):
    """Review C1: this crashed the interpreter (a NULL from PyNumber_Index dereferenced)."""
    assert probe.evaluate({"L": np.array([1, 2])}, TODAY, ["L_out"]) == probe.evaluate({"L": [1, 2]}, TODAY, ["L_out"])
    frame = pd.DataFrame({"L": pd.Series([np.array([1, 2]), np.array([5]), np.array([[1]])], dtype=object)})
    out = kaidah.evaluate_frame(probe, frame, TODAY, ["L_out"])
    assert out["L_out"].tolist()[:2] == [[D(1), D(2)], [D(5)]]
    assert out["error"].tolist() == [None, None,
                                     "input 'L': got a 2-dimensional array; kaidah takes a list (one dimension) (no L_out)"]


# Typed columns: (input, column, what `<input>_out` gives in each row, or an error's reason)
TYPED = [
    ("n", pd.Series([1, -2**63], dtype=np.int64), [1, -2**63]),
    ("n", pd.Series([5, None], dtype="Int64"), [5, MISSING]),
    ("n", pd.Series([2**64 - 1, 3], dtype=np.uint64), [refused("out of range: integers are 64-bit"), 3]),
    ("n", pd.Series([3.0, np.nan]), [3, MISSING]),  # pandas' integer column with a gap
    ("a", pd.Series([7, 8], dtype=np.int32), [D(7), D(8)]),
    ("a", pd.Series([0.5]), [refused("got the float 0.5", kaidah.FloatError)]),
    ("a", pd.Series(kaidah.DecimalArray(np.array([2**63 - 1, -2**63, 0]), np.array([False, False, True]), 12)),
     [D("9223372.036854775807"), D("-9223372.036854775808"), MISSING]),  # int64's extremes at 12 places
    ("flag", pd.Series([True, False]), [True, False]),
    ("flag", pd.Series([True, None], dtype="boolean"), [True, MISSING]),
    ("d", pd.Series(pd.to_datetime(["2025-01-31", None])), [datetime.date(2025, 1, 31), MISSING]),
    ("d", pd.Series(pd.to_datetime(["2025-01-31 08:00"])), [refused("has a time of day")]),
    ("d", pd.Series(pd.to_datetime(["2025-01-31"]).tz_localize("Asia/Jakarta")), [refused("with a time zone")]),
    ("d", pd.Series(pd.period_range("2025-01-30", periods=2, freq="D")),
     [datetime.date(2025, 1, 30), datetime.date(2025, 1, 31)]),
    ("m", pd.Series(pd.period_range("2025-12", periods=2, freq="M")), [kaidah.Month(2025, 12), kaidah.Month(2026, 1)]),
    ("e", pd.Series(pd.Categorical(["y", None], categories=["x", "y"])), ["y", MISSING]),
    ("t", pd.Series(["a", "\ud800"], dtype="string"), ["a", refused("not valid Unicode")]),
]


@pytest.mark.filterwarnings("ignore:money column")  # a float column is refused cell by cell, and said: tested in test_batch.py
@pytest.mark.parametrize("field, column, expected", TYPED, ids=lambda x: repr(x)[:40])
def test_evaluate_frame_typed_column(probe, field, column, expected):
    out = kaidah.evaluate_frame(probe, pd.DataFrame({field: column}), TODAY, [f"{field}_out"])
    for row, want in enumerate(expected):
        error = out["error"].iat[row]
        check(field, want, cell(out[f"{field}_out"].iat[row]), None if error is None else frame_error(error))


def test_the_evaluation_date_is_read_like_a_date_input(jkn):
    expected = jkn.evaluate({}, TODAY, ["due_date"])
    for same_day in (pd.Timestamp(TODAY), np.datetime64(TODAY.isoformat()), pd.Period(TODAY, "D"),
                     datetime.datetime(TODAY.year, TODAY.month, TODAY.day)):
        assert jkn.evaluate({}, same_day, ["due_date"]) == expected, same_day
    with pytest.raises(ValueError, match="has a time of day"):
        jkn.evaluate({}, pd.Timestamp("2026-11-24 08:00"), ["due_date"])
    with pytest.raises(ValueError, match="not valid Unicode"):
        jkn.evaluate({}, "\ud800", ["due_date"])


def test_a_name_that_is_not_valid_unicode_is_a_case_error(probe):
    for call in (lambda: probe.evaluate({"\ud800": 1}, TODAY, ["a_out"]),
                 lambda: kaidah.evaluate_frame(probe, pd.DataFrame({"\ud800": [1]}), TODAY, ["a_out"]),
                 lambda: probe.timeline({"\ud800": 1}, [TODAY, TODAY], ["a_out"])):
        with pytest.raises(kaidah.CaseError) as caught:
            call()
        assert caught.value.field == "'\\ud800'" and "valid Unicode" in caught.value.reason


@pytest.mark.parametrize("field, value, expected", CASES, ids=lambda x: repr(x)[:40])
def test_compare_reads_values_as_evaluate_does(probe, field, value, expected):
    column = pd.Series([None], dtype=object)
    column.iat[0] = value
    changes, summary = kaidah.compare(probe, probe, pd.DataFrame({field: column}), TODAY, [f"{field}_out"])
    problems = summary["problems"]
    assert changes.empty  # a rulebook compared with itself changes nothing
    if isinstance(expected, Refused):
        assert len(problems) == 1 and f"input '{field}': " in problems[0] and expected.reason in problems[0], problems
    elif expected == MISSING:
        # Compared in part: the decision that reads the missing input has no value under either.
        assert problems == [f"row 0: compared in part: needs {field}, not given (no {field}_out)"], problems
    else:
        assert problems == [] and summary["cases"] == 1


def test_decimal_array_takes_what_evaluate_takes_for_a_decimal():
    array = kaidah.DecimalArray._from_sequence([np.int64(-7), Money("2.5"), pd.NA, None, "0.125", Kelas.THREE])
    assert list(array) == [D(-7), D("2.5"), pd.NA, pd.NA, D("0.125"), D(3)] and array.scale == 3
    for value, error, says in [(np.bool_(True), TypeError, "exact numbers"), (0.5, TypeError, "exact numbers"),
                               (D("NaN"), ValueError, "not a finite number"), ("Infinity", ValueError, "not a finite"),
                               ("abc", ValueError, "expected a number"), (D("1E+999999999"), ValueError, "out of kaidah's decimal range")]:
        with pytest.raises(error, match=says):
            kaidah.DecimalArray._from_sequence([value])


def test_a_list_that_holds_itself_is_refused_not_a_crash(probe):
    looped = [1]
    looped.append(looped)
    with pytest.raises(kaidah.CaseError, match="nested deeper than 16 levels") as caught:
        probe.evaluate({"L": looped}, TODAY, ["L_out"])
    assert caught.value.field == "L"

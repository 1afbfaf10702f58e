"""Money columns behave like numbers, exactly: every operation checked against Python's Decimal.

The oracle is ``decimal.Decimal`` (and ``fractions.Fraction`` for means), computed in a context
with enough digits to be exact; the column under test runs in a deliberately poor caller context
(4 digits), which it must ignore (the newcomer review: an analyst could not compare, add or
average a money column).
"""

import decimal
import functools
import io
import operator
import pickle
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kaidah.decimal_array import DecimalArray
from test_properties import PROFILE

D = decimal.Decimal
EXACT = decimal.Context(prec=200)

# Money as kaidah holds it: up to 12 digits after the point, magnitudes well inside the range.
amounts = st.builds(lambda units, scale: D(units).scaleb(-scale, EXACT),
                    st.integers(-10**15, 10**15), st.integers(0, 6))
columns = st.lists(st.one_of(amounts, st.none()), min_size=1, max_size=12)


def column(values):
    return DecimalArray._from_sequence(values)


def cells(array):
    return [None if v is pd.NA else v for v in array]


@pytest.fixture(autouse=True)
def poor_context():
    with decimal.localcontext() as c:
        c.prec = 4
        c.rounding = decimal.ROUND_FLOOR
        yield


@PROFILE
@given(columns, st.data())
def test_arithmetic_and_comparisons_equal_decimal(left, data):
    right = data.draw(st.lists(st.one_of(amounts, st.none()), min_size=len(left), max_size=len(left)))
    a, b = column(left), column(right)
    for op, exact in ((operator.add, EXACT.add), (operator.sub, EXACT.subtract)):
        assert cells(op(a, b)) == [None if x is None or y is None else exact(x, y) for x, y in zip(left, right)]
    # The product keeps every digit (scales 0-6 each: at most 12 after the point).
    expected = [None if x is None or y is None else EXACT.multiply(x, y) for x, y in zip(left, right)]
    assert cells(a * b) == expected
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        got = list(op(a, b))
        assert got == [pd.NA if x is None or y is None else op(x, y) for x, y in zip(left, right)]


@PROFILE
@given(columns, amounts)
def test_a_number_on_either_side(values, number):
    a = column(values)
    assert cells(a + number) == [None if x is None else EXACT.add(x, number) for x in values]
    assert cells(number - a) == [None if x is None else EXACT.subtract(number, x) for x in values]
    assert cells(a * 3) == [None if x is None else EXACT.multiply(x, 3) for x in values]
    assert list(a > number) == [pd.NA if x is None else x > number for x in values]


@PROFILE
@given(columns)
def test_reductions_are_exact(values):
    series = pd.Series(column(values))
    present = [x for x in values if x is not None]
    if not present:
        assert series.sum() == 0 and series.mean() is pd.NA
        return
    assert series.sum() == functools.reduce(EXACT.add, present, D(0))
    assert series.min() == min(present) and series.max() == max(present)
    exact_mean = sum(map(Fraction, present)) / len(present)
    # Exact when it fits 12 places, else rounded half to even at 12.
    expected = D(round(exact_mean * 10**12)).scaleb(-12, EXACT)
    assert series.mean() == expected
    ordered = sorted(map(Fraction, present))
    n = len(ordered)
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    assert series.median() == D(round(middle * 10**12)).scaleb(-12, EXACT)


def test_sums_past_64_bits_stay_exact():
    big = D("90000000000000")  # 9e13 at scale 6 is 9e19 units, past int64
    a = column([big, D("0.000001"), big])
    assert pd.Series(a).sum() == D("180000000000000.000001")
    assert (a + a)[0] == D("180000000000000")
    assert (a * 1000)[0] == D("90000000000000000")


def test_statistics_of_a_small_column():
    # 1.5, 2, 3.25 and 10: mean 16.75 / 4 = 4.1875; median (2 + 3.25) / 2 = 2.625; sample variance
    # ((1.5-4.1875)^2 + (2-4.1875)^2 + (3.25-4.1875)^2 + (10-4.1875)^2) / 3 = 49.5... / 3.
    s = pd.Series(column(["1.5", "2", "3.25", None, "10"]))
    assert s.mean() == D("4.1875") and s.median() == D("2.625")
    deviations = [Fraction(x) - Fraction("4.1875") for x in ("1.5", "2", "3.25", "10")]
    variance = sum(d * d for d in deviations) / 3
    assert s.var() == D(round(variance * 10**12)).scaleb(-12, EXACT)
    root = EXACT.sqrt(EXACT.divide(D(variance.numerator), D(variance.denominator)))
    assert s.std() == root.quantize(D("1E-12"), context=EXACT)  # 2.941...: a square root, 12 places
    # Linear quantiles: position q x 3 in [1.5, 2, 3.25, 10].
    assert s.quantile([0.25, 0.5, 0.75]).tolist() == [D("1.875"), D("2.625"), D("4.9375")]
    assert s.quantile(0.5) == D("2.625")


def test_division_and_rounding_say_how():
    s = pd.Series(column(["100", "200", "350", None]))
    with pytest.raises(TypeError, match="needs a rounding"):
        s / 3
    # 350 / 12 = 29.1666...: up 30, half_up 29 at 0 places, 29.17 at 2.
    assert s.array.divide(12, 0, "up").tolist()[2] == D(30)
    assert s.array.divide(12, 2, "half_up").tolist()[2] == D("29.17")
    assert s.array.divide(12, 2, "down").tolist()[:3] == [D("8.33"), D("16.66"), D("29.16")]
    assert s.array.divide(12, 2).tolist()[3] is pd.NA
    assert column(["2.5", "3.5", "-2.5"]).round(0, "half_even").tolist() == [D(2), D(4), D(-2)]
    assert column(["2.5", "-2.5"]).round(0, "half_up").tolist() == [D(3), D(-3)]
    with pytest.raises(ZeroDivisionError):
        s.array.divide(0)
    with pytest.raises(ValueError, match="rounding must be one of"):
        s.array.divide(3, 0, "nearest")


def test_floats_and_too_many_digits_are_refused():
    a = column(["0.1"])
    with pytest.raises(TypeError, match="is a float, which is not exact"):
        a + 0.1
    with pytest.raises(ValueError, match="more than 12"):
        column(["0.0000001"]) * column(["0.0000001"])


def test_pandas_operations_on_money():
    frame = pd.DataFrame({"segment": ["pbpu", "pbpu", "ppu", "ppu", "pbpu"],
                          "arrears": column(["35000", "70000", "150000", None, "35000"])})
    assert frame["arrears"].value_counts().to_dict() == {D(35000): 2, D(70000): 1, D(150000): 1}
    assert frame["arrears"].sort_values(ascending=False).tolist()[:3] == [D(150000), D(70000), D(35000)]
    by_segment = frame.groupby("segment")["arrears"]
    assert by_segment.sum().to_dict() == {"pbpu": D(140000), "ppu": D(150000)}
    assert by_segment.mean().to_dict() == {"pbpu": D("46666.666666666667"), "ppu": D(150000)}
    assert frame.loc[frame["arrears"] > 40000, "segment"].tolist() == ["pbpu", "ppu"]
    plotted = frame["arrears"].astype(float)
    assert plotted.dtype == np.float64 and plotted.tolist()[:3] == [35000.0, 70000.0, 150000.0] and np.isnan(plotted[3])
    # describe() is pandas' summary of a numeric column (Float64, as for Int64): the exact
    # figures, as floats. Mean (35000 + 70000 + 150000 + 35000) / 4 = 72500; quartiles by
    # linear interpolation over 35000, 35000, 70000, 150000.
    described = frame["arrears"].describe()
    assert described.pop("std") == pytest.approx(54237.133650909933, rel=1e-15)  # sqrt(8,825,000,000 / 3)
    assert described.to_dict() == {"count": 4.0, "mean": 72500.0,
                                   "min": 35000.0, "25%": 35000.0, "50%": 52500.0, "75%": 90000.0, "max": 150000.0}
    assert "arrears" in frame.describe().columns
    # Anything that asks for floats (a chart, NumPy) gets NaN where a value is missing.
    assert np.isnan(frame["arrears"].to_numpy(dtype=float, na_value=np.nan)[3])
    assert np.asarray(frame["arrears"], dtype=float)[:3].tolist() == [35000.0, 70000.0, 150000.0]
    # The three largest debts, with whom they belong to; equal debts in the column's order.
    assert frame["arrears"].decimal.nlargest(3).to_dict() == {2: D(150000), 1: D(70000), 0: D(35000)}
    assert frame["arrears"].decimal.nsmallest(2, keep="last").to_dict() == {4: D(35000), 0: D(35000)}
    with pytest.raises(AttributeError, match="for kaidah.decimal columns"):
        frame["segment"].decimal


@given(columns, st.integers(0, 14), st.sampled_from(["first", "last", "all"]), st.booleans())
@PROFILE
def test_nlargest_and_nsmallest_as_pandas_selects_an_int64_column(values, n, keep, largest):
    # The oracle is pandas itself on the same whole numbers as an Int64 column (the values at
    # one scale), whose nlargest works: the same rows in the same order, for every keep rule.
    array = column(values)
    assume(array._values.dtype != object)  # Int64 holds the oracle's numbers
    index = [f"p{k}" for k in range(len(values))]
    series = pd.Series(array, index=index)
    units = pd.Series(pd.arrays.IntegerArray(array._values.astype(np.int64), array._missing.copy()), index=index)
    method = "nlargest" if largest else "nsmallest"
    got = getattr(series.decimal, method)(n, keep=keep)
    assert got.index.tolist() == getattr(units, method)(n, keep=keep).index.tolist()
    assert cells(got.array) == [values[int(p[1:])] for p in got.index]
    # A wide column (Python integers, for values past 64 bits) selects the same rows.
    wide = pd.Series(DecimalArray(np.array([int(v) for v in array._values], dtype=object), array._missing, array.scale),
                     index=index)
    assert getattr(wide.decimal, method)(n, keep=keep).index.tolist() == got.index.tolist()


def test_csv_and_pickle_keep_every_digit():
    values = column(["1500000.25", None, "0.000000000001", "-42"])
    buffer = io.StringIO()
    pd.DataFrame({"amount": values}).to_csv(buffer, index=False)
    back = pd.read_csv(io.StringIO(buffer.getvalue()), dtype=str, keep_default_na=False)["amount"]
    again = column([None if cell == "" else cell for cell in back])
    assert cells(again) == cells(values)
    assert cells(pickle.loads(pickle.dumps(values))) == cells(values)
    series = pd.Series(values)
    assert cells(pickle.loads(pickle.dumps(series)).array) == cells(values)

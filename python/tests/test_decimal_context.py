"""No value depends on the caller's ``decimal`` context (review finding S3): kaidah's decimals are
exact whatever ``decimal.getcontext()`` says, through evaluate, evaluate_frame and DecimalArray."""

import decimal

import numpy as np
import pandas as pd
import pytest

import kaidah
from conftest import D, TODAY

A, B = D("1234567.891234"), D("1000.5")
# By hand: 1234567.891234 + 1000.5 = 1235568.391234 (13 digits); 1234567.891234 * 1000.5 =
# 1234567891.234 + 617283.945617 = 1235185175.179617 (16 digits, exact in 12 places). A context
# of 8 digits would give 1235568.4 and 1.2351852E+9.
SUM, PRODUCT = D("1235568.391234"), D("1235185175.179617")


@pytest.fixture(params=["prec 8", "prec 3, every rounding trapped", "prec 8, floor"])
def narrow_context(request):
    """A caller's context that cannot hold these values: rounding in kaidah would show, or raise."""
    with decimal.localcontext() as context:
        context.prec = 3 if "trapped" in request.param else 8
        if "trapped" in request.param:
            context.traps[decimal.Inexact] = context.traps[decimal.Rounded] = True
        if "floor" in request.param:
            context.rounding = decimal.ROUND_FLOOR
        yield context


def same(values, expected):
    """Equal, and written the same way (1235568.391234, not 1235568.4 nor 1.235568391234E+6)."""
    return [str(v) for v in values] == [str(v) for v in expected]


def test_evaluate_is_exact(probe, narrow_context):
    result = probe.evaluate({"a": A, "b": B}, TODAY, ["add", "mul"])
    assert same([result["add"], result["mul"]], [SUM, PRODUCT])


@pytest.mark.parametrize("typed", [False, True], ids=["object columns", "DecimalArray columns"])
def test_evaluate_frame_is_exact(probe, narrow_context, typed):
    if typed:
        frame = pd.DataFrame({"a": kaidah.DecimalArray._from_sequence([A]), "b": kaidah.DecimalArray._from_sequence([B])})
    else:
        frame = pd.DataFrame({"a": [A], "b": [B]}, dtype=object)
    out = kaidah.evaluate_frame(probe, frame, TODAY, ["add", "mul", "a_out"])
    assert out["add"].dtype == "kaidah.decimal" and out["error"].tolist() == [None]
    assert same(out["add"].tolist() + out["mul"].tolist() + out["a_out"].tolist(), [SUM, PRODUCT, A])


def test_decimal_array_reads_writes_and_reduces_exactly(narrow_context):
    array = kaidah.DecimalArray._from_sequence([A, B, None, "-0.000000000001"])
    assert array.scale == 12
    assert same(array[:2], [A, B]) and same(array[3:], [D("-0.000000000001")])
    # 1234567.891234 + 1000.5 - 0.000000000001 = 1235568.391233999999
    assert same([array._reduce("sum"), array._reduce("min"), array._reduce("max")],
                [D("1235568.391233999999"), D("-0.000000000001"), A])
    assert same([pd.Series(array).sum()], [D("1235568.391233999999")])
    # A value with trailing zeros past 12 places is exact all the same: 1.0000000000000 is 1.
    assert same(kaidah.DecimalArray._from_sequence([D("1.0000000000000"), D("2.50")]), [D(1), D("2.5")])


def test_a_decimal_column_past_64_bits_is_still_exact(probe, narrow_context):
    # 10,000,000 beside 0.123456789012 needs 20 digits at scale 12, past 64 bits: the column came
    # back as objects, whose sum rounded to the caller's context (10000002 under prec 8). It is a
    # wide DecimalArray: Python integers, exact.
    values = [D("10000000"), D("0.123456789012"), D("-7999998")]
    out = kaidah.evaluate_frame(probe, pd.DataFrame({"a": values}, dtype=object), TODAY, ["a_out"])
    column = out["a_out"]
    assert column.dtype == "kaidah.decimal"
    assert same(column.tolist(), values)
    # 10000000 + 0.123456789012 - 7999998 = 2000002.123456789012
    assert same([column.sum(), column.min(), column.max()], [D("2000002.123456789012"), D("-7999998"), D("10000000")])
    # It goes back in as it came out, and joins a narrow column exactly.
    again = kaidah.evaluate_frame(probe, pd.DataFrame({"a": column}), TODAY, ["a_out"])
    assert same(again["a_out"].tolist(), values)
    joined = pd.concat([column, pd.Series(kaidah.DecimalArray.from_integers(np.array([5])))], ignore_index=True)
    assert same([joined.sum()], [D("2000007.123456789012")])

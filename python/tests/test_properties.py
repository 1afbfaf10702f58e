"""Property tests: kaidah's decimal arithmetic and rounding held to Python's ``decimal``, and its
date functions to Python's ``datetime``, through ``evaluate`` and ``evaluate_frame`` alike, under
the semantics docs/language.md gives: ``+ -`` exact; ``* /`` rounded half_even at 12 places;
``round(x, places, mode)`` in six modes; a decimal past ±(2^127 - 1)·10^-12 or an integer past
64 bits is an error, never a wrap; dates are 1400-01-01 to 9999-12-31.

Each example is a handful of cases: every decision is computed for each case alone (evaluate)
and for all of them as one frame (evaluate_frame), and both must give the oracle's value, or an
EvaluationError where the oracle says the result is out of range.

The default run is short (about 30 examples a property, a few seconds in all) and derandomized,
so CI never flakes. A longer, random run, e.g. before a release:

    KAIDAH_PROPERTY_EXAMPLES=20000 PYTHONPATH=build/python python3 -m pytest -q python/tests/test_properties.py
"""

import calendar
import datetime
import decimal
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kaidah
from conftest import MODES, PLACES, TODAY

LONG_RUN = int(os.environ.get("KAIDAH_PROPERTY_EXAMPLES", "0"))
# No example database: nothing is written into the tree, and a run depends on nothing but its seed.
settings.register_profile("kaidah-ci", max_examples=30, deadline=None, derandomize=True, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("kaidah-long", max_examples=max(LONG_RUN, 1), deadline=None, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings(settings.get_profile("kaidah-long" if LONG_RUN else "kaidah-ci"))

D = decimal.Decimal
UNIT = 10**12  # kaidah holds a decimal as a whole number of 10^-12
MAX_RAW = 2**127 - 1
INT64 = (-2**63, 2**63 - 1)
FIRST_DAY, LAST_DAY = datetime.date(1400, 1, 1), datetime.date(9999, 12, 31)
ERROR = "error"  # the oracle's "out of range": kaidah must raise EvaluationError
SKIP = "skip"    # a case the property does not cover (yet)


def decimal_of(raw: int) -> D:
    """raw / 10^12 as a Decimal, exactly (text: no context involved)."""
    return D(f"{raw}E-12")


def raw_of(value: D) -> int:
    """value * 10^12 as an int; value has at most 12 places."""
    sign, digits, exponent = value.as_tuple()
    raw = int("".join(map(str, digits))) * 10 ** (exponent + 12)
    return -raw if sign else raw


def in_range(raw: int):
    return decimal_of(raw) if abs(raw) <= MAX_RAW else ERROR


def divide_half_even(n: int, d: int) -> int:
    """n / d rounded half_even to a whole number, in integers: exact at any size."""
    q, r = divmod(abs(n), abs(d))
    if 2 * r > abs(d) or (2 * r == abs(d) and q % 2 == 1):
        q += 1
    return q if (n < 0) == (d < 0) else -q


# Decimals kaidah can hold: everyday amounts at every scale, anything in range, ties for the
# rounding modes, and the edges.
raws = st.one_of(
    st.builds(lambda n, places: n * 10 ** (12 - places), st.integers(-10**15, 10**15), st.integers(0, 12)),
    st.integers(-MAX_RAW, MAX_RAW),
    st.builds(lambda n, places: (10 * n + 5) * 10 ** (11 - places), st.integers(-10**9, 10**9), st.integers(-3, 11)),
    st.sampled_from([0, 1, -1, MAX_RAW, -MAX_RAW, INT64[0], INT64[1], INT64[1] * UNIT, INT64[0] * UNIT]),
)
decimals = raws.map(decimal_of)
integers = st.one_of(st.integers(-1000, 1000), st.integers(*INT64), st.sampled_from(INT64))
dates = st.dates(FIRST_DAY, LAST_DAY)
edge_dates = st.one_of(dates, st.sampled_from([FIRST_DAY, LAST_DAY, datetime.date(2024, 2, 29),
                                               datetime.date(2025, 1, 31), datetime.date(9999, 12, 1)]))
day_counts = st.one_of(st.integers(-4000, 4000), st.integers(-3_300_000, 3_300_000), st.sampled_from(INT64))
month_counts = st.one_of(st.integers(-30, 30), st.integers(-110_000, 110_000), st.sampled_from(INT64))


def cases(**fields):
    return st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=8)


def holds(rulebook, rows, oracles):
    """Each decision of ``oracles`` (name -> function of a row) gives the oracle's answer for every
    row, computed one case at a time and as one frame."""
    frame = pd.DataFrame({name: pd.Series([row[name] for row in rows], dtype=object) for name in rows[0]})
    for decision, oracle in oracles.items():
        batch = kaidah.evaluate_frame(rulebook, frame, TODAY, [decision])
        for i, row in enumerate(rows):
            want = oracle(**row)
            if want == SKIP:
                continue
            try:
                single = rulebook.evaluate(row, TODAY, [decision])[decision]
            except kaidah.EvaluationError:
                single = ERROR
            error = batch["error"].iat[i]
            assert error is None or f"decision '{decision}': " in error, (decision, row, error)
            many = ERROR if error is not None else batch[decision].iat[i]
            many = many.item() if hasattr(many, "item") else many  # Int64 cells are NumPy's
            assert (single, many) == (want, want), (decision, row)
            assert type(single) is type(want) and type(many) is type(want), (decision, row)


def division(a, b):
    if b == 0:
        return ERROR
    return in_range(divide_half_even(raw_of(a) * UNIT, raw_of(b)))


@PROFILE
@given(cases(a=decimals, b=decimals))
def test_decimal_arithmetic_is_pythons_decimal(probe, rows):
    holds(probe, rows, {
        "add": lambda a, b: in_range(raw_of(a) + raw_of(b)),  # exact
        "sub": lambda a, b: in_range(raw_of(a) - raw_of(b)),
        "mul": lambda a, b: in_range(divide_half_even(raw_of(a) * raw_of(b), UNIT)),  # half_even at 12 places
    })


@PROFILE
@given(cases(a=decimals, b=st.one_of(decimals, st.sampled_from([D(2), D(-2), D("0.2"), D(8), D(3), D("2E-12")]))))  # ties
def test_decimal_division_is_pythons_decimal(probe, rows):
    holds(probe, rows, {"div": lambda a, b: division(a, b)})


ROUNDINGS = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN, "up": decimal.ROUND_UP,
             "down": decimal.ROUND_DOWN, "floor": decimal.ROUND_FLOOR, "ceiling": decimal.ROUND_CEILING}
WIDE = decimal.Context(prec=100)  # room for every digit of kaidah's 39: quantize rounds only as asked


def rounded(a, places, mode):
    value = a.quantize(D(f"1E{-places}"), rounding=ROUNDINGS[mode], context=WIDE)
    return in_range(raw_of(value)) if value.as_tuple().exponent >= -12 else ERROR


@PROFILE
@given(cases(a=decimals))
def test_round_is_pythons_quantize_in_every_mode(probe, rows):
    holds(probe, rows, {f"round_{mode}_{str(p).replace('-', 'm')}": (lambda a, p=p, mode=mode: rounded(a, p, mode))
                        for mode in MODES for p in PLACES})


def int64(value):
    return value if INT64[0] <= value <= INT64[1] else ERROR


@PROFILE
@given(cases(n=integers, k=integers))
def test_integer_arithmetic_is_64_bit_and_never_wraps(probe, rows):
    holds(probe, rows, {"nadd": lambda n, k: int64(n + k), "nmul": lambda n, k: int64(n * k)})


def shifted(d, months):
    """add_months: the same day, or the target month's last day where it is shorter."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    if not 1400 <= year <= 9999:
        return ERROR
    return datetime.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def months_between(d, d2):
    # The largest n with add_months(d, n) <= d2, in either direction.
    n = (d2.year - d.year) * 12 + d2.month - d.month
    return n if shifted(d, n) <= d2 else n - 1


def age_on(d, d2):
    if d2 < d:
        return SKIP  # an age before birth: not a question the oracle asks
    # Completed years: a 29 February birthday completes on 1 March in common years.
    return d2.year - d.year - ((d2.month, d2.day) < (d.month, d.day))


def days_later(d, n):
    ordinal = d.toordinal() + n
    return datetime.date.fromordinal(ordinal) if FIRST_DAY.toordinal() <= ordinal <= LAST_DAY.toordinal() else ERROR


@PROFILE
@given(cases(d=edge_dates, d2=edge_dates, n=st.one_of(day_counts, month_counts)))
def test_date_functions_are_pythons_datetime(probe, rows):
    holds(probe, rows, {
        "f_add_days": lambda d, d2, n: days_later(d, n),
        "f_add_months": lambda d, d2, n: shifted(d, n),
        "f_age_on": lambda d, d2, n: age_on(d, d2),
        "f_months_between": lambda d, d2, n: months_between(d, d2),
        "f_days_between": lambda d, d2, n: (d2 - d).days,
        "f_weekday": lambda d, d2, n: d.isoweekday(),
        "f_end_of_month": lambda d, d2, n: d.replace(day=calendar.monthrange(d.year, d.month)[1]),
        "f_start_of_month": lambda d, d2, n: d.replace(day=1),
    })


@PROFILE
@given(cases(m=edge_dates.map(lambda d: kaidah.Month(d.year, d.month)), n=month_counts))
def test_month_arithmetic_is_pythons(probe, rows):
    def later(m, n):
        year, month = divmod(m.year * 12 + m.month - 1 + n, 12)
        return kaidah.Month(year, month + 1) if 1400 <= year <= 9999 else ERROR

    holds(probe, rows, {"f_add_months_m": later})

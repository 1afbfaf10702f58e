"""Values cross between Python and kaidah exactly: Decimal, date, Month, lists, records."""

import datetime
import decimal
import pickle

import pytest

import kaidah
from conftest import D, TODAY


def test_money_comes_back_as_exact_decimals(jkn, kopdes_worker):
    # Perpres 64/2020: 4% and 1% of 3,500,000.
    result = jkn.evaluate(kopdes_worker, TODAY, ["iuran_employer", "iuran_worker", "wage_base"])
    assert result == {"iuran_employer": D("140000"), "iuran_worker": D("35000"), "wage_base": D("3500000")}
    assert all(type(v) is decimal.Decimal for v in result.values())


def test_decimals_keep_every_digit(jkn, kopdes_worker):
    # jkn-sources #10: UMK 4,200,479.19 is used as 4,200,479; 1% of it is 42,004.79 -> 42,005.
    case = {**kopdes_worker, "wage": D("3000000"), "minimum_wage": D("4200479.19")}
    result = jkn.evaluate(case, "2020-01-15", ["wage_floor", "iuran_worker"])
    assert result == {"wage_floor": D("4200479"), "iuran_worker": D("42005")}
    # A decimal with an exponent is read exactly too.
    assert jkn.evaluate({**kopdes_worker, "wage": D("3.5E+6")}, TODAY, ["iuran_worker"]) == {"iuran_worker": D("35000")}


def test_floats_are_refused_with_a_type_error_naming_the_field(jkn, kopdes_worker):
    with pytest.raises(kaidah.FloatError) as caught:
        jkn.evaluate({**kopdes_worker, "wage": 3500000.0}, TODAY)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, kaidah.CaseError)
    assert caught.value.field == "wage"
    assert "decimal.Decimal('3500000.0')" in caught.value.reason


def test_text_is_parsed_by_the_declared_type(jkn, kopdes_worker):
    case = {**kopdes_worker, "wage": "3500000", "last_month_paid": "2026-09"}
    result = jkn.evaluate(case, "2026-11-24", ["iuran_worker", "arrears_months"])
    # Paid to September: on 24 November only October is in arrears (November is current).
    assert result == {"iuran_worker": D("35000"), "arrears_months": 1}


def test_dates_months_lists_and_records(jkn):
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
            "kelas": "kelas_1", "months_unpaid": [kaidah.Month(2026, 8), "2026-03", kaidah.Month(2026, 7)],
            "birth_date": datetime.date(2026, 11, 1), "born_to_participant": True,
            "family": [{"relation": "spouse", "birth_date": datetime.date(1990, 1, 1)}]}
    result = jkn.evaluate(case, TODAY, ["arrears_month_list", "newborn_registration_deadline", "suspended_since",
                                        "persons_paying"])
    assert result["arrears_month_list"] == [kaidah.Month(2026, 3), kaidah.Month(2026, 7), kaidah.Month(2026, 8)]
    assert result["newborn_registration_deadline"] == datetime.date(2026, 11, 29)
    assert result["suspended_since"] == datetime.date(2026, 4, 1)
    assert result["persons_paying"] == 2


def test_optional_decisions_without_value_are_none(jkn):
    case = {"citizenship": "foreign", "months_worked_in_indonesia": 2, "work_status": "self_employed"}
    assert jkn.evaluate(case, TODAY, ["required_segment", "must_enroll"]) == {"required_segment": None, "must_enroll": False}


def test_month_type():
    m = kaidah.Month.parse("2025-12")
    assert (m.year, m.month, str(m), repr(m)) == (2025, 12, "2025-12", "Month(2025, 12)")
    assert m.plus(1) == kaidah.Month(2026, 1) and m < m.plus(1)
    assert m.first_day() == datetime.date(2025, 12, 1) and m.last_day() == datetime.date(2025, 12, 31)
    assert {m: 1}[kaidah.Month(2025, 12)] == 1
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(ValueError, match="2025-13 is not a valid month"):
        kaidah.Month(2025, 13)


def test_datetime_with_a_time_is_refused(jkn):
    with pytest.raises(kaidah.CaseError, match="time of day"):
        jkn.evaluate({"birth_date": datetime.datetime(2026, 1, 1, 8, 0)}, TODAY, ["newborn_registration_deadline"])
    with pytest.raises(TypeError, match="expected a datetime.date"):
        jkn.evaluate({}, 20261124, ["due_date"])
    with pytest.raises(ValueError, match="2026-02-30 is not a valid date"):
        jkn.evaluate({}, "2026-02-30", ["due_date"])

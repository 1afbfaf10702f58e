"""Every JKN decision is defined on every date of the regimes it covers, for every kind of person.

A whole case evaluated on any date from 1 July 2016 (Perpres 19/2016) to today gives every
decision; a programme that did not exist yet (REHAB before 2022, pemutihan before October 2025)
answers "none" or "not eligible", never an error about its parameters. Before July 2016 the only
errors are the decisions the rulebook leaves undefined on purpose (suspension and reactivation
under Perpres 12/2013, legal review 2026-12 §3.3), and they name the date.
"""

import datetime

import pytest

import kaidah

# One complete case of each kind a sweep meets; payment histories without gaps where the rule
# before July 2016 is not defined (the person is then paid up).
PEOPLE = {
    "pbpu class III paid up": {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
                                  "kelas": "kelas_3", "months_unpaid": []},
    "pbpu class I paid up": {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
                             "kelas": "kelas_1", "months_unpaid": [], "dtsen_decile": 3},
    "kopdes worker": {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
                      "kopdes_merah_putih": True, "enrolled_segment": "ppu_badan_usaha", "wage": "3000000",
                      "minimum_wage": "2500000", "months_unpaid": []},
    "civil servant": {"citizenship": "indonesian", "work_status": "employee", "employer_type": "state",
                      "enrolled_segment": "ppu_penyelenggara_negara", "wage": "6000000", "months_unpaid": []},
    "pbi": {"citizenship": "indonesian", "work_status": "not_working", "assistance": "central_budget",
            "enrolled_segment": "pbi_jk", "months_unpaid": []},
    "state pensioner": {"citizenship": "indonesian", "work_status": "not_working", "non_worker_category": "state_pensioner",
                        "enrolled_segment": "bp", "pension": "3000000", "months_unpaid": []},
    "veteran": {"citizenship": "indonesian", "work_status": "not_working", "non_worker_category": "veteran_or_pioneer",
                "enrolled_segment": "bp", "reference_salary": "3000000", "months_unpaid": []},
    "not registered": {"citizenship": "indonesian", "work_status": "self_employed", "kelas": "kelas_3"},
    "spouse of a ppu worker": {"citizenship": "indonesian", "work_status": "not_working",
                               "covered_as_family_of": "ppu_badan_usaha"},
    "foreigner": {"citizenship": "foreign", "months_worked_in_indonesia": 2, "work_status": "self_employed"},
}

DATES = ["2016-07-01", "2017-11-05", "2018-09-17", "2018-09-18", "2019-10-01", "2020-05-05", "2020-12-31",
         "2021-03-15", "2022-01-01", "2025-02-02", "2025-02-03", "2025-10-13", "2025-10-14", "2026-02-08",
         "2026-02-09", "2026-02-11", "2026-11-24"]


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_every_decision_is_defined_from_july_2016(jkn, person):
    for date in DATES:
        results = jkn.evaluate(PEOPLE[person], date)
        assert set(results) == {d.name for d in jkn.decisions}, date


def test_a_person_in_arrears_on_every_date_since_july_2016(jkn):
    # The six months before each date's month unpaid: suspended under the rule of the day, and all
    # six required to reactivate (at most 12 in 2016-2018, 6 in 2020, 24 otherwise).
    for date in [d for d in DATES if d >= "2017"]:  # the oldest month unpaid after June 2016
        day = datetime.date.fromisoformat(date)
        index = day.year * 12 + day.month - 1 - 7  # seven months back: six whole months unpaid
        last_paid = kaidah.Month(index // 12, index % 12 + 1)
        case = dict(PEOPLE["pbpu class III paid up"], months_unpaid=None, last_month_paid=last_paid)
        case = {k: v for k, v in case.items() if v is not None}
        results = jkn.evaluate(case, date)
        assert results["arrears_months"] == 6, date
        assert results["suspended"] is True, date
        # Coverage stopped five months ago at the latest: on the 1st (Perpres 82/2018) or the 11th.
        assert results["suspended_since"].day in (1, 11), date
        assert results["reactivation_months"] == 6, date


def test_before_july_2016_suspension_is_undefined_and_names_the_date(jkn):
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
            "kelas": "kelas_3", "last_month_paid": "2015-02"}
    with pytest.raises(kaidah.EvaluationError) as e:
        jkn.evaluate(case, "2015-06-15")
    assert "has no value in force on 2015-06-15 (its first value takes effect on 2016-07-01)" in str(e.value)
    # What is defined then still answers: 3 months of class III at 25,500 and the 2% late fine
    # (Perpres 12/2013 Pasal 17 ayat (4)): 2% x 76,500 x 3 = 4,590.
    results = jkn.evaluate(case, "2015-06-15", ["arrears_amount", "late_fine", "iuran_total", "rehab_eligible",
                                                "pemutihan_status"])
    assert results == {"arrears_amount": 76500, "late_fine": 4590, "iuran_total": 25500, "rehab_eligible": False,
                       "pemutihan_status": "not_covered"}

import datetime
import decimal

import pytest

import kaidah

D = decimal.Decimal
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(scope="session")
def jkn():
    return kaidah.load("jkn")


@pytest.fixture
def kopdes_worker():
    """A Kopdes Merah Putih employee earning Rp 3,500,000 where the UMK is Rp 2,500,000."""
    return {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
            "kopdes_merah_putih": True, "enrolled_segment": "ppu_badan_usaha",
            "wage": D("3500000"), "minimum_wage": D("2500000"), "last_month_paid": "2026-11"}


MODES = ["half_up", "half_even", "up", "down", "floor", "ceiling"]
PLACES = [-3, 0, 2, 5, 12]


def write_rulebook(folder, inputs, decisions):
    """A small rulebook in ``folder``: ``inputs`` name -> (type, extra YAML or ""), ``decisions``
    name -> (type, formula). Returns it loaded."""
    (folder / "rulebook.yaml").write_text(f"name: {folder.name}\nversion: 1\n")
    lines = ["inputs:"]
    lines += [f"  {name}: {{type: {kind}, description: {name}{extra}}}" for name, (kind, extra) in inputs.items()]
    lines.append("decisions:")
    lines += [f'  {name}: {{type: {kind}, description: {name}, legal_basis: test, formula: "{formula}"}}'
              for name, (kind, formula) in decisions.items()]
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n")
    return kaidah.load(folder)


# One input of each type, a decision that gives each back, and the arithmetic and date functions
# the property tests hold to Python's decimal and datetime.
PROBE_INPUTS = {
    "a": ("decimal", ""), "b": ("decimal", ""), "n": ("integer", ""), "k": ("integer", ""),
    "flag": ("bool", ""), "d": ("date", ""), "d2": ("date", ""), "m": ("month", ""), "t": ("text", ""),
    "e": ("enum", ", values: [x, y]"), "L": ("list of decimal", ""), "LI": ("list of integer", ""),
    "LD": ("list of date", ""),
}
PROBE_DECISIONS = {
    "a_out": ("decimal", "a"), "n_out": ("integer", "n"), "flag_out": ("bool", "flag"), "d_out": ("date", "d"),
    "m_out": ("month", "m"), "t_out": ("text", "t"), "e_out": ("enum, values: [x, y]", "e"),
    "L_out": ("list of decimal", "L"), "LI_out": ("list of integer", "LI"), "LD_out": ("list of date", "LD"),
    "add": ("decimal", "a + b"), "sub": ("decimal", "a - b"), "mul": ("decimal", "a * b"), "div": ("decimal", "a / b"),
    "nadd": ("integer", "n + k"), "nmul": ("integer", "n * k"),
    "f_add_days": ("date", "add_days(d, n)"), "f_add_months": ("date", "add_months(d, n)"),
    "f_add_months_m": ("month", "add_months(m, n)"), "f_age_on": ("integer", "age_on(d, d2)"),
    "f_months_between": ("integer", "months_between(d, d2)"), "f_days_between": ("integer", "days_between(d, d2)"),
    "f_weekday": ("integer", "weekday(d)"), "f_end_of_month": ("date", "end_of_month(d)"),
    "f_start_of_month": ("date", "start_of_month(d)"),
    **{f"round_{mode}_{str(p).replace('-', 'm')}": ("decimal", f"round(a, {p}, {mode})") for mode in MODES for p in PLACES},
}


@pytest.fixture(scope="session")
def probe(tmp_path_factory):
    return write_rulebook(tmp_path_factory.mktemp("probe"), PROBE_INPUTS, PROBE_DECISIONS)

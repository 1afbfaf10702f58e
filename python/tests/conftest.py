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

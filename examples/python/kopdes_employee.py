"""Why does a Kopdes Merah Putih employee earning Rp 3,500,000 pay what they pay?

Run from a build tree:  PYTHONPATH=build/python /usr/bin/python3 examples/python/kopdes_employee.py
"""

import datetime
from decimal import Decimal

import kaidah


def main() -> dict:
    jkn = kaidah.load("jkn")
    employee = {
        "citizenship": "indonesian",
        "work_status": "employee",
        "employer_type": "cooperative",
        "kopdes_merah_putih": True,
        "enrolled_segment": "ppu_badan_usaha",
        "wage": Decimal("3500000"),
        "minimum_wage": Decimal("2500000"),  # the regency's UMK
        "last_month_paid": "2026-11",
    }
    why = jkn.explain(employee, datetime.date(2026, 11, 24), ["iuran_employer", "iuran_worker", "next_action"])
    print(why)
    return {name: why[name]["value"] for name in why.roots}


if __name__ == "__main__":
    main()

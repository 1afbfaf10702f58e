"""Writes a synthetic roster of one cooperative's people (fixed seed, so the file is reproducible).

Usage: python3 examples/python/make_population.py [ROWS] [OUT.csv]   (default 320 rows)
The roster mixes the cooperative's employees with informal workers around it, their segments,
classes, wages and payment histories; nobody in it is a real person.
"""

import csv
import random
import sys
from pathlib import Path

COLUMNS = ["citizenship", "months_worked_in_indonesia", "work_status", "employer_type", "kopdes_merah_putih",
           "assistance", "enrolled_segment", "kelas", "wage", "minimum_wage", "last_month_paid"]
UMK = "2500000"


def person(rng: random.Random, index: int) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    row["citizenship"] = "indonesian"
    if index < 20:  # the cooperative's employees
        row.update(work_status="employee", employer_type="cooperative", kopdes_merah_putih="true",
                   wage=str(rng.randrange(2_000_000, 6_000_000, 50_000)), minimum_wage=UMK)
        if rng.random() < 0.8:
            row["enrolled_segment"] = "ppu_badan_usaha"
            row["last_month_paid"] = rng.choice(["2026-11", "2026-10", "2026-09"])
        return row
    kind = rng.choices(["pbpu", "pbi", "pemda", "bp", "unregistered", "foreign"], [55, 20, 5, 5, 14, 1])[0]
    row["work_status"] = "not_working" if kind == "bp" else "self_employed"
    if kind == "foreign":
        row.update(citizenship="foreign", months_worked_in_indonesia=str(rng.randrange(0, 12)), kelas="kelas_3")
    elif kind == "unregistered":
        row["kelas"] = "kelas_3"
    elif kind in ("pbi", "pemda"):
        row.update(assistance="central_budget" if kind == "pbi" else "regional_budget",
                   enrolled_segment="pbi_jk" if kind == "pbi" else "pbpu_pemda")
    else:
        row.update(enrolled_segment=kind, kelas=rng.choices(["kelas_1", "kelas_2", "kelas_3"], [10, 20, 70])[0])
        year = rng.choices([2026, 2025, 2024, 2022, 2020], [60, 15, 10, 10, 5])[0]
        month = rng.randrange(1, 12 if year == 2026 else 13)
        row["last_month_paid"] = f"{year}-{month:02d}"
    return row


def main(rows: int = 320, out: Path = Path(__file__).resolve().parents[1] / "data" / "population.csv") -> None:
    rng = random.Random(20251230)
    with open(out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            writer.writerow(person(rng, i))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 320, Path(sys.argv[2]) if len(sys.argv) > 2 else
         Path(__file__).resolve().parents[1] / "data" / "population.csv")

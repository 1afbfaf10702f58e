"""Writes a synthetic roster of one cooperative and the people around it (fixed seed, reproducible).

Usage: python3 examples/python/make_population.py [ROWS] [OUT.csv]   (default 320 rows, to standard output)

`make_population.py 320 examples/data/population.csv` remakes the bundled roster.

The first 20 rows are the Koperasi Desa Merah Putih's employees (PPU Badan Usaha, some not yet
registered); the rest are informal workers and their neighbours: PBPU and BP participants of
every class, up to date or years in arrears, with families; PBI and Pemda-assisted residents,
some who moved from PBPU with old arrears and a DTSEN decile (pemutihan); civil servants,
veterans, a few foreigners, deceased members, and people with a hospital stay after
reactivation (denda). Columns are the JKN rulebook's inputs plus `id` and `name`; lists such as
`family` are written in YAML flow form. Nobody in it is a real person.
"""

import contextlib
import csv
import random
import sys
from pathlib import Path

COLUMNS = ["id", "name", "citizenship", "months_worked_in_indonesia", "work_status", "employer_type",
           "kopdes_merah_putih", "assistance", "non_worker_category", "reference_salary", "enrolled_segment", "kelas",
           "wage", "minimum_wage", "previous_minimum_wage", "family", "last_month_paid", "previous_segment", "segment_changed_on", "dtsen_decile",
           "pemda_verified", "deceased", "reactivation_date", "inpatient_date", "arrears_months_at_reactivation",
           "ina_cbg_estimate"]
UMK = "2500000"
# Last year's UMK, for months in arrears from an earlier year when a wage is below the UMK. The
# roster is also evaluated on 2027 dates (the reform examples), where last year is 2026: the same.
PREVIOUS_UMK = UMK
GIVEN = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indah", "Joko", "Kartini", "Lestari",
         "Made", "Nur", "Putu", "Rahmat", "Siti", "Tono", "Umi", "Wayan", "Yanti", "Zainal"]
FAMILY = ["Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Pratama", "Siregar", "Nasution", "Kurniawan"]


def month(rng: random.Random, years: list[int], weights: list[int]) -> str:
    year = rng.choices(years, weights)[0]
    return f"{year}-{rng.randrange(1, 11 if year == 2026 else 13):02d}"


def family(rng: random.Random, max_children: int) -> str:
    members = []
    if rng.random() < 0.7:
        members.append(f"{{relation: spouse, birth_date: {rng.randrange(1975, 2000)}-0{rng.randrange(1, 10)}-15}}")
    for _ in range(rng.randrange(0, max_children + 1)):
        school = ", in_education: true" if rng.random() < 0.3 else ""
        members.append(f"{{relation: child, birth_date: {rng.randrange(2000, 2026)}-1{rng.randrange(0, 3)}-0{rng.randrange(1, 10)}{school}}}")
    return "[" + ", ".join(members) + "]" if members else ""


def person(rng: random.Random, index: int) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    row.update(id=f"KDMP-{index + 1:07d}", name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", citizenship="indonesian")
    if index < 20:  # the cooperative's employees; their families stay within spouse + 3 children
        row.update(work_status="employee", employer_type="cooperative", kopdes_merah_putih="true",
                   wage=str(rng.randrange(2_000_000, 6_000_000, 50_000)), minimum_wage=UMK,
                   previous_minimum_wage=PREVIOUS_UMK, family=family(rng, 3))
        if rng.random() < 0.8:
            row["enrolled_segment"] = "ppu_badan_usaha"
            row["last_month_paid"] = rng.choice(["2026-11", "2026-10", "2026-09"])
        return row
    kind = rng.choices(["pbpu", "pbi", "moved", "pemda", "bp", "veteran", "civil", "unregistered", "foreign"],
                       [52, 15, 6, 4, 5, 1, 2, 13, 2])[0]
    row["work_status"] = {"bp": "not_working", "veteran": "not_working", "civil": "employee"}.get(kind, "self_employed")
    if kind == "foreign":
        row.update(citizenship="foreign", months_worked_in_indonesia=str(rng.randrange(0, 12)), kelas="kelas_3")
    elif kind == "unregistered":
        row.update(kelas="kelas_3", family=family(rng, 2))
    elif kind == "civil":
        row.update(employer_type="state", enrolled_segment="ppu_penyelenggara_negara",
                   wage=str(rng.randrange(3_000_000, 9_000_000, 100_000)), last_month_paid="2026-11")
    elif kind == "veteran":
        row.update(non_worker_category="veteran_or_pioneer", enrolled_segment="bp", reference_salary="3300000")
    elif kind in ("pbi", "pemda", "moved"):
        row.update(assistance="regional_budget" if kind == "pemda" else "central_budget",
                   enrolled_segment="pbpu_pemda" if kind == "pemda" else "pbi_jk")
        if kind == "moved":  # left PBPU with arrears: the announced pemutihan's first scheme
            row.update(previous_segment="pbpu", kelas="kelas_3", segment_changed_on="2026-0" + str(rng.randrange(1, 8)) + "-15",
                       last_month_paid=month(rng, [2025, 2024, 2023], [3, 2, 1]),
                       dtsen_decile=str(rng.randrange(1, 9)), pemda_verified=rng.choice(["true", "false", "true"]))
    else:
        row.update(enrolled_segment=kind, kelas=rng.choices(["kelas_1", "kelas_2", "kelas_3"], [10, 20, 70])[0],
                   family=family(rng, 3), last_month_paid=month(rng, [2026, 2025, 2024, 2022, 2020], [60, 15, 10, 10, 5]))
        if row["kelas"] == "kelas_3" and rng.random() < 0.2:
            row.update(dtsen_decile=str(rng.randrange(1, 8)), pemda_verified="true")
        if rng.random() < 0.02:
            row["deceased"] = "true"
        if rng.random() < 0.05:  # a hospital stay soon after paying to reactivate
            row.update(reactivation_date="2026-11-02", inpatient_date=f"2026-11-{rng.randrange(3, 24):02d}",
                       arrears_months_at_reactivation=str(rng.randrange(1, 30)),
                       ina_cbg_estimate=str(rng.randrange(2_000_000, 40_000_000, 100_000)))
    return row


def main(rows: int = 320, out: Path | None = None) -> None:
    """Writes `rows` people to `out`, or to standard output (never over the bundled roster unasked)."""
    rng = random.Random(20251230)
    with (open(out, "w", newline="") if out else contextlib.nullcontext(sys.stdout)) as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for i in range(rows):
            writer.writerow(person(rng, i))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 320, Path(sys.argv[2]) if len(sys.argv) > 2 else None)

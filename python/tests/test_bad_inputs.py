"""tests/bad/: every malformed rulebook, case, reform and roster row gives its exact message
(tests/bad/README.md), and nothing else is affected: the roster's good rows are all computed."""

import csv
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad"
KAIDAH = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))
DATE = "2026-11-25"


def kaidah(*args, tmp_path):
    env = dict(os.environ, KAIDAH_RULES=str(ROOT / "rules"))  # the bundled JKN rulebook of this tree
    return subprocess.run([KAIDAH, *args], capture_output=True, text=True, errors="replace", cwd=ROOT, env=env)


RULEBOOKS = sorted(p for p in (BAD / "rulebooks").iterdir() if p.is_dir())
CASES = sorted(p for p in (BAD / "cases").iterdir() if p.suffix != ".expected")
REFORMS = sorted(p for p in (BAD / "reforms").glob("*.yaml"))


def test_the_corpus_has_over_a_hundred_bad_inputs():
    roster_rows = sum(1 for row in csv.DictReader(open(BAD / "roster.expected.csv")) if row["id"].startswith("bad-"))
    assert len(RULEBOOKS) + len(CASES) + len(REFORMS) + roster_rows >= 100


@pytest.mark.parametrize("folder", RULEBOOKS, ids=lambda p: p.name)
def test_bad_rulebook(folder, tmp_path):
    run = kaidah("check", str(folder.relative_to(ROOT)), tmp_path=tmp_path)
    assert run.returncode == 1
    assert run.stderr == (folder / "expected.txt").read_text()
    assert ": error: " in run.stderr  # located: file:line:column: error: ...


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_bad_case(case, tmp_path):
    run = kaidah("eval", str(case.relative_to(ROOT)), "--date", DATE, tmp_path=tmp_path)
    assert run.returncode in (1, 2)
    assert run.stderr == case.with_name(case.name + ".expected").read_text()
    # What the case's facts allow is answered (partial answers); what they do not is on stderr,
    # with its reason: the two never overlap.
    answered = {line.split(" = ")[0] for line in run.stdout.splitlines()}
    assert all(name not in answered for line in run.stderr.splitlines() if "(no value for " in line
               for name in line.rsplit("(no value for ", 1)[1].rstrip(")").split(", "))


@pytest.mark.parametrize("reform", REFORMS, ids=lambda p: p.name)
def test_bad_reform(reform, tmp_path):
    run = kaidah("diff", str(reform.relative_to(ROOT)), str((BAD / "reforms" / "roster.csv").relative_to(ROOT)),
                 "--date", DATE, "--out", str(tmp_path / "diff"), tmp_path=tmp_path)
    assert run.returncode == 1
    assert run.stderr == reform.with_suffix(".expected").read_text()
    assert not (tmp_path / "diff" / "changes.csv").exists()  # nothing half-done


def test_bad_roster_rows_are_reported_and_good_rows_all_processed(tmp_path):
    run = kaidah("sweep", "tests/bad/roster.csv", "--date", DATE, "--out", str(tmp_path / "out"), tmp_path=tmp_path)
    assert run.returncode == 1  # some rows had errors
    people = list(csv.DictReader(open(tmp_path / "out" / "people.csv")))
    expected = list(csv.DictReader(open(BAD / "roster.expected.csv")))
    assert [(p["id"], p["line"], p["error"]) for p in people] == [(e["id"], e["line"], e["error"]) for e in expected]
    good = [p for p in people if p["id"].startswith("ok-")]
    assert len(good) == 4 and all(p["error"] == "" and p["iuran_total"] != "" for p in good)
    # ok-2 is a Kopdes employee at Rp 3,500,000: 4% + 1% = 140,000 + 35,000 (Perpres 64/2020 Pasal 30).
    assert next(p for p in people if p["id"] == "ok-2")["iuran_total"] == "175000"
    bad = [p for p in people if p["id"].startswith("bad-")]
    assert all(p["error"] != "" for p in bad)
    # A bad cell blanks only the answers that read it (partial answers): a birth date that is not
    # a date does not touch the contribution, a wage that is not a number does.
    by_id = {p["id"]: p for p in people}
    assert by_id["bad-date-feb-30"]["iuran_total"] != "" and by_id["bad-wage-text"]["iuran_total"] == ""
    assert all(p["iuran_total"] == "" for p in bad if "iuran_total" in p["error"])

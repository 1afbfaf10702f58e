"""The `kaidah` command: every subcommand's output, exit status and errors."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KAIDAH = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))
JKN = str(ROOT / "rules" / "jkn")
MINI = str(ROOT / "examples" / "mini-jkn")


def kaidah(*args, cwd=None):
    return subprocess.run([KAIDAH, *args], capture_output=True, text=True, cwd=cwd)


def test_help_for_every_subcommand():
    assert kaidah("--help").returncode == 0
    for command in ["check", "eval", "explain", "test", "params", "reference", "functions", "dump", "sweep",
                    "template", "diff", "timeline", "serve"]:
        run = kaidah(command, "--help")
        assert run.returncode == 0 and run.stdout.startswith(f"usage: kaidah {command}")
    run = kaidah("frobnicate")
    assert run.returncode == 2 and "unknown command 'frobnicate'" in run.stderr


def test_an_option_a_command_does_not_take_is_refused():
    """Its usage line lists what a command takes; anything else is refused (exit 2), not ignored:
    `dump --format json` printed text with exit 0."""
    for args, option in [(["dump", "--format", "json"], "--format"), (["check", "--date", "2026-11-24"], "--date"),
                         (["eval", "case.yaml", "--date", "2026-11-24", "--threads", "2"], "--threads"),
                         (["sweep", "roster.csv", "--date", "2026-11-24", "--chart", "iuran_total"], "--chart")]:
        run = kaidah(*args)
        assert run.returncode == 2 and f"kaidah: {args[0]} takes no {option} option" in run.stderr, run.stderr
        assert f"usage: kaidah {args[0]}" in run.stderr
    # A list as a person types it: spaces after the commas are no part of the names.
    run = kaidah("dump", JKN, "--decisions", "to_register, to_collect")
    assert run.returncode == 0 and run.stdout.count("\ndecision ") + run.stdout.startswith("decision ") == 2
    # Every unknown name is said at once, each with its suggestion; an option given twice is refused.
    run = kaidah("dump", JKN, "--decisions", "to_registr,to_collect,to_colect")
    assert run.returncode == 2
    assert ("kaidah: --decisions: no decision 'to_registr' in jkn; did you mean 'to_register'?\n"
            "--decisions: no decision 'to_colect' in jkn; did you mean 'to_collect'?\n") in run.stderr
    run = kaidah("dump", JKN, "--decisions", "to_register", "--decisions", "to_collect")
    assert run.returncode == 2 and "kaidah: --decisions is given twice" in run.stderr
    # What the usage lines list is taken: --reform by check, --progress and --no-progress by sweep.
    assert kaidah("check", JKN, "--reform", "kris-single-rate").returncode == 0
    run = kaidah("sweep", "none.csv", "--date", "2026-11-24", "--no-progress")
    assert run.returncode == 2 and "cannot read roster none.csv" in run.stderr


def test_check(tmp_path):
    run = kaidah("check")  # the bundled rulebook: the CLI counts what the library loads
    import kaidah as library
    jkn = library.load(JKN)
    assert run.returncode == 0
    assert run.stdout == (f"jkn {jkn.version}: ok ({len(jkn.inputs)} inputs, {len(jkn.parameters)} parameters, "
                          f"{len(jkn.decisions)} decisions)\n")
    (tmp_path / "rulebook.yaml").write_text("name: bad\nversion: 1\n")
    (tmp_path / "rules.yaml").write_text("decisions:\n  x: {type: integer, description: x, legal_basis: y, formula: \"1 +\"}\n")
    run = kaidah("check", str(tmp_path))
    assert run.returncode == 1
    assert run.stderr == "rules.yaml:2:67: error: expected a value, a name or '(', got end of expression\n"


def test_eval_and_explain(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu",
                                "kelas": "kelas_3", "last_month_paid": "2020-09"}))
    run = kaidah("eval", str(case), "--date", "2026-11-24", "--decisions", "arrears_months,arrears_amount")
    assert run.returncode == 0 and run.stdout == "arrears_months = 73\narrears_amount = 2526500\n"
    run = kaidah("eval", JKN, str(case), "--date", "2026-11-24", "--decisions", "arrears_amount", "--format", "json")
    assert json.loads(run.stdout) == {"arrears_amount": "2526500"}
    run = kaidah("explain", str(case), "--date", "2026-11-24", "--decisions", "arrears_amount")
    assert run.stdout.startswith("arrears_amount = 2526500 rupiah\n") and "Perpres 64/2020 Pasal 34" in run.stdout
    run = kaidah("explain", str(case), "--date", "2026-11-24", "--decisions", "arrears_amount", "--format", "json")
    assert json.loads(run.stdout)["decisions"]["arrears_amount"]["legal_basis"].startswith("Perpres 82/2018 Pasal 42")


def test_eval_errors(tmp_path):
    run = kaidah("eval", str(tmp_path / "missing.yaml"), "--date", "2026-11-24")
    assert run.returncode == 2 and "cannot read" in run.stderr
    case = tmp_path / "case.yaml"
    case.write_text("kelas: kelas_4\n")
    run = kaidah("eval", str(case), "--date", "2026-11-24")
    assert run.returncode == 2 and "input 'kelas': 'kelas_4' is not one of" in run.stderr
    run = kaidah("eval", str(case))
    assert run.returncode == 2 and "--date is required" in run.stderr
    run = kaidah("eval", str(case), "--date", "24/11/2026")
    assert run.returncode == 2 and "expected a date like 2026-11-24, got '24/11/2026'" in run.stderr
    case.write_text("citizenship: indonesian\nwork_status: self_employed\n")
    run = kaidah("eval", str(case), "--date", "2026-11-24", "--decisions", "iuran_total")
    assert run.returncode == 1 and "input 'kelas' has no value" in run.stderr


def test_reform_on_one_case(tmp_path):
    # README, reforms: the KRIS single rate (HYPOTHETICAL, from 2027): a class II participant pays
    # 75,000 instead of 100,000 a month.
    case = tmp_path / "case.yaml"
    case.write_text("{citizenship: indonesian, work_status: self_employed, enrolled_segment: pbpu, kelas: kelas_2}\n")
    run = kaidah("eval", str(case), "--date", "2027-03-15", "--decisions", "iuran_participant")
    assert run.returncode == 0 and run.stdout == "iuran_participant = 100000\n"
    for reform in ["kris-single-rate", str(ROOT / "rules" / "jkn" / "reforms" / "kris-single-rate.yaml")]:
        run = kaidah("eval", str(case), "--date", "2027-03-15", "--decisions", "iuran_participant", "--reform", reform)
        assert run.returncode == 0 and run.stdout == "iuran_participant = 75000\n", run.stderr
    run = kaidah("explain", JKN, str(case), "--date=2027-03-15", "--decisions=iuran_participant", "--reform=kris-single-rate")
    assert run.returncode == 0 and "[reform]" in run.stdout and "HYPOTHETICAL" in run.stdout
    run = kaidah("timeline", str(case), "--dates", "2026-12-15,2027-01-15", "--decisions", "iuran_participant",
                 "--reform", "kris-single-rate")
    assert run.returncode == 0 and "iuran_participant: 100000 -> 75000" in run.stdout
    # A wrong name says which reforms there are, with the likely one.
    run = kaidah("eval", str(case), "--date", "2027-03-15", "--reform", "kris-singel-rate")
    assert run.returncode == 2 and "did you mean 'kris-single-rate'?" in run.stderr
    assert "kris-single-rate, pemutihan-deceased-any-class, pemutihan-wider" in run.stderr
    for command in ["test", "diff"]:
        run = kaidah(command, "--reform", "kris-single-rate")
        assert run.returncode == 2 and "--reform" in run.stderr


def test_options_version_and_decision_names(tmp_path):
    import kaidah as library
    run = kaidah("--version")
    assert run.returncode == 0 and run.stdout == f"kaidah {library.__version__}\n"
    case = tmp_path / "case.yaml"
    case.write_text("{citizenship: indonesian, work_status: self_employed, enrolled_segment: pbpu, kelas: kelas_3, last_month_paid: 2026-08}\n")
    run = kaidah("eval", str(case), "--date=2026-11-24", "--decisions=arrears_amount")
    assert run.returncode == 0 and run.stdout == "arrears_amount = 70000\n"  # Sep-Oct 2026 at 35,000
    run = kaidah("eval", str(case), "--date", "2026-11-24", "--decisions", "arrears_amout")
    assert run.returncode == 2 and "no decision 'arrears_amout' in jkn; did you mean 'arrears_amount'?" in run.stderr
    run = kaidah("sweep", "examples/data/population.csv", "--date", "2026-11-24", "--progress=yes", cwd=ROOT)
    assert run.returncode == 2 and "--progress takes no value" in run.stderr


def test_test_subcommand():
    run = kaidah("test", MINI)
    assert run.returncode == 0 and run.stdout.strip().endswith("30 passed, 0 failed")
    run = kaidah("test", MINI, str(ROOT / "tests" / "diagnostics"))  # files that are not scenarios
    assert run.returncode == 1 and " failed" in run.stdout.splitlines()[-1]


def test_params():
    run = kaidah("params", "ppu_wage_ceiling")
    assert run.returncode == 0
    assert "from 2020-01-01  12000000  [Perpres 75/2019 Pasal 32 ayat (1)" in run.stdout
    history = json.loads(kaidah("params", JKN, "iuran_kelas_3_participant", "--format", "json").stdout)
    values = [(v["effective_from"], v["value"]) for v in history["iuran_kelas_3_participant"]["history"]]
    assert values[-2:] == [("2020-07-01", "25500"), ("2021-01-01", "35000")]
    run = kaidah("params", "no_such_parameter")
    assert run.returncode == 1 and "no parameter 'no_such_parameter'" in run.stderr


def test_reference_matches_the_checked_in_file():
    run = kaidah("reference", "rules/jkn", cwd=ROOT)
    assert run.returncode == 0 and run.stdout == (ROOT / "rules" / "jkn" / "REFERENCE.md").read_text()


def read_people(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_sweep_of_the_bundled_roster(tmp_path):
    run = kaidah("sweep", str(ROOT / "examples" / "data" / "population.csv"), "--date", "2026-11-24", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    people = read_people(tmp_path / "people.csv")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["rows"] == {"read": 320, "evaluated": 320, "partial": 0, "missing_answers": 0, "errors": 0} and len(people) == 320
    # Every figure in the summary is a sum over people.csv.
    from decimal import Decimal
    total = sum(Decimal(p["iuran_total"]) for p in people)
    assert Decimal(summary["monthly_contributions"]["total"]) == total
    assert summary["to_register"] == sum(p["next_action"] == "register" for p in people)
    assert Decimal(summary["arrears"]["amount"]) == sum(Decimal(p["arrears_amount"]) for p in people)
    parts = summary["monthly_contributions"]
    assert Decimal(parts["employers"]) + Decimal(parts["participants"]) + Decimal(parts["central_government"]) + \
        Decimal(parts["regional_government"]) == total
    # The report holds the summary figures and the people, in Bahasa Indonesia by default: rupiah
    # as Rp 45.486.250, the rulebook's labels for its values.
    report = (tmp_path / "report.html").read_text()
    rupiah = "Rp " + f"{total:,}".replace(",", ".")
    assert rupiah.replace(" ", "&#160;") in report and rupiah in run.stdout  # never "Rp" alone at a line's end
    assert "<svg" in report and "KDMP-0000001" in report and "Orang per lama tunggakan" in report
    assert "<html lang='id'>" in report and "Daftar JKN" in report and "Tindakan berikutnya" in run.stdout
    # --language en: the same figures in English.
    english = kaidah("sweep", str(ROOT / "examples" / "data" / "population.csv"), "--date", "2026-11-24",
                     "--out", str(tmp_path / "en"), "--language", "en")
    report = (tmp_path / "en" / "report.html").read_text()
    assert f"Rp&#160;{total:,}" in report and f"Rp {total:,}" in english.stdout
    assert "People by months in arrears" in report and "Register with JKN" in report


def test_sweep_keeps_good_rows_and_reports_bad_ones(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,citizenship,work_status,kelas,last_month_paid,enrolled_segment,shoe_size\n"
        "A,indonesian,self_employed,kelas_3,2026-10,pbpu,42\n"
        "B,indonesian,self_employed,kelas_9,2026-10,pbpu,41\n"         # not a class
        "C,indonesian,self_employed,kelas_1\n"                         # too few fields
        "D,indonesian,self_employed,kelas_2,2026-13,pbpu,40\n"         # not a month
        "\"E, \"\"quoted\"\"\",indonesian,self_employed,kelas_1,2026-11,pbpu,39\n"  # a comma and quotes, kept
        "F,indonesian,self_employed,,2026-10,pbpu,38\n")              # class missing: evaluation error
    run = kaidah("sweep", str(roster), "--date", "2026-11-24", "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    people = read_people(tmp_path / "out" / "people.csv")
    assert [p["id"] for p in people] == ["A", "B", "C", "D", 'E, "quoted"', "F"]
    errors = {p["id"]: p["error"] for p in people}
    assert errors["A"] == "" and errors['E, "quoted"'] == ""
    # A bad or missing cell leaves blank only the answers that read it, and says which (partial
    # answers): the class sets the amount and who pays it (Perpres 82/2018 Pasal 34), not whether
    # to enrol; the last month paid sets the arrears and so the next action, not the contribution.
    contribution = "(no payer, iuran_total, iuran_participant, iuran_central_government, iuran_regional_government)"
    assert errors["B"] == ("input 'kelas': 'kelas_9' is not one of: kelas_1, kelas_2, kelas_3 (did you mean 'kelas_1'?) "
                           + contribution)
    assert errors["C"] == "has 4 fields, the header has 7"
    assert errors["D"] == ("input 'last_month_paid': 2026-13 is not a valid month (no arrears_months, arrears_amount, "
                           "billed_arrears_amount, suspended, reactivation_amount, rehab_eligible, "
                           "rehab_installments, rehab_installment_amount, pemutihan_status, "
                           "pemutihan_amount_written_off, next_action)")
    assert errors["F"] == "needs kelas, not given " + contribution
    assert people[0]["iuran_participant"] == "35000" and people[4]["iuran_participant"] == "150000"
    by_id = {p["id"]: p for p in people}
    # B and F: enrolled PBPU, paid to October, on 24 November: the current month is due.
    for who in ("B", "F"):
        assert by_id[who]["must_enroll"] == "true" and by_id[who]["next_action"] == "pay_current_month"
        assert by_id[who]["iuran_total"] == "" and by_id[who]["arrears_amount"] == "0"
    # D: class II, Rp 100,000 (Perpres 64/2020 Pasal 34), whatever month was paid last.
    assert by_id["D"]["iuran_total"] == "100000" and by_id["D"]["next_action"] == ""
    assert by_id["C"]["must_enroll"] == ""  # a malformed line: nothing of it is read
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows"] == {"read": 6, "evaluated": 2, "partial": 3, "missing_answers": 21, "errors": 1}
    assert summary["column_problems"][0] == "column 'shoe_size' is not an input of jkn; it is ignored"
    # An input some answers need that the roster has no column for, said with how many people
    # needed it (kaidah template lists the columns); one nobody here needed is not said.
    assert summary["column_problems"][1:] == []
    assert [e["line"] for e in summary["row_errors"]] == [3, 4, 5, 7]
    assert "shoe_size" in run.stdout


def test_sweep_refuses_rows_past_the_csv_limits(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,citizenship,work_status,kelas,last_month_paid,enrolled_segment\n"
        "A,indonesian,self_employed,kelas_3,2026-10,pbpu\n"
        "B,indonesian,self_employed,kelas_3,2026-10,pbpu_with_a_long_segment_name\n"  # a 29-byte field
        "C,indonesian,self_employed,kelas_3,2026-10,pbpu,x,y,z\n")                     # 9 fields
    run = kaidah("sweep", str(roster), "--date", "2026-11-24", "--out", str(tmp_path / "out"),
                 "--max-field-bytes", "20", "--max-fields", "8")
    assert run.returncode == 1
    errors = {p["id"]: p["error"] for p in read_people(tmp_path / "out" / "people.csv")}
    assert errors["A"] == ""
    assert errors["B"] == "a field longer than 20 bytes"
    assert errors["C"] == "more than 8 fields"
    bad = kaidah("sweep", str(roster), "--date", "2026-11-24", "--max-fields", "many")
    assert bad.returncode == 2 and "--max-fields: expected a whole number, got 'many'" in bad.stderr
    # 0 would make every row an error: the limit itself is refused (review U12, for the CLI's limits).
    for option in ("--max-fields", "--max-field-bytes"):
        bad = kaidah("sweep", str(roster), "--date", "2026-11-24", option, "0")
        assert bad.returncode == 2 and f"{option}: expected a limit of at least 1, got 0" in bad.stderr
    bad = kaidah("sweep", str(roster), "--date", "2026-11-24", "--max-fields", "-1")
    assert bad.returncode == 2 and "--max-fields: expected a whole number, got '-1'" in bad.stderr
    bad = kaidah("sweep", str(roster), "--date", "2026-11-24", "--encoding", "latin-2")
    assert bad.returncode == 2 and "--encoding: expected utf-8 or windows-1252, got 'latin-2'" in bad.stderr


def test_sweep_errors(tmp_path):
    run = kaidah("sweep", str(tmp_path / "none.csv"), "--date", "2026-11-24", "--out", str(tmp_path / "o"))
    assert run.returncode == 2 and f"cannot read roster {tmp_path / 'none.csv'}: no such file" in run.stderr
    case = kaidah("eval", str(tmp_path / "none.yaml"), "--date", "2026-11-24")
    assert case.returncode == 2 and "cannot read file: no such file" in case.stderr  # says why
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    run = kaidah("sweep", str(empty), "--date", "2026-11-24", "--out", str(tmp_path / "o"))
    assert run.returncode == 2 and "is empty" in run.stderr
    run = kaidah("sweep", MINI, str(empty), "--date", "2026-11-24")
    assert run.returncode == 1 and "rulebook mini-jkn declares no outputs" in run.stderr
    # A figure of the summary reads a decision of the type it takes: a reform that makes the
    # reactivation amount a flag is refused where the figure is declared.
    reform = tmp_path / "reactivation-as-flag.yaml"
    reform.write_text("reform: {name: reactivation-as-flag, base: jkn, description: test}\n"
                      "decisions:\n"
                      "  reactivation_amount: {type: bool, description: d, legal_basis: r, formula: 'false'}\n")
    run = kaidah("sweep", str(empty), "--date", "2026-11-24", "--reform", str(reform))
    assert run.returncode == 1
    assert ("summary figure 'arrears.reactivation': 'sum' takes a number (an integer or a decimal); decision "
            "'reactivation_amount' is of type bool") in run.stderr


def test_a_rulebook_of_its_own_gets_a_sweep_with_its_own_summary(tmp_path):
    """Issue #19 part 4: what the sweep's summary adds up is the rulebook's (report.summary), not
    JKN's names in C++. A market's fee rulebook: a stall pays 2,500 a day per square metre, a
    cooperative member half (fees.yaml below); the summary counts stalls by kind, sums the fees
    (exactly: 0.5 of 2,500 x 3 = 3,750), counts the members and bands the areas."""
    fees = tmp_path / "fees"
    fees.mkdir()
    (fees / "rulebook.yaml").write_text(
        "name: fees\nversion: 1\noutputs: [kind, fee]\n"
        "report:\n"
        "  summary:\n"
        "    by_kind: {count_by: kind}\n"
        "    fees:\n"
        "      label: {en: Fees a day}\n"
        "      headline: total\n"
        "      figures:\n"
        "        total: {sum: fee, label: {en: all stalls}}\n"
        "        members: {sum: fee, when: member, label: {en: members' stalls}}\n"
        "        by_kind: {sum: fee, by: kind, label: {en: Fees by kind}}\n"
        "        by_area: {count_by: area_m2, bands: [0, 4, 10], label: {en: Stalls by area (m2)}}\n"
        "    members: {count: member, label: {en: Members}}\n"
        "    licensed: {count: licensed_stall, label: {en: Licensed}}\n")
    (fees / "fees.yaml").write_text(
        "inputs:\n"
        "  area: {type: decimal, description: the stall's area in square metres}\n"
        "  food: {type: bool, description: it sells food, default: false}\n"
        "  coop_member: {type: bool, description: its keeper is a cooperative member, default: false}\n"
        "  licensed: {type: bool, description: the stall has a licence}\n"
        "decisions:\n"
        "  kind: {type: enum, values: [food, goods], description: d, legal_basis: r, formula: \"if food then 'food' else 'goods'\"}\n"
        "  member: {type: bool, description: d, legal_basis: r, formula: coop_member}\n"
        "  licensed_stall: {type: bool, description: d, legal_basis: r, formula: licensed}\n"
        "  area_m2: {type: integer, description: d, legal_basis: r, formula: 'quotient(area, 1, half_up)'}\n"
        "  fee: {type: decimal, unit: rupiah, description: d, legal_basis: r,\n"
        "        formula: 'area * 2500 * (if coop_member then 0.5 else 1)'}\n")
    roster = tmp_path / "stalls.csv"
    # a: 3 m2 food, member: 3,750; b: 12 m2 goods: 30,000; c: 4.5 m2 goods, member: 5,625
    # (4.5 rounds half up to 5 m2); d: no area: its fee and area are blank, in no figure.
    roster.write_text("id,name,area,food,coop_member\na,A,3,true,true\nb,B,12,false,false\n"
                      "c,C,4.5,false,true\nd,D,,true,false\n")
    out = tmp_path / "out"
    run = kaidah("sweep", str(fees), str(roster), "--date", "2026-11-24", "--out", str(out), "--language", "en")
    assert run.returncode == 1, run.stderr  # d's fee is blank: a partial answer
    summary = json.loads((out / "summary.json").read_text())
    assert summary["by_kind"] == {"food": 2, "goods": 2}
    assert summary["fees"] == {"total": "39375", "members": "9375", "by_kind": {"food": "3750", "goods": "35625"},
                               "by_area": {"0-3": 1, "10+": 1, "4-9": 1}}
    assert summary["members"] == 2
    assert list(summary)[4:9] == ["by_kind", "fees", "members", "licensed", "work_lists"]
    # The roster has no licence column: nobody is counted as licensed, and never in silence (a, b
    # and c gave every answer; d's blank fee already makes its row partial).
    assert summary["licensed"] == 0
    assert "3 person(s) could not be counted in 'licensed': the reason is in people.csv" in summary["column_problems"]
    # The text: each figure a line (its title, its value), a section's figures and groups indented.
    lines = [line.rstrip() for line in (out / "summary.txt").read_text().splitlines()]
    start = lines.index("Fees a day                                       Rp 39,375")
    assert [" ".join(line.split()) for line in lines[start - 4:start + 12]] == [
        "kind people", "food 2", "goods 2", "",
        "Fees a day Rp 39,375", "members' stalls Rp 9,375", "Fees by kind", "goods Rp 35,625", "food Rp 3,750",
        "Stalls by area (m2) people", "0-3 1", "4-9 1", "10+ 1", "", "Members 2", ""]
    assert lines[start + 1].startswith("  members'") and lines[start + 3].startswith("    goods")
    report = (out / "report.html").read_text()
    assert "<div class='t'>Fees a day</div><div class='n'>Rp&#160;39,375</div>" in report
    assert "<figcaption>Fees by kind</figcaption>" in report and "<figcaption>Stalls by area (m2)</figcaption>" in report
    import kaidah as kd
    figures = kd.load(str(fees)).summary
    assert [(f["name"], f["kind"]) for f in figures] == [("by_kind", "count_by"), ("fees", "section"), ("members", "count"),
                                                          ("licensed", "count")]
    assert figures[1]["headline"] == "total" and figures[1]["figures"][3]["bands"] == [0, 4, 10]
    assert figures[1]["figures"][1]["when"] == "member"


def test_diff_counts_moves_between_values_and_groups_by_any_input(tmp_path):
    # tests/reform-pemutihan.yaml: an inactive class II PBPU on decile 3, unpaid Nov 2026 - Feb
    # 2027, on 1 March 2027 applies for REHAB under the base (4 months) and waits for the
    # write-off under pemutihan-wider (automatic for deciles 1-6, in force). Two such people, and a
    # class III participant who paid (no change).
    roster = tmp_path / "roster.csv"
    roster.write_text("id,citizenship,work_status,enrolled_segment,kelas,last_month_paid,dtsen_decile\n"
                      "a,indonesian,self_employed,pbpu,kelas_2,2026-10,3\n"
                      "b,indonesian,self_employed,pbpu,kelas_2,2026-10,2\n"
                      "c,indonesian,self_employed,pbpu,kelas_3,2027-03,\n")
    run = kaidah("diff", "rules/jkn/reforms/pemutihan-wider.yaml", str(roster), "--date", "2027-03-01",
                 "--out", str(tmp_path / "out"), "--decisions", "next_action", "--by", "kelas", cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "    apply_for_rehab -> wait_for_pemutihan: 2\n" in run.stdout and "by kelas\n" in run.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["summary"]
    assert summary["by_decision"]["next_action"]["transitions"] == {"apply_for_rehab -> wait_for_pemutihan": 2}
    assert list(summary["by_group"]) == ["kelas_2"]
    run = kaidah("diff", "rules/jkn/reforms/pemutihan-wider.yaml", str(roster), "--date", "2027-03-01",
                 "--out", str(tmp_path / "out"), "--by", "kelass", cwd=ROOT)
    assert run.returncode == 2 and "did you mean 'kelas'?" in run.stderr


def test_diff_and_timeline(tmp_path):
    run = kaidah("diff", str(ROOT / "rules" / "jkn" / "reforms" / "pemutihan-wider.yaml"),
                 str(ROOT / "examples" / "data" / "population.csv"), "--date", "2027-03-01", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Reform pemutihan-wider against jkn 2026.11.0 on 2027-03-01")
    rows = read_people(tmp_path / "changes.csv")
    assert rows and all(r["causes"] for r in rows)
    written_off = [r for r in rows if r["decision"] == "pemutihan_amount_written_off"]
    summary = json.loads((tmp_path / "summary.json").read_text())["summary"]
    from decimal import Decimal
    assert Decimal(summary["by_decision"]["pemutihan_amount_written_off"]["total_change"]) == \
        sum(Decimal(r["difference"]) for r in written_off)
    assert "What the reform changes" in (tmp_path / "report.html").read_text()
    case = tmp_path / "case.yaml"
    case.write_text("citizenship: indonesian\nwork_status: self_employed\nenrolled_segment: pbpu\nkelas: kelas_3\nlast_month_paid: 2020-09\n")
    run = kaidah("timeline", str(case), "--dates", "2020-12-15,2021-01-15", "--decisions", "iuran_participant")
    assert run.returncode == 0
    assert run.stdout == ("2020-12-15 -> 2021-01-15: 1 changed\n  iuran_participant: 25500 -> 35000\n"
                          "      because iuran_kelas_3_participant = 35000 from 2021-01-01 (Perpres 64/2020 Pasal 34 ayat (2) huruf b)\n")
    assert kaidah("timeline", str(case), "--dates", "2021-01-15").returncode == 2
    # A well-formed day outside the calendar says so, as --date does (review U14).
    bad = kaidah("timeline", str(case), "--dates", "2025-01-01,1399-01-01")
    assert bad.returncode == 2 and "--dates: 1399-01-01 is outside the years 1400 to 9999" in bad.stderr


def test_diff_summary_of_a_small_roster_by_hand(tmp_path):
    # With reforms/kris-single-rate.yaml (HYPOTHETICAL 75,000 from 2027), up-to-date participants:
    # class II 100,000 -> 75,000 (-25,000); class III total 42,000 -> 75,000 (+33,000);
    # class I 150,000 -> 75,000 (-75,000); a wage worker does not change.
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,citizenship,work_status,employer_type,enrolled_segment,kelas,wage,minimum_wage,last_month_paid\n"
        "A,indonesian,self_employed,,pbpu,kelas_2,,,2027-03\n"
        "B,indonesian,self_employed,,pbpu,kelas_3,,,2027-03\n"
        "C,indonesian,not_working,,bp,kelas_1,,,2027-03\n"
        "D,indonesian,employee,business_entity,ppu_badan_usaha,,5000000,2500000,2027-03\n")
    run = kaidah("diff", str(ROOT / "rules" / "jkn" / "reforms" / "kris-single-rate.yaml"), str(roster),
                 "--date", "2027-03-01", "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["summary"]
    assert (summary["cases"], summary["changed"], summary["errors"]) == (4, 3, 0)
    total = summary["by_decision"]["iuran_total"]
    assert (total["changed"], total["increased"], total["decreased"]) == (3, 1, 2)
    assert (total["total_change"], total["largest_increase"], total["largest_decrease"]) == ("-67000", "33000", "-75000")
    assert total["distribution"] == {"down 10,000 to 99,999": 2, "up 10,000 to 99,999": 1}
    assert summary["by_group"]["bp"]["iuran_total"]["total_change"] == "-75000"
    assert summary["by_group"]["pbpu"]["iuran_total"]["total_change"] == "8000"
    assert "ppu_badan_usaha" not in summary["by_group"]
    assert "iuran_total: 3 changed (1 up, 2 down), total change -67,000" in run.stdout
    assert "Distribution of the change" in (tmp_path / "out" / "report.html").read_text()


def test_template_lists_the_columns_a_sweep_needs_and_a_roster_without_one_is_told(tmp_path):
    run = kaidah("template")
    assert run.returncode == 0, run.stderr
    header = run.stdout.strip().split(",")
    assert header[:4] == ["id", "name", "citizenship", "months_worked_in_indonesia"]
    # The facts the sweep's answers read (Perpres 82/2018: citizenship, work, class, wage...);
    # an input no answer of the sweep reads is not asked for.
    assert {"kelas", "wage", "minimum_wage", "last_month_paid", "family"} <= set(header)
    assert "inpatient_date" not in header and "ina_cbg_estimate" not in header  # the denda only
    text = kaidah("template", "--format", "text").stdout
    assert "kelas (one of kelas_1, kelas_2, kelas_3; needed where read)" in text
    assert "laid_off_on (date; may be left out)" in text
    kelas_needs = text.split("kelas (one of", 1)[1].split("needed for: ", 1)[1].split("\n", 1)[0]
    assert kelas_needs.startswith("payer, iuran_total, iuran_participant")
    assert "must_enroll" not in kelas_needs  # enrolment does not wait for the class
    # A roster without a kelas column: said up front, and every person still answered in part.
    roster = tmp_path / "roster.csv"
    roster.write_text("id,citizenship,work_status\nV1,indonesian,self_employed\n")
    run = kaidah("sweep", str(roster), "--date", "2026-12-01", "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    notes = json.loads((tmp_path / "out" / "summary.json").read_text())["column_problems"]
    assert notes[0].startswith("no column 'kelas': needed by 1 person(s) for some of payer, iuran_total")
    # The officer reads it in the report's language, the answers by their labels.
    assert "tidak ada kolom 'kelas': diperlukan untuk 1 orang, untuk sebagian dari: Pembayar iuran, Iuran per bulan" in run.stdout
    person = read_people(tmp_path / "out" / "people.csv")[0]
    assert (person["must_enroll"], person["required_segment"], person["next_action"]) == ("true", "pbpu", "register")
    assert person["iuran_total"] == "" and person["error"].startswith("needs kelas, not given (no payer, iuran_total")


def test_an_incomplete_roster_gets_every_answer_its_facts_allow_as_one_by_one(tmp_path):
    """Issue #18, done when: a roster with 20% of rows missing kelas, wage or citizenship gives every
    person the answers their facts allow, with per-cell reasons, equal to evaluating each alone."""
    import random
    from decimal import Decimal

    import kaidah as kd

    rows = list(csv.DictReader(open(ROOT / "examples" / "data" / "population.csv", newline="")))
    rng = random.Random(18)
    blanked = 0
    for row in rows:
        if rng.random() < 0.2:
            row[rng.choice(["kelas", "wage", "citizenship"])] = ""
            blanked += 1
    roster = tmp_path / "incomplete.csv"
    with open(roster, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run = kaidah("sweep", str(roster), "--date", "2026-11-24", "--out", str(tmp_path / "out"))
    assert run.returncode == 1  # some answers are missing: never exit 0
    people = read_people(tmp_path / "out" / "people.csv")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    decisions = [c for c in people[0] if c not in ("line", "id", "name", "error")]
    jkn = kd.load("jkn")
    missing = partial = 0
    for row, person in zip(rows, people):
        case = {k: v for k, v in row.items() if k not in ("id", "name") and v != ""}
        answers = jkn.evaluate(case, "2026-11-24", decisions, errors="keep")
        for d in decisions:
            if d in answers.errors:
                assert person[d] == "", (person["id"], d)
                assert d in person["error"], (person["id"], d)  # the blank answer is named with its reason
            else:
                value = answers[d]
                expected = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                assert person[d] == expected, (person["id"], d)
        missing += len(answers.errors)
        partial += not answers.ok
        assert (person["error"] == "") == answers.ok, person["id"]
    assert blanked > 40 and partial > 20  # the blanks were met, most rows still answered in full
    assert summary["rows"]["partial"] == partial and summary["rows"]["missing_answers"] == missing
    # A person without a citizenship still gets the answers that do not need it, and the totals
    # are the sums of the answers given.
    assert Decimal(summary["monthly_contributions"]["total"]) == sum(Decimal(p["iuran_total"]) for p in people
                                                                     if p["iuran_total"])
    no_class = [p for p, r in zip(people, rows) if r["kelas"] == "" and r["enrolled_segment"] == "pbpu"]
    assert no_class and all(p["error"].startswith("needs kelas, not given") and p["must_enroll"] == "true"
                            for p in no_class)


def test_the_report_gives_an_officer_work_lists_in_indonesian(tmp_path):
    """Issue #18 part 2: whom to register and by whom, whom to collect from (billed vs owed), who may
    apply for REHAB, whom pemutihan would reach, what the employer must do; each list's people are
    people.csv's, counted in summary.json, with Indonesian labels and rupiah."""
    import re
    from decimal import Decimal

    run = kaidah("sweep", str(ROOT / "examples" / "data" / "population.csv"), "--date", "2026-11-24", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    people = read_people(tmp_path / "people.csv")
    summary = json.loads((tmp_path / "summary.json").read_text())
    report = (tmp_path / "report.html").read_text()
    expected = {
        "register": [p for p in people if p["next_action"] == "register"],
        # In arrears by the amount, or by the months when the amount waits for a fact.
        "collect": [p for p in people if (p["arrears_amount"] and Decimal(p["arrears_amount"]) > 0)
                    or (p["arrears_months"] and int(p["arrears_months"]) > 0)],
        "rehab": [p for p in people if p["rehab_eligible"] == "true"],
        "pemutihan": [p for p in people if p["pemutihan_status"].startswith(("eligible", "would_qualify"))],
        "employer": [p for p in people if p["employer_next_action"] not in ("no_employer", "none", "")],
        "incomplete": [p for p in people if p["error"]],
    }
    assert summary["work_lists"] == {k: len(v) for k, v in expected.items()}
    assert summary["work_lists"]["register"] == summary["to_register"] == 55
    sections = re.findall(r"<section class='list' id='list-(\d)'><h2>([^<]*)</h2>(.*?)</section>", report, re.S)
    titles = {"0": "Yang perlu didaftarkan", "1": "Yang perlu ditagih", "2": "Yang dapat mengajukan REHAB",
              "3": "Calon penerima pemutihan", "4": "Tindakan pemberi kerja", "5": "Data belum lengkap"}
    for (number, heading, body), (name, who) in zip(sections, expected.items()):
        assert heading == f"{titles[number]} ({len(who)})"
        ids = re.findall(r"<tr><td>(KDMP-\d+)</td>", body)
        assert ids == [p["id"] for p in who], name  # the same people, in roster order
    # summary.txt (and the summary printed) give each list's size too, and say where it is written.
    text = [" ".join(line.split()) for line in (tmp_path / "summary.txt").read_text().splitlines()]
    start = text.index("Daftar kerja orang")
    assert text[start + 1:start + 7] == [f"{titles[str(k)]} {len(who)}" for k, who in enumerate(expected.values())]
    assert f"ditulis: {tmp_path / 'people.csv'}, {tmp_path / 'summary.txt'}, " in run.stdout
    # Billed (24 months at most, Perpres 82/2018 Pasal 42 ayat (3)) against owed: never more.
    collect = expected["collect"]
    assert all(Decimal(p["billed_arrears_amount"]) <= Decimal(p["arrears_amount"]) for p in collect)
    assert any(Decimal(p["billed_arrears_amount"]) < Decimal(p["arrears_amount"]) for p in collect)
    assert Decimal(summary["arrears"]["billed"]) == sum(Decimal(p["billed_arrears_amount"]) for p in people)
    # A cell as the officer reads it: the first person to collect from, billed in rupiah.
    first = collect[0]
    billed = "Rp " + f"{Decimal(first['billed_arrears_amount']):,}".replace(",", ".")
    assert f"<td class='num' data-v='{first['billed_arrears_amount']}'>{billed.replace(' ', '&#160;')}</td>" in report
    # Who registers: the employer for its workers, the participant for himself (UU 24/2011 Pasal
    # 15-16; Perpres 82/2018 Pasal 13-16), labelled.
    assert "<td>Pemberi kerja</td>" in sections[0][2] and "<td>Peserta sendiri</td>" in sections[0][2]
    assert "onclick='window.print()'" in report and "table.sortable" in report


def test_a_rulebook_declares_its_own_work_lists(tmp_path):
    """Issue #19 part 4: the sweep's work lists are the rulebook's (report.work_lists), not names in
    C++. A copy of the JKN rulebook with one more list, of the people paying over Rp 100,000 a
    month: it is counted, titled in the report's language (English when the rulebook gives only
    that), shows its columns, and comes before the sweep's own list of facts missing."""
    import re
    import shutil
    from decimal import Decimal

    rules = tmp_path / "jkn"
    shutil.copytree(JKN, rules)
    (rules / "decisions" / "big.yaml").write_text(
        "decisions:\n"
        "  pays_over_100000: {type: bool, description: d, legal_basis: Perpres 82/2018 Pasal 29-34, "
        "formula: iuran_total > 100000}\n")
    manifest = (rules / "rulebook.yaml").read_text()
    manifest += ("    big_payers:\n"
                 "      when: pays_over_100000\n"
                 "      columns: [contribution_segment, iuran_total]\n"
                 "      label: {en: \"Paying over Rp 100,000\"}\n")
    (rules / "rulebook.yaml").write_text(manifest)
    out = tmp_path / "out"
    run = kaidah("sweep", str(rules), str(ROOT / "examples" / "data" / "population.csv"), "--date", "2026-11-24",
                 "--out", str(out))
    assert run.returncode == 0, run.stderr
    people = read_people(out / "people.csv")
    assert "pays_over_100000" not in people[0]  # a list's condition is no column of people.csv
    big = [p for p in people if p["iuran_total"] and Decimal(p["iuran_total"]) > 100000]
    assert big and len(big) < len(people)
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["work_lists"]) == ["register", "collect", "rehab", "pemutihan", "employer", "big_payers",
                                           "incomplete"]
    assert summary["work_lists"]["big_payers"] == len(big)
    # A host reads the same declaration: Rulebook.work_lists.
    import kaidah as kd
    lists = kd.load(str(rules)).work_lists
    assert [(l["name"], l["when"]) for l in lists] == [
        ("register", "to_register"), ("collect", "to_collect"), ("rehab", "rehab_eligible"),
        ("pemutihan", "pemutihan_reach"), ("employer", "employer_to_act"), ("big_payers", "pays_over_100000")]
    assert lists[5]["columns"] == ["contribution_segment", "iuran_total"]
    assert lists[5]["label"] == {"en": "Paying over Rp 100,000"} and lists[5]["note"] == {}
    assert lists[1]["label"] == {"id": "Yang perlu ditagih", "en": "Whom to collect from"}
    report = (out / "report.html").read_text()
    sections = re.findall(r"<section class='list' id='list-(\d)'><h2>([^<]*)</h2>(.*?)</section>", report, re.S)
    assert [heading for _, heading, _ in sections][5:] == [f"Paying over Rp 100,000 ({len(big)})", "Data belum lengkap (0)"]
    body = sections[5][2]
    assert re.findall(r"<tr><td>(KDMP-\d+)</td>", body) == [p["id"] for p in big]
    assert re.findall(r"<th title='([a-z_]+)'>", body) == ["id", "name", "contribution_segment", "iuran_total"]


def test_a_work_list_whose_condition_reads_a_fact_the_roster_lacks_says_so(tmp_path):
    """A list's condition may read a fact no output reads: the roster template asks for it, and a
    roster without it leaves each person off that list with the reason in people.csv, the list
    says for how many it could not be decided (not "Nobody"), and the exit status is 1 (never in
    silence); every answer is still given, so nobody is counted among the facts missing."""
    import shutil

    rules = tmp_path / "jkn"
    shutil.copytree(JKN, rules)
    (rules / "decisions" / "visit.yaml").write_text(
        "inputs:\n"
        "  visited: {type: bool, description: whether the officer has visited the person}\n"
        "decisions:\n"
        "  to_revisit: {type: bool, description: d, legal_basis: PESIAR sweep (BPJS Kesehatan), formula: not visited}\n")
    (rules / "rulebook.yaml").write_text((rules / "rulebook.yaml").read_text() + (
        "    revisit:\n"
        "      when: to_revisit\n"
        "      columns: [next_action]\n"
        "      label: {en: To revisit}\n"))
    header = kaidah("template", str(rules)).stdout.strip().split(",")
    assert header[-1] == "visited" and header.count("visited") == 1
    roster = ROOT / "examples" / "data" / "population.csv"
    out = tmp_path / "out"
    run = kaidah("sweep", str(rules), str(roster), "--date", "2026-11-24", "--out", str(out), "--language", "en")
    assert run.returncode == 1  # a list not decided for some
    people = read_people(out / "people.csv")
    assert all(p["error"] == "needs visited, not given (no to_revisit)" for p in people)
    assert all(p["next_action"] for p in people)  # every answer is given
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows"]["evaluated"] == len(people) and summary["rows"]["partial"] == 0
    assert summary["rows"]["missing_answers"] == 0
    assert summary["work_lists"]["revisit"] == 0 and summary["work_lists"]["incomplete"] == 0
    report = (out / "report.html").read_text()
    section = report[report.index("<h2>To revisit (0)</h2>"):]
    section = section[:section.index("</section>")]
    assert f"{len(people)} people could not be decided for this list: the reason is in people.csv." in section
    assert "Nobody." not in section
    # With the column, half visited: the others are on the list, and nobody has a reason.
    lines = roster.read_text().splitlines()
    visited = tmp_path / "visited.csv"
    visited.write_text("\n".join([lines[0] + ",visited"] + [l + ("," + ("true" if i % 2 else "false"))
                                                              for i, l in enumerate(lines[1:])]) + "\n")
    run = kaidah("sweep", str(rules), str(visited), "--date", "2026-11-24", "--out", str(out), "--language", "en")
    assert run.returncode == 0, run.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["work_lists"]["revisit"] == (len(lines) - 1 + 1) // 2 and summary["work_lists"]["incomplete"] == 0


def test_diff_charts_say_each_decisions_own_unit(tmp_path):
    """Issue #19: the bands and units of diff's charts come from the rulebook. Half of an odd
    arrears rounded up (reforms/rehab-half-rounded-up.yaml) on the bundled roster on 2027-03-01:
    67 people get one instalment more and pay Rp 5,688,653 less a month in all. The instalments
    are a count, not rupiah: a chart of both decisions has no unit, one of the count says its own."""
    run = kaidah("diff", "rules/jkn/reforms/rehab-half-rounded-up.yaml", "examples/data/population.csv", "--date",
                 "2027-03-01", "--out", str(tmp_path / "out"), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "rehab_installment_amount: 67 changed (0 up, 67 down), total change -5,688,653" in run.stdout
    report = (tmp_path / "out" / "report.html").read_text()
    assert ">-5,688,653</text>" in report and ">67</text>" in report and "67 rupiah" not in report
    assert "Distribution of the change in rehab_installments (installments)" in report
    assert "up less than 10,000" in report  # the JKN manifest's bands


def test_diff_gives_the_cost_to_each_payer_of_the_declared_outputs(tmp_path):
    """Issue #18 part 5: without --decisions, diff compares the rulebook's declared outputs (not
    intermediate decisions such as class_rate) and says what the change costs each payer. KRIS at one
    rate (reforms/kris-single-rate.yaml) on the bundled roster on 2027-03-01: PBPU and BP
    participants pay Rp 11,373,000 more a month in all (class I -3,300,000, class II -2,025,000,
    class III +16,698,000, the newcomer review's join by class); employers and governments nothing."""
    from decimal import Decimal

    import kaidah as kd

    run = kaidah("diff", "rules/jkn/reforms/kris-single-rate.yaml", "examples/data/population.csv", "--date",
                 "2027-03-01", "--out", str(tmp_path / "out"), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert ("cost to each payer (the change in what it pays a month, over the roster)\n  employers: 0\n"
            "  participants: +11,373,000\n  central_government: 0\n  regional_government: 0\n") in run.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["summary"]
    assert summary["by_payer"] == {"employers": "0", "participants": "11373000", "central_government": "0",
                                   "regional_government": "0"}
    jkn = kd.load("jkn")
    assert set(summary["by_decision"]) <= set(jkn.outputs) and "class_rate" not in summary["by_decision"]
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Cost to each payer" in report and "Distribution of the change in iuran_total" in report
    # Python's compare gives the same, from the same declaration.
    frame = pd_read(ROOT / "examples" / "data" / "population.csv")
    _changes, py_summary = kd.compare(jkn, kd.load("jkn", reform="kris-single-rate"), frame, "2027-03-01")
    assert py_summary["by_payer"]["participants"] == Decimal("11373000")
    # --chart names the decision whose distribution is drawn; a typo is refused up front.
    run = kaidah("diff", "rules/jkn/reforms/kris-single-rate.yaml", "examples/data/population.csv", "--date",
                 "2027-03-01", "--out", str(tmp_path / "out2"), "--chart", "reactivation_amount", cwd=ROOT)
    assert "Distribution of the change in reactivation_amount" in (tmp_path / "out2" / "report.html").read_text()
    run = kaidah("diff", "rules/jkn/reforms/kris-single-rate.yaml", "examples/data/population.csv", "--date",
                 "2027-03-01", "--out", str(tmp_path / "out3"), "--chart", "iuran_totl", cwd=ROOT)
    assert run.returncode == 2 and "did you mean 'iuran_total'?" in run.stderr


def pd_read(path):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None).drop(columns=["id", "name"])

"""The roster fault matrix: the bundled roster written every way a spreadsheet writes it gives
either the same summary.json totals as the plain file or a located error with exit status != 0,
never a different total with exit status 0 (the reliability review of 1 December 2026, S1, S2, U4,
U5, U16). Also the other files a user gives the CLI: a case, a rulebook folder."""

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KAIDAH = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))
ROSTER = ROOT / "examples" / "data" / "population.csv"
DATE = "2026-11-24"
PLAIN = ROSTER.read_bytes()
COLUMNS = PLAIN.split(b"\n", 1)[0].count(b",") + 1  # the bundled roster's header


def kaidah(*args, cwd=ROOT):
    env = dict(os.environ, KAIDAH_RULES=str(ROOT / "rules"))
    return subprocess.run([KAIDAH, *args], capture_output=True, cwd=cwd, env=env)


def sweep(tmp_path, data, *options):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(data)
    out = tmp_path / "out"
    run = kaidah("sweep", str(roster), "--date", DATE, "--out", str(out), *options)
    return run, out


def totals(out):
    """What a sweep adds up, without where the roster was."""
    s = json.loads((out / "summary.json").read_text())
    return {k: v for k, v in s.items() if k not in ("roster", "column_problems")}


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    run, out = sweep(tmp_path_factory.mktemp("plain"), PLAIN)
    assert run.returncode == 0, run.stderr
    t = totals(out)
    # The bundled roster's figures, as the README's sweep shows them.
    assert t["monthly_contributions"]["total"] == "45486250"
    assert t["rows"] == {"read": 320, "evaluated": 320, "partial": 0, "missing_answers": 0, "errors": 0}
    return t


def rows():
    return list(csv.reader(io.StringIO(PLAIN.decode())))


def written(table, **writer_options):
    text = io.StringIO()
    csv.writer(text, **writer_options).writerows(table)
    return text.getvalue().encode()


def with_column_first(name):
    table = rows()
    i = table[0].index(name)
    return written([[r[i]] + r[:i] + r[i + 1:] for r in table], lineterminator="\n")


BOM = b"\xef\xbb\xbf"
# Every way a spreadsheet writes the same people; each must sweep to the plain file's totals.
SAME_PEOPLE = {
    "bom": BOM + PLAIN,  # Excel "CSV UTF-8"
    "crlf": PLAIN.replace(b"\n", b"\r\n"),  # Excel on Windows
    "cr": PLAIN.replace(b"\n", b"\r"),  # Excel for Mac "CSV (Macintosh)" (S2: swept nobody)
    "bom-crlf": BOM + PLAIN.replace(b"\n", b"\r\n"),
    "quoted-everything": written(rows(), quoting=csv.QUOTE_ALL, lineterminator="\r\n"),
    "no-last-line-end": PLAIN.rstrip(b"\n"),
    "trailing-blank-lines": PLAIN + b"\n\n\r\n",
    "trailing-empty-rows": PLAIN + b"," * 24 + b"\n" + b"," * 24 + b"\n",  # rows a spreadsheet formatted
    # S1: a BOM before the first column's name dropped that column (total 45,486,250 -> 21,274,250).
    "bom-family-first": BOM + with_column_first("family"),
    "bom-assistance-first": BOM + with_column_first("assistance"),
    "bom-deceased-first": BOM + with_column_first("deceased"),
}


@pytest.mark.parametrize("name", SAME_PEOPLE)
def test_a_roster_as_a_spreadsheet_writes_it_sweeps_to_the_same_totals(name, plain, tmp_path):
    run, out = sweep(tmp_path, SAME_PEOPLE[name])
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain
    people = list(csv.DictReader(open(out / "people.csv", encoding="utf-8")))
    assert people[0]["id"] == "KDMP-0000001"  # the id column, first, is read despite a BOM before it


def test_blank_rows_are_skipped_and_said(tmp_path):
    run, out = sweep(tmp_path, SAME_PEOPLE["trailing-empty-rows"])
    assert "2 blank row(s) (every field empty) skipped" in json.loads((out / "summary.json").read_text())["column_problems"]


def located_failure(run, where, *words):
    """A refusal: exit status 2, nothing on standard output but what came before, the place and why."""
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert where in err and ": error: " in err
    for w in words:
        assert w in err


def header_with(old, new):
    return PLAIN.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize("header, column, suggestion", [
    ("Kelas", 12, "kelas"),  # capitalised
    (" kelas ", 12, "kelas"),  # spaces around
    ("kelass", 12, "kelas"),  # a typo
    ("Last Month Paid", 16, "last_month_paid"),  # words as a person writes them
    ("ID", 1, "id"),  # the carried id would be lost
])
def test_a_column_near_an_input_name_is_an_error_with_a_suggestion(tmp_path, header, column, suggestion):
    name = {"kelas": "kelas", "last_month_paid": "last_month_paid", "id": "id"}[suggestion]
    first_line = PLAIN.split(b"\n", 1)[0].decode().split(",")
    first_line[first_line.index(name)] = header
    data = ",".join(first_line).encode() + b"\n" + PLAIN.split(b"\n", 1)[1]
    at = len(",".join(first_line[:first_line.index(header)])) + (2 if first_line.index(header) else 1)
    run, out = sweep(tmp_path, data)
    located_failure(run, f"roster.csv:1:{at}", f"did you mean '{suggestion}'?")
    assert not (out / "people.csv").exists() and not (out / "summary.json").exists()


def test_a_column_named_twice_is_an_error(tmp_path):
    first, rest = PLAIN.split(b"\n", 1)
    data = first + b",kelas\n" + b"\n".join(line + b"," for line in rest.rstrip(b"\n").split(b"\n")) + b"\n"
    run, _ = sweep(tmp_path, data)
    located_failure(run, f"roster.csv:1:{len(first) + 2}: error: column 'kelas' appears twice (columns 12 and {COLUMNS + 1})")


def test_semicolons_between_columns_are_detected_and_said_or_refused_when_told_otherwise(plain, tmp_path):
    # Excel set to Indonesian (decimal commas) writes ';' between columns. The header line says
    # so: read that way, and said; with --locale en, refused with a clear error.
    run, out = sweep(tmp_path, written(rows(), delimiter=";", lineterminator="\r\n"))
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain  # plain digits and ISO dates read the same either way
    notes = json.loads((out / "summary.json").read_text())["column_problems"]
    assert notes[0].startswith("read as a spreadsheet set to Indonesian saves it, as its header line is")
    run, _ = sweep(tmp_path, written(rows(), delimiter=";", lineterminator="\r\n"), "--locale", "en")
    located_failure(run, "roster.csv:1:1", "separated by ';'")


def test_a_truncated_last_line_is_that_rows_located_error(plain, tmp_path):
    data = PLAIN[: PLAIN.rstrip(b"\n").rfind(b"\n") + 30]  # the last row cut after 30 bytes
    run, out = sweep(tmp_path, data)
    assert run.returncode == 1  # rows with errors
    s = json.loads((out / "summary.json").read_text())
    assert s["rows"] == {"read": 320, "evaluated": 319, "partial": 0, "missing_answers": 0, "errors": 1}
    assert s["row_errors"] == [{"line": 321, "error": f"has 3 fields, the header has {COLUMNS}"}]


def test_an_unclosed_quote_names_the_lines_it_swallowed(tmp_path):
    # U16: Ani's name opens a quote that the next line closes: lines 3 and 4 are read as one row,
    # and the error says so (the row count stays exact: Budi is not counted twice).
    data = (b"id,name,kelas,last_month_paid\n0,Dewi,kelas_3,2026-10\n1,\"Ani,kelas_3,2026-10\n"
            b"2,Budi,kelas_3,2026-10\"x\n3,Citra,kelas_1,2026-10\n")
    run, out = sweep(tmp_path, data)
    s = json.loads((out / "summary.json").read_text())
    assert run.returncode == 1 and s["rows"]["read"] == 3
    assert [e for e in s["row_errors"] if e["line"] == 3] == [{"line": 3, "error": "text after the closing quote of field 2 (line 4, column 24) "
                                "(the row runs from line 3 to line 4: a quoted field holds line breaks; "
                                "is a closing quote missing?)"}]


def test_windows_1252_is_refused_at_its_first_byte_or_read_when_asked(plain, tmp_path):
    table = rows()
    table[3][1] = "José Ramos-Horta"
    data = written(table, lineterminator="\r\n").decode().encode("cp1252")
    run, out = sweep(tmp_path, data)
    located_failure(run, "roster.csv:4:17", "not UTF-8 text (byte 0xE9)")
    assert not (out / "people.csv").exists()  # nothing half-written looks complete
    run, out = sweep(tmp_path, data, "--encoding", "windows-1252")
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain
    people = list(csv.DictReader(open(out / "people.csv", encoding="utf-8")))
    assert people[2]["name"] == "José Ramos-Horta"


def test_a_nul_byte_refuses_the_roster_at_its_place(tmp_path):
    # U5: the message stopped at the NUL, without its reason.
    data = PLAIN.replace(b",kelas_3,", b",kelas_3\x00,", 1)
    line = PLAIN[: PLAIN.index(b",kelas_3,")].count(b"\n") + 1
    run, _ = sweep(tmp_path, data)
    column = PLAIN.index(b",kelas_3,") - PLAIN.rfind(b"\n", 0, PLAIN.index(b",kelas_3,")) + len(",kelas_3")
    located_failure(run, f"roster.csv:{line}:{column}: error: not a text file (contains a NUL byte)")


def test_diff_reads_the_roster_as_sweep_does(tmp_path):
    # U4: diff made every row "not comparable: input '\ufefffamily': unknown input".
    reform = ROOT / "rules" / "jkn" / "reforms" / "kris-single-rate.yaml"
    outs = []
    for name, data in (("plain", with_column_first("family")), ("bom", BOM + with_column_first("family"))):
        roster = tmp_path / f"{name}.csv"
        roster.write_bytes(data)
        run = kaidah("diff", str(reform), str(roster), "--date", DATE, "--out", str(tmp_path / name))
        assert run.returncode == 0, run.stderr.decode()
        outs.append(json.loads((tmp_path / name / "summary.json").read_text())["summary"])
    assert outs[0] == outs[1]
    roster = tmp_path / "near.csv"
    roster.write_bytes(header_with("kelas", "Kelas"))
    run = kaidah("diff", str(reform), str(roster), "--date", DATE, "--out", str(tmp_path / "near"))
    located_failure(run, f"near.csv:1:{PLAIN.index(b'kelas') + 1}", "did you mean 'kelas'?")


def test_a_case_file_that_is_empty_a_folder_or_a_device_is_refused(tmp_path):
    # S8: an empty case was evaluated as a case with no inputs; C3: /dev/zero ran out of memory.
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    comments = tmp_path / "comments.yaml"
    comments.write_text("# kelas: kelas_3\n")
    for case, message in ((empty, "the case is empty"), (comments, "the case is empty"),
                          (tmp_path, "is a folder, not a file"), ("/dev/zero", "not a text file (contains a NUL byte)")):
        run = kaidah("eval", "examples/mini-jkn", str(case), "--date", "2025-01-15")
        assert run.returncode == 2 and run.stdout == b"", (case, run.stdout)
        assert message in run.stderr.decode()
    # A case with no inputs is written {}: its decisions that need none are computed.
    none = tmp_path / "none.yaml"
    none.write_text("{}\n")
    run = kaidah("eval", "examples/mini-jkn", str(none), "--date", "2025-01-15", "--decisions", "class_rate")
    assert run.returncode == 0 and run.stdout == b"class_rate = 35000\n"


def test_a_case_file_with_a_bom_and_cr_line_ends_is_read(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(BOM + b"kelas: kelas_3\rlast_month_paid: 2024-12\r")
    run = kaidah("eval", "examples/mini-jkn", str(case), "--date", "2025-01-15", "--decisions", "class_rate")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == b"class_rate = 35000\n"


def test_a_dangling_link_in_a_rulebook_folder_is_an_error(tmp_path):
    # U17: decisions/x.yaml -> /nonexistent was skipped without a word.
    import shutil
    rulebook = tmp_path / "mini"
    shutil.copytree(ROOT / "examples" / "mini-jkn", rulebook)
    (rulebook / "decisions" / "x.yaml").symlink_to("/nonexistent")
    run = kaidah("check", str(rulebook))
    assert run.returncode == 1
    assert "decisions/x.yaml: error: a link to /nonexistent, which does not exist" in run.stderr.decode()


def test_a_bom_is_a_bom_whatever_encoding_is_asked(plain, tmp_path):
    # Read as Windows-1252, EF BB BF would be "ï»¿" glued to the first column's name, dropping it.
    run, out = sweep(tmp_path, BOM + with_column_first("family"), "--encoding", "windows-1252")
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain


def test_invisible_characters_in_a_column_name_are_an_error_with_a_suggestion(tmp_path):
    # A doubled BOM (a tool that appends to a file that has one) leaves U+FEFF in the first name.
    run, _ = sweep(tmp_path, BOM + BOM + with_column_first("kelas"))
    located_failure(run, "roster.csv:1:1", "did you mean 'kelas'?")
    run, _ = sweep(tmp_path, header_with(",kelas,", ",kel\u200bas,"))  # a zero-width space inside
    located_failure(run, "roster.csv:1:", "column 'kel\\u200Bas' is not an input of jkn; did you mean 'kelas'?")


@pytest.mark.parametrize("data, why", [
    (PLAIN.replace(b",", b"\t"), "separated by tabs"),
    (b"nomor,nama\n1,Ani\n", "no column is named after an input of jkn"),
])
def test_a_roster_whose_header_names_no_input_is_refused(tmp_path, data, why):
    # It crashed the sweep (no input column: the batch had no rows to give).
    run, out = sweep(tmp_path, data)
    located_failure(run, "roster.csv:1:", why)


def test_unnamed_and_unrelated_columns_are_ignored_and_said(plain, tmp_path):
    # Excel writes ",," past the header where cells hold something; "age" and "nama" are a
    # roster's own columns, one letter from inputs ("wage", "name") but too short to be sure.
    table = rows()
    table[0] += ["", "", "age", "nama"]
    for r in table[1:]:
        r += ["x", "", "41", "Ani"]
    run, out = sweep(tmp_path, written(table, lineterminator="\n"))
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain
    notes = json.loads((out / "summary.json").read_text())["column_problems"]
    assert f"column {COLUMNS + 1} has no name; it is ignored" in notes
    assert f"column {COLUMNS + 2} has no name; it is ignored" in notes
    assert "column 'age' is not an input of jkn; it is ignored (if it is 'wage', name it so)" in notes


def test_a_run_that_stops_leaves_no_earlier_output_that_looks_complete(tmp_path):
    out = tmp_path / "out"
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(PLAIN)
    bad.write_bytes(PLAIN + b"X,Jos\xe9\n")  # a Windows-1252 byte after every person
    assert kaidah("sweep", str(good), "--date", DATE, "--out", str(out)).returncode == 0
    located_failure(kaidah("sweep", str(bad), "--date", DATE, "--out", str(out)), "bad.csv:322:6")
    assert sorted(p.name for p in out.iterdir()) == []
    reform = ROOT / "rules" / "jkn" / "reforms" / "kris-single-rate.yaml"
    assert kaidah("diff", str(reform), str(good), "--date", DATE, "--out", str(out)).returncode == 0
    located_failure(kaidah("diff", str(reform), str(bad), "--date", DATE, "--out", str(out)), "bad.csv:322:6")
    assert sorted(p.name for p in out.iterdir()) == []


def test_rows_over_several_lines_and_repeated_ids_are_said(plain, tmp_path):
    # A quote opened in one name and closed in a later one is valid CSV that swallows the rows
    # between: the count drops by one with no error, so the summary says rows ran over lines.
    data = (b"id,name,kelas,last_month_paid\n0,Dewi,kelas_3,2026-10\n1,\"Ani,kelas_3,2026-10\n"
            b"2,Budi\",kelas_3,2026-10\n3,Citra,kelas_1,2026-10\n")
    run, out = sweep(tmp_path, data)
    s = json.loads((out / "summary.json").read_text())
    assert s["rows"]["read"] == 3  # four people
    assert ("1 row(s) run over several lines, the first from line 3 (a quoted field holds a line break); if none "
            "should, a closing quote is missing and rows were read as one") in s["column_problems"]
    # A person pasted twice is counted twice: the summary says which id repeats where.
    run, out = sweep(tmp_path, PLAIN + PLAIN.split(b"\n")[1] + b"\n")
    s = json.loads((out / "summary.json").read_text())
    assert s["rows"]["read"] == 321
    assert ("1 row(s) repeat an id of an earlier row, the first 'KDMP-0000001' on lines 2 and 322 (a person pasted "
            "twice is counted twice)") in s["column_problems"]


def test_a_rule_file_named_in_capitals_is_read(tmp_path):
    import shutil
    rulebook = tmp_path / "mini"
    shutil.copytree(ROOT / "examples" / "mini-jkn", rulebook)
    first = sorted((rulebook / "decisions").glob("*.yaml"))[0]
    first.rename(first.with_suffix(".YAML"))
    assert kaidah("check", str(rulebook)).stdout == kaidah("check", str(ROOT / "examples" / "mini-jkn")).stdout


def indonesian(table):
    """The roster as Excel set to Indonesian saves it: money 3.500.000 (a cent part ,00 on some),
    dates 24/11/2026, months 11/2026; ';' between columns (the writer's delimiter)."""
    header, *people = table
    kinds = {"wage": "money", "minimum_wage": "money", "previous_minimum_wage": "money", "reference_salary": "money",
             "ina_cbg_estimate": "money", "last_month_paid": "month", "segment_changed_on": "date",
             "reactivation_date": "date", "inpatient_date": "date"}
    out = [header]
    for n, person in enumerate(people):
        row = []
        for name, cell in zip(header, person):
            kind = kinds.get(name)
            if cell and kind == "money":
                grouped = f"{int(cell):,}".replace(",", ".")
                cell = grouped + (",00" if n % 3 == 0 else "") if n % 5 else "Rp " + grouped
            elif cell and kind == "month":
                year, month = cell.split("-")
                cell = f"{month}/{year}"
            elif cell and kind == "date":
                year, month, day = cell.split("-")
                cell = f"{int(day)}/{month}/{year}"
            row.append(cell)
        out.append(row)
    return out


def test_an_indonesian_spreadsheet_is_read_with_locale_id(plain, tmp_path):
    data = written(indonesian(rows()), delimiter=";", lineterminator="\r\n")
    assert b"3.800.000" in data and b"10/2026" in data and b"Rp " in data
    run, out = sweep(tmp_path, data, "--locale", "id")
    assert run.returncode == 0, run.stderr.decode()
    assert totals(out) == plain  # the same 45,486,250, person for person
    # Without --locale: detected from the header line, to the same figures, and said.
    run, out = sweep(tmp_path, data)
    assert run.returncode == 0 and totals(out) == plain
    assert "dibaca seperti spreadsheet berbahasa Indonesia menyimpannya" in run.stdout.decode()  # the report's language
    assert json.loads((out / "summary.json").read_text())["column_problems"][0].startswith(
        "read as a spreadsheet set to Indonesian saves it")
    # With --locale en the ';' is refused, and the message says what to do.
    run, _ = sweep(tmp_path, data, "--locale", "en")
    located_failure(run, "roster.csv:1:1", "--locale id reads it")
    # A comma roster with --locale id: refused, not misread.
    run, _ = sweep(tmp_path, PLAIN, "--locale", "id")
    located_failure(run, "roster.csv:1:1", "leave out --locale id")


def test_a_number_written_neither_way_is_refused_alone(tmp_path):
    # A cell in neither the Indonesian nor kaidah's form is never read another way ("3.5" is not
    # three and a half): it is refused, and the person still gets every answer that does not read
    # the wage (whether to enrol, in which segment), as a missing class would.
    table = indonesian(rows())
    wage = table[0].index("wage")
    table[2][wage] = "3.5"       # a '.' that is not a thousands separator
    table[3][wage] = "3,500,000"  # English grouping
    run, out = sweep(tmp_path, written(table, delimiter=";", lineterminator="\n"), "--locale", "id")
    assert run.returncode == 1
    people = {p["line"]: p for p in csv.DictReader(open(out / "people.csv"))}
    errors = {line: p["error"] for line, p in people.items() if p["error"]}
    blank = " (no iuran_total, iuran_employer, iuran_participant)"
    assert errors == {"3": "input 'wage': '3.5' is not a number written the Indonesian way (3.500.000 or 3.500.000,50)" + blank,
                      "4": "input 'wage': '3,500,000' is not a number written the Indonesian way (3.500.000 or 3.500.000,50)" + blank}
    # The officer reads why in the report's language, the input by its label and column.
    report = (out / "report.html").read_text()
    assert ("Upah per bulan (kolom wage) tidak sah: &#39;3.5&#39; bukan angka yang ditulis cara Indonesia "
            "(3.500.000 atau 3.500.000,50)") in report
    plain = {p["line"]: p for p in csv.DictReader(open(sweep(tmp_path, written(rows()))[1] / "people.csv"))}
    for line in ("3", "4"):  # what does not read the wage is as in the roster written plainly
        assert people[line]["iuran_total"] == "" and plain[line]["iuran_total"] != ""
        for answer in ("must_enroll", "required_segment", "registered_by", "next_action", "arrears_months"):
            assert people[line][answer] == plain[line][answer] != "", answer


# The sweep reads, evaluates and writes a roster in chunks of 8,192 rows, each stage on its own
# thread (src/cli/sweep.cpp): a roster of many chunks must come out whole and in its order.
COPIES = 80  # 80 x 320 = 25,600 people: four chunks (three reused), the last one partial


def copies_of_the_roster(bad_last_row=b""):
    header, body = PLAIN.split(b"\n", 1)
    lines = [line for line in body.split(b"\n") if line]
    out = [header]
    for copy in range(COPIES):
        # ids made unique (KDMP-0000001 -> C07-KDMP-0000001), so that none is said to repeat
        out += [b"C%02d-" % copy + line for line in lines]
    return b"\n".join(out) + b"\n" + bad_last_row


def test_a_roster_of_many_chunks_is_swept_whole_and_in_order(plain, tmp_path):
    single_dir = tmp_path / "single"
    assert kaidah("sweep", str(ROSTER), "--date", DATE, "--out", str(single_dir)).returncode == 0
    single = list(csv.reader(open(single_dir / "people.csv", newline="")))
    run, out = sweep(tmp_path, copies_of_the_roster(), "--threads", "2")
    assert run.returncode == 0, run.stderr
    people = list(csv.reader(open(out / "people.csv", newline="")))
    assert people[0] == single[0]
    body, one = people[1:], single[1:]
    assert len(body) == COPIES * len(one) == 25_600
    for k, row in enumerate(body):  # each person where it was read, with the single roster's answers
        copy, person = divmod(k, len(one))
        assert row[0] == str(k + 2)  # its line (the header is line 1)
        assert row[1] == f"C{copy:02d}-" + one[person][1]
        assert row[2:] == one[person][2:]
    t = totals(out)
    assert t["rows"] == {"read": 25_600, "evaluated": 25_600, "partial": 0, "missing_answers": 0, "errors": 0}
    # 80 times the bundled roster's Rp 45,486,250 a month (its figure in the README's sweep)
    assert t["monthly_contributions"]["total"] == str(80 * 45_486_250) == "3638900000"
    assert t["by_segment"] == {k: v * COPIES for k, v in plain["by_segment"].items()}


def test_bad_bytes_in_the_last_chunk_stop_the_sweep_with_nothing_written(tmp_path):
    run, out = sweep(tmp_path, copies_of_the_roster(b"X,Jos\xe9\n"))
    located_failure(run, f"roster.csv:{COPIES * 320 + 2}:6")
    assert sorted(p.name for p in out.iterdir()) == []

"""A DataFrame of cases in, a DataFrame of decisions out: equal to evaluating row by row."""

import datetime
import decimal
import random
import warnings

import pandas as pd
import pytest

import kaidah
from conftest import D, TODAY


def generated_people(n, seed=20251230):
    """People of every kind a cooperative meets, some with bad or missing facts."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        kind = rng.choice(["kopdes", "pbpu", "pbpu", "pbi", "bp", "civil", "foreign", "broken"])
        row = {"citizenship": "indonesian", "work_status": "self_employed"}
        if kind in ("kopdes", "civil"):
            row.update(work_status="employee", employer_type="cooperative" if kind == "kopdes" else "state",
                       kopdes_merah_putih=kind == "kopdes",
                       enrolled_segment="ppu_badan_usaha" if kind == "kopdes" else "ppu_penyelenggara_negara",
                       wage=D(rng.randrange(1_500_000, 25_000_000, 50_000)), minimum_wage=D("2500000"))
        elif kind in ("pbpu", "bp"):
            row.update(work_status="self_employed" if kind == "pbpu" else "not_working",
                       enrolled_segment=kind, kelas=rng.choice(["kelas_1", "kelas_2", "kelas_3"]))
        elif kind == "pbi":
            row.update(assistance="central_budget", enrolled_segment="pbi_jk")
        elif kind == "foreign":
            row.update(citizenship="foreign", months_worked_in_indonesia=rng.randrange(0, 12))
        else:  # a row with a fact that does not fit: kept as an error, never dropped
            row.update(enrolled_segment="pbpu", kelas="kelas_4")
        if "enrolled_segment" in row and rng.random() < 0.9:
            row["last_month_paid"] = kaidah.Month(rng.randrange(2019, 2027), rng.randrange(1, 13)).__str__()
        if rng.random() < 0.3:
            row["family"] = [{"relation": rng.choice(["spouse", "child", "parent"]),
                              "birth_date": datetime.date(rng.randrange(1950, 2026), 1, 1)}
                             for _ in range(rng.randrange(1, 5))]
        rows.append(row)
    return rows


def row_by_row(jkn, rows, date):
    """Each row alone, with partial answers: (the answers, the inputs refused, the decisions without value)."""
    out = []
    for row in rows:
        answers = jkn.evaluate({k: v for k, v in row.items() if v is not None}, date, errors="keep")
        out.append((dict(answers), [e.field for e in answers.refused], set(answers.errors)))
    return out


@pytest.mark.parametrize("threads", [1, 0])
def test_batch_equals_row_by_row_on_ten_thousand_people(jkn, threads):
    rows = generated_people(10_000)
    frame = pd.DataFrame(rows)
    result = kaidah.evaluate_frame(jkn, frame, TODAY, threads=threads)
    expected = row_by_row(jkn, rows, TODAY)
    names = [d.name for d in jkn.decisions]
    assert list(result.columns) == names + ["error"]
    failed = 0
    def missing(v):  # None (objects), <NA> (decimals, Int64, boolean) or NaN (categoricals)
        return v is None or v is pd.NA or (isinstance(v, float) and v != v)

    for i, (values, refused, unanswered) in enumerate(expected):
        got = {n: result[n].iat[i] for n in names if not missing(result[n].iat[i])}
        assert got == {n: v for n, v in values.items() if v is not None}, i
        assert set(names) - set(got) - {n for n, v in values.items() if v is None} == unanswered, i
        error = result["error"].iat[i]
        assert (error is None) == (not refused and not unanswered), i
        if refused:
            failed += 1
            assert all(f"input '{field}': " in error for field in refused), i
            assert values["must_enroll"] is not None  # the class does not decide whether to enrol
    # The generator's broken rows are all kept with their reason, and still get what they can.
    assert 1_000 < failed < 3_000
    assert result["arrears_months"].dtype == "Int64" and result["suspended"].dtype == "boolean"
    assert result["iuran_total"].dtype == "kaidah.decimal" and result["segment"].dtype == "category"
    assert result["error"].str.contains("'kelas_4' is not one of").sum() > 1_000


def test_a_dict_of_columns_works_like_a_frame(jkn):
    columns = {"citizenship": ["indonesian"] * 2, "work_status": ["self_employed", "not_working"],
               "kelas": ["kelas_1", "kelas_2"]}
    result = kaidah.evaluate_frame(jkn, columns, TODAY, ["iuran_participant"])
    assert result["iuran_participant"].tolist() == [D("150000"), D("100000")]


def test_money_stays_exact_and_sums_exactly(jkn):
    frame = pd.DataFrame([{"citizenship": "indonesian", "work_status": "self_employed", "kelas": "kelas_3"}] * 3)
    result = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_participant", "iuran_total"])
    assert result["iuran_total"].tolist() == [D("42000")] * 3
    assert sum(result["iuran_participant"]) == D("105000")


def test_missing_cells_mean_not_given_and_errors_can_raise(jkn):
    frame = pd.DataFrame({"citizenship": ["indonesian", "indonesian"], "work_status": ["self_employed", "self_employed"],
                          "kelas": ["kelas_1", None]})
    result = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_participant"])
    assert result["iuran_participant"].tolist() == [D("150000"), pd.NA]
    assert result["error"].tolist()[1] == "needs kelas, not given (no iuran_participant)"
    with pytest.raises(kaidah.EvaluationError, match="input 'kelas' has no value"):
        kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_participant"], errors="raise")
    # errors="row": the first failure blanks the whole row, which its reason does not list.
    whole = kaidah.evaluate_frame(jkn, frame, TODAY, ["must_enroll", "iuran_participant"], errors="row")
    assert whole["error"].tolist() == [None, "needs kelas, not given"] and whole["must_enroll"][1] is pd.NA


def test_floats_need_the_documented_opt_in(jkn):
    frame = pd.DataFrame({"citizenship": ["indonesian"], "work_status": ["employee"], "employer_type": ["business_entity"],
                          "wage": [5000000.0], "minimum_wage": [2000000.0]})
    with pytest.warns(UserWarning, match="arrived as floats"):
        refused = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_worker"])
    # Each float is refused, in the inputs' order: minimum_wage, then wage.
    assert refused["error"][0].startswith("input 'minimum_wage': got the float 2000000.0")
    assert "; input 'wage': got the float 5000000.0" in refused["error"][0]
    # A float is refused alone: what does not read the wage is answered, in a frame as one by one.
    with pytest.warns(UserWarning, match="arrived as floats"):
        partial = kaidah.evaluate_frame(jkn, frame, TODAY, ["must_enroll", "required_segment", "iuran_worker"])
    assert partial["must_enroll"][0] is True or partial["must_enroll"][0] == True  # noqa: E712 (pandas' boolean)
    assert partial["required_segment"][0] == "ppu_badan_usaha" and partial["iuran_worker"][0] is pd.NA
    assert partial["error"][0].endswith("(no iuran_worker)")
    alone = jkn.evaluate(frame.iloc[0].to_dict(), TODAY, ["must_enroll", "required_segment", "iuran_worker"], errors="keep")
    assert alone["must_enroll"] is True and alone["required_segment"] == "ppu_badan_usaha"
    assert [type(e) for e in alone.refused] == [kaidah.FloatError, kaidah.FloatError]  # minimum_wage, wage
    assert set(alone.errors) == {"iuran_worker"} and "got the float 5000000.0" in str(alone.refused[1])
    with pytest.raises(kaidah.FloatError):  # errors="raise", the default: the float is raised, as before
        jkn.evaluate(frame.iloc[0].to_dict(), TODAY, ["must_enroll"])
    # Asking for nothing still reads the case: every float is said, in the inputs' order, and a
    # name that is not an input raises.
    nothing = jkn.evaluate({"wage": 1.5, "minimum_wage": "2500000"}, TODAY, [], errors="keep")
    assert dict(nothing) == {} and [(type(e), e.field) for e in nothing.refused] == [(kaidah.FloatError, "wage")]
    with pytest.raises(kaidah.CaseError, match="wagee"):
        jkn.evaluate({"wagee": 1.5}, TODAY, [], errors="keep")
    with pytest.warns(UserWarning, match="arrived as floats"):
        read = kaidah.evaluate_frame(jkn, pd.DataFrame({"wage": [1.5, 2.5], "minimum_wage": [2.5, 1.5]}), TODAY, [])
    assert [e.split(":")[0] for e in read["error"][0].split("; ")] == ["input 'minimum_wage'", "input 'wage'"]
    converted = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_worker"], convert_floats=True)
    assert converted["iuran_worker"][0] == D("50000") and converted["error"][0] is None


def test_csv_read_as_text_stays_exact(jkn, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("citizenship,work_status,employer_type,wage,minimum_wage\n"
                    "indonesian,employee,business_entity,2441400,2441400\n")
    frame = pd.read_csv(path, dtype=str)
    # jkn-sources #5: 97,656 + 24,414.
    result = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_employer", "iuran_worker"])
    assert result.iloc[0][["iuran_employer", "iuran_worker"]].tolist() == [D("97656"), D("24414")]


def test_numeric_view_for_plots(jkn):
    frame = pd.DataFrame([{"citizenship": "indonesian", "work_status": "self_employed", "kelas": "kelas_2"}])
    exact = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_total", "payer"])
    view = kaidah.numeric_view(exact)
    assert view["iuran_total"].dtype == "Float64" and view["iuran_total"][0] == 100000.0
    assert kaidah.numeric_view(exact, kind="int")["iuran_total"][0] == 100000
    assert exact["iuran_total"][0] == D("100000")  # the exact frame is untouched
    with pytest.raises(ValueError, match="not a whole number"):
        kaidah.numeric_view(pd.DataFrame({"x": [decimal.Decimal("1.5")]}), kind="int")


def test_progress_shows_how_far_a_long_batch_is_and_changes_nothing(jkn, capsys):
    # 150,000 people in chunks of 65,536: three progress lines, the same frame as one batch.
    rows = generated_people(1_000)
    frame = pd.concat([pd.DataFrame(rows)] * 150, ignore_index=True)
    decisions = ["iuran_total", "next_action", "arrears_amount"]
    shown = kaidah.evaluate_frame(jkn, frame, TODAY, decisions, progress=True)
    err = capsys.readouterr().err
    assert "evaluated 65,536 of 150,000 rows (43%)" in err and "evaluated 150,000 of 150,000 rows (100%)" in err
    assert shown.equals(kaidah.evaluate_frame(jkn, frame, TODAY, decisions))
    assert list(shown.index) == list(frame.index)


def test_money_read_as_floats_is_warned_about_before_it_is_refused(jkn):
    # A default pd.read_csv reads money as float64: each such cell is refused (FloatError), so the
    # analyst is told up front, naming the columns, and not only row by row in `error`.
    frame = pd.DataFrame({"citizenship": ["indonesian"], "work_status": ["employee"], "employer_type": ["cooperative"],
                          "wage": [3500000.0], "minimum_wage": [2500000.0]})
    with pytest.warns(UserWarning, match=r"money column\(s\) wage, minimum_wage arrived as floats"):
        out = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_worker"])
    assert "input 'wage': got the float 3500000.0" in out["error"].iat[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the documented opt-in is not warned about
        exact = kaidah.evaluate_frame(jkn, frame, TODAY, ["iuran_worker"], convert_floats=True)
    assert exact["iuran_worker"].iat[0] == D("35000")  # 1% of 3,500,000 (Perpres 64/2020 Pasal 30)

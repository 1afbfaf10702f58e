"""What a request asks for and the shapes of frames: ``decisions=None`` is every decision and
``[]`` none (review finding U10); frames without columns, with a column twice, or without rows
(U11)."""

import datetime

import pandas as pd
import pytest

import kaidah
from conftest import D, TODAY, write_rulebook

KELAS_2 = {"citizenship": "indonesian", "work_status": "self_employed", "kelas": "kelas_2"}


def test_an_empty_list_of_decisions_asks_for_none(probe):
    # Asked for every decision, this case fails: 'add' needs b, which it does not give.
    with pytest.raises(kaidah.EvaluationError):
        probe.evaluate({"a": D(1)}, TODAY)
    assert probe.evaluate({"a": D(1)}, TODAY, []) == {}
    nothing = probe.explain({"a": D(1)}, TODAY, [])
    assert (nothing.roots, nothing.decisions, nothing.date) == ([], {}, TODAY)
    # The case is still read: a name that is not an input, or a float, is still its error.
    with pytest.raises(kaidah.CaseError) as caught:
        probe.evaluate({"zz": 1}, TODAY, [])
    assert (caught.value.field, caught.value.reason) == ("zz", "unknown input")
    with pytest.raises(kaidah.FloatError):
        probe.explain({"a": 0.5}, TODAY, [])


def test_evaluate_frame_with_no_decisions_gives_only_the_cells_errors(probe):
    frame = pd.DataFrame({"a": pd.Series([D(1), 0.5], dtype=object)})
    out = kaidah.evaluate_frame(probe, frame, TODAY, decisions=[])
    assert list(out.columns) == ["error"]
    assert out["error"].iat[0] is None and out["error"].iat[1].startswith("input 'a': got the float 0.5")
    # Every decision, by contrast: row 0 lacks the inputs most decisions need, and each is said once.
    error = kaidah.evaluate_frame(probe, frame, TODAY)["error"].iat[0]
    assert error.startswith("needs n, not given (no n_out, nadd, nmul); needs flag, not given (no flag_out)"), error


def test_compare_and_timeline_with_no_decisions(jkn):
    kris = kaidah.load("jkn", reform="kris-single-rate")
    frame = pd.DataFrame([KELAS_2, KELAS_2])
    changes, summary = kaidah.compare(jkn, kris, frame, "2027-03-01", decisions=[])
    assert changes.empty and (summary["cases"], summary["changed"], summary["errors"]) == (2, 0, 0)
    # HYPOTHETICAL KRIS rate: 75,000 instead of 100,000, so all decisions do change.
    changes, summary = kaidah.compare(jkn, kris, frame, "2027-03-01")
    assert summary["changed"] == 2
    dates = [datetime.date(2026, 1, 1), datetime.date(2027, 3, 1)]
    assert jkn.timeline(KELAS_2, dates, []) == [{"from": dates[0], "to": dates[1], "changes": []}]
    assert kris.timeline(KELAS_2, dates)[0]["changes"] != []  # 100,000 -> 75,000


def test_a_frame_without_columns_is_as_many_cases_that_give_no_input(tmp_path):
    rules = write_rulebook(tmp_path, {"rate": ("decimal", ", default: 0.05"), "n": ("integer", ", default: 3")},
                           {"share": ("decimal", "rate * n")})
    out = kaidah.evaluate_frame(rules, pd.DataFrame(index=[10, 11, 12]), TODAY)
    # Each row takes the defaults: 0.05 * 3 = 0.15.
    assert out.index.tolist() == [10, 11, 12]
    assert out["share"].tolist() == [D("0.15")] * 3 and out["error"].tolist() == [None] * 3


def test_a_column_given_twice_is_a_case_error_naming_it(probe, jkn):
    frame = pd.DataFrame([[D(1), D(2)]], columns=["a", "a"])
    with pytest.raises(kaidah.CaseError) as caught:
        kaidah.evaluate_frame(probe, frame, TODAY)
    assert (caught.value.field, caught.value.reason) == ("a", "the frame has 2 columns named 'a'; give each input once")
    twice = pd.DataFrame([["kelas_1", "kelas_2"]], columns=["kelas", "kelas"])
    with pytest.raises(kaidah.CaseError, match="2 columns named 'kelas'"):
        kaidah.compare(jkn, jkn, twice, TODAY)


def test_an_empty_frame_gives_an_empty_frame_of_the_declared_types(probe):
    frame = pd.DataFrame({"a": pd.Series([], dtype=object), "b": kaidah.DecimalArray._from_sequence([]),
                          "n": pd.Series([], dtype="Int64")})
    out = kaidah.evaluate_frame(probe, frame, TODAY, ["add", "n_out", "flag_out", "e_out", "d_out"])
    assert len(out) == 0 and list(out.columns) == ["add", "n_out", "flag_out", "e_out", "d_out", "error"]
    assert [str(t) for t in out.dtypes] == ["kaidah.decimal", "Int64", "boolean", "category", "object", "object"]
    assert list(out["e_out"].cat.categories) == ["x", "y"]
    assert len(kaidah.evaluate_frame(probe, pd.DataFrame(), TODAY)) == 0


def test_one_decision_may_be_named_as_text(probe):
    # evaluate_frame read "add" as ["a", "d", "d"], as list("add") does.
    frame = pd.DataFrame({"a": [D(1)], "b": [D(2)]}, dtype=object)
    assert kaidah.evaluate_frame(probe, frame, TODAY, "add")["add"].tolist() == [D(3)]

"""Typed columns: kaidah.DecimalArray, and DataFrames whose columns cross to C++ as NumPy buffers."""

import decimal

import numpy as np
import pandas as pd
import pytest

import kaidah
from conftest import D, TODAY
from test_batch import generated_people


def test_decimal_array_holds_exact_values_and_reads_them_as_decimals():
    a = kaidah.DecimalArray._from_sequence([D("150000"), None, D("0.05"), 3])
    assert a.scale == 2 and a.dtype.name == "kaidah.decimal"
    assert list(a) == [D("150000"), pd.NA, D("0.05"), D("3")]
    assert str(a[0]) == "150000" and str(a[2]) == "0.05"  # written the shortest way
    assert a.isna().tolist() == [False, True, False, False]
    # 150000 + 0.05 + 3, exactly; min and max skip the missing value.
    assert a._reduce("sum") == D("150003.05")
    assert a._reduce("min") == D("0.05") and a._reduce("max") == D("150000")
    assert a._reduce("sum", skipna=False) is pd.NA
    # (150000 + 0.05 + 3) / 3 = 50001.0166...: rounded half to even at 12 places.
    assert a._reduce("mean") == D("50001.016666666667")
    with pytest.raises(TypeError, match="astype"):
        a._reduce("prod")


def test_decimal_array_refuses_floats_and_what_it_cannot_hold():
    with pytest.raises(TypeError, match="exact numbers"):
        kaidah.DecimalArray._from_sequence([0.1])
    with pytest.raises(ValueError, match="more than 12 digits"):
        kaidah.DecimalArray._from_sequence([D("0.0000000000001")])
    with pytest.raises(ValueError, match="out of kaidah's decimal range"):
        kaidah.DecimalArray._from_sequence([D("1E+27")])
    # Past 64 bits but within kaidah's range: a wide array (Python integers), exact.
    wide = kaidah.DecimalArray._from_sequence([D("100000000000000000000"), D("0.5")])
    assert wide.scale == 1 and list(wide) == [D("100000000000000000000"), D("0.5")]
    assert wide._reduce("sum") == D("100000000000000000000.5")


def test_decimal_array_in_pandas_series_take_concat_and_compare():
    s = pd.Series(kaidah.DecimalArray.from_integers(np.array([200_000, 50_000, 0]), np.array([False, False, True])))
    assert s.dtype == "kaidah.decimal"
    assert s.sum() == D("250000")  # pandas sums through the array: exact
    t = s.take([2, 0])
    assert t.iloc[1] == D("200000") and t.iloc[0] is pd.NA
    both = pd.concat([s, pd.Series(kaidah.DecimalArray._from_sequence([D("1.5")]))], ignore_index=True)
    assert both.array.scale == 1 and both.tolist() == [D("200000"), D("50000"), pd.NA, D("1.5")]
    assert (s == D("50000")).tolist() == [False, True, pd.NA]
    filled = s.array.take([0, -1], allow_fill=True, fill_value=D("0.25"))
    assert list(filled) == [D("200000"), D("0.25")]
    sums = pd.DataFrame({"g": ["a", "a", "b"], "v": s}).groupby("g")["v"].apply(lambda x: x.array._reduce("sum"))
    assert sums.to_dict() == {"a": D("250000"), "b": D("0")}


def typed(frame, rulebook):
    """The frame with typed columns: categoricals for enums, DecimalArray for decimals, Int64 for integers."""
    out = pd.DataFrame(index=frame.index)
    for info in rulebook.inputs:
        if info.name not in frame:
            continue
        column = frame[info.name]
        if info.type == "enum":
            out[info.name] = pd.Categorical(column, categories=info.values)
        elif info.type == "decimal":
            out[info.name] = pd.Series(kaidah.DecimalArray._from_sequence(column), index=frame.index)
        elif info.type == "integer":
            out[info.name] = pd.array(column, dtype="Int64")
        else:
            out[info.name] = column
    return out


@pytest.mark.parametrize("threads", [1, 0])
def test_typed_columns_give_what_object_columns_give(jkn, threads):
    rows = [r for r in generated_people(5_000, seed=7) if r.get("kelas") != "kelas_4"]  # a categorical has no kelas_4
    objects = pd.DataFrame(rows)
    frame = typed(objects, jkn)
    assert frame["wage"].dtype == "kaidah.decimal" and frame["enrolled_segment"].dtype == "category"
    fast = kaidah.evaluate_frame(jkn, frame, TODAY, threads=threads)
    slow = kaidah.evaluate_frame(jkn, objects, TODAY, threads=threads)
    assert fast["error"].tolist() == slow["error"].tolist()
    for name in fast.columns:
        assert fast[name].dtype == slow[name].dtype, name
        same = [(a is b) or (pd.isna(a) is True and pd.isna(b) is True) or a == b
                for a, b in zip(fast[name].tolist(), slow[name].tolist())]
        assert all(same), name
    # Money summed exactly over the typed result equals the sum of the Decimals, row by row.
    assert fast["iuran_total"].sum() == sum(v for v in slow["iuran_total"].tolist() if v is not pd.NA)


def test_a_result_column_takes_the_scale_its_values_need(tmp_path):
    (tmp_path / "rulebook.yaml").write_text("name: scales\nversion: 1\n")
    (tmp_path / "rules.yaml").write_text("""inputs:
  amount: {type: decimal, description: an amount}
decisions:
  share:
    type: decimal
    description: 1.5% of the amount, unrounded
    legal_basis: t
    formula: amount * 0.015
""")
    rules = kaidah.load(tmp_path)
    # Whole rupiah first, then a fraction two rows into the second chunk of 16,384 rows: the
    # whole numbers already written move to the finer scale.
    amounts = [D(200_000)] * 16_386 + [D(10), D("0.01"), None]
    frame = pd.DataFrame({"amount": kaidah.DecimalArray._from_sequence(amounts)})
    out = kaidah.evaluate_frame(rules, frame, TODAY)
    assert out["share"].dtype == "kaidah.decimal" and out["share"].array.scale == 5
    assert out["share"].iloc[0] == D("3000") and out["share"].iloc[16_386] == D("0.15")
    assert out["share"].iloc[16_387] == D("0.00015") and out["error"].iloc[-1] is not None
    # 10^20 x 1.5% = 1.5e18 fits in 64 bits as whole rupiah, but not with the 3 digits that 0.015
    # needs: the column stays exact, as Decimals.
    big = kaidah.evaluate_frame(rules, pd.DataFrame({"amount": [D(10) ** 20, D(1)]}, dtype=object), TODAY)
    assert big["share"].dtype == "kaidah.decimal" and big["share"].tolist() == [D("1500000000000000000"), D("0.015")]
    assert big["share"].sum() == D("1500000000000000000.015")  # a wide array: Python integers, exact


def test_columns_that_are_not_inputs_are_refused_or_dropped_when_asked(jkn):
    import kaidah
    frame = pd.DataFrame({"id": ["a", "b"], "citizenship": ["indonesian", "indonesian"],
                          "work_status": ["self_employed", "self_employed"], "kelas": ["kelas_3", "kelas_1"]})
    with pytest.raises(kaidah.CaseError) as e:
        kaidah.evaluate_frame(jkn, frame, "2026-11-24", ["iuran_participant"])
    assert e.value.field == "id"
    # Dropped only when asked: class III 35,000 and class I 150,000 (Perpres 64/2020 Pasal 34).
    out = kaidah.evaluate_frame(jkn, frame, "2026-11-24", ["iuran_participant"], extra_columns="drop")
    assert out["iuran_participant"].tolist() == [D(35000), D(150000)]
    reform = kaidah.load("jkn", reform="kris-single-rate")
    changes, summary = kaidah.compare(jkn, reform, frame, "2027-03-15", ["iuran_participant"], extra_columns="drop")
    assert summary["cases"] == 2 and changes["row"].tolist() == [0, 1]
    with pytest.raises(ValueError, match="extra_columns"):
        kaidah.evaluate_frame(jkn, frame, "2026-11-24", extra_columns="ignore")

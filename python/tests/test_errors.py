"""Errors are real Python exceptions that carry their fields."""

import pytest

import kaidah
from conftest import TODAY


def test_load_error_carries_every_diagnostic(tmp_path):
    (tmp_path / "rulebook.yaml").write_text("name: bad\nversion: 1\n")
    (tmp_path / "rules.yaml").write_text(
        "inputs:\n"
        "  wage: {type: decimal, description: monthly wage}\n"
        "decisions:\n"
        "  iuran: {type: decimal, description: x, legal_basis: y, formula: \"wages * 0.05\"}\n"
        "  other: {type: money, description: x, legal_basis: y, formula: \"1\"}\n")
    with pytest.raises(kaidah.LoadError) as caught:
        kaidah.load(tmp_path)
    diagnostics = caught.value.diagnostics
    assert [(d.file, d.line, d.column, d.severity) for d in diagnostics] == [
        ("rules.yaml", 4, 68, "error"), ("rules.yaml", 5, 17, "error")]
    assert diagnostics[0].message == "unknown name 'wages'; did you mean 'wage'?"
    assert str(diagnostics[0]) == "rules.yaml:4:68: error: unknown name 'wages'; did you mean 'wage'?"
    assert isinstance(caught.value, kaidah.KaidahError)


def test_case_error_names_the_field(jkn):
    with pytest.raises(kaidah.CaseError) as caught:
        jkn.evaluate({"segmen": "ppu"}, TODAY)
    assert caught.value.field == "segmen"
    assert caught.value.reason == "unknown input"
    with pytest.raises(kaidah.CaseError) as caught:
        jkn.evaluate({"kelas": "kelas_4"}, TODAY)
    assert caught.value.reason == "'kelas_4' is not one of: kelas_1, kelas_2, kelas_3 (did you mean 'kelas_1'?)"


def test_evaluation_error_names_the_decision_and_place(jkn):
    case = {"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu"}
    with pytest.raises(kaidah.EvaluationError) as caught:
        jkn.evaluate(case, TODAY, ["iuran_total"])
    e = caught.value
    assert e.decision == "class_rate"
    assert e.message == "input 'kelas' has no value in this case and no default"
    assert e.location.file == "decisions/contributions.yaml" and e.location.line > 0


def test_unknown_decision(jkn):
    with pytest.raises(kaidah.EvaluationError, match="no such decision"):
        jkn.evaluate({}, TODAY, ["iuran_totl"])


def test_limits_are_options_of_load_and_of_a_reform(tmp_path):
    # Four decisions where three are allowed: refused at the fourth (docs/language.md, "Limits").
    (tmp_path / "rulebook.yaml").write_text("name: small\nversion: 1\n")
    (tmp_path / "rules.yaml").write_text("decisions:\n" + "".join(
        f"  d{i}: {{type: integer, description: d, legal_basis: r, formula: '1'}}\n" for i in range(4)))
    with pytest.raises(kaidah.LoadError) as e:
        kaidah.load(tmp_path, max_decisions=3)
    assert str(e.value.diagnostics[0]).endswith("rules.yaml:5:3: error: more than 3 decisions in this rulebook (max_decisions)")
    assert len(kaidah.load(tmp_path).decisions) == 4
    with pytest.raises(kaidah.LoadError, match="max_decisions"):
        kaidah.load("jkn", reform="kris-single-rate", max_decisions=10)
    jkn = kaidah.load("jkn", max_list_items=2)
    with pytest.raises(kaidah.CaseError, match=r"a list of 3 items; the limit is 2 \(max_list_items\)"):
        jkn.evaluate({"months_unpaid": ["2026-01", "2026-02", "2026-03"]}, "2026-11-25")


def test_file_size_and_yaml_values_are_limits_of_load(tmp_path):
    (tmp_path / "rulebook.yaml").write_text("name: small\nversion: 1\n")
    rules = "decisions:\n  one: {type: integer, description: d, legal_basis: r, formula: '1'}\n"
    assert len(rules) == 80
    (tmp_path / "rules.yaml").write_text(rules)
    with pytest.raises(kaidah.LoadError) as e:
        kaidah.load(tmp_path, max_file_bytes=79)
    assert str(e.value.diagnostics[0]).endswith(
        "rules.yaml: error: 80 bytes, more than the limit of 79 (max_file_bytes); the file is refused")
    assert len(kaidah.load(tmp_path, max_file_bytes=80).decisions) == 1
    # The file (1), the decisions mapping (2), one's mapping (3), its four values (7): 6 are too few.
    with pytest.raises(kaidah.LoadError) as e:
        kaidah.load(tmp_path, max_yaml_values=6)
    assert str(e.value.diagnostics[0]).endswith(
        "rules.yaml:2:65: error: more than 6 YAML values in one file once its aliases are expanded "
        "(max_yaml_values); the file is refused")
    assert len(kaidah.load(tmp_path, max_yaml_values=7).decisions) == 1


@pytest.mark.parametrize("option, value, error, message", [
    # -1 would wrap to 18446744073709551615 in max_file_bytes (std::uintmax_t), and disable max_iterations.
    # The ceilings are LoadOptions::ceiling's, in the words Rulebook::load uses (docs/language.md, Limits).
    ("max_iterations", -1, ValueError, "limit 'max_iterations' is -1; it must be between 1 and 1000000000"),
    ("max_file_bytes", -1, ValueError, "limit 'max_file_bytes' is -1; it must be between 1 and 1073741824"),
    ("max_errors", 0, ValueError, "limit 'max_errors' is 0; it must be between 1 and 10000"),
    ("max_errors", 2**31, ValueError, "limit 'max_errors' is 2147483648; it must be between 1 and 10000"),
    ("max_list_items", 2**64, ValueError, "limit 'max_list_items' is 18446744073709551616; it must be between 1 and 10000000"),
    ("max_expression_depth", 65, ValueError, "limit 'max_expression_depth' is 65; it must be between 1 and 64"),
    ("max_iterations", True, TypeError, "limit 'max_iterations' must be a whole number between 1 and 1000000000, got bool True"),
    ("max_expression_depth", 64.0, TypeError, "limit 'max_expression_depth' must be a whole number between 1 and 64, got float 64.0"),
])
def test_limits_are_checked_before_they_are_used(probe, option, value, error, message):
    with pytest.raises(error) as caught:
        kaidah.load(probe.path, **{option: value})
    assert str(caught.value) == message
    fine = {"max_file_bytes": 1 << 20}.get(option, 64)  # a plain int within the range
    assert kaidah.load(probe.path, **{option: fine}).name == probe.name


def test_the_limits_and_their_defaults_come_from_the_library(probe):
    # Written once, in C++'s LoadOptions (include/kaidah/rulebook.h): Python reads them from there.
    assert list(kaidah.LIMITS) == ["max_errors", "max_expression_depth", "max_expression_length", "max_iterations",
                                   "max_dependency_depth", "max_inputs", "max_parameters", "max_decisions",
                                   "max_list_items", "max_file_bytes", "max_yaml_values"]
    assert kaidah.LIMITS["max_errors"] == 50 and kaidah.LIMITS["max_file_bytes"] == 16 * 1024 * 1024
    with pytest.raises(TypeError, match="unknown limit 'max_iteration'"):
        kaidah.load(probe.path, max_iteration=10)
    assert "``max_list_items=100000``" in kaidah.load.__doc__  # help(kaidah.load) lists them
    with pytest.raises(TypeError):
        kaidah.LIMITS["max_errors"] = 5  # read-only: a limit is passed to load()


def test_a_reform_a_scenario_file_names_is_loaded_in_the_rulebooks_limits():
    # With max_iterations=2 every JKN scenario that aggregates fails, the base and the reform
    # alike: the reform's scenarios must not report changes that only a looser limit made. (At 3
    # one rehab-moved-segment scenario sits on the limit: the reform's formulas take more steps
    # than the base's for its 3 months in arrears, so base and reform differ for a true reason.)
    outcomes = kaidah.load("jkn", max_iterations=2).run_tests()
    assert outcomes and not any("the reform changes" in o.message for o in outcomes if not o.passed)

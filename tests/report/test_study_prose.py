"""The manuscript object's computed prose for any codebook, the min-cell context and the provenance list.

The frames here are hand-made, so each expected sentence is worked out by hand from them.
"""

from __future__ import annotations

from types import SimpleNamespace as NS

import pandas as pd
import pytest

from imgshare.report import ENV_MIN_CELL, ENV_PROJECT_DIR, Markdown, ReportError, Study, context
from imgshare.report._provenance import build_date, provenance_markdown
from imgshare.codebook import Comparison
from imgshare.tables import NumberStyle

CB = NS(
    questionnaires={"staff": NS(label="Staff"), "mgr": NS(label="Managers")},
    themes={"aut": NS(label="Autonomy", domain="res"), "bur": NS(label="Burnout", domain="str")},
    items={"W1": NS(short="Decide how to work", text="I decide", scale="agree")},
    scales={"agree": NS(kind="agreement", words={}, has_neutral=True)},
    domains={"res": NS(label="Job resources", items=("W1",)), "str": NS(label="Job strain", items=("W1",))},
    comparisons={"svm": Comparison("svm", "Staff vs managers", "questionnaires", ("staff", "mgr")),
                 "dept": Comparison("dept", "Staff by department", "variable", (), "staff", "dept",
                                    group_names=((1, "clinical staff"),))},
    study=NS(synthetic=False, data_note=""),
)


def study_of(min_cell=0, numbers=None, cohort_warnings=(), **frames):
    """A Study over hand-made frames (no disclosure pass is needed at min_cell 0)."""
    results = NS(settings={}, warnings=(), **frames)
    return Study(CB, NS(warnings=cohort_warnings, responses={}), results, min_cell=min_cell, numbers=numbers)


def make_tests(rows):
    cols = ["comparison", "outcome", "outcome_kind", "test", "statistic", "dof", "p", "effect", "effect_measure",
            "effect_ci_low", "effect_ci_high", "higher_group", "reason"]
    return pd.DataFrame(rows, columns=cols)


GROUPS = pd.DataFrame({"comparison": ["svm", "svm", "dept", "dept", "dept"],
                       "group": ["staff", "mgr", "1", "2", "3"],
                       "group_label": ["Staff", "Managers", "Clinical", "Admin", "Estates"]})


def test_comparison_summary_names_the_higher_group_with_statistic_p_and_effect():
    tests = make_tests([
        ["svm", "aut", "theme", "mann-whitney", 120.5, float("nan"), 0.0004, -0.31, "r", -0.45, -0.12, "mgr", ""],
        ["svm", "bur", "theme", "mann-whitney", 300.0, float("nan"), 0.41, 0.05, "r", -0.1, 0.2, "staff", ""],
        ["dept", "aut", "theme", "kruskal-wallis", 9.876, 2, 0.0123, 0.08, "epsilon2", 0.01, 0.2, "3", ""],
        ["dept", "bur", "theme", "none", float("nan"), float("nan"), float("nan"), float("nan"), "", float("nan"),
         float("nan"), "", "fewer than two groups with data"],
    ])
    text = study_of(comparisons=tests, comparison_groups=GROUPS).comparisons()
    assert isinstance(text, Markdown)
    svm, dept = text.split("\n\n")
    assert svm.startswith("**Staff vs managers.** Managers had higher mean ranks than staff for autonomy "
                          "(U = 120.5; p < 0.001; r = \u22120.31, 95% CI \u22120.45 to \u22120.12).")
    assert "For burnout, no difference reached p < 0.05 (p = 0.410)." in svm
    s = study_of(comparisons=tests, comparison_groups=GROUPS)
    # A level the codebook names (comparisons.dept.group_names) is called by its name.
    assert s.group_name("dept", "1") == "clinical staff" and s.group_name("dept", "3") == "staff answering “Estates”"
    assert ("Autonomy differed between the groups (H = 9.88; df = 2; p = 0.012; ε² = 0.08, 95% CI 0.01 to 0.20), "
            "with the highest mean rank among staff answering “Estates”.") in dept
    assert "Burnout was not tested (fewer than two groups with data)." in dept


def test_comparison_summary_uses_adjusted_p_when_present():
    tests = make_tests([["svm", "aut", "theme", "mann-whitney", 1.0, float("nan"), 0.01, 0.2, "r", 0.1, 0.3,
                          "staff", ""]]).assign(p_adj=0.2)
    text = study_of(comparisons=tests, comparison_groups=GROUPS).comparisons()
    assert "No difference reached p < 0.05 for autonomy (p = 0.200)." in text


def test_comparison_fragment_and_higher_group_answer_for_one_outcome():
    tests = make_tests([["svm", "aut", "theme", "mann-whitney", 10085.0, float("nan"), 0.0004, 0.21, "r", 0.1, 0.31,
                         "mgr", ""]])
    s = study_of(comparisons=tests, comparison_groups=GROUPS)
    assert s.comparison("svm", "aut") == "U = 10085; p < 0.001; r = 0.21, 95% CI 0.10 to 0.31"
    assert s.higher("svm", "aut") == "managers"
    with pytest.raises(ReportError, match="no outcome 'bur'"):
        s.comparison("svm", "bur")


def test_flow_summary_counts_each_exclusion_reason():
    flow = pd.DataFrame({"questionnaire": ["staff"] * 4, "stage": ["received", "excluded", "excluded", "analysed"],
                         "reason": ["", "Did not consent", "Item non-response", ""], "n": [64, 3, 5, 56]})
    s = study_of(flow=flow)
    assert s.flow_summary() == ("Staff: 64 responses received, 8 excluded (did not consent: 3; item "
                                "non\\-response: 5) and 56 analysed.")
    assert s.n("staff", "excluded") == "8" and s.n() == "56" and s.flow_share("staff") == "12.5%"


def test_domain_and_correlation_summaries_read_the_frames():
    agreement = pd.DataFrame({"questionnaire": ["staff", "mgr"], "domain": ["res", "res"], "n_items": [5, 5],
                              "pct_agree": [49.75, 52.6]})
    assert study_of(domain_agreement=agreement).domain_summary() == (
        "Across the 5 statements on job resources, mean agreement was 49.8% among staff and 52.6% among managers.")
    two = study_of(domain_agreement=agreement, numbers=NumberStyle(percent_decimals=2))
    assert two.domain_mean("staff", "res") == "49.75%" and two.domain_mean("mgr", "res") == "52.60%"
    summary = pd.DataFrame({"questionnaire": ["staff", "mgr"], "theme": ["aut", "aut"], "n_pairs": [3, 1],
                            "n_defined": [3, 1], "rho": [float("nan"), 0.5], "rho_min": [-0.39, 0.5],
                            "rho_max": [0.49, 0.5], "n_significant": [2, 0], "alpha": [0.001, 0.001]})
    assert study_of(theme_correlation_summary=summary).correlations() == (
        "Within autonomy, ρ from \u22120.39 to 0.49 among staff and ρ = 0.50 among managers "
        "(2 of 4 correlations with p < 0.001).")


def test_data_notes_list_each_warning_once_and_escaped():
    notes = study_of(cohort_warnings=["column *x* empty", "dup"]).data_notes()
    assert notes.startswith('::: {.callout-note title="Data notes"}')
    assert notes.count("dup") == 1 and "column \\*x\\* empty" in notes
    assert study_of().data_notes() == ""


def test_context_carries_min_cell_and_rejects_a_bad_value(tmp_path):
    ctx = context({ENV_PROJECT_DIR: str(tmp_path), ENV_MIN_CELL: "5"})
    assert ctx.min_cell == 5 and context(ctx.env()) == ctx
    assert context({ENV_PROJECT_DIR: str(tmp_path)}).min_cell == 0
    with pytest.raises(ReportError, match="min-cell"):
        context({ENV_PROJECT_DIR: str(tmp_path), ENV_MIN_CELL: "five"})


def test_context_reads_the_codebook_the_project_names(tmp_path):
    (tmp_path / "_quarto.yml").write_text("imgshare:\n  codebook: survey/cb.yml\n")
    assert context({}, cwd=tmp_path).codebook_path == tmp_path.resolve() / "survey" / "cb.yml"


def test_provenance_lists_files_with_digests_software_and_no_date_without_epoch():
    prov = {"codebook": {"file": "cb.yml", "sha256": "ab" * 32, "reason": ""},
            "data": {"staff": {"file": "s.csv", "sha256": None, "reason": "file not found"}},
            "software": {"python": "3.11", "imgshare": "0.1"}}
    text = provenance_markdown(prov, CB, extra_software={"plotnine": "0.15"}, env={})
    assert f"SHA-256 `{'ab' * 32}`" in text and "Data, Staff: s\\.csv, not hashed (file not found)" in text
    assert "Python 3\\.11, imgshare 0\\.1, plotnine 0\\.15" in text and "no date recorded" in text
    assert "Built: 2023-11-14" in provenance_markdown(prov, CB, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert build_date({"SOURCE_DATE_EPOCH": "x"}) is None

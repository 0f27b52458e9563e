"""Tables of issue 13: number variables and theme scores as gtsummary prints them, groups side by
side, a Spearman comparison, "Don't know" columns and rows, and small effect sizes with digits."""

import pandas as pd
import pytest

from imgshare.analysis import analyse
from imgshare.tables import (
    NumberStyle,
    tbl_categorical,
    tbl_categorical_grid,
    tbl_comparisons,
    tbl_group_summaries,
    tbl_likert_item,
    tbl_numeric,
    tbl_theme_scores,
    to_html,
    to_typst,
)

from analysis.number_cohort import cohort_of


@pytest.fixture(scope="module")
def results():
    return analyse(cohort_of(120, 5, True))


def cells(spec, column):
    return spec.cells()[column].tolist()


def test_numeric_table_prints_mean_sd_median_quartiles_range_and_missing(results):
    spec = tbl_numeric(results.numeric_summary, results.codebook, "tbl-q-numbers", questionnaire="q")
    row = results.numeric_summary.set_index("variable").loc["age"]
    style = NumberStyle()
    assert [spec.column_label(c) for c in spec.columns] == ["n", "Mean (SD)", "Median (Q1, Q3)", "Range", "Missing",
                                                           "Refused"]
    first = spec.cells().iloc[0].tolist()
    assert first[0] == "age" and first[1] == str(int(row["n"]))
    assert first[2] == style.mean_sd(row["mean"], row["sd"]) and first[3] == style.median_q(row["median"], row["q1"],
                                                                                             row["q3"])
    assert first[5] == str(int(row["missing"])) and first[6] == str(int(row["nonsubstantive"]))
    assert "never counted as values" in " ".join(text for _, text in spec.notes_text())


def test_theme_score_table_puts_questionnaires_side_by_side(results):
    spec = tbl_theme_scores(results.theme_score_summary, results.codebook)
    row = results.theme_score_summary.iloc[0]
    assert cells(spec, "n_0") == [str(int(row["n"]))]
    assert cells(spec, "mean_0") == [NumberStyle(summary_decimals=2).mean_sd(row["mean"], row["sd"])]
    assert "at least 50% of them were answered" in spec.notes_text()[0][1]
    to_typst(spec)


def test_group_summaries_show_theme_scores_and_numbers_per_group(results):
    spec = tbl_group_summaries(results.comparison_groups, results.codebook, "tbl-grp", comparison="by_grp")
    assert spec.title == "by_grp: theme scores and numbers by group"
    assert cells(spec, "kind") == ["Theme scores", "Numbers", "Numbers"]
    groups = results.comparison_groups
    g1 = groups[(groups["comparison"] == "by_grp") & (groups["outcome"] == "t") & (groups["group"] == "1")].iloc[0]
    assert cells(spec, "median_0")[0] == NumberStyle(summary_decimals=2).median_q(g1["median"], g1["q1"], g1["q3"])
    assert "G1" in to_html(spec)


def test_spearman_comparison_has_no_group_columns(results):
    spec = tbl_comparisons(results.comparisons, results.comparison_groups, results.codebook, "tbl-age",
                           comparison="by_age")
    assert [spec.column_label(c) for c in spec.columns] == ["n", "p", "ρ (95% CI)"]
    assert cells(spec, "kind") == ["Themes", "Items", "Items", "Numbers"]
    assert any("Spearman rank correlation, two-sided" in text for _, text in spec.notes_text())


def test_small_effect_sizes_print_with_enough_digits(results):
    tests = results.comparisons[results.comparisons["comparison"] == "by_grp"].copy()
    tests["effect"], tests["effect_ci_low"], tests["effect_ci_high"] = 0.0041, 0.0002, 0.0123
    spec = tbl_comparisons(tests, results.comparison_groups, results.codebook, "tbl-g", comparison="by_grp")
    assert set(cells(spec, "effect")) == {"0.004 (0.000 to 0.012)"}
    assert any("print with more" in text for _, text in spec.notes_text())


def test_likert_item_table_sets_dont_know_aside(results):
    spec = tbl_likert_item(results.item_levels, results.codebook, "tbl-items", questionnaire="q",
                           nonsubstantive=results.nonsubstantive)
    assert list(spec.spanners["Not on the scale (n)"]) == ["ns_0", "ns_1"]
    assert [spec.column_label(c) for c in ("ns_0", "ns_1")] == ["Don't know", "No answer"]
    ns = results.nonsubstantive.set_index(["variable", "code"])
    assert cells(spec, "ns_0") == [str(int(ns.loc[(i, 8), "n"])) for i in ("A", "B", "C")]


def test_categorical_table_lists_non_substantive_answers_after_the_levels(results):
    frame = pd.DataFrame({"questionnaire": "q", "variable": "grp", "level": [1, 2, 3], "label": ["G1", "G2", "G3"],
                          "n": [3, 4, 5], "denominator": 12, "pct": [25.0, 100 / 3, 500 / 12], "missing": 0})
    extra = pd.DataFrame({"questionnaire": ["q"], "variable": ["grp"], "code": [7], "label": ["Prefer not to say"],
                          "n": [2]})
    spec = tbl_categorical(frame, "grp", results.codebook, "tbl-grp", nonsubstantive=extra)
    assert cells(spec, "level")[-1] == "Prefer not to say" and cells(spec, "value")[-1] == "2"


def test_categorical_grid_has_a_missing_column_not_footnote_letters(results):
    base = dict(questionnaire="q", level=[1, 2, 3], label=["G1", "G2", "G3"], denominator=12,
                pct=[25.0, 100 / 3, 500 / 12])
    frames = {"grp": pd.DataFrame({**base, "variable": "grp", "n": [3, 4, 5], "missing": 2})}
    spec = tbl_categorical_grid(frames, results.codebook, "tbl-grid")
    assert cells(spec, "missing") == ["2"] and spec.column_label("missing") == "Missing"
    assert not any(mark for mark, _ in spec.notes_text())

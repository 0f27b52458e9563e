"""Table builders: analysis frames + codebook in, TableSpec out (formatting only)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import typst
from tables.tabdata import categorical_frame, level_counts

from imgshare.tables import (
    TableError,
    tbl_categorical,
    tbl_categorical_grid,
    tbl_comparisons,
    tbl_item_agreement,
    tbl_likert_item,
    tbl_participant_flow,
    tbl_reliability,
    tbl_theme_correlations,
    to_html,
    to_markdown,
    to_typst,
)


def column(spec, name: str) -> list[str]:
    return spec.cells()[name].tolist()


# ---------------------------------------------------------------------- categorical

def test_paper_table_1_counts_appear_as_cells(age_frame, codebook):
    spec = tbl_categorical(age_frame, "age_group", codebook, "tbl-patient-age", title="Patient age")
    expected = ["9 (3.2%)", "86 (30.5%)", "108 (38.3%)", "27 (9.6%)", "51 (18.1%)", "1 (0.4%)"]
    assert column(spec, "value") == expected
    assert column(spec, "level")[0] == "18–24"
    for text in (to_html(spec), to_typst(spec), to_markdown(spec)):
        assert "108 (38.3%)" in text.replace("\\u{a0}", " ").replace("\\", "")


def test_categorical_question_is_the_column_header(age_frame, codebook):
    spec = tbl_categorical(age_frame, "age_group", codebook, "tbl-patient-age")
    assert spec.column_label("value") == "What is your age? (years)"
    assert spec.title == "Patients: What is your age? (years)"
    assert spec.notes_text()[0] == ("", "n (%) of 282 respondents who answered.")


def test_categorical_missing_answers_and_confidence_interval_are_reported(age_frame, codebook):
    frame = age_frame.assign(missing=3, ci_low=[1.7, 25.4, 32.8, 6.7, 14.0, 0.06],
                             ci_high=[6.0, 36.1, 44.1, 13.6, 23.0, 1.98])
    spec = tbl_categorical(frame, "age_group", codebook, "tbl-age", show_ci=True)
    assert column(spec, "ci")[0] == "1.7 to 6.0"
    assert spec.alignment("ci") == "right"
    assert ("", "3 respondents asked did not answer.") in spec.notes_text()


def test_categorical_conditional_question_footnotes_who_was_asked(codebook):
    frame = categorical_frame("patients", "saw_images", ["Yes", "No", "Unsure"], [217, 41, 9])
    spec = tbl_categorical(frame, "saw_images", codebook, "tbl-saw")
    assert column(spec, "value") == ["217 (81.3%)", "41 (15.4%)", "9 (3.4%)"]
    notes = [t for _, t in spec.notes_text()]
    assert "n (%) of 267 respondents who answered." in notes
    assert ("Asked only of respondents who answered “Yes” to “Have you had radiological images "
            "(eg, X-rays, CT scans and MRI) taken in the past?”.") in notes


def test_categorical_level_that_is_not_an_answer_is_footnoted(age_frame, codebook):
    frame = age_frame.assign(missing_level=[False] * 5 + [True])
    spec = tbl_categorical(frame, "age_group", codebook, "tbl-age")
    assert spec.marks_at() == {("cell", 5, "level"): "a"}
    assert spec.notes_text()[-1] == ("a", "Not an answer to the question: counted in n, left out of group comparisons.")


def test_categorical_suppressed_counts_print_the_threshold(age_frame, codebook):
    frame = age_frame.assign(suppressed=[False, False, False, False, False, True])
    spec = tbl_categorical(frame, "age_group", codebook, "tbl-age", min_cell=5)
    assert column(spec, "value")[-1] == "<5"
    assert column(spec, "value")[0] == "9 (3.2%)"
    frame.attrs["min_cell"] = 10
    assert column(tbl_categorical(frame, "age_group", codebook, "tbl-age"), "value")[-1] == "<10"


def test_categorical_suppressed_without_threshold_is_refused(age_frame, codebook):
    frame = age_frame.assign(suppressed=[True] + [False] * 5)
    with pytest.raises(TableError, match="no small-cell threshold"):
        tbl_categorical(frame, "age_group", codebook, "tbl-age")


def test_categorical_grid_is_paper_table_2(experience_frames, codebook):
    spec = tbl_categorical_grid(experience_frames, codebook, "tbl-patient-experience")
    cells = spec.cells()
    assert cells.iloc[0, 1:].tolist() == ["75 (26.6)", "174 (61.7)", "33 (11.7)", "282"]
    assert cells.iloc[2, 1:].tolist() == ["217 (81.3)", "41 (15.4)", "9 (3.4)", "267"]
    assert [spec.column_label(c) for c in spec.columns] == ["Yes", "No", "Unsure", "n"]
    assert dict(spec.spanners) == {"n (%)": ("level_0", "level_1", "level_2")}
    marks = spec.marks_at()
    assert set(marks) == {("cell", 0, "question"), ("cell", 2, "question")}  # expert note; asked-if note


def test_categorical_grid_rejects_questions_with_different_levels(experience_frames, age_frame, codebook):
    with pytest.raises(TableError, match="'age_group' has levels"):
        tbl_categorical_grid({**experience_frames, "age_group": age_frame}, codebook, "tbl-x")


def test_a_likert_item_can_be_tabulated_like_a_question(codebook):
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    frame = categorical_frame("experts", "good_idea", labels, [1, 0, 21, 69, 30])
    spec = tbl_categorical(frame, "good_idea", codebook, "tbl-good-idea")
    assert spec.column_label("value") == "Sharing radiological images with patients is a good idea"
    assert column(spec, "value") == ["1 (0.8%)", "0 (0.0%)", "21 (17.4%)", "69 (57.0%)", "30 (24.8%)"]


def test_unknown_or_non_categorical_variable_is_refused(age_frame, codebook):
    with pytest.raises(TableError, match="no questionnaire has a variable 'height'"):
        tbl_categorical(age_frame.drop(columns="questionnaire"), "height", codebook, "tbl-x")
    with pytest.raises(TableError, match="variable 'why_see' is text, not categorical"):
        tbl_categorical(age_frame, "why_see", codebook, "tbl-x")


# ---------------------------------------------------------------------- flow, Likert items

def test_participant_flow_shows_exclusions_as_percent_of_received(flow, codebook):
    spec = tbl_participant_flow(flow, codebook)
    assert column(spec, "stage") == ["Responses received", "Excluded: Item non-response", "Analysed"]
    assert column(spec, "q_0") == ["355", "73 (20.6%)", "282 (79.4%)"]
    assert column(spec, "q_1") == ["131", "10 (7.6%)", "121 (92.4%)"]
    assert [spec.column_label(c) for c in spec.columns] == ["Patients", "Clinical experts"]


def test_participant_flow_that_does_not_add_up_is_refused(flow, codebook):
    broken = flow.copy()
    broken.loc[2, "n"] = 280
    with pytest.raises(TableError, match="355 received minus 73 excluded is not 280 analysed"):
        tbl_participant_flow(broken, codebook)


def test_likert_item_levels_sit_under_the_scale_spanner(good_idea_counts, codebook):
    spec = tbl_likert_item(good_idea_counts, codebook, "tbl-good-idea-experts", questionnaire="experts",
                           stubhead="Sharing radiological images with patients is:")
    assert spec.cells().iloc[0].tolist() == ["A good idea", "1 (0.8%)", "0 (0.0%)", "21 (17.4%)", "69 (57.0%)",
                                             "30 (24.8%)", "121"]
    assert list(spec.spanners) == ["5-point agreement"]
    assert [spec.column_label(c) for c in spec.spanners["5-point agreement"]] == [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    assert spec.title == "Clinical experts: Sharing radiological images with patients is a good idea"


def test_likert_item_footnotes_reconstructed_wording(codebook):
    counts = pd.concat([level_counts("patients", i, [1, 2, 3, 4, 5]) for i in ("good_idea", "K1")])
    spec = tbl_likert_item(counts, codebook, "tbl-items", questionnaire="patients")
    assert spec.marks_at() == {("cell", 1, "item"): "a"}  # K1 is reconstructed, good_idea published
    assert column(spec, "item") == ["A good idea", "Understand health information"]


def test_likert_item_on_a_four_point_scale_with_reverse_keying(second_codebook):
    rows = []
    for item, counts in (("F1", [5, 0, 7, 3]), ("F2", [1, 1, 1, 1])):
        total = sum(counts)
        rows += [("staff", item, c, n, total, 100 * n / total) for c, n in zip([1, 2, 3, 4], counts)]
    counts = pd.DataFrame(rows, columns=["questionnaire", "item", "level", "n", "item_n", "pct"])
    spec = tbl_likert_item(counts, second_codebook, "tbl-freq", questionnaire="staff")
    assert [spec.column_label(c) for c in spec.columns] == ["Never", "Sometimes", "Often", "Always", "n"]
    assert column(spec, "level_2") == ["0 (0.0%)", "1 (25.0%)"]
    w3 = pd.DataFrame([("staff", "W3", c, 1, 6, 100 / 6) for c in range(1, 7)],
                      columns=["questionnaire", "item", "level", "n", "item_n", "pct"])
    reverse = tbl_likert_item(w3, second_codebook, "tbl-w3", questionnaire="staff")
    assert ("a", "Reverse-keyed item, shown as answered.") in reverse.notes_text()
    assert len(reverse.columns) == 7  # six levels, no neutral, and n


def test_likert_items_on_different_scales_are_refused(second_codebook):
    counts = pd.DataFrame([("staff", i, 1, 1, 1, 100.0) for i in ("W1", "F1")],
                          columns=["questionnaire", "item", "level", "n", "item_n", "pct"])
    with pytest.raises(TableError, match=r"items use different scales \(agree6, freq4\)"):
        tbl_likert_item(counts, second_codebook, "tbl-x", questionnaire="staff")


# ---------------------------------------------------------------------- correlations, comparisons

def test_theme_correlations_in_the_analysis_shape(theme_summary, codebook):
    # imgshare.analysis leaves rho empty for themes of more than two items and adds alpha and reason.
    summary = theme_summary.assign(alpha=0.001, reason="")
    summary.loc[summary["n_pairs"] > 1, "rho"] = float("nan")
    summary.loc[5, ["rho", "rho_min", "rho_max", "n_significant", "reason"]] = [
        float("nan"), float("nan"), float("nan"), 0, "no pair has two answers that vary"]
    spec = tbl_theme_correlations(summary, codebook, decimals=3)
    cells = spec.cells().set_index("theme")
    assert cells.loc["Contribution to engagement", ["rho_0", "range_0"]].tolist() == ["–", "0.525 to 0.695"]
    assert cells.loc["Contribution to knowledge and understanding", "rho_1"] == "–"
    notes = [t for _, t in spec.notes_text()]
    assert "Significant pairs: item pairs with p < 0.001, of all pairs." in notes
    assert any("summarised by their Range" in t for t in notes)
    assert spec.marks_at() == {("cell", 0, "rho_1"): "a"}


def test_theme_correlations_side_by_side(theme_summary, codebook):
    spec = tbl_theme_correlations(theme_summary, codebook, decimals=3)
    cells = spec.cells().set_index("theme")
    assert cells.loc["Contribution to knowledge and understanding", "rho_0"] == "0.703"
    assert cells.loc["Contribution to knowledge and understanding", "range_0"] == "–"
    assert cells.loc["Contribution to engagement", "range_0"] == "0.525 to 0.695"
    assert cells.loc["Contribution to engagement", "range_1"] == "0.000 to 0.592"
    assert cells.loc["Contribution to engagement", "sig_1"] == "4/6"
    assert list(spec.spanners) == ["Patients", "Clinical experts"]
    assert column(spec, "domain") == ["Potential benefits"] * 3 + ["Potential risks"] * 2


def test_mann_whitney_comparison_table(mw_tests, codebook):
    tests, ranks = mw_tests
    spec = tbl_comparisons(tests, ranks, codebook, "tbl-cmp", comparison="patients_vs_experts")
    cells = spec.cells()
    assert [spec.column_label(c) for c in spec.spanners["Mean rank"]] == ["Patients (n\u00a0=\u00a0282)",
                                                                          "Clinical experts (n\u00a0=\u00a0121)"]
    assert spec.column_label("statistic") == "U"
    knowledge = cells.iloc[0]
    assert "dof" not in cells.columns  # no column of dashes when no test has degrees of freedom
    assert knowledge[["outcome", "group_0", "statistic", "p", "effect", "higher"]].tolist() == [
        "Contribution to knowledge and understanding", "209.1", "15234.5", "0.021", "0.11 (0.02 to 0.21)",
        "Patients"]
    assert cells.iloc[1]["p"] == "<0.001" and cells.iloc[1]["effect"] == "\u22120.31 (\u22120.40 to \u22120.22)"
    untested = cells.iloc[2]
    assert untested[["statistic", "p", "effect"]].tolist() == ["–", "–", "–"]
    assert spec.column_label("effect") == "r (95% CI)"
    notes = dict((t, m) for m, t in spec.notes_text())
    assert notes["all values are identical: the test is undefined"] == "a"
    assert "Mann-Whitney U test, two-sided; p: normal approximation with tie and continuity correction." in notes
    assert "Effect size: r = z/√N; 95% confidence interval in parentheses." in notes
    assert any(t.startswith("n: respondents in the compared groups") for t in notes)
    assert column(spec, "kind") == ["Themes"] * 3 + ["Items"]


def test_kruskal_wallis_groups_are_named_by_their_levels(kw_tests, codebook):
    tests, ranks = kw_tests
    spec = tbl_comparisons(tests, ranks, codebook, "tbl-age", comparison="age_group")
    assert [spec.column_label(c) for c in spec.spanners["Mean rank"]][:2] == ["18–24 (n\u00a0=\u00a09)",
                                                                                 "25–34 (n\u00a0=\u00a086)"]
    assert spec.column_label("statistic") == "H"
    row = spec.cells().iloc[0]
    assert row[["statistic", "dof", "p", "higher"]].tolist() == ["7.91", "4", "0.095", "35–44"]
    assert spec.title == "Patients by age group"
    assert "kind" not in spec.data.columns
    assert any("Kruskal-Wallis H test" in t and "χ² approximation with tie correction" in t
               for _, t in spec.notes_text())
    assert spec.column_label("effect") == "ε² (95% CI)"  # measure inferred from the test
    assert spec.column_label("higher") == "Highest ranks"


def test_comparison_shows_adjusted_p_and_dropped_groups(mw_tests, codebook):
    tests, ranks = mw_tests
    tests = tests.assign(p_adj=[0.0639, 0.00006, float("nan"), 0.9], dropped_groups=["", "", "", "experts"])
    spec = tbl_comparisons(tests, ranks, codebook, "tbl-cmp", comparison="patients_vs_experts", p_adjust="holm")
    assert column(spec, "p_adj") == ["0.064", "<0.001", "–", "0.900"]
    assert spec.column_label("p_adj") == "Adjusted p"
    notes = [t for _, t in spec.notes_text()]
    assert "Adjusted p: holm adjustment across the tested outcomes." in notes
    assert spec.marks_at()[("cell", 3, "outcome")] == "b"
    assert ("b", "Groups without answers left out: experts.") in spec.notes_text()


def test_comparison_without_group_rows_has_no_mean_rank_columns(mw_tests, codebook):
    tests, ranks = mw_tests
    spec = tbl_comparisons(tests, ranks.iloc[0:0], codebook, "tbl-cmp", comparison="patients_vs_experts")
    assert not spec.spanners and spec.columns[0] == "n"


def test_text_where_a_count_belongs_is_a_table_error(flow, codebook):
    with pytest.raises(TableError, match="participant flow: column 'n' holds 'many', not a number"):
        tbl_participant_flow(flow.assign(n=flow["n"].astype(object).where(flow.index != 0, "many")), codebook)


def test_comparison_without_rows_is_refused(mw_tests, codebook):
    tests, ranks = mw_tests
    with pytest.raises(TableError, match="no rows for comparison 'role'"):
        tbl_comparisons(tests, ranks, codebook, "tbl-x", comparison="role")


# ---------------------------------------------------------------------- agreement, reliability

def test_item_agreement_drops_neutral_for_scales_without_one(second_codebook):
    nan = float("nan")
    agreement = pd.DataFrame([
        ("staff", "W1", "resources", 40, 2, 60.0, nan, 40.0),
        ("staff", "W6", "strain", 38, 0, 25.5, nan, 74.5),
    ], columns=["questionnaire", "item", "domain", "n", "missing", "pct_agree", "pct_neutral", "pct_disagree"])
    spec = tbl_item_agreement(agreement, second_codebook)
    assert [spec.column_label(c) for c in spec.columns] == ["Agree (%)", "Disagree (%)", "n", "Missing"]
    assert spec.cells().iloc[0].tolist() == ["Decide how to work", "60.0", "40.0", "40", "2", "Job resources"]
    # A Missing column, not a footnote letter per cell.
    assert not any(mark for mark, _ in spec.notes_text())
    assert ("", "Missing: respondents asked who left the item blank.") in spec.notes_text()


def test_item_agreement_speaks_the_scale_words_and_counts_dont_know(second_codebook):
    nan = float("nan")
    agreement = pd.DataFrame([
        ("staff", "F1", "strain", 40, 0, 3, 60.0, nan, 40.0),
        ("staff", "F2", "strain", 38, 0, 0, 25.5, nan, 74.5),
    ], columns=["questionnaire", "item", "domain", "n", "missing", "nonsubstantive", "pct_agree", "pct_neutral",
                "pct_disagree"])
    spec = tbl_item_agreement(agreement, second_codebook)   # freq4 declares no kind: agreement words
    assert spec.title == "Agreement with each statement"
    import dataclasses
    freq = dataclasses.replace(second_codebook.scales["freq4"], kind="frequency")
    codebook = dataclasses.replace(second_codebook, scales={**second_codebook.scales, "freq4": freq})
    spec = tbl_item_agreement(agreement, codebook)
    assert spec.title == "Frequency: answers to each statement"
    assert [spec.column_label(c) for c in spec.columns] == ["Often (%)", "Rarely (%)", "n", "Not on the scale"]
    assert column(spec, "nonsubstantive_0") == ["3", "0"]
    assert any("on each side of the midpoint" in text for _, text in spec.notes_text())


def test_item_agreement_groups_items_by_domain(codebook):
    agreement = pd.DataFrame([
        ("patients", "R1", "risks", 282, 0, 6.4, 24.1, 69.5),
        ("patients", "good_idea", None, 282, 0, 87.6, 9.9, 2.5),
        ("patients", "K1", "benefits", 282, 0, 86.9, 9.9, 3.2),
    ], columns=["questionnaire", "item", "domain", "n", "missing", "pct_agree", "pct_neutral", "pct_disagree"])
    spec = tbl_item_agreement(agreement, codebook)
    assert column(spec, "item") == ["Understand health information", "Upset patients", "A good idea"]
    assert column(spec, "domain") == ["Potential benefits", "Potential risks", "Other"]


def test_reliability_in_the_analysis_shape(codebook):
    alpha = pd.DataFrame([("patients", "knowledge", 2, 282, 0, 0.846484, 0.805948, 0.878552, ""),
                          ("experts", "knowledge", 2, 121, 0, float("nan"), float("nan"), float("nan"),
                           "the theme total is constant")],
                         columns=["questionnaire", "theme", "k", "n", "n_incomplete", "alpha", "ci_low", "ci_high",
                                  "reason"])
    spec = tbl_reliability(alpha, codebook)
    assert spec.cells().iloc[0].tolist() == ["Contribution to knowledge and understanding", "2", "282",
                                             "0.85 (0.81 to 0.88)", "2", "121", "–", "Potential benefits"]
    assert ("a", "the theme total is constant") in spec.notes_text()


def test_reliability_table(codebook):
    alpha = pd.DataFrame([("patients", "engagement", 0.8234, 0.7861, 0.8551, 282, 4),
                          ("experts", "engagement", 0.61, 0.49, 0.71, 121, 4)],
                         columns=["questionnaire", "theme", "alpha", "ci_low", "ci_high", "n", "n_items"])
    spec = tbl_reliability(alpha, codebook)
    assert spec.cells().iloc[0].tolist() == ["Contribution to engagement", "4", "282", "0.82 (0.79 to 0.86)",
                                             "4", "121", "0.61 (0.49 to 0.71)", "Potential benefits"]


# ---------------------------------------------------------------------- all builders

@pytest.fixture
def every_table(age_frame, experience_frames, flow, good_idea_counts, theme_summary, mw_tests, codebook):
    tests, ranks = mw_tests
    agreement = pd.DataFrame([("patients", "K1", "benefits", 282, 0, 86.9, 9.9, 3.2)],
                             columns=["questionnaire", "item", "domain", "n", "missing", "pct_agree", "pct_neutral",
                                      "pct_disagree"])
    alpha = pd.DataFrame([("patients", "knowledge", 0.8, 0.7, 0.9, 282, 2)],
                         columns=["questionnaire", "theme", "alpha", "ci_low", "ci_high", "n", "n_items"])
    inputs = [age_frame, flow, good_idea_counts, theme_summary, tests, ranks, agreement, alpha,
              *experience_frames.values()]
    before = [f.copy(deep=True) for f in inputs]

    def build(cb):
        return [
            tbl_categorical(age_frame, "age_group", cb, "tbl-a"),
            tbl_categorical_grid(experience_frames, cb, "tbl-b"),
            tbl_participant_flow(flow, cb),
            tbl_likert_item(good_idea_counts, cb, "tbl-c", questionnaire="patients"),
            tbl_theme_correlations(theme_summary, cb),
            tbl_comparisons(tests, ranks, cb, "tbl-d", comparison="patients_vs_experts"),
            tbl_item_agreement(agreement, cb),
            tbl_reliability(alpha, cb),
        ]

    return build, inputs, before


def test_builders_do_not_modify_their_inputs(every_table, codebook):
    build, inputs, before = every_table
    build(codebook)
    for frame, copy in zip(inputs, before):
        pd.testing.assert_frame_equal(frame, copy)


def test_builders_label_synthetic_data_only_when_the_codebook_says_so(every_table, codebook):
    build, _, _ = every_table
    assert all(spec.is_synthetic for spec in build(codebook))
    real = dataclasses.replace(codebook, study=dataclasses.replace(codebook.study, data="real"))
    assert not any(spec.is_synthetic for spec in build(real))


def test_every_built_table_compiles_in_typst(every_table, codebook):
    build, _, _ = every_table
    source = '#set page(paper: "a4", margin: 2.5cm)\n' + "\n".join(to_typst(s) for s in build(codebook))
    pdf, warnings = typst.compile_with_warnings(source.encode())
    assert pdf.startswith(b"%PDF") and warnings == []


@pytest.mark.parametrize("builder, args", [
    (tbl_categorical, ("age_group",)),
    (tbl_participant_flow, ()),
    (tbl_theme_correlations, ()),
    (tbl_item_agreement, ()),
    (tbl_reliability, ()),
])
def test_frames_missing_columns_are_named_in_the_error(builder, args, codebook):
    with pytest.raises(TableError, match=r"missing column\(s\) "):
        builder(pd.DataFrame({"x": [1]}), *args, codebook, *(["tbl-x"] if builder is tbl_categorical else []))

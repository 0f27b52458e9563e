"""Small-count suppression: primary cells 1..K-1 hidden; totals cannot reveal them."""

import doctest

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import imgshare.disclosure as disclosure
from imgshare.disclosure import suppress_frame, suppression_mask, total_suppressed


def test_docstring_examples_run():
    assert doctest.testmod(disclosure).failed == 0


@given(st.lists(st.integers(0, 30), min_size=1, max_size=8), st.integers(2, 11))
def test_every_small_count_is_hidden_and_none_is_recoverable(counts, k):
    hide = suppression_mask(counts, k)
    c = np.array(counts)
    assert hide[(c > 0) & (c < k)].all()
    assert not hide[c == 0].any()
    # a single hidden cell could be recovered as total minus the shown cells, unless the total
    # is hidden as well
    if hide.sum() == 1:
        assert total_suppressed(counts, k)


def test_k_of_one_or_zero_hides_nothing():
    assert not suppression_mask([1, 2, 3], 1).any()
    assert not suppression_mask([1, 2, 3], 0).any()


def test_frame_groups_are_suppressed_separately_and_input_not_modified():
    frame = pd.DataFrame({"q": ["a", "a", "a", "b", "b"], "n": [3, 40, 50, 20, 30]})
    before = frame.copy()
    out = suppress_frame(frame, "n", ["q"], 5)
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    pd.testing.assert_frame_equal(frame, before)


def _analysed_with_min_cell(root, tmp_path, k):
    from imgshare.cli import main

    out = tmp_path / f"k{k}"
    assert main(["analyse", "--min-cell", str(k), "--out", str(out)]) == 0
    return {name: pd.read_csv(out / f"{name}.csv") for name in
            ("descriptives", "item_levels", "item_agreement", "flow", "comparison_groups")}


def test_min_cell_withholds_every_small_count_in_the_analysis_outputs(root, tmp_path):
    frames = _analysed_with_min_cell(root, tmp_path, 5)
    for name, frame in frames.items():
        n = frame["n"].dropna()
        assert not ((n > 0) & (n < 5)).any(), name
    desc = frames["descriptives"]
    for _, part in desc.groupby(["questionnaire", "variable"]):
        # a lone withheld cell could be recovered from the denominator minus the others
        assert part["suppressed"].sum() != 1 or part["denominator"].isna().all()
    age = desc[desc.variable == "age_group"].set_index("level")
    assert age["suppressed"].tolist() == [True, False, False, False, False, True]
    assert np.isnan(age.loc[1, "pct"]) and np.isnan(age.loc[1, "ci_low"])


def test_min_cell_marks_small_counts_in_tables(root, tmp_path):
    from imgshare.cli import main

    assert main(["figures", "--min-cell", "5", "--out", str(tmp_path)]) == 0
    table1 = (tmp_path / "tbl-patients-age-group.csv").read_text()
    assert "<5" in table1
    assert "1 (0.4%)" not in table1 and "9 (3.2%)" not in table1
    assert "86 (30.5%)" in table1


def test_min_cell_hides_bar_totals_resting_on_few_respondents(study_codebook_path):
    from imgshare.analysis import item_level_counts
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.figures import diverging_data
    from imgshare.figures._diverging import end_labels

    cohort = build_cohort(load_codebook(study_codebook_path))
    # experts: one respondent disagrees that sharing images is a good idea (table 7)
    seg = diverging_data(item_level_counts(cohort), cohort.codebook, "experts", ["good_idea", "K1", "R1"])
    plain = end_labels(seg, 0, 1.0)
    guarded = end_labels(seg, 0, 1.0, min_cell=5)
    main = seg[seg.panel == "main"].drop_duplicates("item")
    counts = np.concatenate([(main.pct_disagree * main.item_n / 100).round(), (main.pct_agree * main.item_n / 100).round()])
    small = (counts > 0) & (counts < 5)
    assert small.any(), "the fixture should have a small total to hide"
    assert (guarded["text"].to_numpy()[small] == "n<5").all()
    assert (guarded["text"].to_numpy()[~small] == plain["text"].to_numpy()[~small]).all()


def test_min_cell_merges_small_exclusion_reasons_in_the_flow(second_codebook_path):
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.exhibits import guarded_flow

    flow = build_cohort(load_codebook(second_codebook_path)).flow      # staff: 3 no consent, 3 incomplete
    guarded = guarded_flow(flow, 5)
    staff = guarded[guarded.questionnaire == "staff"]
    assert staff.loc[staff.stage == "excluded", "n"].tolist() == [6]
    assert not ((guarded["n"] > 0) & (guarded["n"] < 5) & (guarded["stage"] == "excluded")
                & (guarded["questionnaire"] == "staff")).any()
    assert guarded_flow(flow, 0).equals(flow)


def test_min_cell_withholds_small_dont_know_and_number_counts(third_codebook_path, tmp_path):
    from imgshare.cli import main

    out = tmp_path / "analysis"
    assert main(["analyse", "-c", str(third_codebook_path), "--min-cell", "5", "--out", str(out)]) == 0
    for name, columns in (("nonsubstantive", ["n"]), ("numeric_summary", ["n", "missing", "nonsubstantive"]),
                          ("item_agreement", ["n", "missing", "nonsubstantive"])):
        frame = pd.read_csv(out / f"{name}.csv")
        for col in columns:
            n = frame[col].dropna()
            assert not ((n > 0) & (n < 5)).any(), (name, col)
    figures = tmp_path / "figures"
    assert main(["figures", "-c", str(third_codebook_path), "--min-cell", "5", "--out", str(figures)]) == 0
    items = pd.read_csv(figures / "tbl-carers-items-never-4.csv", dtype=str)
    assert "<5" in items.to_string()                     # 3 "No answer" to one item
    assert not items.isin(["1", "2", "3", "4"]).any().any()

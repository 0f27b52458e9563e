"""Small-count suppression: primary cells 1..K-1 hidden; totals cannot reveal them.

The per-table helpers (``suppression_mask`` ...) are the legacy rule still used by report.qmd;
``protect`` is the one pass over all results (attacked in test_disclosure_attack.py).
"""

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import imgshare.disclosure as disclosure
from imgshare.disclosure import suppress_frame, suppression_mask, total_suppressed


def test_docstring_examples_run():
    from imgshare.disclosure import _legacy

    assert doctest.testmod(disclosure).failed == 0
    assert doctest.testmod(_legacy).failed == 0


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
    frames = {name: pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""]) for name in
            ("flow", "descriptives", "item_levels", "item_agreement", "theme_score_summary", "reliability",
             "theme_correlations", "comparisons", "comparison_groups", "posthoc", "item_tests")}
    for frame in frames.values():
        for col in [c for c in frame.columns if c.endswith("_withheld")]:
            frame[col] = frame[col].astype(object).fillna("")
    return frames


COUNT_COLUMNS = ("n", "denominator", "missing", "not_asked", "item_n", "n_unscored", "n_incomplete", "n1", "n2")


def test_min_cell_withholds_every_small_count_in_the_analysis_outputs(root, tmp_path):
    frames = _analysed_with_min_cell(root, tmp_path, 5)
    for name, frame in frames.items():
        for col in COUNT_COLUMNS:
            if col in frame:
                n = frame[col].dropna()
                assert not ((n > 0) & (n < 5)).any(), (name, col)
    desc = frames["descriptives"]
    age = desc[desc.variable == "age_group"].set_index("level")
    # "do not want to reveal" (1) is small; 18-24 (9) is withheld with it; neither prints "<5" for 9
    assert age["n_withheld"].tolist() == ["withheld", "", "", "", "", "small"]
    assert np.isnan(age.loc[1, "pct"]) and np.isnan(age.loc[1, "ci_low"])
    role = frames["comparison_groups"].query("comparison == 'role'")
    assert set(role.loc[role["group"] == "2", "n_withheld"]) == {"small"}
    assert set(role.loc[role["group"] == "3", "n_withheld"]) == {"withheld"}
    assert role["mean_rank"].isna().all()  # they sum to N(N+1)/2: they would give the sizes back
    # the age comparisons' n (281 = 282 - 1) would give the small level back, and H/epsilon2 would give n
    age_tests = frames["comparisons"].query("comparison == 'age_group'")
    assert age_tests["n"].isna().all() and age_tests["effect"].isna().all()


def test_protect_flags_secondary_cells_as_withheld_never_as_small():
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect

    raw = analyse(build_cohort(load_codebook(Path(__file__).parents[2] / "data" / "codebook.yml")))
    before = raw.descriptives.copy()
    safe = protect(raw, 5)
    pd.testing.assert_frame_equal(raw.descriptives, before)  # the input is not modified
    assert protect(safe, 5) is safe and protect(raw, 0) is raw and protect(raw, 1) is raw
    for name, frame in safe.frames().items():
        for col in [c for c in frame.columns if c.endswith("_withheld")]:
            value = col.removesuffix("_withheld")
            if value not in raw.frames()[name]:
                continue
            truth = raw.frames()[name][value]
            small = frame[col] == "small"
            if value in COUNT_COLUMNS:
                assert ((truth[small] > 0) & (truth[small] < 5)).all(), (name, col)
                assert not ((truth[frame[col] == "withheld"] > 0) & (truth[frame[col] == "withheld"] < 5)).any() \
                    or name == "item_levels", (name, col)


def test_decide_withholds_a_second_cell_beside_a_lone_small_one():
    from imgshare.disclosure._decide import decide
    from imgshare.disclosure._graph import Graph, Node

    g = Graph()
    for key, value in {"total": 103, "a": 3, "b": 40, "c": 60}.items():
        g.add(key, Node(value))
    g.relate("total", ["a", "b", "c"])
    assert decide(g, 5) == {"a": "small", "b": "withheld"}


def test_decide_withholds_more_when_two_small_cells_add_up_to_their_lower_bounds():
    from imgshare.disclosure._decide import decide
    from imgshare.disclosure._graph import Graph, Node

    g = Graph()
    for key, value in {"total": 102, "a": 1, "b": 1, "c": 100}.items():
        g.add(key, Node(value))
    g.relate("total", ["a", "b", "c"])
    # a and b each at least 1 and adding to 2 would both be pinned to 1
    assert decide(g, 5) == {"a": "small", "b": "small", "c": "withheld"}


def test_decide_withholds_a_small_distribution_whole_zeros_included():
    from imgshare.disclosure._decide import decide
    from imgshare.disclosure._graph import OPEN, Graph, Node

    g = Graph()
    for key, value in {"all": 9, "total": 4, "missing": 5, "a": 1, "b": 1, "c": 1, "d": 1, "e": 0}.items():
        g.add(key, Node(value))
    g.relate("total", ["a", "b", "c", "d", "e"])
    g.relate("all", ["total", "missing"])
    # four cells of at least 1 adding to at most 4 would each be pinned to 1
    decision = decide(g, 5)
    assert decision["total"] == "small"
    assert all(decision[c] == OPEN for c in "abcde")


def test_min_cell_marks_small_counts_in_tables(root, tmp_path):
    from imgshare.cli import main

    assert main(["figures", "--min-cell", "5", "--out", str(tmp_path)]) == 0
    table1 = (tmp_path / "tbl-patients-age-group.csv").read_text()
    assert "<5" in table1
    assert "1 (0.4%)" not in table1 and "9 (3.2%)" not in table1
    assert "86 (30.5%)" in table1
    # the secondary cell (9) prints as withheld, with a footnote; never "<5"
    assert "18–24,–" in table1 and "Withheld so that counts of fewer than 5" in table1
    role = (tmp_path / "tbl-compare-role.csv").read_text()
    assert "Technical (n < 5)" in role and "n = 3" not in role


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


def test_min_cell_withholds_small_exclusions_and_a_received_count_that_would_give_them_back(second_codebook_path):
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect, protect_flow
    from imgshare.tables import tbl_participant_flow, to_csv

    cohort = build_cohort(load_codebook(second_codebook_path))
    flow = protect(analyse(cohort), 5).flow  # staff: 3 no consent, 3 incomplete; managers: 1 incomplete
    flags = dict(zip(zip(flow.questionnaire, flow.stage, flow.reason), flow.n_withheld))
    assert flags[("staff", "excluded", "Did not consent")] == "small"
    assert flags[("staff", "received", "")] == ""  # 6 excluded in all: 64 - 58 gives no one away
    assert flags[("managers", "excluded", "Item non-response")] == "small"
    assert flags[("managers", "received", "")] == "withheld"  # 23 - 22 would give the 1 back
    assert flow.equals(protect_flow(cohort.flow, 5)) or list(flow["n_withheld"]) == list(
        protect_flow(cohort.flow, 5)["n_withheld"])
    text = to_csv(tbl_participant_flow(flow, cohort.codebook, min_cell=5))
    assert "<5" in text and "1 (4.3%)" not in text and "23" not in text


def test_every_identity_of_the_model_holds_on_the_shipped_data(study_codebook_path, second_codebook_path):
    # an identity the true values break would be a wrong model of what the outputs imply
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure._model import build_model

    for path in (study_codebook_path, second_codebook_path):
        model = build_model(analyse(build_cohort(load_codebook(path))))
        assert model.graph.skipped == [], model.graph.skipped[:3]
        assert len(model.graph.relations) > 100


def test_survey_weights_are_protected_as_printed(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from small_shape import make_shape

    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect
    from imgshare.exhibits import build_exhibits

    cohort = build_cohort(load_codebook(make_shape(tmp_path, 3, weighted=True)))
    safe = protect(analyse(cohort), 5)
    levels = safe.item_levels[safe.item_levels["questionnaire"] == "a"]
    assert not ((levels["n"] > 0) & (levels["n"] < 5)).any()  # sums of weights below 5 are withheld too
    assert (levels["n_withheld"] != "").any()
    assert len(build_exhibits(safe, min_cell=5)) > 10


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


def test_warnings_and_reason_texts_state_no_small_count_once_protected(second_codebook_path):
    # The second survey has a comparison group with a single respondent: the warning says so
    # unprotected, and says "fewer than 5" once protected (results.json and the data notes print it).
    from imgshare.analysis import analyse, results_to_json
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect

    results = analyse(build_cohort(load_codebook(second_codebook_path)))
    assert any("a single respondent" in w for w in results.warnings)
    safe = protect(results, 5)
    assert not any("single respondent" in w or "one answer" in w for w in safe.warnings)
    assert any("fewer than 5 respondents" in w for w in safe.warnings)
    assert "single respondent" not in results_to_json(safe)


def test_protect_text_withholds_counts_in_words_and_keeps_zero_and_large_counts():
    from imgshare.disclosure import protect_text

    share = ("Staff: exclusion rule 'incomplete' (Item non-response) removes 25 of 60 responses (42%), "
             "more than analysis.max_excluded_share (20%); check ...")
    assert protect_text(share, 5) == ("Staff: exclusion rule 'incomplete' (Item non-response) removes more than "
                                      "analysis.max_excluded_share (20%); check ...")
    assert protect_text("3 complete case(s); at least 2 needed", 5) == "fewer than 5 complete cases; at least 2 needed"
    assert protect_text("7 complete pair(s)", 5) == "7 complete pair(s)"
    assert protect_text("0 complete pair(s); at least 2 needed", 5) == "0 complete pair(s); at least 2 needed"
    assert protect_text(share, 0) == share


def test_reason_columns_of_protected_frames_state_no_small_count():
    import pandas as pd

    from imgshare.disclosure import _reasons_protected

    frame = pd.DataFrame({"n": [1, 40], "reason": ["1 complete pair(s); at least 2 needed", ""]})
    out = _reasons_protected(frame, 5)
    assert out["reason"].tolist() == ["fewer than 5 complete pairs; at least 2 needed", ""]
    assert frame["reason"].iat[0].startswith("1 complete")  # the input is not modified

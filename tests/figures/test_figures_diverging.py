import numpy as np
import pandas as pd
import pytest
from figures.figdata import level_counts, rendered_texts

from imgshare.errors import ImgshareError
from imgshare.figures import FigureError, diverging_data, diverging_likert

BENEFITS = ["K1", "K2", "C1", "C2", "E1", "E2", "E3", "E4"]


@pytest.mark.parametrize("neutral", ["split", "side"])
def test_each_bar_segments_sum_to_100_percent_of_its_n(counts, study_cb, neutral):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS, neutral=neutral)
    widths = (seg["xmax"] - seg["xmin"]).groupby(seg["item"]).sum()
    assert np.allclose(widths, 100.0)
    merged = seg.merge(counts, on=["questionnaire", "item", "level"], suffixes=("", "_in"))
    assert np.allclose(merged["xmax"] - merged["xmin"], 100 * merged["n"] / merged["item_n_in"])


def test_neutral_split_is_symmetric_about_zero(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS)
    neutral = seg[seg["category"] == "neutral"]
    assert len(neutral) == len(BENEFITS)
    assert np.allclose(neutral["xmin"], -neutral["xmax"])
    assert np.allclose(neutral["xmax"], neutral["pct"] / 2)


def test_disagree_lies_left_and_agree_right_with_mildest_levels_innermost(counts, study_cb):
    seg = diverging_data(counts, study_cb, "experts", ["R1"], neutral="omit").set_index("level")
    assert seg.loc[1, "xmax"] == pytest.approx(seg.loc[2, "xmin"])  # strongly disagree outside disagree
    assert seg.loc[2, "xmax"] == pytest.approx(0.0)
    assert seg.loc[4, "xmin"] == pytest.approx(0.0)
    assert seg.loc[5, "xmin"] == pytest.approx(seg.loc[4, "xmax"])
    assert (seg.loc[[1, 2], "xmax"] <= 0).all() and (seg.loc[[4, 5], "xmin"] >= 0).all()


def test_totals_are_the_agree_neutral_disagree_shares(counts, study_cb):
    seg = diverging_data(counts, study_cb, "experts", ["K1"]).iloc[0]
    assert seg["pct_disagree"] == pytest.approx(100 * 3 / 121)
    assert seg["pct_neutral"] == pytest.approx(100 * 12 / 121)
    assert seg["pct_agree"] == pytest.approx(100 * 106 / 121)


def test_items_are_ordered_by_percent_agree_highest_on_top(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS)
    bars = seg.drop_duplicates("item").sort_values("rank")
    assert list(bars["pct_agree"]) == sorted(bars["pct_agree"], reverse=True)
    assert list(bars["rank"]) == list(range(1, 9))
    assert bars["y"].is_monotonic_decreasing


def test_agree_ties_are_broken_by_less_disagreement_then_codebook_order(cb4):
    frame = level_counts(cb4, {"a": {"Q1": [2, 0, 5, 3], "Q2": [1, 1, 5, 3], "Q3": [0, 2, 5, 3]}})
    seg = diverging_data(frame, cb4, "a")
    # Q1 and Q2 tie on agree (80%) and disagree (20%): codebook order; Q3 also 20% disagree.
    assert list(seg.drop_duplicates("item").sort_values("rank")["item"]) == ["Q1", "Q2", "Q3"]
    frame2 = level_counts(cb4, {"a": {"Q1": [3, 0, 5, 2], "Q2": [1, 1, 5, 3], "Q3": [0, 1, 5, 4]}})
    seg2 = diverging_data(frame2, cb4, "a")
    assert list(seg2.drop_duplicates("item").sort_values("rank")["item"]) == ["Q3", "Q2", "Q1"]


def test_codebook_order_keeps_the_order_of_items(counts, study_cb):
    items = ["E4", "K1", "R2"]
    seg = diverging_data(counts, study_cb, "patients", items, order="codebook")
    assert list(seg.drop_duplicates("item").sort_values("rank")["item"]) == items


def test_even_scale_has_no_neutral_segment(cb4):
    frame = level_counts(cb4, {"a": {"Q1": [1, 2, 3, 4], "Q2": [4, 3, 2, 1], "Q3": [0, 0, 5, 5]}})
    for neutral in ("split", "side", "omit"):
        seg = diverging_data(frame, cb4, "a", neutral=neutral)
        assert set(seg["category"]) == {"agree", "disagree"}
        assert set(seg["panel"]) == {"main"}
        assert seg["pct_neutral"].isna().all()
        assert np.allclose((seg["xmax"] - seg["xmin"]).groupby(seg["item"]).sum(), 100)
        assert np.allclose(seg.loc[seg["level"] == 2, "xmax"], 0)
        assert np.allclose(seg.loc[seg["level"] == 3, "xmin"], 0)


def test_seven_point_scale_stacks_three_levels_each_side(cb7):
    frame = level_counts(cb7, {"a": {"Q1": [1, 2, 3, 4, 5, 6, 7]}})
    seg = diverging_data(frame, cb7, "a", ["Q1"]).set_index("level")
    assert seg.loc[4, "xmin"] == pytest.approx(-seg.loc[4, "xmax"])
    assert seg.loc[3, "xmax"] == pytest.approx(seg.loc[4, "xmin"])
    assert seg.loc[1, "xmin"] == pytest.approx(-100 * (1 + 2 + 3 + 2) / 28)
    assert seg.loc[7, "xmax"] == pytest.approx(100 * (2 + 5 + 6 + 7) / 28)


def test_asymmetric_scale_keeps_its_sides(cb_asym):
    frame = level_counts(cb_asym, {"a": {"Q1": [1, 1, 1, 1, 1]}})
    seg = diverging_data(frame, cb_asym, "a", ["Q1"])
    assert seg.loc[seg["xmax"] <= 1e-9, "level"].tolist() == [1, 2, 3]
    assert seg["pct_disagree"].iloc[0] == pytest.approx(60)


def test_side_mode_draws_neutral_in_its_own_panel_from_zero(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS, neutral="side")
    side = seg[seg["panel"] == "neutral"]
    assert (side["category"] == "neutral").all() and len(side) == len(BENEFITS)
    assert np.allclose(side["xmin"], 0) and np.allclose(side["xmax"], side["pct"])
    main = seg[seg["panel"] == "main"]
    assert np.allclose(main.loc[main["level"] == 2, "xmax"], 0)


def test_omit_drops_neutral_and_keeps_percentages_of_all_answering(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", ["K1"], neutral="omit")
    assert 3 not in set(seg["level"])
    assert (seg["xmax"] - seg["xmin"]).sum() == pytest.approx(100 - seg["pct_neutral"].iloc[0])


def test_n_is_shown_only_for_items_with_missing_answers(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS, wrap=None).drop_duplicates("item")
    labels = dict(zip(seg["item"], seg["item_label"], strict=True))
    assert labels["C1"] == "Talk with their clinician (n\u00a0=\u00a0274)"
    assert labels["K1"] == "Understand health information"
    always = diverging_data(counts, study_cb, "patients", ["K1"], show_n="always", wrap=None)
    assert always["item_label"].iloc[0].endswith("(n\u00a0=\u00a0282)")
    never = diverging_data(counts, study_cb, "patients", ["C1"], show_n="never")
    assert "n\u00a0=" not in never["item_label"].iloc[0]


def test_labels_are_wrapped_to_the_width(counts, study_cb):
    seg = diverging_data(counts, study_cb, "patients", BENEFITS, label="text", wrap=30)
    lines = [line for label in seg["item_label"] for line in label.split("\n")]
    assert max(len(line) for line in lines) <= 30
    assert all("\n" in label for label in seg["item_label"])
    joined = seg.drop_duplicates("item").set_index("item")["item_label"].str.replace("\n", " ")
    assert joined["K1"] == study_cb.items["K1"].text


def test_weighted_counts_and_unanswered_items_are_drawn(cb4):
    frame = level_counts(cb4, {"a": {"Q1": [1.5, 2.25, 3.0, 0.25], "Q2": [0, 0, 0, 0]}})
    seg = diverging_data(frame, cb4, "a", ["Q1", "Q2"], show_n="always")
    q2 = seg[seg["item"] == "Q2"]
    assert np.allclose(q2["xmax"] - q2["xmin"], 0)
    assert q2["item_label"].iloc[0].endswith("(n\u00a0=\u00a00)")
    assert "(n\u00a0=\u00a07)" in seg.loc[seg["item"] == "Q1", "item_label"].iloc[0]


def test_input_data_not_modified(counts, study_cb):
    before = counts.copy(deep=True)
    diverging_likert(counts, study_cb, "patients", BENEFITS, neutral="side").draw()
    pd.testing.assert_frame_equal(counts, before)


def test_legend_lists_levels_in_scale_order(counts, study_cb):
    texts = rendered_texts(diverging_likert(counts, study_cb, "patients", BENEFITS))
    labels = list(study_cb.scales["agree5"].labels)
    found = {t: x for t, x, _ in texts if t in labels}
    assert sorted(found, key=found.get) == labels


def test_legend_omits_neutral_when_neutral_is_omitted(counts, study_cb):
    texts = [t for t, _, _ in rendered_texts(diverging_likert(counts, study_cb, "patients", ["K1"], neutral="omit"))]
    assert "Neither agree nor disagree" not in texts
    assert "Strongly agree" in texts


def test_totals_are_printed_at_the_bar_ends(counts, study_cb):
    texts = [t for t, _, _ in rendered_texts(diverging_likert(counts, study_cb, "experts", ["K1"], digits=1))]
    assert "87.6%" in texts and "2.5%" in texts


def test_x_axis_is_symmetric_around_zero(counts, study_cb):
    fig = diverging_likert(counts, study_cb, "patients", BENEFITS).draw()
    lo, hi = fig.axes[0].get_xlim()
    assert lo == pytest.approx(-hi) and hi >= 91.8


def test_common_xlim_gives_charts_one_axis(counts, study_cb):
    fig = diverging_likert(counts, study_cb, "patients", ["R1"], xlim=100).draw()
    assert fig.axes[0].get_xlim() == pytest.approx((-100, 100))
    with pytest.raises(FigureError, match="cuts off"):
        diverging_likert(counts, study_cb, "patients", BENEFITS, xlim=50)


def test_synthetic_study_is_labelled_in_the_caption(counts, study_cb, cb4):
    texts = [t for t, _, _ in rendered_texts(diverging_likert(counts, study_cb, "patients", ["K1"]))]
    assert any("Synthetic data" in t for t in texts)
    frame = level_counts(cb4, {"a": {"Q1": [1, 2, 3, 4]}})
    assert not any("Synthetic" in t for t, _, _ in rendered_texts(diverging_likert(frame, cb4, "a", ["Q1"])))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"questionnaire": "nurses"}, "unknown questionnaire 'nurses'"),
    ({"items": ["K1", "Z9"]}, "unknown item 'Z9'"),
    ({"items": "K1"}, "list of item ids"),
    ({"order": "alphabetical"}, "order='alphabetical' is not one of"),
    ({"neutral": "hide"}, "neutral='hide' is not one of"),
])
def test_bad_arguments_are_user_errors(counts, study_cb, kwargs, message):
    args = {"questionnaire": "patients", "items": ["K1"]} | kwargs
    with pytest.raises(ImgshareError, match=message):
        diverging_data(counts, study_cb, args.pop("questionnaire"), **args)


def test_frame_without_a_contract_column_is_a_user_error(counts, study_cb):
    with pytest.raises(FigureError, match="level_counts lacks column\\(s\\) 'pct'"):
        diverging_data(counts.drop(columns="pct"), study_cb, "patients", ["K1"])


def test_items_missing_from_the_frame_are_named(counts, study_cb):
    with pytest.raises(FigureError, match="no rows for questionnaire 'patients', item\\(s\\) K2"):
        diverging_data(counts[counts["item"] != "K2"], study_cb, "patients", ["K1", "K2"])


def test_level_codes_outside_the_scale_are_rejected(counts, study_cb):
    bad = counts.copy()
    bad.loc[bad.index[0], "level"] = 9
    with pytest.raises(FigureError, match="level code\\(s\\) \\[9\\]"):
        diverging_data(bad, study_cb, "patients", ["good_idea"])


def test_items_on_different_scales_need_separate_charts(study_cb):
    from imgshare.codebook import load_codebook
    from figures.conftest import ROOT
    cb = load_codebook(ROOT / "tests" / "fixtures" / "second_survey" / "codebook.yml")
    with pytest.raises(FigureError, match="must share a scale; found agree6, freq4"):
        diverging_data(pd.DataFrame(columns=["questionnaire", "item", "level", "n", "item_n", "pct"]), cb, "staff",
                       ["W1", "F1"])


def test_missing_level_codes_are_a_user_error(counts, study_cb):
    bad = counts.astype({"level": "Float64"})
    bad.loc[bad.index[0], "level"] = pd.NA
    with pytest.raises(FigureError, match="whole-number level codes"):
        diverging_data(bad, study_cb, "patients", ["good_idea"])


def test_levels_absent_from_the_frame_count_zero(counts, study_cb):
    frame = counts[~((counts["item"] == "good_idea") & (counts["level"] == 1))]
    seg = diverging_data(frame, study_cb, "patients", ["good_idea"]).set_index("level")
    assert seg.loc[1, "xmax"] - seg.loc[1, "xmin"] == 0
    assert seg.loc[2, "xmin"] == pytest.approx(-(seg.loc[3, "pct"] / 2 + seg.loc[2, "pct"]))

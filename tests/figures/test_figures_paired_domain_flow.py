import numpy as np
import pandas as pd
import pytest
from figures.figdata import level_counts, rendered_texts

from imgshare.figures import (
    FigureError,
    domain_agreement_data,
    domain_agreement_plot,
    flow_layout,
    group_greys,
    paired_data,
    paired_likert,
    participant_flow_plot,
)

RISKS = ["R1", "R2", "R3", "R4", "R5", "R6"]


@pytest.fixture()
def tests_frame() -> pd.DataFrame:
    items = ["good_idea", "K1", "K2", "C1", "C2", "E1", "E2", "E3", "E4", *RISKS]
    return pd.DataFrame({
        "comparison": "patients_vs_experts", "outcome": items, "test": "mann-whitney", "statistic": 1.0,
        "p": np.linspace(0.0004, 0.9, len(items)), "effect": np.linspace(-0.31, 0.2, len(items)),
        "effect_ci_low": np.nan, "effect_ci_high": np.nan})


@pytest.fixture()
def domain_frame() -> pd.DataFrame:
    return pd.DataFrame({"questionnaire": ["patients", "patients", "experts", "experts"],
                         "domain": ["benefits", "risks", "benefits", "risks"],
                         "mean_pct_agree": [78.49, 5.1, 73.35, 27.76], "mean_pct_disagree": [4.2, 81.0, 7.9, 49.3],
                         "n_items": [8, 6, 8, 6]})


@pytest.fixture()
def flow() -> pd.DataFrame:
    return pd.DataFrame([("patients", "received", "", 292), ("patients", "excluded", "Item non-response", 10),
                         ("patients", "analysed", "", 282), ("experts", "received", "", 131),
                         ("experts", "excluded", "Item non-response", 7), ("experts", "excluded", "Not eligible", 3),
                         ("experts", "analysed", "", 121)], columns=["questionnaire", "stage", "reason", "n"])


# --- paired -------------------------------------------------------------------------------

def test_paired_has_one_bar_per_questionnaire_for_each_item_first_group_on_top(counts, study_cb):
    seg = paired_data(counts, study_cb, "patients_vs_experts", RISKS)
    bars = seg.drop_duplicates(["item", "questionnaire"])
    assert len(bars) == 2 * len(RISKS)
    for _, pair in bars.groupby("item"):
        top = pair.set_index("questionnaire")["y"]
        assert top["patients"] == top["experts"] + 1
    assert np.allclose((seg["xmax"] - seg["xmin"]).groupby([seg["item"], seg["questionnaire"]]).sum(), 100)


def test_paired_blocks_do_not_overlap_and_headings_sit_above_their_bars(counts, study_cb):
    seg = paired_data(counts, study_cb, "patients_vs_experts", RISKS, label="text", wrap=25)
    blocks = seg.groupby("item").agg(low=("y", "min"), high=("y", "max"), head=("heading_y", "first"),
                                     heading=("heading", "first")).sort_values("low")
    assert (blocks["head"] > blocks["high"] + 0.5).all()
    tops = blocks["head"] + 0.35 * (blocks["heading"].str.count("\n") + 1)
    assert (blocks["low"].iloc[1:].to_numpy() - 0.5 > tops.iloc[:-1].to_numpy()).all()


def test_paired_defaults_to_the_comparison_items_asked_in_both(counts, study_cb):
    seg = paired_data(counts, study_cb, "patients_vs_experts")
    assert list(dict.fromkeys(seg.sort_values("rank")["item"])) == list(study_cb.comparisons["patients_vs_experts"].items)


def test_paired_agree_order_uses_the_mean_of_both_groups(counts, study_cb):
    seg = paired_data(counts, study_cb, "patients_vs_experts", ["R1", "E2", "K1"], order="agree")
    assert list(dict.fromkeys(seg.sort_values("rank")["item"])) == ["K1", "E2", "R1"]


def test_paired_prints_each_items_p_and_effect(counts, study_cb, tests_frame):
    texts = [t for t, _, _ in rendered_texts(paired_likert(counts, tests_frame, study_cb, "patients_vs_experts",
                                                           ["good_idea", "R6"]))]
    assert "p < 0.001, r = \u22120.31" in texts
    assert "p = 0.900, r = 0.20" in texts
    assert "Patients" in texts and "Clinical experts" in texts


def test_paired_shows_n_beside_the_group_with_missing_answers(counts, study_cb):
    seg = paired_data(counts, study_cb, "patients_vs_experts", ["C1", "K1"])
    labels = set(seg.loc[seg["item"] == "C1", "group_label"])
    assert labels == {"Patients (n\u00a0=\u00a0274)", "Clinical experts"}
    assert set(seg.loc[seg["item"] == "K1", "group_label"]) == {"Patients", "Clinical experts"}


def test_paired_needs_a_test_row_for_every_item(counts, study_cb, tests_frame):
    with pytest.raises(FigureError, match="no row for comparison 'patients_vs_experts', item\\(s\\) R2"):
        paired_likert(counts, tests_frame[tests_frame["outcome"] != "R2"], study_cb, "patients_vs_experts", RISKS)


def test_paired_rejects_a_comparison_within_one_questionnaire(counts, study_cb):
    with pytest.raises(FigureError, match="does not compare two questionnaires"):
        paired_data(counts, study_cb, "had_imaging")


def test_paired_input_data_not_modified(counts, study_cb, tests_frame):
    before, before_t = counts.copy(deep=True), tests_frame.copy(deep=True)
    paired_likert(counts, tests_frame, study_cb, "patients_vs_experts", RISKS).draw()
    pd.testing.assert_frame_equal(counts, before)
    pd.testing.assert_frame_equal(tests_frame, before_t)


def test_paired_works_on_an_even_scale(cb4):
    frame = level_counts(cb4, {"a": {"Q1": [1, 2, 3, 4]}, "b": {"Q1": [4, 3, 2, 1]}})
    seg = paired_data(frame, cb4, "a_vs_b", ["Q1"])
    assert set(seg["category"]) == {"agree", "disagree"}
    assert paired_likert(frame, None, cb4, "a_vs_b", ["Q1"]).draw() is not None


# --- domain agreement (figure 5) ----------------------------------------------------------

def test_domain_bars_carry_the_unrounded_means_in_codebook_order(domain_frame, study_cb):
    bars = domain_agreement_data(domain_frame, study_cb)
    assert list(zip(bars["domain"], bars["questionnaire"], strict=True)) == [
        ("benefits", "patients"), ("benefits", "experts"), ("risks", "patients"), ("risks", "experts")]
    assert bars["value"].tolist() == [78.49, 73.35, 5.1, 27.76]
    assert bars["domain_label"].iloc[0] == "Potential benefits\n(8\u00a0items)"


def test_domain_values_are_labelled_with_two_decimals(domain_frame, study_cb):
    texts = [t for t, _, _ in rendered_texts(domain_agreement_plot(domain_frame, study_cb))]
    for value in ("78.49%", "73.35%", "5.10%", "27.76%"):
        assert value in texts
    texts1 = [t for t, _, _ in rendered_texts(domain_agreement_plot(domain_frame, study_cb, digits=1))]
    assert "5.1%" in texts1


def test_domain_plot_accepts_the_analysis_layer_column_names(domain_frame, study_cb):
    renamed = domain_frame.rename(columns={"mean_pct_agree": "pct_agree", "mean_pct_disagree": "pct_disagree"})
    bars = domain_agreement_data(renamed, study_cb, measure="disagree")
    assert bars["value"].tolist() == [4.2, 7.9, 81.0, 49.3]


def test_domain_unknown_domain_is_a_user_error(domain_frame, study_cb):
    bad = domain_frame.assign(domain=["benefits", "costs", "benefits", "risks"])
    with pytest.raises(FigureError, match="domain 'costs'"):
        domain_agreement_data(bad, study_cb)


def test_group_greys_are_distinct_and_dark_to_light():
    greys = group_greys(4)
    assert len(set(greys)) == 4 and greys == sorted(greys)


# --- participant flow ---------------------------------------------------------------------

def test_flow_boxes_hold_the_counts(flow, study_cb):
    boxes, arrows = flow_layout(flow, study_cb)
    by = boxes.set_index(["questionnaire", "stage"])
    assert by.loc[("patients", "received"), "text"] == "Responses received\n(n = 292)"
    assert by.loc[("experts", "analysed"), "text"] == "Analysed\n(n = 121)"
    excluded = by.loc[("experts", "excluded"), "text"]
    assert excluded.startswith("Excluded (n = 10)")
    assert "Item non-response (n\u00a0=\u00a07)" in excluded and "Not eligible (n\u00a0=\u00a03)" in excluded
    assert len(arrows) == 4


def test_flow_columns_follow_codebook_order_and_stages_line_up(flow, study_cb):
    boxes, _ = flow_layout(flow, study_cb)
    assert boxes.groupby("questionnaire")["xmin"].min().sort_values().index.tolist() == ["patients", "experts"]
    for _, stage in boxes.groupby("stage"):
        assert stage["ymin"].nunique() == 1 and stage["ymax"].nunique() == 1
    by = boxes.set_index(["questionnaire", "stage"])
    assert by.loc[("patients", "received"), "ymin"] > by.loc[("patients", "excluded"), "ymax"]
    assert by.loc[("patients", "excluded"), "ymin"] > by.loc[("patients", "analysed"), "ymax"]


def test_flow_arrows_run_from_received_to_analysed_and_to_the_exclusions(flow, study_cb):
    boxes, arrows = flow_layout(flow, study_cb)
    by = boxes.set_index(["questionnaire", "stage"])
    down = arrows[(arrows["questionnaire"] == "patients") & (arrows["x"] == arrows["xend"])].iloc[0]
    assert down["y"] == by.loc[("patients", "received"), "ymin"]
    assert down["yend"] == by.loc[("patients", "analysed"), "ymax"]
    side = arrows[(arrows["questionnaire"] == "patients") & (arrows["y"] == arrows["yend"])].iloc[0]
    assert side["xend"] == by.loc[("patients", "excluded"), "xmin"]


def test_flow_that_does_not_add_up_is_a_user_error(flow, study_cb):
    bad = flow.copy()
    bad.loc[bad.index[2], "n"] = 281
    with pytest.raises(FigureError, match="flow for 'patients' does not add up: 292 received - 10 excluded != 281"):
        flow_layout(bad, study_cb)


def test_flow_without_exclusions_shows_zero_excluded(study_cb):
    flow = pd.DataFrame([("patients", "received", "", 5), ("patients", "analysed", "", 5)],
                        columns=["questionnaire", "stage", "reason", "n"])
    boxes, _ = flow_layout(flow, study_cb)
    assert boxes.set_index("stage").loc["excluded", "text"] == "Excluded (n = 0)"


def test_flow_plot_draws_headings_and_caption(flow, study_cb):
    texts = [t for t, _, _ in rendered_texts(participant_flow_plot(flow, study_cb))]
    assert "Patients" in texts and "Clinical experts" in texts
    assert any("Synthetic data" in t for t in texts)

"""The figures drawn from the analysis layer's real frames for the second example survey
(6-point scale without neutral, 4-point frequency scale, optional items with missing answers)."""

from pathlib import Path

import numpy as np
import pytest

from imgshare.analysis import domain_agreement, item_level_counts
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort
from imgshare.figures import (
    diverging_data,
    diverging_likert,
    domain_agreement_plot,
    flow_layout,
    paired_data,
    participant_flow_plot,
)

SECOND = Path(__file__).resolve().parents[1] / "fixtures" / "second_survey" / "codebook.yml"


@pytest.fixture(scope="module")
def cohort():
    return build_cohort(load_codebook(SECOND))


def test_six_point_chart_from_real_counts_sums_to_100_and_has_no_neutral(cohort):
    counts = item_level_counts(cohort)
    items = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"]
    seg = diverging_data(counts, cohort.codebook, "staff", items)
    assert np.allclose((seg["xmax"] - seg["xmin"]).groupby(seg["item"]).sum(), 100)
    assert "neutral" not in set(seg["category"])
    answered = counts[(counts["questionnaire"] == "staff")].groupby("item")["item_n"].first()
    with_n = {i for i in items if answered[i] < answered.max()}
    assert with_n, "the fixture survey has optional items with missing answers"
    labelled = set(seg.loc[seg["item_label"].str.contains("(n\u00a0=", regex=False), "item"])
    assert labelled == with_n
    assert diverging_likert(counts, cohort.codebook, "staff", items).draw() is not None


def test_paired_chart_from_real_counts(cohort):
    seg = paired_data(item_level_counts(cohort), cohort.codebook, "staff_vs_managers", ["F1", "F2"])
    assert set(seg["questionnaire"]) == {"staff", "managers"}


def test_domain_chart_and_flow_from_real_frames(cohort):
    assert domain_agreement_plot(domain_agreement(cohort), cohort.codebook).draw() is not None
    boxes, _ = flow_layout(cohort.flow, cohort.codebook)
    received = cohort.flow[cohort.flow["stage"] == "received"].set_index("questionnaire")["n"]
    texts = boxes[boxes["stage"] == "received"].set_index("questionnaire")["text"]
    for q, n in received.items():
        assert f"(n = {n})" in texts[q]
    assert participant_flow_plot(cohort.flow, cohort.codebook).draw() is not None

"""Rendered figures compared with committed baselines.

The baselines in ``baseline/`` are regenerated only on purpose:
``IMGSHARE_UPDATE_BASELINES=1 pytest tests/figures/test_figures_images.py`` (then look at them
before committing). Size, dpi and font are pinned so the comparison is meaningful.
"""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.testing.compare import compare_images

from imgshare.figures import diverging_likert, domain_agreement_plot, participant_flow_plot, save_figure

BASELINE = Path(__file__).parent / "baseline"
DPI = 150
# RMS difference over 0-255 pixel values; anti-aliasing differences between library builds
# stay well under 1, a moved label or changed colour is far above it.
TOLERANCE = 2.0


def check_against_baseline(plot, name: str, width_mm: float, height_mm: float, tmp_path: Path) -> None:
    actual = save_figure(plot, tmp_path / name, width_mm, height_mm, dpi=DPI, formats=("png",))["png"]
    expected = BASELINE / f"{name}.png"
    if os.environ.get("IMGSHARE_UPDATE_BASELINES") == "1":
        shutil.copyfile(actual, expected)
        return
    assert expected.exists(), (f"no baseline {expected.name}: create it with IMGSHARE_UPDATE_BASELINES=1 "
                               "and inspect it before committing")
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test_diverging_chart_matches_baseline(counts, study_cb, tmp_path):
    plot = diverging_likert(counts, study_cb, "patients", study_cb.domains["benefits"].items)
    check_against_baseline(plot, "diverging_patients_benefits", 175, 75, tmp_path)


def test_figure_5_matches_baseline(study_cb, tmp_path):
    frame = pd.DataFrame({"questionnaire": ["patients", "patients", "experts", "experts"],
                          "domain": ["benefits", "risks", "benefits", "risks"],
                          "mean_pct_agree": [78.49, 5.10, 73.35, 27.76], "mean_pct_disagree": [4.0, 80.0, 8.0, 50.0],
                          "n_items": [8, 6, 8, 6]})
    check_against_baseline(domain_agreement_plot(frame, study_cb), "figure5_domain_agreement", 85, 70, tmp_path)


def test_participant_flow_matches_baseline(study_cb, tmp_path):
    flow = pd.DataFrame([("patients", "received", "", 292), ("patients", "excluded", "Item non-response", 10),
                         ("patients", "analysed", "", 282), ("experts", "received", "", 131),
                         ("experts", "excluded", "Item non-response", 10), ("experts", "analysed", "", 121)],
                        columns=["questionnaire", "stage", "reason", "n"])
    check_against_baseline(participant_flow_plot(flow, study_cb), "participant_flow", 175, 65, tmp_path)


def test_a_changed_figure_fails_the_comparison(counts, study_cb, tmp_path):
    plot = diverging_likert(counts, study_cb, "patients", study_cb.domains["benefits"].items, palette="RdBu")
    actual = save_figure(plot, tmp_path / "changed", 175, 75, dpi=DPI, formats=("png",))["png"]
    expected = BASELINE / "diverging_patients_benefits.png"
    if not expected.exists():
        pytest.fail("baseline diverging_patients_benefits.png is missing")
    assert compare_images(str(expected), str(actual), tol=TOLERANCE) is not None

"""Fixtures for the figure tests: the study codebook, hand-made frames in the analysis layer's
shapes, and small codebooks with other scales (4-, 6-, 7-point, asymmetric, no neutral)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from figures.figdata import small_codebook, study_counts

from imgshare.codebook import Codebook, load_codebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def study_cb() -> Codebook:
    return load_codebook(ROOT / "data" / "codebook.yml")


@pytest.fixture()
def counts(study_cb) -> pd.DataFrame:
    """Level counts for both questionnaires of the study; 'C1' of patients has 8 missing answers."""
    frame = study_counts(study_cb)
    c1 = (frame["questionnaire"] == "patients") & (frame["item"] == "C1")
    frame.loc[c1 & (frame["level"] == 4), "n"] = 111
    frame.loc[c1, "item_n"] = 274
    frame.loc[c1, "pct"] = 100 * frame.loc[c1, "n"] / 274
    return frame


@pytest.fixture(scope="session")
def cb4() -> Codebook:
    return small_codebook({1: "Never", 2: "Rarely", 3: "Often", 4: "Always"}, agree=[3, 4], disagree=[1, 2])


@pytest.fixture(scope="session")
def cb7() -> Codebook:
    return small_codebook({1: "SD", 2: "D", 3: "SlD", 4: "N", 5: "SlA", 6: "A", 7: "SA"},
                          agree=[5, 6, 7], disagree=[1, 2, 3], neutral=[4])


@pytest.fixture(scope="session")
def cb_asym() -> Codebook:
    """Three disagree levels, two agree levels, no neutral."""
    return small_codebook({1: "No!", 2: "No", 3: "Hardly", 4: "Yes", 5: "Yes!"}, agree=[4, 5], disagree=[1, 2, 3])


@pytest.fixture(autouse=True)
def _close_figures():
    """Tests draw figures without showing them; close them so none accumulate."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")

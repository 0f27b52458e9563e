"""Fixtures for the table tests: hand-made analysis frames (shaped as imgshare.analysis returns
them) holding the paper's published counts, the two codebooks, and a snapshot checker.

Snapshots live in tests/tables/snapshots/. They are only (re)written when the environment
variable IMGSHARE_UPDATE_SNAPSHOTS=1 is set; otherwise a missing or different snapshot fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from imgshare.codebook import load_codebook
from tables.tabdata import categorical_frame, level_counts

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_ENV = "IMGSHARE_UPDATE_SNAPSHOTS"


@pytest.fixture(scope="session")
def codebook(study_codebook_path):
    return load_codebook(study_codebook_path)


@pytest.fixture(scope="session")
def second_codebook(second_codebook_path):
    return load_codebook(second_codebook_path)


@pytest.fixture
def age_frame() -> pd.DataFrame:
    """Paper table 1 (patients' age, n = 282)."""
    labels = ["18–24", "25–34", "35–44", "45–54", "55 and over", "I do not want to reveal my age"]
    return categorical_frame("patients", "age_group", labels, [9, 86, 108, 27, 51, 1])


@pytest.fixture
def experience_frames() -> dict[str, pd.DataFrame]:
    """Paper table 2: three Yes/No/Unsure questions; saw_images asked of the 267 with imaging."""
    yn = ["Yes", "No", "Unsure"]
    return {
        "expert_patient": categorical_frame("patients", "expert_patient", yn, [75, 174, 33]),
        "had_imaging": categorical_frame("patients", "had_imaging", yn, [267, 14, 1]),
        "saw_images": categorical_frame("patients", "saw_images", yn, [217, 41, 9]),
    }


@pytest.fixture
def good_idea_counts() -> pd.DataFrame:
    """Paper tables 6 and 7."""
    return pd.concat([level_counts("patients", "good_idea", [4, 3, 28, 121, 126]),
                      level_counts("experts", "good_idea", [1, 0, 21, 69, 30])], ignore_index=True)


@pytest.fixture
def flow() -> pd.DataFrame:
    return pd.DataFrame({
        "questionnaire": ["patients"] * 3 + ["experts"] * 3,
        "stage": ["received", "excluded", "analysed"] * 2,
        "reason": ["", "Item non-response", ""] * 2,
        "n": [355, 73, 282, 131, 10, 121],
    })


@pytest.fixture
def theme_summary() -> pd.DataFrame:
    """Within-theme correlations as the paper reports them (rho of a 4-item theme: made up)."""
    rows = [
        ("patients", "knowledge", 1, 0.703, 0.703, 0.703, 1),
        ("patients", "communication", 1, 0.724, 0.724, 0.724, 1),
        ("patients", "engagement", 6, 0.61, 0.525, 0.695, 6),
        ("patients", "emotion", 1, 0.648, 0.648, 0.648, 1),
        ("patients", "understanding", 1, 0.652, 0.652, 0.652, 1),
        ("experts", "knowledge", 1, 0.652, 0.652, 0.652, 1),
        ("experts", "communication", 1, 0.371, 0.371, 0.371, 1),
        ("experts", "engagement", 6, 0.35, 0.0, 0.592, 4),
        ("experts", "emotion", 1, 0.512, 0.512, 0.512, 1),
        ("experts", "understanding", 1, 0.468, 0.468, 0.468, 1),
    ]
    return pd.DataFrame(rows, columns=["questionnaire", "theme", "n_pairs", "rho", "rho_min", "rho_max",
                                       "n_significant"])


_TEST_COLUMNS = ["comparison", "outcome", "outcome_kind", "test", "statistic", "dof", "p", "p_method", "n",
                 "effect", "effect_ci_low", "effect_ci_high", "higher_group", "reason"]


@pytest.fixture
def mw_tests() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients vs experts: two themes and an item tested, one theme not tested (made-up values)."""
    nan = float("nan")
    tests = pd.DataFrame([
        ("patients_vs_experts", "knowledge", "theme", "mann-whitney", 15234.5, nan, 0.0213, "asymptotic", 403,
         0.114, 0.02, 0.21, "patients", ""),
        ("patients_vs_experts", "emotion", "theme", "mann-whitney", 9876.0, nan, 0.00002, "asymptotic", 403,
         -0.31, -0.4, -0.22, "experts", ""),
        ("patients_vs_experts", "understanding", "theme", "mann-whitney", nan, nan, nan, "", 403,
         nan, nan, nan, "", "all values are identical: the test is undefined"),
        ("patients_vs_experts", "good_idea", "item", "mann-whitney", 16001.0, nan, 0.4512, "asymptotic", 403,
         0.04, -0.06, 0.13, "patients", ""),
    ], columns=_TEST_COLUMNS)
    # The optional columns imgshare.analysis.compare_groups adds.
    tests["effect_measure"] = ["r", "r", "", "r"]
    tests["dropped_groups"] = ""
    ranks = pd.DataFrame([
        (o, g, n, r)
        for o, (r1, r2) in {"knowledge": (209.1, 184.2), "emotion": (180.3, 238.0),
                            "understanding": (202.0, 202.0), "good_idea": (204.4, 197.5)}.items()
        for g, n, r in (("patients", 282, r1), ("experts", 121, r2))
    ], columns=["outcome", "group", "n", "mean_rank"])
    ranks.insert(0, "comparison", "patients_vs_experts")
    ranks["group_label"] = ranks["group"].map({"patients": "Patients", "experts": "Clinical experts"})
    return tests, ranks


@pytest.fixture
def kw_tests() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients by age group (levels 1-5), one theme (made-up values); only the contract's columns."""
    tests = pd.DataFrame([("age_group", "knowledge", "theme", "kruskal-wallis", 7.912, 4, 0.0948, "asymptotic", 281,
                           0.0283, 0.005, 0.07, 3, "")], columns=_TEST_COLUMNS)
    ranks = pd.DataFrame({"comparison": "age_group", "outcome": "knowledge", "group": [1, 2, 3, 4, 5],
                          "n": [9, 86, 108, 27, 51], "mean_rank": [120.5, 130.2, 150.9, 138.0, 141.7]})
    return tests, ranks


@pytest.fixture
def snapshot():
    """``snapshot(name, text)``: compare with tests/tables/snapshots/<name>, or write it when asked to."""

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if os.environ.get(UPDATE_ENV) == "1":
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"snapshot {name} is missing; run with {UPDATE_ENV}=1 to create it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its snapshot; if intended, rerun with {UPDATE_ENV}=1"

    return check

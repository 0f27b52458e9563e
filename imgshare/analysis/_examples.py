"""A five-respondent cohort used by the docstring examples of the analysis layer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..codebook import parse_codebook

__all__ = ["example_codebook", "example_cohort"]

_CODEBOOK = {
    "study": {"id": "example", "title": "Example", "data": "synthetic"},
    "scales": {
        "agree5": {
            "levels": {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"},
            "disagree": [1, 2],
            "neutral": [3],
            "agree": [4, 5],
        }
    },
    "items": {
        "A1": {"text": "Statement one", "scale": "agree5"},
        "A2": {"text": "Statement two (reverse-keyed)", "scale": "agree5", "reverse": True},
    },
    "domains": {"d": {"label": "Domain", "items": ["A1", "A2"]}},
    "themes": {"t": {"label": "Theme", "domain": "d", "items": ["A1", "A2"]}},
    "questionnaires": {
        "q": {
            "label": "Respondents",
            "file": "q.csv",
            "id": "id",
            "items": ["A1", "A2"],
            "variables": {"group": {"type": "categorical", "question": "Group?", "levels": {1: "One", 2: "Two"}}},
        }
    },
    "comparisons": {"by_group": {"questionnaire": "q", "by": "group", "themes": "all", "items": ["A1"]}},
}


def example_codebook():
    """The example's codebook (one questionnaire ``q``, items A1 and reverse-keyed A2)."""
    return parse_codebook(_CODEBOOK, source="example.yml")


def example_cohort():
    """Five respondents: A1 = 5, 4, 2, 3, NA; A2 = 2, 3, 4, 3, NA; group = 1, 1, 1, 2, 2."""
    from ..cohort import Cohort

    cb = example_codebook()
    frame = pd.DataFrame(
        {
            "A1": pd.array([5, 4, 2, 3, None], dtype="Int64"),
            "A2": pd.array([2, 3, 4, 3, None], dtype="Int64"),
            "group": pd.array([1, 1, 1, 2, 2], dtype="Int64"),
        },
        index=pd.Index(["r1", "r2", "r3", "r4", "r5"], name="id"),
    )
    flow = pd.DataFrame(
        {"questionnaire": ["q", "q"], "stage": ["received", "analysed"], "reason": ["", ""], "n": [5, 5]}
    )
    excluded = frame.iloc[0:0].assign(row=pd.Series(dtype="int64"), reason=pd.Series(dtype="string"))
    return Cohort(
        codebook=cb,
        responses={"q": frame},
        excluded={"q": excluded},
        flow=flow,
        files={"q": Path("q.csv")},
        warnings=(),
    )

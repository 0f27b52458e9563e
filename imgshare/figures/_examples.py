"""Two tiny questionnaires on one item, used by the docstring examples of the paired chart."""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook, parse_codebook

__all__ = ["example_pair"]

_CODEBOOK = {
    "study": {"id": "example", "title": "Example", "data": "synthetic"},
    "scales": {"a4": {"levels": {1: "Strongly disagree", 2: "Disagree", 3: "Agree", 4: "Strongly agree"},
                      "disagree": [1, 2], "agree": [3, 4]}},
    "items": {"A1": {"text": "Statement one", "scale": "a4"}},
    "questionnaires": {"x": {"label": "Group X", "file": "x.csv", "id": "id", "items": ["A1"]},
                       "y": {"label": "Group Y", "file": "y.csv", "id": "id", "items": ["A1"]}},
    "comparisons": {"x_vs_y": {"between": "questionnaires", "groups": ["x", "y"], "items": ["A1"]}},
}


def example_pair() -> tuple[pd.DataFrame, pd.DataFrame, Codebook]:
    """Level counts (X: 1, 1, 1, 1; Y: 0, 2, 2, 0 answers per level), one test row, the codebook."""
    rows = [(q, "A1", level, n, 4, 25.0 * n) for q, ns in (("x", (1, 1, 1, 1)), ("y", (0, 2, 2, 0)))
            for level, n in zip((1, 2, 3, 4), ns, strict=True)]
    counts = pd.DataFrame(rows, columns=["questionnaire", "item", "level", "n", "item_n", "pct"])
    tests = pd.DataFrame({"comparison": ["x_vs_y"], "outcome": ["A1"], "p": [0.8], "effect": [-0.1]})
    return counts, tests, parse_codebook(_CODEBOOK)

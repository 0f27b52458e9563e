"""A tiny cohort and published file for the docstring examples (not study data)."""

from __future__ import annotations

import pandas as pd

from ..codebook import parse_codebook
from ..cohort import Cohort
from ._published import Published, parse_published

__all__ = ["example_cohort", "example_published"]

_CODEBOOK = {
    "scales": {"agree4": {"levels": {1: "Strongly disagree", 2: "Disagree", 3: "Agree", 4: "Strongly agree"},
                          "disagree": [1, 2], "agree": [3, 4]}},
    "items": {"A": {"text": "Statement A", "scale": "agree4"}, "B": {"text": "Statement B", "scale": "agree4"}},
    "themes": {"t": {"items": ["A", "B"]}},
    "questionnaires": {"q": {"file": "q.csv", "id": "rid", "items": ["A", "B"],
                             "variables": {"g": {"type": "categorical", "levels": {1: "Yes", 2: "No"}}}}},
}


def example_cohort():
    """Six respondents answering two 4-point items; one skipped item B."""
    codebook = parse_codebook(_CODEBOOK, source="example")
    frame = pd.DataFrame(
        {"A": [1, 2, 3, 3, 4, 4], "B": [1, 2, 2, 4, 4, pd.NA], "g": [1, 1, 1, 2, 2, 2]},
        index=pd.Index([f"R{i}" for i in range(1, 7)], name="rid"),
    ).astype("Int64")
    flow = pd.DataFrame({"questionnaire": ["q", "q", "q"], "stage": ["received", "excluded", "analysed"],
                         "reason": ["", "Item non-response", ""], "n": [7, 1, 6]})
    excluded = frame.iloc[:0].assign(row=pd.Series(dtype="int64"), reason=pd.Series(dtype="string"))
    return Cohort(codebook, {"q": frame}, {"q": excluded}, flow, {}, ())


def example_published() -> Published:
    """Four printed values: one reproduced, one truncated, one wrong, one about an unknown item."""
    return parse_published({"values": [
        {"id": "n_agree_A", "source": "Table 1", "printed": "A: 4 agree", "value": 4, "kind": "count",
         "questionnaire": "q", "item": "A", "levels": "agree"},
        {"id": "pct_agree_A", "source": "Table 1", "printed": "A: 4 (66.66%)", "value": 66.66, "decimals": 2,
         "percent_sign": True, "kind": "percent", "questionnaire": "q", "item": "A", "levels": "agree"},
        {"id": "n_yes", "source": "Results", "printed": "4 said yes", "value": 4, "kind": "count",
         "questionnaire": "q", "variable": "g", "levels": [1]},
        {"id": "n_C", "source": "Results", "printed": "C: 2", "value": 2, "kind": "count",
         "questionnaire": "q", "item": "C", "levels": [4]},
    ]}, source="example")

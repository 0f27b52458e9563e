"""A small cohort with number variables, a frequency scale and "Don't know" answers (analysis and
table tests of issue 13)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from imgshare.codebook import parse_codebook
from imgshare.cohort import Cohort

CODEBOOK = {
    "study": {"id": "n", "title": "Numbers"},
    "scales": {"f4": {"kind": "frequency", "levels": {1: "Never", 2: "Sometimes", 3: "Often", 4: "Always"},
                      "disagree": [1, 2], "agree": [3, 4], "missing": {8: "Don't know", 9: "No answer"}}},
    "items": {"A": {"text": "A", "scale": "f4"}, "B": {"text": "B", "scale": "f4"},
              "C": {"text": "C", "scale": "f4", "reverse": True}},
    "domains": {"d": {"label": "D", "items": ["A", "B", "C"]}},
    "themes": {"t": {"label": "T", "items": ["A", "B", "C"]}},
    "questionnaires": {"q": {
        "file": "q.csv", "id": "rid", "items": ["A", "B", "C"],
        "variables": {
            "grp": {"type": "categorical", "levels": {1: "G1", 2: "G2", 3: "G3"}},
            "age": {"type": "number", "missing": {-99: "Refused"}},
            "hours": {"type": "number", "asked_if": {"grp": [1, 2]}},
        }}},
    "comparisons": {
        "by_grp": {"questionnaire": "q", "by": "grp", "items": ["A"], "themes": "all", "variables": ["age", "hours"]},
        "two": {"questionnaire": "q", "by": "grp", "levels": [1, 2], "variables": ["age"]},
        "by_age": {"questionnaire": "q", "by": "age", "items": ["A", "B"], "themes": "all", "variables": ["hours"]},
    },
}


def cohort_of(n: int, seed: int, fractional: bool) -> Cohort:
    cb = parse_codebook(CODEBOOK)
    rng = np.random.default_rng(seed)
    grp = rng.choice([1, 2, 3], size=n)
    frame = pd.DataFrame({
        "A": pd.array(rng.choice([1, 2, 3, 4, None], size=n, p=[.2, .3, .3, .1, .1]), dtype="Int64"),
        "B": pd.array(rng.choice([1, 2, 3, 4], size=n), dtype="Int64"),
        "C": pd.array(rng.choice([1, 2, 3, 4, None], size=n), dtype="Int64"),
        "grp": pd.array(grp, dtype="Int64"),
        "age": pd.array(np.where(rng.random(n) < 0.1, np.nan,
                                 rng.normal(45, 12, n).round(1 if fractional else 0)), dtype="Float64"),
        "hours": pd.array(np.where(grp == 3, np.nan, rng.gamma(2.0, 3.0, n).round(2 if fractional else 0)),
                          dtype="Float64"),
    }, index=pd.Index([f"r{i}" for i in range(n)], name="rid"))
    # Non-substantive answers: missing in the responses, their codes kept apart.
    codes = pd.DataFrame({c: pd.array([None] * n, dtype="Int64") for c in ("A", "B", "C", "age")}, index=frame.index)
    dk = frame["B"].index[rng.random(n) < 0.15]
    frame.loc[dk, "B"] = pd.NA
    codes.loc[dk, "B"] = rng.choice([8, 9], size=len(dk))
    refused = frame.index[frame["age"].isna() & (rng.random(n) < 0.5)]
    codes.loc[refused, "age"] = -99
    flow = pd.DataFrame([("q", "received", "", n), ("q", "analysed", "", n)],
                        columns=["questionnaire", "stage", "reason", "n"])
    excluded = {"q": frame.iloc[0:0].assign(row=pd.Series(dtype="int64"), reason=pd.Series(dtype="string"))}
    return Cohort(cb, {"q": frame}, excluded, flow, {"q": Path("q.csv")}, (), {"q": codes})



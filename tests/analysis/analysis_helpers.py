"""Hand-built cohorts for the analysis tests (independent of the data loader)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd

from imgshare.codebook import parse_codebook
from imgshare.cohort import Cohort

AGREE5 = {
    "levels": {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"},
    "disagree": [1, 2],
    "neutral": [3],
    "agree": [4, 5],
}
# A 6-point scale with no neutral and codes starting at 0: nothing may assume 1..5.
AGREE6 = {
    "levels": {0: "Strongly disagree", 1: "Disagree", 2: "Slightly disagree", 3: "Slightly agree", 4: "Agree",
               5: "Strongly agree"},
    "disagree": [0, 1, 2],
    "agree": [3, 4, 5],
}

CODEBOOK = {
    "study": {"id": "t", "title": "Test study", "data": "synthetic"},
    "scales": {"agree5": AGREE5, "agree6": AGREE6},
    "items": {
        "good": {"text": "A good idea", "scale": "agree5"},
        "P1": {"text": "Benefit one", "scale": "agree5"},
        "P2": {"text": "Benefit two", "scale": "agree5"},
        "P3": {"text": "Benefit three (reverse)", "scale": "agree5", "reverse": True},
        "N1": {"text": "Risk one", "scale": "agree5"},
        "N2": {"text": "Risk two", "scale": "agree5"},
        "S1": {"text": "Six one", "scale": "agree6", "required": False},
        "S2": {"text": "Six two", "scale": "agree6", "reverse": True, "required": False},
    },
    "domains": {
        "benefits": {"label": "Benefits", "items": ["P1", "P2", "P3"]},
        "risks": {"label": "Risks", "items": ["N1", "N2"]},
    },
    "themes": {
        "pos": {"label": "Positive", "domain": "benefits", "items": ["P1", "P2", "P3"]},
        "neg": {"label": "Negative", "domain": "risks", "items": ["N1", "N2"]},
        "six": {"label": "Six-point", "items": ["S1", "S2"]},
    },
    "questionnaires": {
        "pat": {
            "label": "Patients",
            "file": "pat.csv",
            "id": "rid",
            "items": ["good", "P1", "P2", "P3", "N1", "N2", "S1", "S2"],
            "variables": {
                "grp": {"type": "categorical", "question": "Group?", "levels": {1: "G1", 2: "G2", 3: "G3", 9: "Refused"},
                        "missing_levels": [9]},
                "had": {"type": "categorical", "question": "Had imaging?", "levels": {1: "Yes", 2: "No", 3: "Unsure"}},
                "saw": {"type": "categorical", "question": "Saw images?", "levels": {1: "Yes", 2: "No", 3: "Unsure"},
                        "asked_if": {"had": [1]}},
                "why": {"type": "text", "question": "Why?", "required": False},
            },
        },
        "exp": {
            "label": "Experts",
            "file": "exp.csv",
            "id": "rid",
            "items": ["good", "P1", "P2", "P3", "N1", "N2"],
            "variables": {"role": {"type": "categorical", "question": "Role?", "levels": {1: "A", 2: "B"}}},
            "weight": "w",
        },
    },
    "comparisons": {
        "pat_vs_exp": {"label": "Patients vs experts", "between": "questionnaires", "groups": ["pat", "exp"],
                       "items": ["good", "P1", "N1"], "themes": "all"},
        "by_grp": {"label": "By group", "questionnaire": "pat", "by": "grp", "themes": "all"},
        "by_had": {"label": "By imaging", "questionnaire": "pat", "by": "had", "levels": [1, 2], "themes": ["pos"]},
    },
}


def make_codebook(overrides: dict | None = None):
    data = copy.deepcopy(CODEBOOK)
    for key, value in (overrides or {}).items():
        data[key] = value
    return parse_codebook(data, source="test-codebook.yml")


def make_cohort(codebook, responses: dict[str, pd.DataFrame], warnings: tuple[str, ...] = ()) -> Cohort:
    flow_rows = []
    for qid, frame in responses.items():
        flow_rows += [(qid, "received", "", len(frame)), (qid, "analysed", "", len(frame))]
    flow = pd.DataFrame(flow_rows, columns=["questionnaire", "stage", "reason", "n"])
    excluded = {q: f.iloc[0:0].assign(row=pd.Series(dtype="int64"), reason=pd.Series(dtype="string"))
                for q, f in responses.items()}
    files = {q: Path(codebook.questionnaires[q].file) for q in responses}
    return Cohort(codebook, dict(responses), excluded, flow, files, tuple(warnings))


def _likert(rng, n, codes, p_missing=0.0, shift=0.0):
    codes = np.asarray(codes)
    # Skewed answers so that groups differ; shift moves mass upwards.
    weights = np.linspace(1.0, 1.0 + shift, len(codes))
    values = rng.choice(codes, size=n, p=weights / weights.sum()).astype(object)
    values[rng.random(n) < p_missing] = None
    return pd.array(values, dtype="Int64")


def patient_frame(n: int = 60, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {
        "good": _likert(rng, n, range(1, 6), shift=3),
        "P1": _likert(rng, n, range(1, 6), 0.05, shift=2),
        "P2": _likert(rng, n, range(1, 6), 0.05, shift=2),
        "P3": _likert(rng, n, range(1, 6), 0.05, shift=-0.5),
        "N1": _likert(rng, n, range(1, 6), 0.05),
        "N2": _likert(rng, n, range(1, 6), 0.05),
        "S1": _likert(rng, n, range(0, 6), 0.2, shift=1),
        "S2": _likert(rng, n, range(0, 6), 0.2),
        "grp": pd.array(rng.choice([1, 2, 3, 9], size=n, p=[0.4, 0.35, 0.2, 0.05]), dtype="Int64"),
        "had": pd.array(rng.choice([1, 2, 3], size=n, p=[0.7, 0.25, 0.05]), dtype="Int64"),
    }
    saw = rng.choice([1, 2, 3], size=n).astype(object)
    saw[np.asarray(cols["had"]) != 1] = None
    saw[rng.random(n) < 0.05] = None  # asked but unanswered
    cols["saw"] = pd.array(saw, dtype="Int64")
    cols["why"] = pd.array([None if i % 3 else f"reason {i}" for i in range(n)], dtype="string")
    return pd.DataFrame(cols, index=pd.Index([f"p{i:03d}" for i in range(n)], name="rid"))


def expert_frame(n: int = 40, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {item: _likert(rng, n, range(1, 6), 0.05) for item in ["good", "P1", "P2", "P3", "N1", "N2"]}
    cols["good"] = _likert(rng, n, range(1, 6))
    cols["role"] = pd.array(rng.choice([1, 2], size=n), dtype="Int64")
    cols["w"] = pd.array(rng.uniform(0.5, 2.0, size=n), dtype="Float64")
    return pd.DataFrame(cols, index=pd.Index([f"e{i:03d}" for i in range(n)], name="rid"))



"""Small synthetic studies for the disclosure attack: few respondents, rare levels, skip logic,
a "prefer not to say" level, optional items left blank, exclusions and a second questionnaire
of a handful of people -- the shapes in which small counts hide in totals and margins."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ITEMS = ["I1", "I2", "I3", "I4", "I5", "I6"]
OPTIONAL = ["I5", "I6"]

CODEBOOK = """\
format: 1
study: {{id: small-shape-{seed}, title: Small synthetic shape {seed}, data: synthetic, data_note: Made up for tests.}}
scales:
  agree5:
    label: Agreement
    levels: {{1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}}
    disagree: [1, 2]
    neutral: [3]
    agree: [4, 5]
items:
  I1: {{text: First statement, scale: agree5}}
  I2: {{text: Second statement, scale: agree5}}
  I3: {{text: Third statement, scale: agree5, reverse: true}}
  I4: {{text: Fourth statement, scale: agree5}}
  I5: {{text: Fifth statement, scale: agree5, required: false}}
  I6: {{text: Sixth statement, scale: agree5, required: false}}
domains:
  d1: {{label: First domain, items: [I1, I2, I3]}}
  d2: {{label: Second domain, items: [I4, I5, I6]}}
themes:
  t1: {{label: First theme, domain: d1, items: [I1, I2, I3]}}
  t2: {{label: Second theme, domain: d2, items: [I4, I5]}}
  t3: {{label: Third theme, domain: d2, items: [I5, I6]}}
questionnaires:
  a:
    label: Group A
    file: a.csv
    id: rid
    items: [I1, I2, I3, I4, I5, I6]
    variables:
      consent: {{type: categorical, question: "Consent?", levels: {{1: "Yes", 2: "No"}}}}
      grp: {{type: categorical, question: "Which group?", levels: {{1: One, 2: Two, 3: Three, 4: Four}}}}
      pref:
        type: categorical
        question: Preference?
        levels: {{1: Left, 2: Right, 3: Prefer not to say}}
        missing_levels: [3]
      follow:
        type: categorical
        question: Follow-up?
        levels: {{1: "Yes", 2: "No"}}
        asked_if: {{pref: [1]}}
    exclusions:
      - {{id: no_consent, reason: Did not consent, when: {{consent: [2]}}}}
      - {{id: incomplete, reason: Item non-response, missing_any: required}}
  b:
    label: Group B
    file: b.csv
    id: rid
    items: [I1, I2, I3, I4, I5, I6]
    variables:
      kind: {{type: categorical, question: "Kind?", levels: {{1: Alpha, 2: Beta}}}}
    exclusions:
      - {{id: incomplete, reason: Item non-response, missing_any: required}}
comparisons:
  a_vs_b: {{label: A vs B, between: questionnaires, groups: [a, b], items: all, themes: all}}
  by_grp: {{label: A by group, questionnaire: a, by: grp, items: [I1, I5], themes: all}}
  by_pref: {{label: A by preference, questionnaire: a, by: pref, items: [I2], themes: [t1]}}
  by_kind: {{label: B by kind, questionnaire: b, by: kind, themes: [t2]}}
"""


def _answers(rng, n: int, missing: float) -> dict[str, np.ndarray]:
    latent = rng.normal(size=(n, 1)) + rng.normal(size=(n, len(ITEMS))) * 0.9
    out = {}
    for j, item in enumerate(ITEMS):
        codes = np.clip(np.round(3 + 1.2 * latent[:, j]), 1, 5)
        if item in OPTIONAL:
            codes = np.where(rng.random(n) < missing, np.nan, codes)
        out[item] = codes
    return out


def make_shape(folder: Path, seed: int, weighted: bool = False) -> Path:
    """Write a small study (codebook.yml, a.csv, b.csv) to ``folder``; return the codebook path.

    ``weighted`` gives questionnaire a a column of survey weights."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_a = int(rng.integers(24, 40))
    a = {"rid": [f"a{i}" for i in range(n_a)], **_answers(rng, n_a, 0.08)}
    a["consent"] = np.where(rng.random(n_a) < 0.08, 2, 1)
    a["grp"] = rng.choice([1, 2, 3, 4], size=n_a, p=[0.45, 0.35, 0.15, 0.05])
    a["pref"] = rng.choice([1, 2, 3], size=n_a, p=[0.5, 0.42, 0.08])
    a["follow"] = np.where(a["pref"] == 1, rng.choice([1, 2], size=n_a), np.nan)
    a["I1"] = np.where(rng.random(n_a) < 0.06, np.nan, a["I1"])  # a few incomplete responses, excluded
    if weighted:
        a["w"] = np.round(rng.uniform(0.5, 2.0, n_a), 2)
    n_b = int(rng.integers(6, 12))
    b = {"rid": [f"b{i}" for i in range(n_b)], **_answers(rng, n_b, 0.1)}
    b["kind"] = rng.choice([1, 2], size=n_b, p=[0.7, 0.3])
    for name, data in (("a", a), ("b", b)):
        frame = pd.DataFrame(data)
        for col in frame.columns[1:]:
            frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else str(v) if col == "w" else str(int(v)))
        frame.to_csv(folder / f"{name}.csv", index=False)
    path = folder / "codebook.yml"
    text = CODEBOOK.format(seed=seed)
    if weighted:
        text = text.replace("    file: a.csv\n    id: rid\n", "    file: a.csv\n    id: rid\n    weight: w\n")
    path.write_text(text, encoding="utf-8")
    return path

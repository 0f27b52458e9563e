"""Helpers building frames shaped as imgshare.analysis returns them."""

from __future__ import annotations

import pandas as pd


def categorical_frame(questionnaire: str, variable: str, labels, counts, missing: int = 0) -> pd.DataFrame:
    """A frame as ``imgshare.analysis.categorical_table`` returns it."""
    denominator = sum(counts)
    return pd.DataFrame({
        "questionnaire": questionnaire,
        "variable": variable,
        "level": list(range(1, len(counts) + 1)),
        "label": list(labels),
        "missing_level": False,
        "n": list(counts),
        "denominator": denominator,
        "pct": [100.0 * n / denominator for n in counts],
        "missing": missing,
        "not_asked": 0,
    })


def level_counts(questionnaire: str, item: str, counts) -> pd.DataFrame:
    """Rows as ``imgshare.analysis.item_level_counts`` returns them, for a 5-point item."""
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    cats = ["disagree", "disagree", "neutral", "agree", "agree"]
    total = sum(counts)
    return pd.DataFrame({
        "questionnaire": questionnaire, "item": item, "level": [1, 2, 3, 4, 5], "label": labels,
        "category": cats, "n": list(counts), "item_n": total, "pct": [100.0 * n / total for n in counts],
    })

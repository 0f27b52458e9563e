"""Totals printed at the ends of diverging bars (% disagree left, % agree right, % neutral beside
a neutral panel), with disclosure control."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import format_pct
from ._withheld import total_text

__all__ = ["end_labels"]


def _total_text(pct: float, n: float, digits: int, min_cell: int, flag: str = "") -> str:
    """A bar-end total: from protected totals, "n<K" or a dash by the flag; from raw counts with
    ``min_cell`` K, "n<K" for a total resting on 1..K-1 people."""
    if flag:
        return total_text(pct, flag, min_cell, digits, format_pct)
    count = round(pct * n / 100) if np.isfinite(pct) and np.isfinite(n) else 0
    if min_cell > 1 and 0 < count < min_cell:
        return f"n<{min_cell}"
    return format_pct(pct, digits)


def end_labels(seg: pd.DataFrame, digits: int, pad: float, min_cell: int = 0) -> pd.DataFrame:
    """Total % disagree at each bar's left end, % agree at its right end, % neutral beside the
    neutral bar when it is drawn in its own panel."""
    seg = seg.copy()
    for cat in ("disagree", "neutral", "agree"):
        if f"pct_{cat}_withheld" not in seg.columns:
            seg[f"pct_{cat}_withheld"] = ""
    main = seg[seg["panel"] == "main"]
    by_item = main.groupby("item", sort=False).agg(
        y=("y", "first"), left=("xmin", "min"), right=("xmax", "max"),
        pct_disagree=("pct_disagree", "first"), pct_agree=("pct_agree", "first"), n=("item_n", "first"),
        f_disagree=("pct_disagree_withheld", "first"), f_agree=("pct_agree_withheld", "first"),
    )
    left = pd.DataFrame({"x": by_item["left"] - pad, "y": by_item["y"], "ha": "right", "panel": "main",
                         "text": [_total_text(v, n, digits, min_cell, f)
                                  for v, n, f in zip(by_item["pct_disagree"], by_item["n"], by_item["f_disagree"])]})
    right = pd.DataFrame({"x": by_item["right"] + pad, "y": by_item["y"], "ha": "left", "panel": "main",
                          "text": [_total_text(v, n, digits, min_cell, f)
                                   for v, n, f in zip(by_item["pct_agree"], by_item["n"], by_item["f_agree"])]})
    parts = [left, right]
    side = seg[seg["panel"] == "neutral"]
    if not side.empty:
        by = side.groupby("item", sort=False).agg(y=("y", "first"), right=("xmax", "max"),
                                                   pct=("pct_neutral", "first"), n=("item_n", "first"),
                                                   f=("pct_neutral_withheld", "first"))
        parts.append(pd.DataFrame({"x": by["right"] + pad, "y": by["y"], "ha": "left", "panel": "neutral",
                                   "text": [_total_text(v, n, digits, min_cell, f)
                                            for v, n, f in zip(by["pct"], by["n"], by["f"])]}))
    aside = seg[seg["panel"] == "nonsubstantive"]
    if not aside.empty:
        if "n_withheld" not in aside.columns:
            aside = aside.assign(n_withheld="")
        by = aside.groupby("item", sort=False).agg(
            y=("y", "first"), right=("xmax", "max"), pct=("pct", "sum"), n=("n", "sum"),
            flags=("n_withheld", lambda f: [x if isinstance(x, str) else "" for x in f]))
        parts.append(pd.DataFrame({"x": by["right"] + pad, "y": by["y"], "ha": "left", "panel": "nonsubstantive",
                                   "text": [_count_text(v, n, digits, min_cell, f)
                                            for v, n, f in zip(by["pct"], by["n"], by["flags"])]}))
    return pd.concat(parts, ignore_index=True)


def _count_text(pct: float, n: float, digits: int, min_cell: int, flags: list) -> str:
    """A side-bar total from its own count: with protected counts, "n<K" when the one withheld
    answer is small and a dash when any is withheld otherwise; from raw counts with ``min_cell``
    K, "n<K" for 1..K-1."""
    if any(flags):  # a single small answer is "n<K"; a total holding a withheld one is withheld
        return f"n<{min_cell}" if flags == ["small"] else "–"
    if min_cell > 1 and (not np.isfinite(n) or 0 < n < min_cell):
        return f"n<{min_cell}"
    return format_pct(pct, digits)

"""Likert bars under disclosure control: what may be drawn when some counts are withheld.

Bar geometry publishes every segment's width (an SVG keeps it exactly), so a withheld level
never gets a segment of its own. Within a category whose total is printed, the withheld levels
form one block at the category's outer end, in :data:`WITHHELD_FILL`, after the printed levels;
categories whose totals are withheld form one block centred on zero, with the printed categories
outside it (the block's width is then 100 minus what is printed, which the tables give anyway).
Bar-end totals and "(n = ...)" labels read the protected category totals and their flags.
"""

from __future__ import annotations

import math

import pandas as pd

from ..codebook import Scale
from ..disclosure import SMALL, WITHHELD, small_text

__all__ = ["WITHHELD_LEVEL", "WITHHELD_LABEL", "WITHHELD_FILL", "category_totals", "withheld_levels", "spans",
           "total_text"]

#: Pseudo level code of a withheld block.
WITHHELD_LEVEL = -1
WITHHELD_LABEL = "Withheld (small counts)"
WITHHELD_FILL = "#8c8c8c"
CATEGORIES = ("disagree", "neutral", "agree")


def _flag(value) -> str:
    return value if isinstance(value, str) else ""


def withheld_levels(level_counts: pd.DataFrame, questionnaire: str, items) -> dict[str, set[int]]:
    """Per item, the level codes whose count or percentage is withheld."""
    out: dict[str, set[int]] = {i: set() for i in items}
    cols = [c for c in ("n_withheld", "pct_withheld") if c in level_counts.columns]
    if not cols:
        return out
    rows = level_counts[(level_counts["questionnaire"] == questionnaire) & level_counts["item"].isin(items)]
    for row in rows.itertuples(index=False):
        if any(_flag(getattr(row, c)) for c in cols):
            out[row.item].add(int(row.level))
    return out


def category_totals(rows: pd.DataFrame, agreement: pd.DataFrame | None, questionnaire: str, items,
                    scale: Scale) -> pd.DataFrame:
    """Per item: pct_disagree/neutral/agree and their ``*_withheld`` flags.

    From the protected ``agreement`` frame when given (the printed totals), else summed from the
    level percentages.
    """
    if agreement is not None and not agreement.empty:
        part = agreement[(agreement["questionnaire"] == questionnaire) & agreement["item"].isin(items)]
        part = part.set_index("item").reindex(list(items))
        out = pd.DataFrame(index=part.index)
        for cat in CATEGORIES:
            out[cat] = part[f"pct_{cat}"].astype("float64")
            flags = part.get(f"pct_{cat}_withheld")
            out[f"{cat}_withheld"] = flags.map(_flag) if flags is not None else ""
        if not scale.has_neutral:
            out["neutral"] = math.nan
        return out
    totals = rows.pivot_table(index="item", columns="category", values="pct", aggfunc="sum", sort=False)
    totals = totals.reindex(index=list(items), columns=list(CATEGORIES)).fillna(0.0)
    if not scale.has_neutral:
        totals["neutral"] = math.nan
    for cat in CATEGORIES:
        totals[f"{cat}_withheld"] = ""
    return totals


def spans(r: pd.DataFrame, totals: pd.Series, hidden: set[int], scale: Scale, category: dict, neutral: str) -> list:
    """Segments (level, xmin, xmax, panel) of one item's bar with withheld levels ``hidden``.

    ``r`` holds the item's level rows indexed by level (``pct``); ``totals`` its category totals.
    """
    withheld_cats = {c for c in CATEGORIES if totals[f"{c}_withheld"] and not (c == "neutral" and not scale.has_neutral)}
    shown = {c: float(totals[c]) for c in CATEGORIES if c not in withheld_cats and not math.isnan(totals[c])}
    out = []
    if withheld_cats:
        inner = 100.0 - sum(v for c, v in shown.items() if c != "neutral") if neutral == "split" else 0.0
        if neutral == "split" and inner > 0:
            out.append((WITHHELD_LEVEL, -inner / 2, inner / 2, "main"))
        half = inner / 2 if neutral == "split" else 0.0
        if "disagree" in shown:
            out.extend(_side(r, "disagree", shown["disagree"], hidden, scale, category, -half, -1))
        if "agree" in shown:
            out.extend(_side(r, "agree", shown["agree"], hidden, scale, category, half, 1))
        if neutral == "side" and "neutral" in shown:
            out.extend(_side(r, "neutral", shown["neutral"], hidden, scale, category, 0.0, 1, panel="neutral"))
        return out
    n_total = shown.get("neutral", 0.0) if scale.has_neutral else 0.0
    half = n_total / 2 if neutral == "split" else 0.0
    out.extend(_side(r, "disagree", shown.get("disagree", 0.0), hidden, scale, category, -half, -1))
    out.extend(_side(r, "agree", shown.get("agree", 0.0), hidden, scale, category, half, 1))
    if scale.has_neutral and neutral != "omit":
        start = -half if neutral == "split" else 0.0
        out.extend(_side(r, "neutral", n_total, hidden, scale, category, start, 1,
                         panel="main" if neutral == "split" else "neutral"))
    return out


def _side(r, cat, total, hidden, scale, category, start, direction, panel="main") -> list:
    """Printed levels of ``cat`` outward from ``start``, then one block for its withheld levels."""
    codes = [c for c in scale.codes if category[c] == cat]
    if direction < 0:
        codes = list(reversed(codes))  # disagree: the level nearest neutral innermost
    out, edge, used = [], start, 0.0
    for code in codes:
        if code in hidden:
            continue
        width = float(r.at[code, "pct"])
        lo, hi = (edge - width, edge) if direction < 0 else (edge, edge + width)
        out.append((code, lo, hi, panel))
        edge += direction * width
        used += width
    rest = total - used
    if any(c in hidden for c in codes) and rest > 1e-9:
        lo, hi = (edge - rest, edge) if direction < 0 else (edge, edge + rest)
        out.append((WITHHELD_LEVEL, lo, hi, panel))
    return out


def total_text(pct: float, flag: str, k: int, digits: int, fmt) -> str:
    """A bar-end total: "n<K" when it rests on 1..K-1 respondents, a dash when withheld."""
    if flag == SMALL:
        return f"n{small_text(k)}"
    if flag == WITHHELD:
        return "–"
    return fmt(pct, digits)

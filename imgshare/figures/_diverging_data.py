"""The data of a diverging Likert chart (:func:`diverging_data`): one segment per item and
level, placed left or right of zero, with the aside panels and withheld blocks."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..codebook import Codebook, Scale
from ._aside import nonsubstantive_segments
from ._common import common_scale, n_suffix, require_choice, require_columns, resolve_items, wrap as wrap_text
from ._errors import FigureError
from ._withheld import WITHHELD_LABEL, WITHHELD_LEVEL, category_totals, withheld_levels
from ._withheld import spans as withheld_spans

__all__ = ["diverging_data", "item_rows", "LEVEL_COUNT_COLUMNS", "ORDERS", "NEUTRALS", "SHOW_N", "LABELS", "BAR_HALF",
           "PANELS"]

LEVEL_COUNT_COLUMNS = ("questionnaire", "item", "level", "n", "item_n", "pct")
ORDERS = ("agree", "codebook")
NEUTRALS = ("split", "side", "omit")
SHOW_N = ("missing", "always", "never")
LABELS = ("short", "text")
#: Half the height of a bar, in item rows.
BAR_HALF = 0.36
#: Facet panels left to right: the diverging bars, neutral answers aside, non-substantive answers aside.
PANELS = ["main", "neutral", "nonsubstantive"]


def item_rows(level_counts: pd.DataFrame, questionnaire: str, items: Sequence[str], scale: Scale) -> pd.DataFrame:
    """The level rows of ``items`` in ``questionnaire``: every scale level present, in scale order.

    Levels missing from the frame count zero; a level the scale does not have is an error.
    """
    require_columns(level_counts, LEVEL_COUNT_COLUMNS, "level_counts")
    rows = level_counts.loc[
        (level_counts["questionnaire"] == questionnaire) & level_counts["item"].isin(items),
        ["item", "level", "n", "item_n", "pct"],
    ].copy()
    absent = [i for i in items if i not in set(rows["item"])]
    if absent:
        raise FigureError(f"level_counts has no rows for questionnaire '{questionnaire}', item(s) {', '.join(absent)}")
    try:
        rows["level"] = rows["level"].astype("int64")
    except (TypeError, ValueError):
        raise FigureError("level_counts column 'level' must hold whole-number level codes") from None
    unknown = sorted(set(rows["level"]) - set(scale.codes))
    if unknown:
        raise FigureError(f"level_counts has level code(s) {unknown} that scale '{scale.id}' does not define")
    if rows.duplicated(["item", "level"]).any():
        dup = rows.loc[rows.duplicated(["item", "level"]), "item"].iloc[0]
        raise FigureError(f"level_counts has duplicate rows for questionnaire '{questionnaire}', item '{dup}'")
    item_n = rows.groupby("item", sort=False)["item_n"].max()
    full = pd.MultiIndex.from_product([list(items), list(scale.codes)], names=["item", "level"])
    out = rows.set_index(["item", "level"]).reindex(full).reset_index()
    out["n"] = out["n"].fillna(0).astype("float64")
    out["pct"] = out["pct"].astype("float64").fillna(0.0)
    out["item_n"] = out["item"].map(item_n).astype("float64")
    return out


def _item_label(codebook: Codebook, item: str, label: str, n: float, with_n: bool, width: int | None,
                flag: str = "", k: int = 0) -> str:
    text = getattr(codebook.items[item], label)
    return wrap_text(text + (n_suffix(n, flag, k) if with_n else ""), width)



def _item_n_flags(level_counts: pd.DataFrame, questionnaire: str, items) -> dict[str, str]:
    if "item_n_withheld" not in level_counts.columns:
        return {i: "" for i in items}
    part = level_counts[level_counts["questionnaire"] == questionnaire].drop_duplicates("item").set_index("item")
    return {i: (part.at[i, "item_n_withheld"] or "") if i in part.index else "" for i in items}


def diverging_data(
    level_counts: pd.DataFrame,
    codebook: Codebook,
    questionnaire: str,
    items: Sequence[str] | None = None,
    *,
    order: str = "agree",
    neutral: str = "split",
    wrap: int | None = 35,
    label: str = "short",
    show_n: str = "missing",
    n_total: float | None = None,
    nonsubstantive: pd.DataFrame | None = None,
    agreement: pd.DataFrame | None = None,
    min_cell: int = 0,
) -> pd.DataFrame:
    """Compute the segments of a diverging stacked bar chart, one row per item x scale level.

    Parameters
    ----------
    level_counts : DataFrame
        Item level counts (``imgshare.analysis.item_level_counts``): questionnaire, item, level,
        n, item_n, pct (percent of those answering the item).
    codebook : Codebook
        Supplies item labels, the scale's levels and their agree/neutral/disagree sides.
    questionnaire : str
        Questionnaire id.
    items : sequence of str, optional
        Item ids, all on one scale. Default: every item of the questionnaire.
    order : {"agree", "codebook"}
        "agree": highest % agree at the top (ties: lower % disagree first, then codebook
        order); "codebook": the order of ``items``.
    neutral : {"split", "side", "omit"}
        "split": the neutral share is centred on zero, half on each side; "side": neutral
        segments go to a separate panel (``panel == "neutral"``) and the main bars start at
        zero; "omit": neutral rows are dropped (the other percentages stay percentages of
        everyone answering, so such bars sum to less than 100).
    wrap : int or None
        Maximum characters per line of the item label.
    label : {"short", "text"}
        Which codebook wording labels the items.
    show_n : {"missing", "always", "never"}
        Append "(n = ...)" to the label: "missing" does so for items answered by fewer than
        ``n_total`` respondents.
    n_total : float, optional
        The questionnaire's respondent count; default the largest item_n of the questionnaire
        in ``level_counts``.
    nonsubstantive : DataFrame, optional
        Non-substantive answers (``imgshare.analysis.nonsubstantive_answers``: questionnaire,
        variable, code, label, n, n_responded, pct). When any of ``items`` has some, they become
        segments of a side panel (``panel == "nonsubstantive"``, category "nonsubstantive",
        ``pct`` of everyone who responded, ``level`` the code), as gglikert sets "Don't know"
        aside; the main bars stay percentages of the answers on the scale.
    agreement : DataFrame, optional
        Item agreement (``imgshare.analysis.item_agreement``) for the category totals; under
        disclosure control the protected frame, whose flags decide what may be drawn (see
        :mod:`imgshare.figures._withheld`). Default: totals summed from the level percentages.
    min_cell : int
        The threshold K of protected frames (for "n < K" labels).

    Returns
    -------
    DataFrame
        questionnaire, item, item_label (wrapped), rank (1 = top bar), y (numeric position,
        top bar highest), level, level_label, category, panel ("main" | "neutral" |
        "nonsubstantive"), n, pct, xmin, xmax, item_n, pct_disagree, pct_neutral (NaN without a
        neutral level), pct_agree.
        Disagree segments lie left of zero, the level nearest neutral innermost; agree segments
        lie right of zero in scale order.

    Examples
    --------
    >>> from imgshare.analysis import item_level_counts
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> seg = diverging_data(item_level_counts(cohort), cohort.codebook, "q", ["A2"])
    >>> seg[["level", "xmin", "xmax"]].to_numpy().tolist()
    [[1.0, -50.0, -50.0], [2.0, -50.0, -25.0], [3.0, -25.0, 25.0], [4.0, 25.0, 50.0], [5.0, 50.0, 50.0]]
    """
    require_choice(order, ORDERS, "order")
    require_choice(neutral, NEUTRALS, "neutral")
    require_choice(show_n, SHOW_N, "show_n")
    require_choice(label, LABELS, "label")
    items = resolve_items(codebook, questionnaire, items)
    scale = common_scale(codebook, items)
    rows = item_rows(level_counts, questionnaire, items, scale)
    if n_total is None:
        this_q = level_counts.loc[level_counts["questionnaire"] == questionnaire, "item_n"]
        n_total = float(this_q.max())

    category = {c: scale.category_of(c) for c in scale.codes}
    rows["category"] = rows["level"].map(category)
    rows["level_label"] = rows["level"].map(scale.label_of)
    totals = category_totals(rows, agreement, questionnaire, items, scale)
    hidden = withheld_levels(level_counts, questionnaire, items)

    segments = []
    for item in items:
        r = rows[rows["item"] == item].set_index("level")
        if hidden[item] or any(totals.at[item, f"{c}_withheld"] for c in ("disagree", "neutral", "agree")):
            for code, lo, hi, panel in withheld_spans(r, totals.loc[item], hidden[item], scale, category, neutral):
                segments.append({"item": item, "level": code, "xmin": lo, "xmax": hi, "panel": panel})
            continue
        neutral_total = totals.at[item, "neutral"] if scale.has_neutral else 0.0
        inner = -neutral_total / 2 if neutral == "split" else 0.0
        spans: dict[int, tuple[float, float, str]] = {}
        edge = inner
        for code in reversed([c for c in scale.codes if category[c] == "disagree"]):
            spans[code] = (edge - r.at[code, "pct"], edge, "main")
            edge -= r.at[code, "pct"]
        edge = -inner
        for code in [c for c in scale.codes if category[c] == "agree"]:
            spans[code] = (edge, edge + r.at[code, "pct"], "main")
            edge += r.at[code, "pct"]
        edge = inner if neutral == "split" else 0.0
        for code in [c for c in scale.codes if category[c] == "neutral"]:
            if neutral != "omit":
                spans[code] = (edge, edge + r.at[code, "pct"], "main" if neutral == "split" else "neutral")
            edge += r.at[code, "pct"]
        for code in scale.codes:
            if code in spans:
                lo, hi, panel = spans[code]
                segments.append({"item": item, "level": code, "xmin": lo, "xmax": hi, "panel": panel})
    seg = pd.DataFrame(segments).merge(rows, on=["item", "level"], how="left")
    block = seg["level"] == WITHHELD_LEVEL
    if block.any():
        seg.loc[block, "level_label"] = WITHHELD_LABEL
        seg.loc[block, "category"] = "withheld"
        seg.loc[block, "pct"] = seg.loc[block, "xmax"] - seg.loc[block, "xmin"]
        seg.loc[block, "item_n"] = seg.loc[block, "item"].map(rows.groupby("item")["item_n"].first())
    side = nonsubstantive_segments(nonsubstantive, questionnaire, items)
    if not side.empty:
        side["item_n"] = side["item"].map(rows.groupby("item", sort=False)["item_n"].first())
        seg = pd.concat([seg, side], ignore_index=True)

    position = {item: k for k, item in enumerate(items)}
    if order == "agree":
        key = totals[["disagree", "agree"]].assign(pos=[position[i] for i in totals.index])
        ranked = key.sort_values(["agree", "disagree", "pos"], ascending=[False, True, True]).index
    else:
        ranked = list(items)
    rank = {item: k + 1 for k, item in enumerate(ranked)}
    item_n = rows.groupby("item", sort=False)["item_n"].first()
    n_flags = _item_n_flags(level_counts, questionnaire, items)
    with_n = {i: show_n == "always" or (show_n == "missing" and (bool(n_flags[i]) or item_n[i] < n_total))
              for i in items}
    seg["rank"] = seg["item"].map(rank)
    seg["y"] = len(items) - seg["rank"] + 1
    seg["item_label"] = [_item_label(codebook, i, label, item_n[i], with_n[i], wrap, n_flags[i], min_cell)
                         for i in seg["item"]]
    seg["item_n_withheld"] = seg["item"].map(n_flags)
    seg["n_withheld"] = seg["n_withheld"].fillna("") if "n_withheld" in seg.columns else ""
    seg["questionnaire"] = questionnaire
    for cat in ("disagree", "neutral", "agree"):
        seg[f"pct_{cat}"] = seg["item"].map(totals[cat])
        seg[f"pct_{cat}_withheld"] = seg["item"].map(totals[f"{cat}_withheld"])
    columns = ["questionnaire", "item", "item_label", "rank", "y", "level", "level_label", "category", "panel",
               "n", "pct", "xmin", "xmax", "item_n", "pct_disagree", "pct_neutral", "pct_agree", "item_n_withheld",
               "pct_disagree_withheld", "pct_neutral_withheld", "pct_agree_withheld", "n_withheld"]
    side_last = (seg["panel"] == "nonsubstantive").astype(int)
    return (seg.assign(_side=side_last).sort_values(["rank", "_side", "level"], kind="stable")[columns]
            .reset_index(drop=True))

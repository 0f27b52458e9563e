"""Two questionnaires' answers to the same items, bar beside bar, with the test of each item."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from plotnine import (
    aes,
    element_blank,
    element_line,
    geom_blank,
    geom_rect,
    geom_segment,
    geom_text,
    ggplot,
    guide_legend,
    guides,
    labs,
    scale_fill_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
)

from ..codebook import Codebook
from ._common import (
    common_scale,
    default_caption,
    format_p,
    format_signed,
    n_suffix,
    require_choice,
    require_columns,
)
from ._common import wrap as wrap_text
from ._diverging import BAR_HALF, ORDERS, diverging_data, end_labels
from ._errors import FigureError
from ._palette import likert_palette
from ._withheld import WITHHELD_FILL, WITHHELD_LABEL, WITHHELD_LEVEL
from ._theme import INK, MUTED, theme_journal

__all__ = ["paired_data", "paired_likert", "TEST_COLUMNS"]

TEST_COLUMNS = ("comparison", "outcome", "p", "effect")
# Vertical layout in bar rows: space between a block's top bar and its heading, height of one
# heading line, and space between blocks.
_HEAD_GAP = 0.3
_HEAD_LINE = 0.7
_BLOCK_GAP = 0.5


def _groups(codebook: Codebook, comparison: str) -> tuple[str, str]:
    if comparison not in codebook.comparisons:
        raise FigureError(f"unknown comparison '{comparison}' (codebook has: {', '.join(codebook.comparisons)})")
    comp = codebook.comparisons[comparison]
    if comp.between != "questionnaires" or len(comp.groups) != 2:
        raise FigureError(f"comparison '{comparison}' does not compare two questionnaires; paired_likert needs one that does")
    return comp.groups[0], comp.groups[1]


def paired_data(
    level_counts: pd.DataFrame,
    codebook: Codebook,
    comparison: str,
    items: Sequence[str] | None = None,
    *,
    order: str = "codebook",
    neutral: str = "split",
    show_n: str = "missing",
    label: str = "short",
    wrap: int | None = 60,
    agreement: pd.DataFrame | None = None,
    min_cell: int = 0,
) -> pd.DataFrame:
    """Segments of a paired diverging chart: for each item, one bar per questionnaire.

    ``agreement`` and ``min_cell`` are as for :func:`~imgshare.figures.diverging_data`.

    Parameters
    ----------
    level_counts : DataFrame
        Item level counts (see :func:`diverging_data`).
    codebook : Codebook
        Must define ``comparison`` as a comparison between two questionnaires.
    comparison : str
        Comparison id; its two groups give the two bars, first on top.
    items : sequence of str, optional
        Default: the comparison's items asked in both questionnaires.
    order : {"codebook", "agree"}
        "agree" sorts items by the mean of the two groups' % agree, highest first.
    neutral : {"split", "omit"}
        As for :func:`diverging_data` (a side panel is not offered here).
    show_n : {"missing", "always", "never"}
        When to append "(n = ...)" to a bar's questionnaire label.
    label : {"short", "text"}
        Item wording for the headings.
    wrap : int or None
        Maximum characters per heading line.

    Returns
    -------
    DataFrame
        The columns of :func:`diverging_data` (``rank`` is the item's block, 1 at the top;
        ``y`` the bar's numeric position, one unit per bar) plus group_label (questionnaire
        label, with n when shown), heading (the wrapped item wording) and heading_y.

    Examples
    --------
    >>> from imgshare.figures._examples import example_pair
    >>> counts, tests, codebook = example_pair()
    >>> seg = paired_data(counts, codebook, "x_vs_y")
    >>> seg.groupby("group_label", sort=False)["y"].first().to_dict()
    {'Group X': 2.0, 'Group Y': 1.0}
    """
    require_choice(order, ORDERS, "order")
    require_choice(label, ("short", "text"), "label")
    require_choice(neutral, ("split", "omit"), "neutral")
    first, second = _groups(codebook, comparison)
    comp = codebook.comparisons[comparison]
    both = set(codebook.questionnaires[first].items) & set(codebook.questionnaires[second].items)
    if items is None:
        pool = comp.items or codebook.questionnaires[first].items
        items = tuple(i for i in pool if i in both)
    else:
        items = tuple(items)
        for iid in items:
            if iid not in both:
                raise FigureError(f"item '{iid}' is not asked in both '{first}' and '{second}'")
    if not items:
        raise FigureError(f"comparison '{comparison}' has no items asked in both questionnaires")
    common_scale(codebook, items)

    parts = [diverging_data(level_counts, codebook, q, items, order="codebook", neutral=neutral,
                            wrap=None, show_n="never", agreement=agreement, min_cell=min_cell) for q in (first, second)]
    seg = pd.concat(parts, ignore_index=True)
    position = {item: k for k, item in enumerate(items)}
    if order == "agree":
        mean_agree = seg.groupby("item")["pct_agree"].mean()
        ranked = sorted(items, key=lambda i: (-mean_agree[i], position[i]))
    else:
        ranked = list(items)
    rank = {item: k + 1 for k, item in enumerate(ranked)}
    n_all = {q: level_counts.loc[level_counts["questionnaire"] == q, "item_n"].max() for q in (first, second)}

    seg["rank"] = seg["item"].map(rank)
    heading = {i: wrap_text(getattr(codebook.items[i], label), wrap) for i in items}
    # Blocks are laid out from the bottom up; a heading needs room for each of its lines.
    bar_y: dict[tuple[str, str], float] = {}
    heading_y: dict[str, float] = {}
    base = 0.0
    for item in reversed(ranked):
        bar_y[(item, second)] = base + 1
        bar_y[(item, first)] = base + 2
        lines = heading[item].count("\n") + 1
        # The two bars fill [base + 0.5, base + 2.5]; the heading sits above them.
        heading_y[item] = base + 2.5 + _HEAD_GAP + _HEAD_LINE * lines / 2
        base = base + 2.5 + _HEAD_GAP + _HEAD_LINE * lines + _BLOCK_GAP - 0.5
    seg["y"] = [bar_y[(i, q)] for i, q in zip(seg["item"], seg["questionnaire"], strict=True)]
    seg["heading"] = seg["item"].map(heading)
    seg["heading_y"] = seg["item"].map(heading_y)
    labels = {q: codebook.questionnaires[q].label for q in (first, second)}
    with_n = (show_n == "always") | ((show_n == "missing") & (seg["item_n"] < seg["questionnaire"].map(n_all)))
    with_n = with_n | (seg["item_n_withheld"] != "")
    seg["group_label"] = [labels[q] + (n_suffix(n, f, min_cell) if w else "") for q, n, w, f
                          in zip(seg["questionnaire"], seg["item_n"], with_n, seg["item_n_withheld"], strict=True)]
    return seg.sort_values(["rank", "y", "level"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def _stats_labels(tests: pd.DataFrame, comparison: str, items: Sequence[str], effect_label: str) -> dict[str, str]:
    require_columns(tests, TEST_COLUMNS, "tests")
    rows = tests[(tests["comparison"] == comparison) & tests["outcome"].isin(items)]
    if rows["outcome"].duplicated().any():
        raise FigureError(f"tests has more than one row for an item of comparison '{comparison}'")
    absent = [i for i in items if i not in set(rows["outcome"])]
    if absent:
        raise FigureError(f"tests has no row for comparison '{comparison}', item(s) {', '.join(absent)}")
    by_item = rows.set_index("outcome")

    def text(i) -> str:
        row = by_item.loc[i]
        if isinstance(row.get("test_withheld"), str) and row["test_withheld"]:
            return "test withheld (small counts)"
        effect = (f"{effect_label} withheld" if isinstance(row.get("effect_withheld"), str) and row["effect_withheld"]
                  else f"{effect_label} = {format_signed(row['effect'])}")
        return f"{format_p(float(row['p']))}, {effect}"

    return {i: text(i) for i in items}


def paired_likert(
    level_counts: pd.DataFrame,
    tests: pd.DataFrame | None,
    codebook: Codebook,
    comparison: str,
    items: Sequence[str] | None = None,
    *,
    order: str = "codebook",
    neutral: str = "split",
    show_n: str = "missing",
    label: str = "short",
    wrap: int | None = 60,
    effect_label: str = "r",
    palette: str = "BrBG",
    digits: int = 0,
    legend_rows: int | None = None,
    legend_wrap: int | None = None,
    label_room: float = 0.25,
    title: str | None = None,
    caption: str | None = None,
    base_size: float = 8.0,
    min_cell: int = 0,
    agreement: pd.DataFrame | None = None,
) -> ggplot:
    """Diverging bars of two questionnaires for each common item, with each item's test, unsaved.

    Each item is a block: its wording as a heading, the item's Mann-Whitney p and effect size
    printed on the heading row at the right, and one diverging bar per questionnaire beneath
    (first group of the comparison on top). Totals % disagree / % agree sit at the bar ends.

    Parameters
    ----------
    level_counts : DataFrame
        Item level counts (see :func:`diverging_data`).
    tests : DataFrame or None
        Item comparison tests: comparison, outcome (item id), p, effect (e.g. ``r``) and more;
        ``None`` draws no test annotations.
    codebook, comparison, items, order, neutral, show_n
        As for :func:`paired_data`.
    label : {"short", "text"}
        Item wording for the headings.
    wrap : int or None
        Maximum characters per heading line.
    effect_label : str
        Name printed for the effect size.
    palette, digits, legend_rows, legend_wrap, label_room, title, caption, base_size
        As for :func:`diverging_likert`.

    Returns
    -------
    plotnine.ggplot

    Examples
    --------
    >>> from imgshare.figures._examples import example_pair
    >>> counts, tests, codebook = example_pair()
    >>> type(paired_likert(counts, tests, codebook, "x_vs_y")).__name__
    'ggplot'
    """
    seg = paired_data(level_counts, codebook, comparison, items, order=order, neutral=neutral, show_n=show_n,
                      label=label, wrap=wrap, agreement=agreement, min_cell=min_cell)
    item_ids = list(dict.fromkeys(seg["item"]))
    scale = common_scale(codebook, item_ids)
    colours = likert_palette(scale, palette)
    shown = [lv.label for lv in scale.levels if not (neutral == "omit" and lv.code in scale.neutral)]
    limits = list(scale.labels)
    if (seg["level"] == WITHHELD_LEVEL).any():
        colours = {**colours, WITHHELD_LABEL: WITHHELD_FILL}
        shown, limits = [*shown, WITHHELD_LABEL], [*limits, WITHHELD_LABEL]
    seg = seg.assign(level_label=pd.Categorical(seg["level_label"], categories=limits),
                     ymin=seg["y"] - BAR_HALF, ymax=seg["y"] + BAR_HALF)

    extent = max(-seg["xmin"].min(), seg["xmax"].max(), 1.0)
    limit = max(np.ceil(extent / 25) * 25, extent / (1 - label_room))
    totals = end_labels(seg.assign(item=seg["item"] + "\x00" + seg["questionnaire"]), digits, limit * 0.02, min_cell)
    heads = seg.drop_duplicates("item")[["item", "heading", "heading_y"]].rename(
        columns={"heading": "text", "heading_y": "y"}).assign(x=-limit)
    stats = pd.DataFrame()
    if tests is not None:
        text = _stats_labels(tests, comparison, item_ids, effect_label)
        # On the heading's last line, so it never sits beside a wrapped line of the heading.
        last_line = heads["y"] - _HEAD_LINE * heads["text"].str.count("\n") / 2
        stats = heads.assign(text=heads["item"].map(text), x=limit, y=last_line)
    bars = seg.drop_duplicates(["item", "questionnaire"]).sort_values("y")
    # A hairline under each heading ties the heading to its two bars.
    rule_y = seg.groupby("item")["y"].max() + 0.5 + _HEAD_GAP / 2
    rules = pd.DataFrame({"x": -limit, "xend": limit, "y": rule_y, "yend": rule_y})
    small = base_size * 7 / 8
    bottom = seg["y"].min() - 0.6
    top = (heads["y"] + _HEAD_LINE * (heads["text"].str.count("\n") + 1) / 2).max() + 0.2

    plot = (
        ggplot(seg)
        + geom_segment(aes(x="x", xend="xend", y="y", yend="yend"), data=rules, color="#d0d0d0", size=0.3)
        + geom_rect(aes(xmin="xmin", xmax="xmax", ymin="ymin", ymax="ymax", fill="level_label"),
                    color="white", size=0.25)
        + geom_segment(aes(x=0, xend=0, y="y - 0.5", yend="y + 0.5"), data=bars, color=INK, size=0.4)
        + geom_text(aes(x="x", y="y", label="text", ha="ha"), data=totals, size=small, color=INK, va="center")
        + geom_text(aes(x="x", y="y", label="text"), data=heads, size=base_size, color=INK, ha="left",
                    va="center", fontweight="bold")
        + geom_blank(aes(x="x", y="y"), data=pd.DataFrame({"x": [-limit, limit], "y": [bottom, top]}))
        + scale_fill_manual(values=colours, breaks=shown, limits=limits, drop=False,
                            labels=[wrap_text(s, legend_wrap) for s in shown])
        + scale_x_continuous(breaks=list(np.arange(-100, 101, 25 if extent > 40 else 10)),
                             labels=lambda xs: [f"{abs(x):g}" for x in xs], expand=(0, 0))
        + scale_y_continuous(breaks=list(bars["y"]), labels=list(bars["group_label"]),
                             limits=(bottom, top), expand=(0, 0))
        + guides(fill=guide_legend(nrow=legend_rows or (1 if len(shown) <= 5 else 2), byrow=True))
        + labs(x="Respondents (%)", title=title, caption=default_caption(codebook, caption))
        + theme_journal(base_size)
        + theme(panel_grid_major=element_blank(), axis_title_y=element_blank(),
                axis_ticks_major_x=element_line(color=MUTED, size=0.4), axis_ticks_length_major_x=2,
                axis_line_x=element_line(color=MUTED, size=0.4))
    )
    if not stats.empty:
        plot += geom_text(aes(x="x", y="y", label="text"), data=stats, size=small, color=MUTED, ha="right",
                          va="center")
    return plot

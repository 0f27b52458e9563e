"""Diverging ("deviation from neutral") stacked bar charts of Likert items."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from plotnine import (
    aes,
    element_blank,
    element_text,
    facet_grid,
    geom_blank,
    geom_rect,
    geom_text,
    geom_vline,
    ggplot,
    guide_legend,
    guides,
    labeller,
    labs,
    scale_fill_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
)

from ..codebook import Codebook
from ._common import common_scale, default_caption, wrap as wrap_text
from ._aside import aside_greys
from ._diverging_data import BAR_HALF, LEVEL_COUNT_COLUMNS, ORDERS, PANELS, diverging_data
from ._errors import FigureError
from ._labels import end_labels
from ._palette import likert_palette
from ._theme import INK, MUTED, theme_journal
from ._withheld import WITHHELD_FILL, WITHHELD_LABEL, WITHHELD_LEVEL

# ORDERS, BAR_HALF and end_labels are imported from here by the paired and sibling charts.
__all__ = ["diverging_data", "diverging_likert", "LEVEL_COUNT_COLUMNS", "ORDERS", "BAR_HALF", "end_labels"]


def _extent(seg: pd.DataFrame) -> float:
    """How far the longest bar of the main panel reaches from zero, in percent."""
    main = seg[seg["panel"] == "main"]
    return float(max(-main["xmin"].min(), main["xmax"].max(), 1.0))


def _own_limit(extent: float, label_room: float) -> float:
    """The half-axis a chart gets on its own: room beyond the longest bar for its printed total
    (a share of the half-axis, because the physical width is only known when the figure is saved)."""
    step = _nice_step(extent)
    return float(max(np.ceil(extent / step) * step, extent / (1 - label_room)))


def _nice_step(extent: float) -> float:
    for step in (10, 20, 25, 50):
        if extent / step <= 3:
            return step
    return 50


def diverging_likert(
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
    palette: str = "BrBG",
    digits: int = 0,
    legend_rows: int | None = None,
    legend_wrap: int | None = None,
    xlim: float | None = None,
    min_cell: int = 0,
    label_room: float = 0.25,
    title: str | None = None,
    caption: str | None = None,
    base_size: float = 8.0,
    nonsubstantive: pd.DataFrame | None = None,
    agreement: pd.DataFrame | None = None,
) -> ggplot:
    """A diverging stacked bar chart of Likert items ("deviation from neutral"), unsaved.

    One horizontal bar per item: disagree levels left of zero, agree levels right, neutral
    split across zero (or in a side panel, or omitted), totals printed at the bar ends. The
    legend lists the levels in scale order; the x axis is in percent, symmetric around zero.
    A synthetic study gets a caption saying so.

    Parameters
    ----------
    level_counts, codebook, questionnaire, items, order, neutral, wrap, label, show_n, n_total
        As for :func:`diverging_data`.
    palette : {"BrBG", "RdBu"}
        ColorBrewer diverging scheme; neutral levels are light grey.
    min_cell : int
        Disclosure control: a total resting on 1..K-1 respondents prints "n<K" (0: off). With
        protected frames (:func:`imgshare.disclosure.protect`) and their ``agreement``, withheld
        levels are drawn as one grey block (see :mod:`imgshare.figures._withheld`).
    digits : int
        Decimals of the printed totals.
    legend_rows : int, optional
        Rows of the legend, filled row by row in scale order; default one row for up to five
        levels, two beyond. A single-column (85 mm) figure of a 5-point scale needs two.
    legend_wrap : int or None
        Maximum characters per line of a legend label (narrow figures need short lines).
    xlim : float, optional
        Half-width of the x axis in percent, e.g. 100 to give several charts one axis.
        Default: the longest bar plus ``label_room``.
    label_room : float
        Share of the half-axis kept free beyond the longest bar for its printed total.
    title, caption : str, optional
        Plot title and caption (journals usually set both outside the figure).
    base_size : float
        Base font size in points (see :class:`theme_journal`).
    nonsubstantive : DataFrame, optional
        Non-substantive answers ("Don't know", "No answer"): drawn in a grey side panel right of
        the bars, as a percentage of everyone who responded (see :func:`diverging_data`).
    agreement : DataFrame, optional
        As for :func:`diverging_data`.

    Returns
    -------
    plotnine.ggplot

    Examples
    --------
    >>> from imgshare.analysis import item_level_counts
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> plot = diverging_likert(item_level_counts(cohort), cohort.codebook, "q", neutral="side")
    >>> type(plot).__name__
    'ggplot'
    """
    seg = diverging_data(level_counts, codebook, questionnaire, items, order=order, neutral=neutral,
                         wrap=wrap, label=label, show_n=show_n, n_total=n_total, nonsubstantive=nonsubstantive,
                         agreement=agreement, min_cell=min_cell)
    scale = common_scale(codebook, list(dict.fromkeys(seg["item"])))
    aside_labels = list(dict.fromkeys(seg.loc[seg["panel"] == "nonsubstantive", "level_label"]))
    colours = {**likert_palette(scale, palette), **dict(zip(aside_labels, aside_greys(len(aside_labels))))}
    shown = [lv.label for lv in scale.levels if not (neutral == "omit" and lv.code in scale.neutral)] + aside_labels
    all_labels = list(scale.labels) + aside_labels
    if (seg["level"] == WITHHELD_LEVEL).any():
        colours = {**colours, WITHHELD_LABEL: WITHHELD_FILL}
        shown, all_labels = [*shown, WITHHELD_LABEL], [*all_labels, WITHHELD_LABEL]
    seg = seg.assign(level_label=pd.Categorical(seg["level_label"], categories=all_labels),
                     panel=pd.Categorical(seg["panel"], categories=PANELS),
                     ymin=seg["y"] - BAR_HALF, ymax=seg["y"] + BAR_HALF)

    extent = _extent(seg)
    limit = xlim if xlim is not None else _own_limit(extent, label_room)
    if limit < extent:
        raise FigureError(f"xlim={xlim} cuts off bars reaching {extent:.1f}%")
    # Ticks follow the axis: charts given one xlim get the same ticks too.
    step = _nice_step(extent if xlim is None else limit)
    reach = np.ceil(extent / step) * step if xlim is None else np.floor(limit / step) * step
    pad = limit * 0.02
    labels = end_labels(seg, digits, pad, min_cell).assign(
        panel=lambda d: pd.Categorical(d["panel"], categories=PANELS))
    bounds = [{"x": -limit, "panel": "main"}, {"x": limit, "panel": "main"}]
    side = seg[seg["panel"] == "neutral"]
    aside = seg[seg["panel"] == "nonsubstantive"]
    if not side.empty:
        bounds += [{"x": 0.0, "panel": "neutral"}, {"x": side["xmax"].max() * 1.45 + pad, "panel": "neutral"}]
    if not aside.empty:
        # Short bars still need room for their printed totals and the panel's title.
        bounds += [{"x": 0.0, "panel": "nonsubstantive"},
                   {"x": max(aside["xmax"].max() * 1.45 + pad, 0.3 * limit), "panel": "nonsubstantive"}]
    bounds = pd.DataFrame(bounds).assign(y=1.0, panel=lambda d: pd.Categorical(d["panel"], PANELS))

    ticks = seg.drop_duplicates("item").sort_values("y")
    breaks = list(np.arange(-reach, reach + step / 2, step))
    zero = pd.DataFrame({"x": [0.0], "panel": pd.Categorical(["main"], categories=PANELS)})
    small = base_size * 7 / 8
    plot = (
        ggplot(seg)
        + geom_rect(aes(xmin="xmin", xmax="xmax", ymin="ymin", ymax="ymax", fill="level_label"),
                    color="white", size=0.25)
        + geom_vline(aes(xintercept="x"), data=zero, color=INK, size=0.4)
        + geom_text(aes(x="x", y="y", label="text", ha="ha"), data=labels, size=small, color=INK, va="center")
        + geom_blank(aes(x="x", y="y"), data=bounds)
        + scale_fill_manual(values=colours, breaks=shown, limits=all_labels, drop=False,
                            labels=[wrap_text(s, legend_wrap) for s in shown])
        + scale_x_continuous(breaks=breaks, labels=lambda xs: [f"{abs(x):g}" for x in xs], expand=(0, 0))
        + scale_y_continuous(breaks=list(ticks["y"]), labels=list(ticks["item_label"]),
                             limits=(1 - 0.5, len(ticks) + 0.5), expand=(0, 0))
        + guides(fill=guide_legend(nrow=legend_rows or (1 if len(shown) <= 5 else 2), byrow=True))
        + labs(x="Respondents (%)", title=title, caption=default_caption(codebook, caption))
        + theme_journal(base_size)
        + theme(panel_grid_major_y=element_blank(), axis_title_y=element_blank(),
                axis_text_y=element_text(margin={"r": 6, "units": "pt"}))
    )
    if not side.empty or not aside.empty:
        strips = {"main": "",
                  "neutral": wrap_text(" / ".join(lv.label for lv in scale.levels if lv.code in scale.neutral), 14),
                  "nonsubstantive": wrap_text(" / ".join(aside_labels), 14)}
        plot += facet_grid(cols="panel", scales="free_x", space="free_x",
                           labeller=labeller(cols=lambda p: strips.get(p, "")))
        plot += theme(panel_spacing_x=0.03, strip_text=element_text(size=small, weight="normal", color=MUTED))
    return plot



"""Participant flow diagram: received -> excluded (by reason) -> analysed, per questionnaire."""

from __future__ import annotations

import textwrap

import pandas as pd
from plotnine import (
    aes,
    annotate,
    arrow,
    element_blank,
    geom_rect,
    geom_segment,
    geom_text,
    ggplot,
    labs,
    scale_x_continuous,
    scale_y_continuous,
    theme,
)

from ..codebook import Codebook
from ._common import default_caption, fixed_layout, format_n, questionnaire_label, require_columns
from ._errors import FigureError
from ._theme import INK, theme_journal

__all__ = ["flow_layout", "participant_flow_plot", "FLOW_COLUMNS"]

FLOW_COLUMNS = ("questionnaire", "stage", "reason", "n")
STAGES = ("received", "excluded", "analysed")
# Geometry in data units: a column per questionnaire is 1 wide; a text line is 1 high.
_MAIN = (0.05, 0.39)
_SIDE = (0.47, 0.99)
_PAD = 0.5
_GAP = 1.0


def _bullet(text: str, width: int | None) -> str:
    if not width:
        return f"\u2022 {text}"
    return textwrap.fill(text, width=width, initial_indent="\u2022 ", subsequent_indent="   ",
                         break_long_words=False, break_on_hyphens=False)


def _check(flow: pd.DataFrame, codebook: Codebook) -> list[str]:
    require_columns(flow, FLOW_COLUMNS, "flow")
    bad = sorted(set(flow["stage"]) - set(STAGES))
    if bad:
        raise FigureError(f"flow has unknown stage(s) {', '.join(map(repr, bad))} (expected: {', '.join(STAGES)})")
    present = set(flow["questionnaire"])
    for q in present:
        questionnaire_label(codebook, q)
    order = [q for q in codebook.questionnaires if q in present]
    if not order:
        raise FigureError("flow has no rows")
    for q in order:
        rows = flow[flow["questionnaire"] == q]
        for stage in ("received", "analysed"):
            if (rows["stage"] == stage).sum() != 1:
                raise FigureError(f"flow for '{q}' needs exactly one '{stage}' row, found {(rows['stage'] == stage).sum()}")
        received = float(rows.loc[rows["stage"] == "received", "n"].iloc[0])
        excluded = float(rows.loc[rows["stage"] == "excluded", "n"].sum())
        analysed = float(rows.loc[rows["stage"] == "analysed", "n"].iloc[0])
        if "n_withheld" in rows.columns and (rows["n_withheld"].fillna("") != "").any():
            continue  # disclosure control withheld some counts: the sum cannot be checked
        if received - excluded != analysed:
            raise FigureError(f"flow for '{q}' does not add up: {format_n(received)} received - "
                              f"{format_n(excluded)} excluded != {format_n(analysed)} analysed")
    return order


def _count(rows: pd.DataFrame, k: int, space: str = " ") -> str:
    """ "n = 73", or under disclosure control "n < 5" / "n withheld" by the row's flag."""
    from ..disclosure import count_label

    flag = rows["n_withheld"].iloc[0] if "n_withheld" in rows.columns else ""
    return count_label(rows["n"].iloc[0], flag if isinstance(flag, str) else "", k, format_n, space)


def _excluded(rows: pd.DataFrame, received: pd.DataFrame, analysed: pd.DataFrame, k: int) -> str:
    """The excluded total: received minus analysed, withheld when received is."""
    flags = [f for f in (received.get("n_withheld", pd.Series([""])).iloc[0],
                         analysed.get("n_withheld", pd.Series([""])).iloc[0]) if isinstance(f, str) and f]
    if flags:
        return "n withheld"
    return f"n = {format_n(float(received['n'].iloc[0]) - float(analysed['n'].iloc[0]))}"


def flow_layout(flow: pd.DataFrame, codebook: Codebook, *, wrap: int | None = 32,
                min_cell: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Boxes and arrows of the participant flow diagram, in data coordinates.

    Parameters
    ----------
    flow : DataFrame
        questionnaire, stage ("received" | "excluded" | "analysed"), reason, n. For each
        questionnaire received minus the excluded rows must equal analysed.
    codebook : Codebook
        Questionnaire labels and order (one column per questionnaire, codebook order).
    wrap : int or None
        Maximum characters per line of an exclusion reason.
    min_cell : int
        The threshold of a protected flow (``n_withheld`` flags): withheld counts print as
        "n < K" or "n withheld", and the excluded total is withheld with the received count.

    Returns
    -------
    boxes : DataFrame
        questionnaire, stage, n, xmin, xmax, ymin, ymax, x, y (text anchor), ha, text.
    arrows : DataFrame
        questionnaire, x, y, xend, yend.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> boxes, arrows = flow_layout(cohort.flow, cohort.codebook)
    >>> boxes[["stage", "n"]].to_numpy().tolist()
    [['received', 5.0], ['excluded', 0.0], ['analysed', 5.0]]
    """
    order = _check(flow, codebook)
    blocks = {}
    for q in order:
        rows = flow[flow["questionnaire"] == q]
        excluded = rows[rows["stage"] == "excluded"]
        received, analysed = rows[rows["stage"] == "received"], rows[rows["stage"] == "analysed"]
        reasons = [_bullet(f"{r or 'Reason not recorded'} ({_count(excluded.iloc[[i]], min_cell, chr(0xA0))})", wrap)
                   for i, r in enumerate(excluded["reason"])]
        blocks[q] = {
            "received": (float(received["n"].iloc[0]), f"Responses received\n({_count(received, min_cell)})"),
            "excluded": (float(received["n"].iloc[0]) - float(analysed["n"].iloc[0]),
                         "\n".join([f"Excluded ({_excluded(excluded, received, analysed, min_cell)})", *reasons])),
            "analysed": (float(analysed["n"].iloc[0]), f"Analysed\n({_count(analysed, min_cell)})"),
        }
    # One vertical layout for all columns, so that boxes of the same stage line up.
    def height(text: str) -> float:
        return text.count("\n") + 1 + 2 * _PAD

    h_top = max(height(b["received"][1]) for b in blocks.values())
    h_side = max(height(b["excluded"][1]) for b in blocks.values())
    h_bottom = max(height(b["analysed"][1]) for b in blocks.values())
    top = 0.0
    received_y = (top - h_top, top)
    side_y = (received_y[0] - _GAP - h_side, received_y[0] - _GAP)
    analysed_y = (side_y[0] - _GAP - h_bottom, side_y[0] - _GAP)

    boxes, arrows = [], []
    for c, q in enumerate(order):
        main = (c + _MAIN[0], c + _MAIN[1])
        side = (c + _SIDE[0], c + _SIDE[1])
        centre = (main[0] + main[1]) / 2
        for stage, (xs, ys) in {"received": (main, received_y), "excluded": (side, side_y),
                                "analysed": (main, analysed_y)}.items():
            n, text = blocks[q][stage]
            left = stage == "excluded"
            boxes.append({"questionnaire": q, "stage": stage, "n": n, "xmin": xs[0], "xmax": xs[1],
                          "ymin": ys[0], "ymax": ys[1], "x": xs[0] + 0.03 if left else (xs[0] + xs[1]) / 2,
                          "y": (ys[0] + ys[1]) / 2, "ha": "left" if left else "center", "text": text})
        branch = (side_y[0] + side_y[1]) / 2
        arrows.append({"questionnaire": q, "x": centre, "y": received_y[0], "xend": centre, "yend": analysed_y[1]})
        arrows.append({"questionnaire": q, "x": centre, "y": branch, "xend": side[0], "yend": branch})
    return pd.DataFrame(boxes), pd.DataFrame(arrows)


def participant_flow_plot(
    flow: pd.DataFrame,
    codebook: Codebook,
    *,
    wrap: int | None = 32,
    title: str | None = None,
    caption: str | None = None,
    base_size: float = 8.0,
    min_cell: int = 0,
) -> ggplot:
    """A flow diagram of respondents, one column per questionnaire, unsaved.

    Each column reads top to bottom: responses received, an arrow down to those analysed, and a
    branch to a box listing the exclusions by reason, with the count in every box. Designed for
    a double-column (175 mm) figure with two questionnaires, or one column per 85 mm.

    Parameters
    ----------
    flow : DataFrame
        The cohort's flow table (``Cohort.flow``): questionnaire, stage, reason, n.
    codebook : Codebook
        Questionnaire labels (column headings) and order.
    wrap : int or None
        Maximum characters per line of an exclusion reason.
    title, caption : str, optional
        Title and caption; a synthetic study always gets a notice in the caption.
    base_size : float
        Base font size in points.
    min_cell : int
        As for :func:`flow_layout`.

    Returns
    -------
    plotnine.ggplot

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> type(participant_flow_plot(cohort.flow, cohort.codebook)).__name__
    'ggplot'
    """
    boxes, arrows = flow_layout(flow, codebook, wrap=wrap, min_cell=min_cell)
    order = list(dict.fromkeys(boxes["questionnaire"]))
    top = boxes["ymax"].max()
    bottom = boxes["ymin"].min()
    heads = pd.DataFrame({"x": [k + (_MAIN[0] + _MAIN[1]) / 2 for k in range(len(order))], "y": top + 0.8,
                          "text": [codebook.questionnaires[q].label for q in order]})
    small = base_size * 7 / 8
    plot = (
        ggplot()
        + geom_segment(aes(x="x", y="y", xend="xend", yend="yend"), data=arrows, color=INK, size=0.45,
                       arrow=arrow(length=0.06, type="closed"))
        + geom_rect(aes(xmin="xmin", xmax="xmax", ymin="ymin", ymax="ymax"), data=boxes, fill="white",
                    color=INK, size=0.45)
        + geom_text(aes(x="x", y="y", label="text", ha="ha"), data=boxes, size=small, color=INK, va="center")
        + geom_text(aes(x="x", y="y", label="text"), data=heads, size=base_size, color=INK, fontweight="bold",
                    va="baseline")
        + annotate("blank", x=[0, len(order)], y=[bottom - 0.3, top + 2.0])
        + scale_x_continuous(expand=(0, 0))
        + scale_y_continuous(expand=(0, 0))
        + labs(title=title, caption=default_caption(codebook, caption))
        + theme_journal(base_size)
        + theme(axis_text=element_blank(), axis_title=element_blank(), panel_grid=element_blank(),
                axis_line=element_blank(), axis_ticks=element_blank())
    )
    return fixed_layout(plot)

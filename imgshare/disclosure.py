"""Disclosure control for small counts (``--min-cell K``).

Primary suppression hides every count from 1 to K-1. Secondary suppression then hides enough
further cells that no hidden count can be recovered from a published total: within each
distribution (the cells that add up to one printed total), a lone suppressed cell is joined by the
smallest other non-zero cell. Zero cells are shown (a zero reveals nothing about a person) and are
never used as the secondary cell, since hiding a zero next to a single small count would still let
the reader recover it when the zero is known to be structural.

These functions decide *which* cells to hide; tables and figures print the marker.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["suppression_mask", "suppress_frame", "marker", "total_suppressed", "suppress_results"]


def marker(k: int) -> str:
    """How a suppressed count is printed."""
    return f"<{k}"


def suppression_mask(counts: Sequence[float], k: int) -> np.ndarray:
    """Which cells of one distribution to hide.

    Parameters
    ----------
    counts : sequence of numbers
        The cells that add up to one published total.
    k : int
        The minimum publishable count; ``k <= 1`` disables suppression.

    Returns
    -------
    numpy.ndarray of bool
        True where the cell must be hidden.

    Examples
    --------
    >>> suppression_mask([9, 86, 108, 27, 51, 1], 5).tolist()
    [True, False, False, False, False, True]
    >>> suppression_mask([120, 2, 0], 5).tolist()
    [True, True, False]
    """
    c = np.asarray(counts, dtype=float)
    hide = (c > 0) & (c < k) if k > 1 else np.zeros(len(c), dtype=bool)
    if hide.sum() == 1:
        candidates = np.flatnonzero(~hide & (c > 0))
        if len(candidates):
            hide[candidates[np.argmin(c[candidates])]] = True
    return hide


def total_suppressed(counts: Sequence[float], k: int) -> bool:
    """Whether the distribution's total must be hidden too: it is itself below ``k``, or a hidden
    cell is the only non-zero cell (then the total *is* that cell).

    >>> total_suppressed([3, 0, 0], 5), total_suppressed([3, 40], 5)
    (True, False)
    """
    c = np.asarray(counts, dtype=float)
    if k <= 1:
        return False
    total = c.sum()
    hide = suppression_mask(c, k)
    return bool(0 < total < k or (hide.sum() == 1 and (c[~hide] == 0).all()))


def suppress_frame(frame: pd.DataFrame, count: str, by: Sequence[str], k: int) -> pd.DataFrame:
    """Add a boolean ``suppressed`` column: cells of ``count`` hidden within each ``by`` group.

    The input frame is not modified.
    """
    out = frame.copy()
    mask = np.zeros(len(out), dtype=bool)
    if k > 1 and len(out):
        positions = np.arange(len(out))
        groups = out.groupby(list(by), sort=False, dropna=False).indices if by else {None: positions}
        for idx in groups.values():
            mask[idx] = suppression_mask(out[count].to_numpy(dtype=float)[idx], k)
    out["suppressed"] = mask
    return out


def _null_where(frame: pd.DataFrame, mask: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    for col in columns:
        if col in frame:
            frame[col] = frame[col].astype("float64").where(~mask)
    return frame


def suppress_results(results, k: int):
    """A copy of analysis ``Results`` with small counts withheld (``k <= 1``: unchanged).

    Counts of 1..K-1 and whatever would reveal them (their percentages and confidence limits,
    a second cell of the same distribution, a total equal to a hidden cell) become missing, and
    each touched frame gets a boolean ``suppressed`` column. Frames of test statistics carry no
    counts of people in a cell, except the group sizes of comparisons, which are treated alike.
    """
    import dataclasses

    if k <= 1:
        return results
    desc = suppress_frame(results.descriptives, "n", ["questionnaire", "variable"], k)
    desc = _null_where(desc, desc["suppressed"].to_numpy(), ["n", "pct", "ci_low", "ci_high"])
    totals = results.descriptives.groupby(["questionnaire", "variable"], sort=False)["n"].transform(
        lambda s: total_suppressed(s.to_numpy(dtype=float), k))
    desc = _null_where(desc, totals.to_numpy(dtype=bool), ["denominator"])

    levels = suppress_frame(results.item_levels, "n", ["questionnaire", "item"], k)
    levels = _null_where(levels, levels["suppressed"].to_numpy(), ["n", "pct"])

    agreement = results.item_agreement.copy()
    by_cat = (results.item_levels.groupby(["questionnaire", "item", "category"], sort=False)["n"].sum()
              .unstack("category").reindex(columns=["disagree", "neutral", "agree"]).fillna(0))
    hidden = np.zeros(len(agreement), dtype=bool)
    for pos, (q, item) in enumerate(zip(agreement["questionnaire"], agreement["item"])):
        cats = by_cat.loc[(q, item)].to_numpy(dtype=float)
        mask = suppression_mask(cats, k)
        for flag, col in zip(mask, ("pct_disagree", "pct_neutral", "pct_agree")):
            if flag:
                agreement.loc[agreement.index[pos], col] = np.nan
                hidden[pos] = True
    agreement["suppressed"] = hidden
    for col in ("missing", "nonsubstantive"):
        if col in agreement:
            values = agreement[col].to_numpy(dtype=float)
            agreement = _null_where(agreement, (values > 0) & (values < k), [col])

    flow = results.flow.copy()
    mask = np.zeros(len(flow), dtype=bool)
    parts = flow["stage"] != "received"
    for _, idx in flow[parts].groupby("questionnaire", sort=False).groups.items():
        positions = flow.index.get_indexer(idx)
        mask[positions] = suppression_mask(flow["n"].to_numpy(dtype=float)[positions], k)
    flow["n"] = flow["n"].astype("float64").where(~mask)
    flow["suppressed"] = mask

    groups = results.comparison_groups.copy()
    small = groups["n"].to_numpy(dtype=float)
    gmask = (small > 0) & (small < k)
    groups = _null_where(groups, gmask, ["n"])
    groups["suppressed"] = gmask
    settings = {**dict(results.settings), "min_cell": k}
    extra = _suppress_survey_frames(results, k)
    return dataclasses.replace(results, descriptives=desc, item_levels=levels, item_agreement=agreement,
                               flow=flow, comparison_groups=groups, settings=settings, **extra)


def _suppress_survey_frames(results, k: int) -> dict:
    """Non-substantive answer counts (within each item's distribution) and number summaries
    resting on 1..K-1 respondents (withheld whole); blank and non-substantive totals of the
    agreement and descriptive tables are primary-suppressed like any count."""
    out = {}
    nonsub = getattr(results, "nonsubstantive", None)
    if nonsub is not None:
        frame = suppress_frame(nonsub, "n", ["questionnaire", "variable"], k)
        out["nonsubstantive"] = _null_where(frame, frame["suppressed"].to_numpy(), ["n", "pct"])
    numbers = getattr(results, "numeric_summary", None)
    if numbers is not None:
        frame = numbers.copy()
        n = frame["n"].to_numpy(dtype=float)
        small = (n > 0) & (n < k)
        frame = _null_where(frame, small, ["n", "mean", "sd", "median", "q1", "q3", "min", "max"])
        for col in ("missing", "nonsubstantive"):
            frame = _null_where(frame, ((frame[col].to_numpy(dtype=float) > 0) & (frame[col].to_numpy(dtype=float) < k)),
                                [col])
        frame["suppressed"] = small
        out["numeric_summary"] = frame
    return out

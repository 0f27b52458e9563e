"""Per-table small-count suppression: the rule before :func:`imgshare.disclosure.protect`.

Kept for callers that suppress one distribution at a time (the study manuscript's helpers until
it reads the protected results). Within one table it is sound; across tables it is not -- a cell
withheld here can come back from another output's total (see :mod:`imgshare.disclosure`).

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

__all__ = ["suppression_mask", "suppress_frame", "marker", "total_suppressed"]


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

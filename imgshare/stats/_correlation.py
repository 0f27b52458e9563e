"""Spearman rank correlation from the item pair's joint (contingency) table."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from ._counts import coerce, encode, joint_counts, midranks
from ._errors import StatsInputError

__all__ = ["spearman", "spearman_matrix"]

_COLUMNS = ["n", "rho", "p", "ci_low", "ci_high", "reason"]
# A theme whose items' joint table has at most this many cells is counted in ONE bincount pass.
_FULL_JOINT_MAX_CELLS = 1 << 20
# A pair whose joint table would be larger than this is ranked directly (non-discrete data).
_PAIR_MAX_CELLS = 1 << 22


def _moments_from_table(table: np.ndarray) -> tuple[float, float, float, float]:
    """(n, Sxy, Sxx, Syy) of midranks, centred at (n+1)/2, weighted by the joint counts."""
    n = float(table.sum())
    rx, ry = table.sum(axis=1), table.sum(axis=0)
    mx = midranks(rx) - (n + 1.0) / 2.0
    my = midranks(ry) - (n + 1.0) / 2.0
    return n, float(mx @ table @ my), float(rx @ (mx * mx)), float(ry @ (my * my))


def _moments_from_codes(cx: np.ndarray, cy: np.ndarray, kx: int, ky: int) -> tuple[float, float, float, float]:
    """Same moments when the joint table would be too large: rank each complete pair directly."""
    n = float(cx.size)
    rx = midranks(np.bincount(cx, minlength=kx))[cx] - (n + 1.0) / 2.0
    ry = midranks(np.bincount(cy, minlength=ky))[cy] - (n + 1.0) / 2.0
    return n, float(rx @ ry), float(rx @ rx), float(ry @ ry)


def _result(n: float, sxy: float, sxx: float, syy: float, confidence: float) -> dict:
    row = {"n": int(n), "rho": np.nan, "p": np.nan, "ci_low": np.nan, "ci_high": np.nan, "reason": ""}
    if n < 2:
        row["reason"] = f"{int(n)} complete pair(s); at least 2 needed"
        return row
    if sxx == 0 or syy == 0:
        which = "both variables are" if sxx == syy == 0 else ("x is" if sxx == 0 else "y is")
        row["reason"] = f"{which} constant over the complete pairs"
        return row
    rho = np.float64(np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0))
    row["rho"] = float(rho)
    dof = np.float64(n - 2)
    if dof == 0:
        row["reason"] = "p and CI undefined with 2 complete pairs"
        return row
    with np.errstate(divide="ignore", invalid="ignore"):
        # Same expression and t distribution as scipy.stats.spearmanr.
        t = rho * np.sqrt(np.clip(dof / ((rho + 1.0) * (1.0 - rho)), 0, None))
        row["p"] = float(2 * special.stdtr(dof, -abs(t)))
        if n > 3:
            z = np.arctanh(rho)
            se = np.sqrt((1.0 + rho * rho / 2.0) / (n - 3.0))
            crit = special.ndtri(0.5 + confidence / 2.0)
            row["ci_low"], row["ci_high"] = float(np.tanh(z - crit * se)), float(np.tanh(z + crit * se))
        else:
            row["reason"] = "CI undefined with 3 complete pairs"
    return row


def _check_confidence(confidence: float) -> float:
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise StatsInputError(f"confidence: expected a number between 0 and 1, got {confidence!r}")
    return float(confidence)


def _encode(x, name: str) -> tuple[np.ndarray, int]:
    """Level codes 0..k-1 for present values and k for missing ones; returns (codes, k)."""
    levels, codes, _ = encode(*coerce(x, name))
    return codes, levels.size


def _pair_moments(cx: np.ndarray, kx: int, cy: np.ndarray, ky: int) -> tuple[float, float, float, float]:
    if (kx + 1) * (ky + 1) <= _PAIR_MAX_CELLS:
        return _moments_from_table(joint_counts(cx, kx, cy, ky)[:kx, :ky].astype(np.float64))
    both = (cx < kx) & (cy < ky)
    # Codes of the pairwise-complete subset are re-derived so levels absent there get no rank.
    _, sub_x, _ = encode(cx[both].astype(np.float64))
    _, sub_y, _ = encode(cy[both].astype(np.float64))
    return _moments_from_codes(sub_x, sub_y, int(sub_x.max(initial=-1)) + 1, int(sub_y.max(initial=-1)) + 1)


def spearman(x, y, *, confidence: float = 0.95) -> pd.DataFrame:
    """Spearman rank correlation of two paired samples, pairwise-complete.

    Parameters
    ----------
    x, y : array_like
        Paired observations (same length). Pairs where either value is missing are dropped.
    confidence : float, default 0.95
        Coverage of the confidence interval for rho.

    Returns
    -------
    pandas.DataFrame
        One row: ``n`` (complete pairs), ``rho``, ``p`` (two-sided), ``ci_low``, ``ci_high``,
        ``reason`` (why a value is NaN; empty otherwise). Values are unrounded.

    Notes
    -----
    With the joint table :math:`n_{ij}` of the pair's levels, row/column totals :math:`a_i, b_j`
    and midranks :math:`r_i = \\sum_{i'<i} a_{i'} + (a_i + 1)/2` (likewise :math:`s_j`),

    .. math:: \\rho = \\frac{\\sum_{ij} n_{ij}(r_i-\\bar r)(s_j-\\bar r)}
              {\\sqrt{\\sum_i a_i (r_i-\\bar r)^2 \\sum_j b_j (s_j-\\bar r)^2}},\\quad \\bar r=(n+1)/2,

    the Pearson correlation of midranks, i.e. Spearman's rho with tie handling identical to
    ``scipy.stats.spearmanr``. The p-value uses :math:`t = \\rho\\sqrt{(n-2)/(1-\\rho^2)}` on
    :math:`n-2` df, as scipy does. The CI is analytic: Fisher's z with the Bonett & Wright (2000)
    standard error :math:`\\sqrt{(1+\\rho^2/2)/(n-3)}`. Non-discrete data whose joint table would
    be too large are ranked value by value (same result).

    References
    ----------
    Spearman C (1904). The proof and measurement of association between two things.
    Am J Psychol 15:72-101.
    Bonett DG, Wright TA (2000). Sample size requirements for estimating Pearson, Kendall and
    Spearman correlations. Psychometrika 65:23-28.

    Examples
    --------
    >>> res = spearman([1, 2, 2, 4, 5, None], [2, 1, 3, 4, 5, 1])
    >>> int(res.n[0]), round(float(res.rho[0]), 4)
    (5, 0.8208)
    """
    confidence = _check_confidence(confidence)
    cx, kx = _encode(x, "x")
    cy, ky = _encode(y, "y")
    if cx.size != cy.size:
        raise StatsInputError(f"x and y must be paired: lengths {cx.size} and {cy.size} differ")
    return pd.DataFrame([_result(*_pair_moments(cx, kx, cy, ky), confidence)], columns=_COLUMNS)


def spearman_matrix(frame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Spearman correlations of every pair of columns (e.g. the items of one theme), pairwise-complete.

    Parameters
    ----------
    frame : pandas.DataFrame
        One column per item (codes; missing answers as NA/NaN). Columns are taken in order.
    confidence : float, default 0.95
        Coverage of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair in column order: ``item1``, ``item2`` and the columns of
        :func:`spearman`.

    Notes
    -----
    Each pair's statistic is that of :func:`spearman`. When the product of the items' level
    counts (missing counted as a level) is small, all items are counted in one ``bincount``
    over a combined code and every pair's joint table is a marginal of that table; otherwise
    each pair is counted separately.

    References
    ----------
    See :func:`spearman`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, None]})
    >>> spearman_matrix(df)[["item1", "item2", "n", "rho"]].round(3).values.tolist()
    [['a', 'b', 4, 0.8], ['a', 'c', 3, -1.0], ['b', 'c', 3, -0.5]]
    """
    confidence = _check_confidence(confidence)
    if not isinstance(frame, pd.DataFrame):
        raise StatsInputError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        raise StatsInputError(f"frame: column names must be distinct, got {names}")
    encoded = [_encode(frame.iloc[:, i], names[i]) for i in range(frame.shape[1])]
    shape = tuple(k + 1 for _, k in encoded)
    rows = []
    full = None
    if encoded and float(np.prod(shape, dtype=np.float64)) <= _FULL_JOINT_MAX_CELLS:
        combined = np.zeros(frame.shape[0], dtype=np.int64)
        for codes, k in encoded:
            combined *= k + 1  # in place: no new N-length temporaries
            combined += codes
        full = np.bincount(combined, minlength=int(np.prod(shape))).reshape(shape)
    for i, j in combinations(range(len(encoded)), 2):
        (ci, ki), (cj, kj) = encoded[i], encoded[j]
        if full is not None:
            other = tuple(a for a in range(len(shape)) if a not in (i, j))
            joint = full.sum(axis=other) if other else full
            moments = _moments_from_table(joint[:ki, :kj].astype(np.float64))
        else:
            moments = _pair_moments(ci, ki, cj, kj)
        rows.append({"item1": names[i], "item2": names[j], **_result(*moments, confidence)})
    return pd.DataFrame(rows, columns=["item1", "item2", *_COLUMNS])

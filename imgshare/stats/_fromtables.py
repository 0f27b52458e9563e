"""Statistics from count tables a caller has already built (one counting pass shared by many statistics).

The analysis layer counts each variable once and derives everything else from the counts; these
functions take those counts. Each gives the same result as its raw-data counterpart
(:func:`spearman_matrix`, :func:`cronbach_alpha`, ``numpy.quantile`` / ``numpy.median``) on the
data the counts came from, bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._correlation import _check_confidence, _moments_from_table, _result
from ._counts import LevelCounts
from ._errors import StatsInputError
from ._reliability import alpha_with_feldt_ci
from ._seqsum import sequential_sums

__all__ = ["spearman_from_tables", "cronbach_alpha_from_patterns", "level_quantile", "level_median"]

_SPEARMAN_COLUMNS = ["item1", "item2", "n", "rho", "p", "ci_low", "ci_high", "reason"]
_ALPHA_COLUMNS = ["k", "n", "n_incomplete", "alpha", "ci_low", "ci_high", "reason"]
# Sums of whole numbers below this are exact in float64, whatever the order of summation.
_EXACT = 2.0**53


def _count_array(table, name: str, ndim: int) -> np.ndarray:
    arr = np.asarray(table)
    if arr.ndim != ndim:
        raise StatsInputError(f"{name}: expected a {ndim}-D table of counts, got shape {arr.shape}")
    whole = arr.dtype.kind in "biuf" and np.isfinite(arr).all() and np.array_equal(arr, np.rint(arr))
    if not whole or (arr < 0).any():
        raise StatsInputError(f"{name}: counts must be non-negative whole numbers")
    return arr


def spearman_from_tables(tables: Mapping[tuple[str, str], np.ndarray], *, confidence: float = 0.95) -> pd.DataFrame:
    """Spearman correlations from each pair's joint table of complete pairs.

    Parameters
    ----------
    tables : mapping of (name1, name2) to 2-D array of counts
        For each pair, ``table[i, j]`` counts the observations at the ``i``-th level of the
        first variable and the ``j``-th level of the second (levels in ascending order; pairs
        with a missing value left out). Zero rows and columns are allowed.
    confidence : float, default 0.95
        Coverage of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per pair, in mapping order: ``item1, item2, n, rho, p, ci_low, ci_high,
        reason``, as :func:`spearman_matrix`.

    Notes
    -----
    With row and column totals :math:`a_i, b_j` and midranks
    :math:`r_i = \\sum_{i'<i} a_{i'} + (a_i + 1)/2` (likewise :math:`s_j`),
    :math:`\\rho = \\sum_{ij} n_{ij}(r_i-\\bar r)(s_j-\\bar r) / \\sqrt{\\sum_i a_i (r_i-\\bar r)^2
    \\sum_j b_j (s_j-\\bar r)^2}` with :math:`\\bar r = (n+1)/2`; p and CI as :func:`spearman`.
    Given the table :func:`spearman_matrix` counts for a pair (the pair's levels, missing left
    out), the result is identical to that function's, bit for bit.

    References
    ----------
    Spearman C (1904). Am J Psychol 15:72-101. Bonett DG, Wright TA (2000). Psychometrika 65:23-28.

    Examples
    --------
    >>> # a = 1, 2, 3, 4 and b = 1, 3, 2, 4: rows are a's levels, columns b's.
    >>> t = {("a", "b"): [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]}
    >>> res = spearman_from_tables(t)
    >>> res[["item1", "item2", "n"]].values.tolist(), round(float(res.rho[0]), 3)
    ([['a', 'b', 4]], 0.8)
    """
    confidence = _check_confidence(confidence)
    rows = []
    for (name1, name2), table in tables.items():
        counts = _count_array(table, f"tables[{name1!r}, {name2!r}]", 2)
        moments = _moments_from_table(counts.astype(np.float64))
        rows.append({"item1": str(name1), "item2": str(name2), **_result(*moments, confidence)})
    return pd.DataFrame(rows, columns=_SPEARMAN_COLUMNS)


def _exact_total(values: np.ndarray, counts: np.ndarray) -> np.ndarray | None:
    """Column sums of ``values`` weighted by ``counts`` when exact in float64 (so equal to any
    summation order numpy might use), else None."""
    whole = np.array_equal(values, np.floor(values))
    if whole and float(np.max(np.abs(values).T @ counts, initial=0.0)) < _EXACT:
        return values.T @ counts
    return None


def _sum_of_squares(values: np.ndarray, rows: np.ndarray, counts: np.ndarray, axis) -> np.ndarray:
    """numpy's ``var`` numerator of ``values[rows]`` along ``axis`` (0 for a 2-D table, None for 1-D).

    ``values`` holds one entry (or row) per pattern. The mean comes from the counts when that is
    exact; the squared deviations are summed over the respondents in their order as numpy sums
    them: one by one down each column of a 2-D array, pairwise along a 1-D one.
    """
    total = _exact_total(values, counts)
    if total is None:
        total = values[rows].sum(axis=axis)
    squares = np.square(values - np.true_divide(total, rows.size))
    if axis is None:
        return squares[rows].sum()
    return sequential_sums(squares, rows)


def cronbach_alpha_from_patterns(patterns, rows, n_incomplete: int = 0, *, confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha and Feldt's CI of complete cases given as answer patterns.

    Parameters
    ----------
    patterns : 2-D array_like of float, shape (patterns, items)
        Complete answer patterns (no missing value), one item per column.
    rows : 1-D array_like of int
        Each complete case's pattern (row of ``patterns``), in respondent order.
    n_incomplete : int, default 0
        Respondents left out for a missing answer (reported, not used).
    confidence : float, default 0.95
        CI coverage.

    Returns
    -------
    pandas.DataFrame
        One row as :func:`cronbach_alpha`: ``k, n, n_incomplete, alpha, ci_low, ci_high, reason``.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\big(1 - \\sum_i s_i^2 / s_T^2\\big)` with Feldt's interval, as
    :func:`cronbach_alpha`. Means come from the pattern counts (when exact); only the squared
    deviations are gathered per respondent, and they are summed in respondent order as numpy
    sums them, so the result equals :func:`cronbach_alpha` on the complete cases bit for bit.

    References
    ----------
    Cronbach LJ (1951). Psychometrika 16:297-334. Feldt LS, Woodruff DJ, Salih FA (1987).
    Appl Psychol Meas 11:93-103.

    Examples
    --------
    >>> patterns = [[1, 2, 1], [2, 2, 3], [3, 3, 3], [4, 5, 4]]
    >>> res = cronbach_alpha_from_patterns(patterns, [0, 1, 2, 3], n_incomplete=1)
    >>> int(res.n[0]), int(res.n_incomplete[0]), round(float(res.alpha[0]), 4)
    (4, 1, 0.9474)
    """
    confidence = _check_confidence(confidence)
    if isinstance(n_incomplete, bool) or not isinstance(n_incomplete, (int, np.integer)) or n_incomplete < 0:
        raise StatsInputError(f"n_incomplete: expected a whole number >= 0, got {n_incomplete!r}")
    values = np.asarray(patterns, dtype=np.float64)
    if values.ndim != 2 or not np.isfinite(values).all():
        raise StatsInputError(f"patterns: expected a 2-D table of finite values, got shape {values.shape}")
    index = np.asarray(rows)
    in_range = index.dtype.kind in "iu" and index.min() >= 0 and index.max() < len(values) if index.size else True
    if index.ndim != 1 or not in_range:
        raise StatsInputError(f"rows: expected pattern numbers 0..{len(values) - 1}, one per complete case")
    k, n = values.shape[1], index.size
    row = dict.fromkeys(_ALPHA_COLUMNS, np.nan)
    row.update(k=k, n=n, n_incomplete=int(n_incomplete), reason="")
    if k < 2:
        row["reason"] = f"{k} item(s); at least 2 needed"
    elif n < 2:
        row["reason"] = f"{n} complete case(s); at least 2 needed"
    else:
        counts = np.bincount(index, minlength=len(values)).astype(np.float64)
        # As cronbach_alpha: item variances down the (n, k) matrix, the totals' over a 1-D array.
        item_var = np.true_divide(_sum_of_squares(values, index, counts, 0), n - 1).sum()
        total_var = _sum_of_squares(values.sum(axis=1), index, counts, None) / (n - 1)
        if total_var == 0:
            row["reason"] = "total score is constant: alpha is undefined"
        else:
            row.update(alpha_with_feldt_ci(item_var, total_var, n, k, confidence))
    return pd.DataFrame([row], columns=_ALPHA_COLUMNS)


def _order_statistic(cum: np.ndarray, levels: np.ndarray, index: int) -> float:
    """The value at 0-based position ``index`` of the sorted sample."""
    return float(levels[np.searchsorted(cum, index, side="right")])


def level_quantile(counts: LevelCounts, q: float) -> float:
    """Quantile ``q`` of the sample ``counts`` describes, equal to ``numpy.quantile(values, q)``.

    Parameters
    ----------
    counts : LevelCounts
        The sample as level counts.
    q : float
        Probability in [0, 1].

    Returns
    -------
    float
        NaN for an empty sample.

    Notes
    -----
    numpy's default ("linear", Hyndman & Fan type 7): with :math:`h = (n-1)q`, the value is
    :math:`x_{(\\lfloor h \\rfloor)} + (h - \\lfloor h \\rfloor)(x_{(\\lfloor h \\rfloor+1)} -
    x_{(\\lfloor h \\rfloor)})`, the order statistics read off the cumulative counts, with
    numpy's own interpolation arithmetic so the result is identical.

    References
    ----------
    Hyndman RJ, Fan Y (1996). Sample quantiles in statistical packages. Am Stat 50:361-365.

    Examples
    --------
    >>> level_quantile(LevelCounts([1, 2, 5], [1, 2, 1]), 0.25)
    1.75
    """
    if isinstance(q, bool) or not isinstance(q, (int, float, np.floating)) or not 0 <= q <= 1:
        raise StatsInputError(f"q: expected a probability between 0 and 1, got {q!r}")
    n = counts.n
    if n == 0:
        return np.nan
    cum = np.cumsum(counts.counts)
    quantile = np.float64(q)
    # As numpy's "linear" method: virtual index (n - 1) q, its floor and the next index.
    virtual = (n - 1) * quantile
    below = np.floor(virtual)
    if virtual >= n - 1:
        return _order_statistic(cum, counts.levels, n - 1)
    a = np.float64(_order_statistic(cum, counts.levels, int(below)))
    b = np.float64(_order_statistic(cum, counts.levels, int(below) + 1))
    gamma = virtual - below
    # numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) from t = 0.5 on, for monotonicity.
    diff = b - a
    return float(b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma)


def level_median(counts: LevelCounts) -> float:
    """Median of the sample ``counts`` describes, equal to ``numpy.median(values)``.

    Parameters
    ----------
    counts : LevelCounts
        The sample as level counts.

    Returns
    -------
    float
        The middle value, or the mean of the two middle values (NaN for an empty sample).

    Notes
    -----
    :math:`x_{((n-1)/2)}` for odd :math:`n`, else :math:`(x_{(n/2-1)} + x_{(n/2)})/2`.

    References
    ----------
    Hyndman RJ, Fan Y (1996). Am Stat 50:361-365.

    Examples
    --------
    >>> level_median(LevelCounts([1, 2, 5], [1, 2, 1]))
    2.0
    """
    n = counts.n
    if n == 0:
        return np.nan
    cum = np.cumsum(counts.counts)
    half = n // 2
    if n % 2:
        return _order_statistic(cum, counts.levels, half)
    a = np.float64(_order_statistic(cum, counts.levels, half - 1))
    b = np.float64(_order_statistic(cum, counts.levels, half))
    return float((a + b) / 2)

"""Mann-Whitney U test from the two groups' level counts."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pandas as pd
from scipy import special

from ._bootstrap import bootstrap_tables, check_bootstrap_args, percentile_ci
from ._counts import count_table, midranks, tie_sum
from ._errors import StatsInputError

__all__ = ["mann_whitney"]

_COLUMNS = [
    "group1", "group2", "n1", "n2", "mean_rank1", "mean_rank2", "U", "z", "p", "method",
    "r", "r_ci_low", "r_ci_high", "rbc", "cles", "higher", "reason",
]  # fmt: skip
# scipy.stats.mannwhitneyu(method="auto") uses the exact null distribution when there are no
# ties and at least one sample has at most this many observations (scipy 1.17 _mwu_choose_method).
_EXACT_MAX_N = 8


def _u_and_z(table: np.ndarray) -> tuple[np.ndarray, ...]:
    """U1, continuity-corrected signed z and the U spread for tables of shape (..., 2, levels)."""
    a, b = table[..., 0, :], table[..., 1, :]
    n1, n2 = a.sum(axis=-1), b.sum(axis=-1)
    n = n1 + n2
    # U1 counts the (x, y) pairs with x > y, plus half the tied pairs: exact in float64.
    below_b = np.cumsum(b, axis=-1) - b
    u1 = np.sum(a * (below_b + b / 2.0), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sqrt(n1 * n2 / 12.0 * ((n + 1.0) - tie_sum(a + b) / (n * (n - 1.0))))
        d = u1 - n1 * n2 / 2.0
        z = np.sign(d) * np.maximum(np.abs(d) - 0.5, 0.0) / s
        z = np.where(s > 0, z, np.nan)
    return u1, z, s


def _exact_p(u_min: int, m: int, n: int) -> float:
    """Two-sided exact p = 2 P(U <= u_min) under H0 without ties, capped at 1.

    The number of arrangements with U = u is the coefficient of q**u in the Gaussian binomial
    prod_{i=1..m} (1 - q**(n+i)) / (1 - q**i); integers are exact (Python ints when large).
    """
    m, n = min(m, n), max(m, n)
    total = comb(m + n, m)
    dtype = np.int64 if total < 2**61 else object
    poly = np.zeros(u_min + 1, dtype=dtype)
    poly[0] = 1
    for i in range(1, m + 1):
        shift = n + i
        if shift <= u_min:
            poly[shift:] = poly[shift:] - poly[: u_min + 1 - shift]
        for r in range(min(i, u_min + 1)):
            poly[r::i] = np.cumsum(poly[r::i])
    count = int(sum(int(c) for c in poly)) if dtype is object else int(poly.sum())
    return min(1.0, float(Fraction(2 * count, total)))


def mann_whitney(
    x,
    y,
    *,
    names: tuple[str, str] = ("x", "y"),
    method: str = "auto",
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples, two-sided.

    Parameters
    ----------
    x, y : array_like or LevelCounts
        The two samples (missing values dropped) or their level counts.
    names : tuple of str, default ("x", "y")
        Group labels used in the output (``group1``, ``group2``, ``higher``).
    method : {"auto", "asymptotic", "exact"}, default "auto"
        As ``scipy.stats.mannwhitneyu``: "auto" is exact when there are no ties and
        ``min(n1, n2) <= 8``, otherwise the normal approximation with tie and continuity
        correction. "exact" with tied data is refused (the exact distribution assumes no ties).
    n_boot : int, default 2000
        Bootstrap resamples for the CI of r (0: no CI).
    confidence : float, default 0.95
        CI coverage.
    seed : int, default 0
        Seed of the bootstrap; results are deterministic.

    Returns
    -------
    pandas.DataFrame
        One row: ``group1``, ``group2``, ``n1``, ``n2``, ``mean_rank1``, ``mean_rank2`` (ranks in
        the pooled sample), ``U`` (U1, for the first sample, as scipy), ``z`` (signed, positive
        when the first group ranks higher), ``p``, ``method``, ``r`` with ``r_ci_low``,
        ``r_ci_high``, ``rbc`` (rank-biserial correlation), ``cles`` (P(X > Y) + P(X = Y)/2),
        ``higher`` (name of the group with the higher mean rank, or "neither") and ``reason``.

    Notes
    -----
    From counts :math:`a_k, b_k` at ordered levels :math:`k`:
    :math:`U_1 = \\sum_k a_k (\\sum_{k'<k} b_{k'} + b_k/2)`, :math:`U_2 = n_1 n_2 - U_1`,

    .. math:: z = \\operatorname{sign}(U_1-\\mu)\\,\\frac{\\max(|U_1-\\mu|-\\tfrac12, 0)}{\\sigma},\\quad
              \\mu=\\frac{n_1 n_2}{2},\\quad
              \\sigma^2=\\frac{n_1 n_2}{12}\\Big(N+1-\\frac{\\sum_k (t_k^3-t_k)}{N(N-1)}\\Big)

    with :math:`t_k = a_k + b_k`, and :math:`p = 2\\Phi(-|z|)` (scipy's default). The exact p is
    :math:`2P(U \\le \\min(U_1, U_2))`, capped at 1. :math:`r = z/\\sqrt{N}` (Rosenthal 1991) uses
    this continuity-corrected z, also when p is exact; its CI is a percentile bootstrap that
    resamples each group's level counts (multinomially; equivalent to resampling respondents).
    :math:`r_{rb} = (U_1-U_2)/(n_1 n_2)` (Wendt 1972) and CLES :math:`=U_1/(n_1 n_2)`.

    References
    ----------
    Mann HB, Whitney DR (1947). On a test of whether one of two random variables is
    stochastically larger than the other. Ann Math Stat 18:50-60.
    Rosenthal R (1991). Meta-analytic procedures for social research. Sage.
    Wendt HW (1972). Dealing with a common problem in social science. Eur J Soc Psychol 2:197-201.

    Examples
    --------
    >>> res = mann_whitney([1, 2, 2, 3, 4], [3, 4, 4, 5, 5], n_boot=200)
    >>> float(res.U[0]), round(float(res.p[0]), 4), res.method[0], res.higher[0]
    (2.5, 0.0426, 'asymptotic', 'y')
    """
    check_bootstrap_args(n_boot, confidence, seed)
    if method not in ("auto", "asymptotic", "exact"):
        raise StatsInputError(f"method: expected 'auto', 'asymptotic' or 'exact', got {method!r}")
    if len(names) != 2:
        raise StatsInputError(f"names: expected 2 group names, got {len(names)}")
    _, table, labels = count_table([x, y], names)
    n1, n2 = (int(v) for v in table.sum(axis=1))
    row = dict.fromkeys(_COLUMNS, np.nan)
    row.update(group1=labels[0], group2=labels[1], n1=n1, n2=n2, method="", higher="", reason="")
    if n1 == 0 or n2 == 0:
        row["reason"] = f"group {labels[0] if n1 == 0 else labels[1]!r} has no observations"
        return pd.DataFrame([row], columns=_COLUMNS)
    u1, z, s = (float(v) for v in _u_and_z(table))
    n = n1 + n2
    mr = midranks(table.sum(axis=0))
    row["mean_rank1"], row["mean_rank2"] = float(table[0] @ mr / n1), float(table[1] @ mr / n2)
    row["U"] = u1
    row["rbc"] = 2.0 * u1 / (n1 * n2) - 1.0
    row["cles"] = u1 / (n1 * n2)
    row["higher"] = labels[0] if u1 > n1 * n2 / 2 else labels[1] if u1 < n1 * n2 / 2 else "neither"
    ties = bool((table.sum(axis=0) > 1).any())
    if method == "exact" and ties:
        raise StatsInputError("method='exact' needs data without ties; use 'auto' or 'asymptotic'")
    chosen = "exact" if method == "exact" or (method == "auto" and min(n1, n2) <= _EXACT_MAX_N and not ties) else "asymptotic"
    row["method"] = chosen
    if not s > 0:
        row["reason"] = "all values are identical: the test is undefined"
        return pd.DataFrame([row], columns=_COLUMNS)
    row["z"] = z
    row["r"] = z / np.sqrt(n)
    if chosen == "exact":
        row["p"] = _exact_p(int(round(min(u1, n1 * n2 - u1))), n1, n2)
    else:
        row["p"] = float(min(1.0, 2.0 * special.ndtr(-abs(z))))
    reps = bootstrap_tables(table, lambda t: _u_and_z(t)[1] / np.sqrt(n), n_boot, seed)
    row["r_ci_low"], row["r_ci_high"], row["reason"] = percentile_ci(reps, confidence)
    return pd.DataFrame([row], columns=_COLUMNS)

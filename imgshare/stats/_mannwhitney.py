"""Mann-Whitney U test from the two groups' level counts."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pandas as pd
from scipy import special

from ._bootstrap import bootstrap_tables, check_bootstrap_args, percentile_ci
from ._counts import count_table, midranks, tie_sum
from ._effect_ci import CI_METHODS, mann_whitney_probability_ci
from ._errors import StatsInputError

__all__ = ["mann_whitney", "mann_whitney_row", "check_ci_method"]

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
    ci: str = "analytic",
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
    ci : {"analytic", "bootstrap", "none"}, default "analytic"
        How the CI of r is computed (see Notes); "none" leaves it NaN.
    n_boot : int, default 2000
        Bootstrap resamples for the CI of r when ``ci="bootstrap"`` (0: no CI).
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
    this continuity-corrected z, also when p is exact.
    :math:`r_{rb} = (U_1-U_2)/(n_1 n_2)` (Wendt 1972) and CLES :math:`=U_1/(n_1 n_2)`.

    The CI of r (``ci="analytic"``) comes from the CI of the Mann-Whitney probability
    :math:`\\theta = P(X>Y) + P(X=Y)/2` (the CLES): DeLong's variance of :math:`\\hat\\theta`
    (structural components, ties counting half) and a Wald interval on the logit scale, as
    recommended by Perme & Manevski (2019). Each bound :math:`\\theta_b` is mapped to r through
    the formula of r itself, :math:`U = \\theta_b n_1 n_2` with :math:`\\sigma` held at its observed
    (tie-corrected) value; the map is monotone, so the interval contains r. It is undefined
    (NaN, with a reason) when a group has fewer than 2 observations or the groups do not
    overlap. ``ci="bootstrap"`` gives a percentile bootstrap instead, resampling each group's
    level counts (multinomially; equivalent to resampling respondents).

    References
    ----------
    Mann HB, Whitney DR (1947). On a test of whether one of two random variables is
    stochastically larger than the other. Ann Math Stat 18:50-60.
    Rosenthal R (1991). Meta-analytic procedures for social research. Sage.
    Wendt HW (1972). Dealing with a common problem in social science. Eur J Soc Psychol 2:197-201.
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under two or more
    correlated receiver operating characteristic curves: a nonparametric approach.
    Biometrics 44:837-845.
    Perme MP, Manevski D (2019). Confidence intervals for the Mann-Whitney test.
    Stat Methods Med Res 28:3755-3768.

    Examples
    --------
    >>> res = mann_whitney([1, 2, 2, 3, 4], [3, 4, 4, 5, 5])
    >>> float(res.U[0]), round(float(res.p[0]), 4), res.method[0], res.higher[0]
    (2.5, 0.0426, 'asymptotic', 'y')
    >>> [round(float(v), 3) for v in (res.r_ci_low[0], res.r[0], res.r_ci_high[0])]
    [-0.787, -0.641, -0.022]
    """
    check_ci_method(ci)
    check_bootstrap_args(n_boot, confidence, seed)
    if method not in ("auto", "asymptotic", "exact"):
        raise StatsInputError(f"method: expected 'auto', 'asymptotic' or 'exact', got {method!r}")
    if len(names) != 2:
        raise StatsInputError(f"names: expected 2 group names, got {len(names)}")
    _, table, labels = count_table([x, y], names)
    row = _row(table, labels, method, ci, n_boot, confidence, seed)
    return pd.DataFrame([row], columns=_COLUMNS)


def check_ci_method(ci) -> None:
    if ci not in CI_METHODS:
        raise StatsInputError(f"ci: expected one of {', '.join(map(repr, CI_METHODS))}, got {ci!r}")


def mann_whitney_row(x, y, *, names: tuple[str, str] = ("x", "y"), method: str = "auto", ci: str = "analytic",
                     n_boot: int = 2000, confidence: float = 0.95, seed: int = 0) -> dict:
    """:func:`mann_whitney` as a plain dict (column -> value): the same numbers, no DataFrame.

    For callers that run many tests (the analysis layer) and gather the rows themselves.

    Examples
    --------
    >>> mann_whitney_row([1, 2, 2, 3, 4], [3, 4, 4, 5, 5])["U"]
    2.5
    """
    check_ci_method(ci)
    check_bootstrap_args(n_boot, confidence, seed)
    if method not in ("auto", "asymptotic", "exact"):
        raise StatsInputError(f"method: expected 'auto', 'asymptotic' or 'exact', got {method!r}")
    _, table, labels = count_table([x, y], names)
    return _row(table, labels, method, ci, n_boot, confidence, seed)


def _r_of_u(u: np.ndarray, n1: int, n2: int, s: float) -> np.ndarray:
    """r = z/sqrt(N) as a function of U, with the spread s held fixed (monotone in U)."""
    d = u - n1 * n2 / 2.0
    return np.sign(d) * np.maximum(np.abs(d) - 0.5, 0.0) / s / np.sqrt(n1 + n2)


def _row(table: np.ndarray, labels: list[str], method: str, ci: str, n_boot: int, confidence: float,
         seed: int) -> dict:
    n1, n2 = (int(v) for v in table.sum(axis=1))
    row = dict.fromkeys(_COLUMNS, np.nan)
    row.update(group1=labels[0], group2=labels[1], n1=n1, n2=n2, method="", higher="", reason="")
    if n1 == 0 or n2 == 0:
        row["reason"] = f"group {labels[0] if n1 == 0 else labels[1]!r} has no observations"
        return row
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
        return row
    row["z"] = z
    row["r"] = z / np.sqrt(n)
    if chosen == "exact":
        row["p"] = _exact_p(int(round(min(u1, n1 * n2 - u1))), n1, n2)
    else:
        row["p"] = float(min(1.0, 2.0 * special.ndtr(-abs(z))))
    if ci == "analytic":
        _, low, high, row["reason"] = mann_whitney_probability_ci(table, confidence)
        row["r_ci_low"], row["r_ci_high"] = (float(v) for v in _r_of_u(np.array([low, high]) * (n1 * n2), n1, n2, s))
    elif ci == "bootstrap":
        reps = bootstrap_tables(table, lambda t: _u_and_z(t)[1] / np.sqrt(n), n_boot, seed)
        row["r_ci_low"], row["r_ci_high"], row["reason"] = percentile_ci(reps, confidence)
    return row

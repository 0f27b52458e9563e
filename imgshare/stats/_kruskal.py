"""Kruskal-Wallis H and Dunn's pairwise z from the groups' level counts."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from ._bootstrap import bootstrap_tables, check_bootstrap_args, percentile_ci
from ._counts import count_table, midranks, tie_sum
from ._effect_ci import rank_eta_squared_ci
from ._errors import StatsInputError
from ._mannwhitney import check_ci_method
from ._pvalues import adjust_pvalues

__all__ = ["KruskalWallisResult", "kruskal_wallis", "kruskal_wallis_rows", "dunn", "dunn_rows"]

_TEST_COLUMNS = ["n", "n_groups", "H", "dof", "p", "epsilon2", "ci_low", "ci_high", "reason"]
_GROUP_COLUMNS = ["group", "n", "rank_sum", "mean_rank"]
_DUNN_COLUMNS = ["group1", "group2", "n1", "n2", "mean_rank1", "mean_rank2", "z", "p", "p_adj", "reason"]


@dataclass(frozen=True)
class KruskalWallisResult:
    """Result of :func:`kruskal_wallis`.

    Attributes
    ----------
    test : pandas.DataFrame
        One row: ``n``, ``n_groups`` (groups with observations), ``H``, ``dof``, ``p``,
        ``epsilon2``, ``ci_low``, ``ci_high``, ``reason``.
    groups : pandas.DataFrame
        One row per group, in input order: ``group``, ``n``, ``rank_sum``, ``mean_rank``.
    """

    test: pd.DataFrame
    groups: pd.DataFrame


def _h_statistic(table: np.ndarray) -> np.ndarray:
    """Tie-corrected H for tables of shape (..., groups, levels); empty groups must be removed."""
    nj = table.sum(axis=-1)
    n = nj.sum(axis=-1)
    totals = table.sum(axis=-2)
    mr = midranks(totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_rank = np.einsum("...gk,...k->...g", table, mr) / nj
        # Deviation form: free of the cancellation in 12/(N(N+1)) sum R^2/n - 3(N+1).
        h0 = 12.0 / (n * (n + 1.0)) * np.sum(nj * (mean_rank - ((n + 1.0) / 2.0)[..., None]) ** 2, axis=-1)
        correction = 1.0 - tie_sum(totals) / (n**3 - n)
        return np.where(correction > 0, h0 / correction, np.nan)


def _prepare(groups, names):
    if len(groups) == 0:
        raise StatsInputError("groups: at least one group is needed")
    _, table, labels = count_table(list(groups), names)
    return table, labels


def kruskal_wallis(
    *groups, names=None, ci: str = "analytic", n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> KruskalWallisResult:
    """Kruskal-Wallis H test of k independent samples, with epsilon-squared and its CI.

    Parameters
    ----------
    *groups : array_like or LevelCounts
        One sample per group (missing values dropped) or its level counts.
    names : sequence of str, optional
        Group labels (default ``group1``, ``group2``, ...).
    ci : {"analytic", "bootstrap", "none"}, default "analytic"
        How the CI of epsilon-squared is computed (see Notes); "none" leaves it NaN.
    n_boot : int, default 2000
        Bootstrap resamples for the CI when ``ci="bootstrap"`` (0: no CI).
    confidence : float, default 0.95
        CI coverage.
    seed : int, default 0
        Seed of the bootstrap; results are deterministic.

    Returns
    -------
    KruskalWallisResult
        ``test`` (one row) and ``groups`` (one row per group). Groups without observations are
        listed with ``n`` = 0 and do not count towards ``n_groups`` or ``dof`` (as R's
        ``kruskal.test`` drops unused factor levels).

    Notes
    -----
    With group sizes :math:`n_j`, mean ranks :math:`\\bar R_j` (midranks in the pooled sample,
    computed from level counts) and tie sizes :math:`t_k`,

    .. math:: H = \\frac{\\frac{12}{N(N+1)} \\sum_j n_j (\\bar R_j - \\frac{N+1}{2})^2}
              {1 - \\sum_k (t_k^3 - t_k)/(N^3 - N)},

    which equals ``scipy.stats.kruskal``; :math:`p = P(\\chi^2_{g-1} \\ge H)`. Effect size
    :math:`\\varepsilon^2_R = H / ((N^2-1)/(N+1)) = H/(N-1)` (Tomczak & Tomczak 2014).

    :math:`\\varepsilon^2_R` is exactly :math:`\\eta^2 = SS_{between}/SS_{total}` of a one-way ANOVA
    on the pooled midranks (the rank-transform view of Conover & Iman 1981), whose statistic is
    :math:`F = \\frac{\\varepsilon^2/(g-1)}{(1-\\varepsilon^2)/(N-g)}`. The CI (``ci="analytic"``)
    is that ANOVA's noncentrality interval (Steiger 2004): the :math:`\\lambda` at which the
    observed F is the upper and the lower :math:`(1-c)/2` quantile of the noncentral
    :math:`F(g-1, N-g, \\lambda)` (0 when none is positive), mapped by :math:`\\lambda/(\\lambda+N)`.
    ``ci="bootstrap"`` gives a percentile bootstrap instead, resampling each group's level
    counts (group sizes fixed).

    References
    ----------
    Kruskal WH, Wallis WA (1952). Use of ranks in one-criterion variance analysis.
    J Am Stat Assoc 47:583-621.
    Tomczak M, Tomczak E (2014). The need to report effect size estimates revisited.
    Trends Sport Sci 1(21):19-25.
    Conover WJ, Iman RL (1981). Rank transformations as a bridge between parametric and
    nonparametric statistics. Am Stat 35:124-129.
    Steiger JH (2004). Beyond the F test: effect size confidence intervals and tests of close
    fit in the analysis of variance and contrast analysis. Psychol Methods 9:164-182.

    Examples
    --------
    >>> res = kruskal_wallis([1, 2, 2, 3], [3, 4, 4], [5, 5, 4, 1], names=["a", "b", "c"])
    >>> round(float(res.test.H[0]), 4), int(res.test.dof[0]), res.groups.mean_rank.round(3).tolist()
    (3.7402, 2, [3.5, 7.167, 7.625])
    >>> [round(float(v), 3) for v in res.test[["ci_low", "epsilon2", "ci_high"]].iloc[0]]
    [0.0, 0.374, 0.617]
    """
    row, group_frame = kruskal_wallis_rows(*groups, names=names, ci=ci, n_boot=n_boot, confidence=confidence,
                                           seed=seed)
    return KruskalWallisResult(pd.DataFrame([row], columns=_TEST_COLUMNS), pd.DataFrame(group_frame, columns=_GROUP_COLUMNS))


def kruskal_wallis_rows(*groups, names=None, ci: str = "analytic", n_boot: int = 2000, confidence: float = 0.95,
                        seed: int = 0) -> tuple[dict, dict]:
    """:func:`kruskal_wallis` as plain data: (test row as a dict, groups as a dict of columns).

    The same numbers without building DataFrames, for callers that run many tests.

    Examples
    --------
    >>> test, groups = kruskal_wallis_rows([1, 2, 2, 3], [3, 4, 4], [5, 5, 4, 1])
    >>> int(test["dof"]), groups["n"].tolist()
    (2, [4, 3, 4])
    """
    check_ci_method(ci)
    check_bootstrap_args(n_boot, confidence, seed)
    table, labels = _prepare(groups, names)
    nj = table.sum(axis=1)
    mr = midranks(table.sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        rank_sum = table @ mr
        group_frame = {"group": labels, "n": nj.astype(np.int64), "rank_sum": rank_sum,
                       "mean_rank": np.where(nj > 0, rank_sum / nj, np.nan)}
    used = table[nj > 0]
    n = int(nj.sum())
    row = dict.fromkeys(_TEST_COLUMNS, np.nan)
    row.update(n=n, n_groups=int(used.shape[0]), reason="")
    if used.shape[0] < 2:
        row["reason"] = f"{used.shape[0]} group(s) with observations; at least 2 needed"
        return row, group_frame
    row["dof"] = used.shape[0] - 1
    h = float(_h_statistic(used))
    if np.isnan(h):
        row["reason"] = "all values are identical: the test is undefined"
        return row, group_frame
    row["H"] = h
    row["p"] = float(special.chdtrc(row["dof"], h))
    row["epsilon2"] = h / (n - 1)
    if ci == "analytic":
        row["ci_low"], row["ci_high"], row["reason"] = rank_eta_squared_ci(row["epsilon2"], n, used.shape[0], confidence)
    elif ci == "bootstrap":
        reps = bootstrap_tables(used, lambda t: _h_statistic(t) / (n - 1), n_boot, seed)
        row["ci_low"], row["ci_high"], row["reason"] = percentile_ci(reps, confidence)
    return row, group_frame


def dunn(*groups, names=None, p_adjust: str | None = "holm") -> pd.DataFrame:
    """Dunn's pairwise z tests after Kruskal-Wallis, with adjusted p-values.

    Parameters
    ----------
    *groups : array_like or LevelCounts
        One sample per group (missing values dropped) or its level counts.
    names : sequence of str, optional
        Group labels (default ``group1``, ``group2``, ...).
    p_adjust : {"holm", "fdr_bh", "bonferroni", None}, default "holm"
        Multiplicity adjustment over all pairs (see :func:`adjust_pvalues`); None leaves p as is.

    Returns
    -------
    pandas.DataFrame
        One row per pair of groups with observations, in input order: ``group1``, ``group2``,
        ``n1``, ``n2``, ``mean_rank1``, ``mean_rank2``, ``z`` (signed, positive when group1 ranks
        higher), ``p`` (two-sided), ``p_adj``, ``reason``.

    Notes
    -----
    Ranks are those of the pooled sample of all groups (sizes :math:`n_i`, total :math:`N`,
    tie sizes :math:`t_k`):

    .. math:: z_{ij} = \\frac{\\bar R_i - \\bar R_j}
              {\\sqrt{\\Big(\\frac{N(N+1)}{12} - \\frac{\\sum_k (t_k^3-t_k)}{12(N-1)}\\Big)
              \\Big(\\frac{1}{n_i}+\\frac{1}{n_j}\\Big)}},\\quad p = 2\\Phi(-|z_{ij}|),

    identical to ``scikit_posthocs.posthoc_dunn``.

    References
    ----------
    Dunn OJ (1964). Multiple comparisons using rank sums. Technometrics 6:241-252.

    Examples
    --------
    >>> d = dunn([1, 2, 2, 3], [3, 4, 4], [5, 5, 4, 1], names=["a", "b", "c"])
    >>> d[["group1", "group2"]].values.tolist()
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    >>> d.p_adj.round(4).tolist()
    [0.2807, 0.2195, 0.8538]
    """
    out = pd.DataFrame(dunn_rows(*groups, names=names, p_adjust=p_adjust), columns=_DUNN_COLUMNS)
    return out.astype({"p_adj": np.float64}) if out.empty else out


def dunn_rows(*groups, names=None, p_adjust: str | None = "holm") -> list[dict]:
    """:func:`dunn` as a list of plain dicts (one per pair): the same numbers, no DataFrame.

    Examples
    --------
    >>> [round(r["p_adj"], 4) for r in dunn_rows([1, 2, 2, 3], [3, 4, 4], [5, 5, 4, 1])]
    [0.2807, 0.2195, 0.8538]
    """
    table, labels = _prepare(groups, names)
    nj = table.sum(axis=1)
    used = np.flatnonzero(nj > 0)
    n = float(nj.sum())
    totals = table.sum(axis=0)
    mean_rank = np.full(len(labels), np.nan)
    mean_rank[used] = table[used] @ midranks(totals) / nj[used]
    variance = n * (n + 1.0) / 12.0 - (tie_sum(totals) / (12.0 * (n - 1.0)) if n > 1 else 0.0)
    rows = []
    for i, j in combinations(used, 2):
        row = {"group1": labels[i], "group2": labels[j], "n1": int(nj[i]), "n2": int(nj[j]),
               "mean_rank1": float(mean_rank[i]), "mean_rank2": float(mean_rank[j]), "z": np.nan, "p": np.nan,
               "p_adj": np.nan, "reason": ""}  # fmt: skip
        if variance > 0:
            row["z"] = float((mean_rank[i] - mean_rank[j]) / np.sqrt(variance * (1.0 / nj[i] + 1.0 / nj[j])))
            row["p"] = float(2.0 * special.ndtr(-abs(row["z"])))
        else:
            row["reason"] = "all values are identical: the test is undefined"
        rows.append(row)
    p = np.array([r["p"] for r in rows], dtype=np.float64)
    adjusted = p if p_adjust is None else adjust_pvalues(p, p_adjust)
    for row, value in zip(rows, adjusted):
        row["p_adj"] = float(value)
    return rows

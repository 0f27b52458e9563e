"""How well a theme's items hang together: within-theme Spearman correlations and Cronbach's alpha."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..stats import cronbach_alpha_from_patterns, spearman_from_tables
from ._coded_cohort import CodedCohort
from ._scores import min_answered_of
from ._theme_patterns import theme_codes

__all__ = ["theme_correlations", "theme_correlation_summary", "theme_reliability", "CORRELATION_ALPHA"]

#: Significance level at which within-theme correlations are counted (the paper's 0.001).
CORRELATION_ALPHA = 0.001

CORRELATION_COLUMNS = ["questionnaire", "theme", "item1", "item2", "n", "rho", "p", "ci_low", "ci_high", "reason"]
SUMMARY_COLUMNS = ["questionnaire", "theme", "n_items", "n_pairs", "n_defined", "rho", "rho_min", "rho_max",
                   "p_max", "alpha", "n_significant", "reason"]
RELIABILITY_COLUMNS = ["questionnaire", "theme", "k", "n", "n_incomplete", "alpha", "ci_low", "ci_high", "reason"]


def _themes_asked(codebook: Any):
    for qid in codebook.questionnaires:
        for tid in codebook.themes:
            items = codebook.theme_items(tid, qid)
            if items:
                yield qid, tid, items


def theme_correlations(cohort: Any) -> pd.DataFrame:
    """Spearman correlation of every pair of items within each theme, per questionnaire.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire x theme x item pair (items in codebook order):
        ``questionnaire, theme, item1, item2, n, rho, p, ci_low, ci_high, reason``. ``n``
        counts respondents answering both items (pairwise-complete); ``rho`` is NaN with a
        ``reason`` when undefined (e.g. an item everyone answered alike). Themes with fewer
        than two items in a questionnaire have no rows.

    Notes
    -----
    Items are correlated on their keyed codes (reverse-keyed items mirrored), so a positive
    :math:`\\rho` always means the items point the same way within the theme. :math:`\\rho` is the
    Pearson correlation of midranks; :math:`p` from :math:`t = \\rho\\sqrt{(n-2)/(1-\\rho^2)}` on
    :math:`n-2` df; CI by Fisher's z with the Bonett-Wright standard error (see
    :func:`imgshare.stats.spearman`).

    References
    ----------
    Spearman C. Am J Psychol 1904;15:72-101. Bonett DG, Wright TA. Psychometrika 2000;65:23-8.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> r = theme_correlations(example_cohort())
    >>> r[["item1", "item2", "n"]].to_numpy().tolist(), round(float(r["rho"].iloc[0]), 4)
    ([['A1', 'A2', 4]], 0.9487)
    """
    return _theme_correlations(CodedCohort(cohort), min_answered_of(cohort, None))


def _theme_correlations(data: CodedCohort, min_answered: float) -> pd.DataFrame:
    parts = []
    for qid, tid, items in _themes_asked(data.codebook):
        if len(items) < 2:
            continue
        codes = theme_codes(data, qid, items, min_answered)
        pairs = spearman_from_tables(codes.pair_tables(data.n(qid)))
        pairs.insert(0, "theme", tid)
        pairs.insert(0, "questionnaire", qid)
        parts.append(pairs)
    if not parts:
        return pd.DataFrame(columns=CORRELATION_COLUMNS)
    return pd.concat(parts, ignore_index=True)[CORRELATION_COLUMNS]


def theme_correlation_summary(
    cohort: Any, alpha: float = CORRELATION_ALPHA, correlations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One line per questionnaire x theme summarising its within-theme correlations.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    alpha : float, default 0.001
        Significance level for ``n_significant``.
    correlations : pandas.DataFrame, optional
        A precomputed :func:`theme_correlations` frame of this cohort.

    Returns
    -------
    pandas.DataFrame
        ``questionnaire, theme, n_items, n_pairs, n_defined, rho, rho_min, rho_max, p_max,
        alpha, n_significant, reason``: ``rho`` is the single coefficient of a two-item theme
        (NaN for larger themes, which report the range ``rho_min``-``rho_max`` over defined
        pairs); ``p_max`` the largest p; ``n_significant`` the pairs with ``p < alpha``.
        ``reason`` explains a theme with no defined pair.

    Notes
    -----
    A theme of :math:`k` items has :math:`k(k-1)/2` pairs. "All pairs significant at
    :math:`\\alpha`" is ``n_significant == n_pairs``.

    References
    ----------
    Cox WAS, Cavenagh P, Bello F. BMJ Open 2020;10:e033835 (theme correlations, results).

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> s = theme_correlation_summary(example_cohort())
    >>> s[["n_pairs", "n_significant"]].to_numpy().tolist()
    [[1, 0]]
    """
    correlations = theme_correlations(cohort) if correlations is None else correlations
    rows = []
    for qid, tid, items in _themes_asked(cohort.codebook):
        if len(items) < 2:
            continue
        mine = correlations[(correlations["questionnaire"] == qid) & (correlations["theme"] == tid)]
        rho = mine["rho"].to_numpy(dtype=float)
        p = mine["p"].to_numpy(dtype=float)
        defined = ~np.isnan(rho)
        reasons = sorted({r for r in mine["reason"] if r})
        rows.append(
            {
                "questionnaire": qid,
                "theme": tid,
                "n_items": len(items),
                "n_pairs": len(mine),
                "n_defined": int(defined.sum()),
                "rho": float(rho[0]) if len(rho) == 1 else np.nan,
                "rho_min": float(rho[defined].min()) if defined.any() else np.nan,
                "rho_max": float(rho[defined].max()) if defined.any() else np.nan,
                "p_max": float(p[defined].max()) if defined.any() else np.nan,
                "alpha": alpha,
                "n_significant": int((p[defined] < alpha).sum()),
                "reason": "" if defined.any() else "; ".join(reasons) or "no defined correlation",
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def theme_reliability(cohort: Any) -> pd.DataFrame:
    """Cronbach's alpha of each theme's items, per questionnaire, with Feldt's 95% CI.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        ``questionnaire, theme, k, n, n_incomplete, alpha, ci_low, ci_high, reason``: ``k``
        items asked, ``n`` respondents answering all of them (listwise), ``n_incomplete`` those
        left out; alpha NaN with a ``reason`` for a one-item theme or constant totals.

    Notes
    -----
    On keyed codes (reverse-keyed items mirrored),
    :math:`\\alpha = \\frac{k}{k-1}\\big(1 - \\sum_i s_i^2 / s_T^2\\big)`; the CI is
    :math:`1-(1-\\alpha)F_{0.025}` to :math:`1-(1-\\alpha)F_{0.975}` with
    :math:`F(n-1,(n-1)(k-1))` upper quantiles (see :func:`imgshare.stats.cronbach_alpha`).

    References
    ----------
    Cronbach LJ. Psychometrika 1951;16:297-334. Feldt LS, Woodruff DJ, Salih FA. Appl Psychol
    Meas 1987;11:93-103.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> r = theme_reliability(example_cohort())
    >>> int(r["n"].iloc[0]), round(float(r["alpha"].iloc[0]), 4)
    (4, 0.9231)
    """
    return _theme_reliability(CodedCohort(cohort), min_answered_of(cohort, None))


def _theme_reliability(data: CodedCohort, min_answered: float) -> pd.DataFrame:
    parts = []
    for qid, tid, items in _themes_asked(data.codebook):
        res = cronbach_alpha_from_patterns(*theme_codes(data, qid, items, min_answered).complete_patterns(data.n(qid)))
        res.insert(0, "theme", tid)
        res.insert(0, "questionnaire", qid)
        parts.append(res)
    if not parts:
        return pd.DataFrame(columns=RELIABILITY_COLUMNS)
    return pd.concat(parts, ignore_index=True)[RELIABILITY_COLUMNS]

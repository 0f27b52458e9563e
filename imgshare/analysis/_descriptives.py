"""Level distributions of one question: the demographic tables and a Likert item's answers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Level
from ..stats import largest_remainder, wilson_ci
from ._coded_cohort import CodedCohort
from ._common import AnalysisError, questionnaire_of
from ._column_encoding import count_keys

__all__ = ["categorical_table", "descriptive_tables", "rounded_percentages"]

_COLUMNS = [
    "questionnaire", "variable", "level", "label", "missing_level", "n", "denominator", "pct",
    "missing", "nonsubstantive", "not_asked",
]


def _levels_of(cohort: Any, qid: str, variable: str) -> tuple[tuple[Level, ...], tuple[int, ...]]:
    q = questionnaire_of(cohort, qid)
    cb = cohort.codebook
    if variable in q.items:
        return cb.scale_of(variable).levels, ()
    var = q.variables.get(variable)
    if var is None:
        raise AnalysisError(f"questionnaire '{qid}' has no item or variable '{variable}'")
    if var.type != "categorical":
        raise AnalysisError(
            f"questionnaire '{qid}': variable '{variable}' is {var.type}; only categorical variables and items have levels"
        )
    return var.levels, var.missing_levels


def categorical_table(cohort: Any, questionnaire: str, variable: str, ci: bool = False) -> pd.DataFrame:
    """Distribution of a categorical variable or Likert item over its levels.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    questionnaire : str
        Questionnaire id.
    variable : str
        A categorical variable or an item of that questionnaire.
    ci : bool, default False
        Add Wilson 95% confidence limits ``ci_low``/``ci_high`` (percent) for each level.

    Returns
    -------
    pandas.DataFrame
        One row per level in codebook order: ``questionnaire, variable, level, label,
        missing_level, n, denominator, pct, missing, nonsubstantive, not_asked`` (+ ``ci_low,
        ci_high``). ``denominator`` counts respondents who were asked the question (its
        ``asked_if`` holds) and answered it; ``missing`` counts those asked who left it blank,
        ``nonsubstantive`` those asked who gave a declared non-substantive code (``missing``
        in the codebook, e.g. 9 "No answer"; counted per code by
        :func:`~imgshare.analysis.nonsubstantive_answers`) and ``not_asked`` those the question
        was not put to (all repeated on every row).
        Levels listed in ``missing_levels`` (e.g. "prefer not to say") stay in the table
        and the denominator, flagged by ``missing_level``. ``pct = 100 * n / denominator``,
        unrounded; NaN when nobody answered.

    Notes
    -----
    With a survey weight column, ``n`` and ``denominator`` are sums of weights (``missing``
    and ``not_asked`` stay respondent counts) and the Wilson interval uses Kish's effective
    sample size :math:`n_{eff} = (\\sum w)^2 / \\sum w^2` with :math:`k = p\\,n_{eff}`.
    The Wilson interval for :math:`k` successes of :math:`n` is

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}.

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 1927;22:209-12. Kish L. Survey Sampling. Wiley; 1965.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> t = categorical_table(example_cohort(), "q", "group")
    >>> t[["level", "n", "denominator"]].to_numpy().tolist()
    [[1, 3, 5], [2, 2, 5]]
    """
    return _categorical_table(CodedCohort(cohort), questionnaire, variable, ci)


def _categorical_table(data: CodedCohort, questionnaire: str, variable: str, ci: bool) -> pd.DataFrame:
    levels, missing_levels = _levels_of(data.cohort, questionnaire, variable)
    coded = data.column(questionnaire, variable)
    asked = data.asked(questionnaire, variable)
    w = data.weights(questionnaire)
    if asked is None:
        counts = coded.counts
        not_asked = 0
    else:
        # Row 1 of (asked, answer) counts: the answers of those who were asked.
        counts = count_keys([(asked.view(np.int8), 2), (coded.codes, coded.k + 1)], data.n(questionnaire))[1]
        not_asked = int(data.n(questionnaire) - asked.sum())
    nonsub = data.n_nonsubstantive(questionnaire, variable)
    missing = int(counts[coded.k]) - nonsub
    if w is None:
        denominator = float(counts[: coded.k].sum())
    else:
        answered = coded.codes < coded.k if asked is None else asked & (coded.codes < coded.k)
        denominator = float(w[answered].sum())
    rows = []
    for lv in levels:
        index = coded.index_of(float(lv.code))
        if w is None:
            n = float(counts[index]) if index is not None else 0.0
        elif index is None:
            n = 0.0
        else:
            # The same rows in the same order as a mask over the raw answers: identical sums.
            hit = (coded.codes == index) if asked is None else asked & (coded.codes == index)
            n = float(w[hit].sum())
        rows.append(
            {
                "questionnaire": questionnaire,
                "variable": variable,
                "level": lv.code,
                "label": lv.label,
                "missing_level": lv.code in missing_levels,
                "n": n,
                "denominator": denominator,
                "pct": 100.0 * n / denominator if denominator > 0 else np.nan,
                "missing": missing,
                "nonsubstantive": nonsub,
                "not_asked": not_asked,
            }
        )
    table = pd.DataFrame(rows, columns=_COLUMNS)
    if w is None:
        table = table.astype({"n": "int64", "denominator": "int64"})
    if ci:
        n_eff = denominator if w is None else _kish_n(w[answered])
        table["ci_low"], table["ci_high"] = _wilson_pct(table["pct"].to_numpy(dtype=float), n_eff)
    return table


def _kish_n(w: np.ndarray) -> float:
    total = w.sum()
    return float(total * total / (w * w).sum()) if total > 0 else 0.0


def _wilson_pct(pct: np.ndarray, n: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% limits (percent) for proportions ``pct`` of ``n`` (NaN when n is 0)."""
    if not n > 0:
        return np.full(pct.shape, np.nan), np.full(pct.shape, np.nan)
    # k can exceed n by one ulp when pct is 100 and n is a weighted effective size.
    k = np.minimum(pct / 100.0 * n, n)
    limits = wilson_ci(k, np.full(pct.shape, n))
    return 100.0 * limits["ci_low"].to_numpy(), 100.0 * limits["ci_high"].to_numpy()


def descriptive_tables(cohort: Any, ci: bool = False) -> pd.DataFrame:
    """:func:`categorical_table` for every categorical variable of every questionnaire, stacked."""
    return _descriptive_tables(CodedCohort(cohort), ci)


def _descriptive_tables(data: CodedCohort, ci: bool) -> pd.DataFrame:
    frames = []
    for qid, q in data.codebook.questionnaires.items():
        for vid, var in q.variables.items():
            if var.type == "categorical":
                frames.append(_categorical_table(data, qid, vid, ci))
    if not frames:
        return pd.DataFrame(columns=_COLUMNS + (["ci_low", "ci_high"] if ci else []))
    # Weighted and unweighted questionnaires mix int and float counts: keep floats then.
    return pd.concat(frames, ignore_index=True)


def rounded_percentages(counts: Any, decimals: int = 1) -> np.ndarray:
    """Percentages of ``counts`` rounded by largest remainder so that they sum to exactly 100.

    A presentation helper for tables: the analysis frames keep unrounded ``pct``.

    Parameters
    ----------
    counts : array-like of float
        Non-negative counts (or weight sums) of mutually exclusive levels.
    decimals : int, default 1
        Decimal places of the rounded percentages.

    Returns
    -------
    numpy.ndarray
        Rounded percentages; all NaN when the counts sum to zero.

    Notes
    -----
    Each :math:`100 c_i / \\sum c` is floored at ``decimals`` places and the shortfall is
    handed out one unit at a time to the largest remainders (Hamilton's method; computed by
    :func:`imgshare.stats.largest_remainder`).

    References
    ----------
    Balinski ML, Young HP. Fair Representation. Yale University Press; 1982.

    Examples
    --------
    >>> rounded_percentages([1, 1, 1], decimals=1).tolist()
    [33.4, 33.3, 33.3]
    """
    return np.asarray(largest_remainder(np.asarray(counts, dtype=float), decimals), dtype=float)

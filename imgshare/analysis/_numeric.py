"""Number variables (ages, hours, an index) summarised as gtsummary does for continuous variables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._coded_cohort import CodedCohort

__all__ = ["numeric_summary", "NUMERIC_COLUMNS"]

NUMERIC_COLUMNS = ["questionnaire", "variable", "n", "missing", "nonsubstantive", "not_asked", "mean", "sd",
                   "median", "q1", "q3", "min", "max"]


def numeric_summary(cohort: Any) -> pd.DataFrame:
    """n, mean, SD, median, quartiles, range and missing of every ``type: number`` variable.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire x number variable, in codebook order: ``questionnaire,
        variable, n, missing, nonsubstantive, not_asked, mean, sd, median, q1, q3, min, max``.
        ``n`` counts respondents asked (``asked_if``) with a value; ``missing`` those asked
        who left it blank; ``nonsubstantive`` those asked who gave a declared non-substantive
        code (e.g. -99 "Refused", never a value); ``not_asked`` those skipped. Statistics are
        unrounded and NaN when ``n`` is 0 (``sd`` when ``n < 2``).

    Notes
    -----
    Over the values :math:`x_1..x_n`: the mean, the sample SD
    :math:`\\sqrt{\\sum (x_i - \\bar x)^2/(n-1)}`, the median and the quartiles by numpy's
    default (linear interpolation, Hyndman & Fan type 7: R's default; gtsummary's default is
    type 2, which can differ in the last digit of small samples), min and max. Survey weights
    are not applied to these summaries.

    References
    ----------
    Sjoberg DD, Whiting K, Curry M, Lavery JA, Larmarange J. Reproducible summary tables with
    the gtsummary package. R J 2021;13:570-80. Hyndman RJ, Fan Y. Am Stat 1996;50:361-5.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> numeric_summary(example_cohort()).shape[1]
    13
    """
    return _numeric_summary(CodedCohort(cohort))


def _numeric_summary(data: CodedCohort) -> pd.DataFrame:
    rows = []
    for qid, q in data.codebook.questionnaires.items():
        frame = data.frame(qid)
        for vid, var in q.variables.items():
            if var.type != "number":
                continue
            x = frame[vid].to_numpy(dtype=float, na_value=np.nan)
            asked = data.asked(qid, vid)
            asked = np.ones(x.size, dtype=bool) if asked is None else asked
            values = x[asked & ~np.isnan(x)]
            nonsub = data.n_nonsubstantive(qid, vid)
            n = values.size
            rows.append({
                "questionnaire": qid, "variable": vid, "n": n,
                "missing": int(asked.sum()) - n - nonsub, "nonsubstantive": nonsub,
                "not_asked": int(x.size - asked.sum()),
                "mean": float(values.mean()) if n else np.nan,
                "sd": float(values.std(ddof=1)) if n > 1 else np.nan,
                "median": float(np.median(values)) if n else np.nan,
                "q1": float(np.quantile(values, 0.25)) if n else np.nan,
                "q3": float(np.quantile(values, 0.75)) if n else np.nan,
                "min": float(values.min()) if n else np.nan,
                "max": float(values.max()) if n else np.nan,
            })
    return pd.DataFrame(rows, columns=NUMERIC_COLUMNS)

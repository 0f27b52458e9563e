"""Internal consistency of a set of items."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ._counts import as_values
from ._errors import StatsInputError

__all__ = ["cronbach_alpha"]

_COLUMNS = ["k", "n", "n_incomplete", "alpha", "ci_low", "ci_high", "reason"]


def alpha_with_feldt_ci(item_var: float, total_var: float, n: int, k: int, confidence: float) -> dict:
    """Cronbach's alpha from the summed item variances and the total's variance, with Feldt's CI.

    Shared by the raw-data and the count-based computations so that both print the same numbers.
    """
    alpha = k / (k - 1) * (1.0 - item_var / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = 1.0 - confidence
    # Upper-q quantile of F = fdtri(df1, df2, 1 - q) (what scipy.stats.f.isf computes), from
    # scipy.special, which imports several times faster than scipy.stats.
    return {"alpha": float(alpha),
            "ci_low": float(1 - (1 - alpha) * special.fdtri(df1, df2, 1.0 - tail / 2)),
            "ci_high": float(1 - (1 - alpha) * special.fdtri(df1, df2, tail / 2))}


def cronbach_alpha(frame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of the items (columns) over complete cases, with Feldt's CI.

    Parameters
    ----------
    frame : pandas.DataFrame
        One column per item (numeric codes; missing as NA/NaN). Reverse-keyed items must already
        be reversed.
    confidence : float, default 0.95
        CI coverage.

    Returns
    -------
    pandas.DataFrame
        One row: ``k`` (items), ``n`` (complete cases used), ``n_incomplete`` (rows dropped),
        ``alpha``, ``ci_low``, ``ci_high``, ``reason``.

    Notes
    -----
    With item variances :math:`s_i^2` and the variance :math:`s_T^2` of the row totals
    (ddof = 1, complete cases),

    .. math:: \\alpha = \\frac{k}{k-1}\\Big(1 - \\frac{\\sum_i s_i^2}{s_T^2}\\Big).

    Feldt's interval: :math:`1-(1-\\alpha)F_{1-c/2}` to :math:`1-(1-\\alpha)F_{c/2}` where
    :math:`F_q` is the upper-q quantile of :math:`F(n-1, (n-1)(k-1))` and c = 1 - confidence;
    this is ``pingouin.cronbach_alpha`` applied to the complete cases (pingouin itself rounds the
    CI to 3 decimals and, with ``nan_policy="listwise"``, takes n before dropping rows; here n is
    the number of complete cases and nothing is rounded).

    References
    ----------
    Cronbach LJ (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16:297-334.
    Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha.
    Appl Psychol Meas 11:93-103.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, None]})
    >>> res = cronbach_alpha(df)
    >>> int(res.n[0]), int(res.n_incomplete[0]), round(float(res.alpha[0]), 4)
    (4, 1, 0.9474)
    """
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise StatsInputError(f"confidence: expected a number between 0 and 1, got {confidence!r}")
    if not isinstance(frame, pd.DataFrame):
        raise StatsInputError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    k = frame.shape[1]
    data = np.column_stack([as_values(frame.iloc[:, i], str(frame.columns[i])) for i in range(k)]) if k else np.empty((len(frame), 0))
    complete = data[~np.isnan(data).any(axis=1)]
    n = complete.shape[0]
    row = dict.fromkeys(_COLUMNS, np.nan)
    row.update(k=k, n=n, n_incomplete=data.shape[0] - n, reason="")
    if k < 2:
        row["reason"] = f"{k} item(s); at least 2 needed"
    elif n < 2:
        row["reason"] = f"{n} complete case(s); at least 2 needed"
    else:
        item_var = complete.var(axis=0, ddof=1).sum()
        total_var = complete.sum(axis=1).var(ddof=1)
        if total_var == 0:
            row["reason"] = "total score is constant: alpha is undefined"
        else:
            row.update(alpha_with_feldt_ci(item_var, total_var, n, k, confidence))
    return pd.DataFrame([row], columns=_COLUMNS)

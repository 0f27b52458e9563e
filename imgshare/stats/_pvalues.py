"""Multiplicity adjustment of p-values."""

from __future__ import annotations

import numpy as np

from ._counts import as_values
from ._errors import StatsInputError

__all__ = ["adjust_pvalues", "P_ADJUST_METHODS"]

P_ADJUST_METHODS = ("holm", "fdr_bh", "bonferroni")


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple testing.

    Parameters
    ----------
    p : array_like
        p-values in [0, 1]. NaN (untestable comparisons) stay NaN and are not counted in the family.
    method : {"holm", "fdr_bh", "bonferroni"}, default "holm"
        Holm's step-down family-wise error control, Benjamini-Hochberg false discovery rate,
        or Bonferroni.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order as ``p``, capped at 1.

    Notes
    -----
    With the :math:`m` defined p-values sorted ascending, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`:

    - Holm: :math:`\\tilde p_{(i)} = \\min\\{1, \\max_{j \\le i} (m-j+1) p_{(j)}\\}`;
    - BH: :math:`\\tilde p_{(i)} = \\min\\{1, \\min_{j \\ge i} m p_{(j)}/j\\}`;
    - Bonferroni: :math:`\\tilde p_i = \\min(1, m p_i)`.

    These equal ``statsmodels.stats.multitest.multipletests`` and, for BH,
    ``scipy.stats.false_discovery_control``.

    References
    ----------
    Holm S (1979). A simple sequentially rejective multiple test procedure. Scand J Stat 6:65-70.
    Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. J R Stat Soc B 57:289-300.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")], "holm").round(3).tolist()
    [0.03, 0.06, 0.06, nan]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "fdr_bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    if method not in P_ADJUST_METHODS:
        raise StatsInputError(f"method: expected one of {', '.join(P_ADJUST_METHODS)}, got {method!r}")
    values = as_values(p, "p")
    defined = ~np.isnan(values)
    q = values[defined]
    if ((q < 0) | (q > 1)).any():
        raise StatsInputError("p: p-values must lie between 0 and 1")
    m = q.size
    out = np.full(values.size, np.nan)
    if m == 0:
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "holm":
        adjusted = np.maximum.accumulate(ranked * np.arange(m, 0, -1))
    elif method == "fdr_bh":
        adjusted = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    else:
        adjusted = ranked * m
    back = np.empty(m)
    back[order] = np.minimum(adjusted, 1.0)
    out[defined] = back
    return out

"""Proportions: Wilson interval and sum-preserving rounding of percentages."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ._counts import as_values
from ._errors import StatsInputError

__all__ = ["wilson_ci", "largest_remainder"]

# Quotas within this distance below a whole unit count as that unit (0.1 * 3 * 10 is 2.9999...).
_FLOOR_TOLERANCE = 1e-9


def wilson_ci(k, n, level: float = 0.95) -> pd.DataFrame:
    """Wilson score interval for binomial proportions k/n (vectorised).

    Parameters
    ----------
    k : array_like or scalar
        Successes (may be non-integer, e.g. weighted counts), 0 <= k <= n.
    n : array_like or scalar
        Trials, broadcast against ``k``.
    level : float, default 0.95
        Coverage.

    Returns
    -------
    pandas.DataFrame
        One row per proportion: ``k``, ``n``, ``proportion``, ``ci_low``, ``ci_high`` (all as
        fractions of 1, unrounded) and ``reason`` (non-empty when n = 0).

    Notes
    -----
    With :math:`\\hat p = k/n` and :math:`z = \\Phi^{-1}(1-(1-\\text{level})/2)`,

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm
              z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}{1 + z^2/n},

    as ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    References
    ----------
    Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 22:209-212.

    Examples
    --------
    >>> wilson_ci(8, 10)[["proportion", "ci_low", "ci_high"]].round(4).values.tolist()
    [[0.8, 0.4902, 0.9433]]
    """
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise StatsInputError(f"level: expected a number between 0 and 1, got {level!r}")
    try:
        kk, nn = np.broadcast_arrays(np.atleast_1d(as_values(np.ravel(k), "k")), np.atleast_1d(as_values(np.ravel(n), "n")))
    except ValueError:
        raise StatsInputError(f"k and n: shapes {np.shape(k)} and {np.shape(n)} do not match") from None
    if np.isnan(kk).any() or np.isnan(nn).any():
        raise StatsInputError("k and n: missing values are not allowed")
    if (nn < 0).any() or (kk < 0).any() or (kk > nn).any():
        raise StatsInputError("k and n: need 0 <= k <= n")
    z = special.ndtri(0.5 + level / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = kk / nn
        denom = 1.0 + z * z / nn
        centre = (p + z * z / (2.0 * nn)) / denom
        half = z / denom * np.sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn))
    empty = nn == 0
    return pd.DataFrame(
        {
            "k": kk,
            "n": nn,
            "proportion": np.where(empty, np.nan, p),
            "ci_low": np.where(empty, np.nan, centre - half),
            "ci_high": np.where(empty, np.nan, centre + half),
            "reason": np.where(empty, "n = 0: proportion undefined", ""),
        }
    )


def largest_remainder(counts, decimals: int = 0) -> np.ndarray:
    """Percentages rounded to ``decimals`` places that add up to exactly 100.

    Parameters
    ----------
    counts : array_like
        Non-negative counts (weights allowed).
    decimals : int, default 0
        Decimal places of the result.

    Returns
    -------
    numpy.ndarray
        Rounded percentages (float), summing to 100 in units of 10**-decimals; all NaN when the
        counts sum to 0.

    Notes
    -----
    Hamilton's (largest remainder) method: each share :math:`100\\,c_i/\\sum c` in units of
    :math:`10^{-d}` is floored, and the units still missing from the total go one each to the
    largest remainders (ties to the earlier category), so no value moves by a full unit and
    the total is exact.

    References
    ----------
    Balinski ML, Young HP (2001). Fair representation, 2nd ed. Brookings Institution Press.

    Examples
    --------
    >>> largest_remainder([1, 1, 1]).tolist()
    [34.0, 33.0, 33.0]
    >>> largest_remainder([2, 5, 6], decimals=1).tolist()
    [15.4, 38.5, 46.1]
    """
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 10:
        raise StatsInputError(f"decimals: expected a whole number from 0 to 10, got {decimals!r}")
    c = as_values(np.ravel(counts), "counts")
    if np.isnan(c).any() or (c < 0).any():
        raise StatsInputError("counts: expected non-negative numbers without missing values")
    total = c.sum()
    if total == 0:
        return np.full(c.size, np.nan)
    units = 100 * 10**decimals
    quota = c * units / total
    floor = np.floor(quota + _FLOOR_TOLERANCE)
    remainder = np.where(quota - floor > 0, quota - floor, 0.0)
    missing = int(round(units - floor.sum()))
    order = np.argsort(-remainder, kind="stable")
    floor[order[:missing]] += 1
    return floor / 10**decimals

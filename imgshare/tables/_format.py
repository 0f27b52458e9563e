"""Cell formatting: numbers to the text a journal prints. Presentation only, no statistics.

Rounding is half away from zero on the number's shortest decimal form (so 2.675 prints as
2.68, as a reader checking by hand expects), not Python's binary round-half-even.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from ._spec import TableError

__all__ = [
    "is_missing",
    "fmt_number",
    "fmt_count",
    "fmt_n_pct",
    "fmt_p",
    "fmt_estimate_ci",
    "fmt_range",
    "fmt_suppressed",
    "DASH",
]

#: Printed where a value does not exist (a test not run, a range of one pair).
DASH = "–"


def is_missing(value: Any) -> bool:
    """True for None, pandas NA/NaT and NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return False


def fmt_number(value: Any, decimals: int = 2) -> str:
    """A number rounded half away from zero to ``decimals`` places; "" when missing.

    Examples
    --------
    >>> fmt_number(2.675, 2), fmt_number(-0.0004, 3), fmt_number(float("nan"))
    ('2.68', '0.000', '')
    """
    if is_missing(value):
        return ""
    if decimals < 0:
        raise TableError(f"decimals must be 0 or more, found {decimals}")
    number = _as_float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:.{decimals}f}"


def fmt_count(n: Any, decimals: int = 1) -> str:
    """A count: whole numbers without decimals, weighted (fractional) counts with ``decimals``.

    Examples
    --------
    >>> fmt_count(108), fmt_count(108.0), fmt_count(12.25)
    ('108', '108', '12.3')
    """
    if is_missing(n):
        return ""
    number = _as_float(n)
    if number.is_integer():
        return str(int(number))
    return fmt_number(number, decimals)


def fmt_n_pct(n: Any, pct: Any, decimals: int = 1, *, percent_sign: bool = True, n_decimals: int = 1) -> str:
    """``"n (pct%)"``, the usual count-and-percentage cell.

    Parameters
    ----------
    n : number
        The count (a float for weighted counts).
    pct : number
        The percentage, 0-100, unrounded.
    decimals : int
        Decimal places of the percentage.
    percent_sign : bool
        ``False`` prints ``"75 (26.6)"``, the style of tables whose header says "n (%)".
    n_decimals : int
        Decimal places of a fractional (weighted) count.

    Examples
    --------
    >>> fmt_n_pct(108, 100 * 108 / 282)
    '108 (38.3%)'
    >>> fmt_n_pct(75, 100 * 75 / 282, percent_sign=False)
    '75 (26.6)'
    >>> fmt_n_pct(0, float("nan"))
    '0'
    """
    count = fmt_count(n, n_decimals)
    if not count:
        return ""
    if is_missing(pct):
        return count
    return f"{count} ({fmt_number(pct, decimals)}{'%' if percent_sign else ''})"


def fmt_p(p: Any, decimals: int = 3, threshold: float = 0.001) -> str:
    """A p-value: ``"<0.001"`` below ``threshold``, else rounded to ``decimals`` places.

    Examples
    --------
    >>> fmt_p(0.00002), fmt_p(0.0496), fmt_p(0.5), fmt_p(None)
    ('<0.001', '0.050', '0.500', '')
    """
    if is_missing(p):
        return ""
    value = _as_float(p)
    if not 0.0 <= value <= 1.0:
        raise TableError(f"a p-value must lie between 0 and 1, found {value!r}")
    if value < threshold:
        return f"<{fmt_number(threshold, max(decimals, _places(threshold)))}"
    return fmt_number(value, decimals)


def fmt_estimate_ci(estimate: Any, low: Any, high: Any, decimals: int = 2) -> str:
    """``"0.21 (0.10 to 0.31)"``: an estimate with its interval ("to" keeps negative bounds readable).

    Examples
    --------
    >>> fmt_estimate_ci(0.2134, 0.1, 0.309)
    '0.21 (0.10 to 0.31)'
    >>> fmt_estimate_ci(-0.12, -0.3, 0.05)
    '-0.12 (-0.30 to 0.05)'
    >>> fmt_estimate_ci(0.5, float("nan"), float("nan"))
    '0.50'
    """
    est = fmt_number(estimate, decimals)
    if not est:
        return ""
    if is_missing(low) or is_missing(high):
        return est
    return f"{est} ({fmt_number(low, decimals)} to {fmt_number(high, decimals)})"


def fmt_range(low: Any, high: Any, decimals: int = 2) -> str:
    """``"0.53 to 0.70"``; a dash when either end is missing.

    Examples
    --------
    >>> fmt_range(0.525, 0.695, 3)
    '0.525 to 0.695'
    """
    if is_missing(low) or is_missing(high):
        return DASH
    return f"{fmt_number(low, decimals)} to {fmt_number(high, decimals)}"


def fmt_suppressed(threshold: int) -> str:
    """The text that replaces a count of 1..threshold-1 withheld for disclosure control.

    Examples
    --------
    >>> fmt_suppressed(5)
    '<5'
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise TableError(f"the small-cell threshold must be a whole number of 2 or more, found {threshold!r}")
    return f"<{threshold}"


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise TableError(f"cannot format {value!r} as a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TableError(f"cannot format {value!r} as a number") from None


def _places(x: float) -> int:
    text = f"{x:.12f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0

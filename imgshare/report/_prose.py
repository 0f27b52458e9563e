"""Formatting numbers for manuscript prose (inline code): presentation only, no computing."""

from __future__ import annotations

import math

__all__ = ["fmt_int", "fmt_pct", "fmt_n_pct", "fmt_r"]


def fmt_int(n: float) -> str:
    """A count as text, with thousands separators.

    Examples
    --------
    >>> fmt_int(1234)
    '1,234'
    """
    return f"{int(round(n)):,}"


def fmt_pct(value: float, digits: int = 1) -> str:
    """A percentage (already 0-100) rounded half away from zero, with a % sign; NaN -> 'n/a'.

    Examples
    --------
    >>> fmt_pct(81.8181), fmt_pct(2.25, 1), fmt_pct(float("nan"))
    ('81.8%', '2.3%', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    scale = 10 ** digits
    rounded = math.floor(abs(value) * scale + 0.5) / scale
    return f"{math.copysign(rounded, value) if value else 0.0:.{digits}f}%"


def fmt_n_pct(n: float, total: float, digits: int = 1) -> str:
    """``"n (x.x%)"`` of a total; the percentage is 'n/a' when the total is zero.

    Examples
    --------
    >>> fmt_n_pct(99, 121)
    '99 (81.8%)'
    """
    pct = 100.0 * n / total if total else float("nan")
    return f"{fmt_int(n)} ({fmt_pct(pct, digits)})"


def fmt_r(value: float, digits: int = 2) -> str:
    """A correlation coefficient without a leading zero, as journals print it ('.70', '-.12').

    Examples
    --------
    >>> fmt_r(0.7031), fmt_r(-0.1234)
    ('.70', '-.12')
    """
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:.{digits}f}"
    return text.replace("0.", ".", 1) if abs(value) < 1 else text

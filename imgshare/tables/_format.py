"""Cell formatting: numbers to the text a journal prints. Presentation only, no statistics.

Rounding is half away from zero on the number's shortest decimal form (so 2.675 prints as
2.68, as a reader checking by hand expects), not Python's binary round-half-even. A negative
number prints with a true minus sign (U+2212), in every format, as journals typeset it.

:class:`NumberStyle` is the project's formatting policy (decimals of percentages and of
statistics, the p-value threshold): tables, figure labels and the manuscript's prose all take
their numbers from one instance, so a value prints alike wherever it appears.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
    "MINUS",
    "NumberStyle",
]

#: Printed where a value does not exist (a test not run, a range of one pair).
DASH = "–"
#: The minus sign of printed numbers (U+2212), never the hyphen-minus.
MINUS = "\u2212"


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
    >>> fmt_number(2.675, 2), fmt_number(-0.0004, 3), fmt_number(-1.5, 1), fmt_number(float("nan"))
    ('2.68', '0.000', '−1.5', '')
    """
    if is_missing(value):
        return ""
    if decimals < 0:
        raise TableError(f"decimals must be 0 or more, found {decimals}")
    number = _as_float(value)
    if math.isinf(number):
        return "∞" if number > 0 else MINUS + "∞"
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:.{decimals}f}".replace("-", MINUS)


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
    '−0.12 (−0.30 to 0.05)'
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


@dataclass(frozen=True)
class NumberStyle:
    """How a project prints numbers: one policy for tables, figure labels and prose.

    Parameters
    ----------
    percent_decimals : int
        Decimal places of percentages (the study prints two: "86 (30.50%)").
    statistic_decimals : int
        Decimal places of effect sizes, correlations, alpha and test statistics other than U.
    p_decimals : int
        Decimal places of p-values at or above ``p_threshold``.
    p_threshold : float
        p-values below it print as "<threshold" ("p < 0.001").
    small_extra_decimals : int
        How many more decimals an effect size may take when it is too small to show at
        ``statistic_decimals`` (see :meth:`effect_decimals`): ε² = 0.004 prints "0.004", not
        "0.00".
    summary_decimals : int
        Decimal places of the mean, SD, median, quartiles and range of a number variable or a
        theme score.

    Notes
    -----
    Every number is rounded half away from zero (see :func:`fmt_number`) and a negative number
    prints with a true minus sign. Correlations, alpha and p keep their leading zero ("0.70"),
    as BMJ journals print them. Mann-Whitney U prints as a whole number when it is one and
    with one decimal when ties make it a half ("10085", "120.5").

    Examples
    --------
    >>> style = NumberStyle(percent_decimals=2)
    >>> style.n_pct(86, 282), style.pct_n(86, 282), style.p(0.0342), style.p(0.00002)
    ('86 (30.50%)', '30.50%, n=86', 'p = 0.034', 'p < 0.001')
    >>> style.statistic(-0.1234), style.u(10085.0), style.u(120.5)
    ('−0.12', '10085', '120.5')
    >>> style.effect_ci(0.0041, 0.0002, 0.0123), style.effect_ci(0.21, 0.004, 0.31)
    ('0.004 (0.000 to 0.012)', '0.21 (0.00 to 0.31)')
    >>> style.mean_sd(42.25, 11.8), style.median_q(41, 33, 52.5), style.range(-3, 80)
    ('42.3 (11.8)', '41.0 (33.0, 52.5)', '−3.0 to 80.0')
    """

    percent_decimals: int = 1
    statistic_decimals: int = 2
    p_decimals: int = 3
    p_threshold: float = 0.001
    small_extra_decimals: int = 2
    summary_decimals: int = 1

    #: The keys a project may set (``imgshare: {numbers: {...}}`` in ``_quarto.yml``).
    KEYS = {"percent-decimals": "percent_decimals", "statistic-decimals": "statistic_decimals",
            "p-decimals": "p_decimals", "p-threshold": "p_threshold",
            "small-extra-decimals": "small_extra_decimals", "summary-decimals": "summary_decimals"}

    def __post_init__(self):
        for name in ("percent_decimals", "statistic_decimals", "p_decimals", "small_extra_decimals",
                     "summary_decimals"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
                raise TableError(f"{name.replace('_', '-')} must be a whole number from 0 to 6, found {value!r}")
        if isinstance(self.p_threshold, bool) or not isinstance(self.p_threshold, (int, float)) \
                or not 0 < self.p_threshold < 1:
            raise TableError(f"p-threshold must be a number between 0 and 1, found {self.p_threshold!r}")

    @classmethod
    def from_config(cls, config: Any, where: str = "numbers") -> NumberStyle:
        """A style from a mapping of the :attr:`KEYS` (e.g. a project's ``imgshare.numbers``)."""
        if config is None:
            return cls()
        if not isinstance(config, dict):
            raise TableError(f"{where} must be a mapping of {', '.join(cls.KEYS)}, found {config!r}")
        unknown = sorted(set(config) - set(cls.KEYS))
        if unknown:
            raise TableError(f"{where}.{unknown[0]}: unknown key; expected one of {', '.join(cls.KEYS)}")
        return cls(**{cls.KEYS[k]: v for k, v in config.items()})

    def count(self, n: Any) -> str:
        """A count with thousands separators ("1,234"); fractional (weighted) counts to one decimal."""
        if is_missing(n):
            return ""
        number = _as_float(n)
        return f"{int(number):,}" if number.is_integer() else fmt_number(number, 1)

    def percent(self, value: Any) -> str:
        """A percentage (0-100) with the project's decimals and a % sign; "" when missing."""
        text = fmt_number(value, self.percent_decimals)
        return f"{text}%" if text else ""

    def n_pct(self, n: Any, total: Any) -> str:
        """``"n (x%)"`` of a total (the percentage left out when the total is zero)."""
        count = self.count(n)
        if not count or is_missing(total) or not _as_float(total):
            return count
        return f"{count} ({self.percent(100.0 * _as_float(n) / _as_float(total))})"

    def pct_n(self, n: Any, total: Any) -> str:
        """``"x%, n=k"``, for use inside parentheses."""
        if is_missing(total) or not _as_float(total):
            return f"n={self.count(n)}"
        return f"{self.percent(100.0 * _as_float(n) / _as_float(total))}, n={self.count(n)}"

    def p_cell(self, p: Any) -> str:
        """A p-value as a table prints it: ``"<0.001"`` or ``"0.034"``."""
        return fmt_p(p, self.p_decimals, self.p_threshold)

    def p(self, p: Any) -> str:
        """A p-value as prose prints it: ``"p < 0.001"`` or ``"p = 0.034"``."""
        text = self.p_cell(p)
        if not text:
            return "p not computed"
        return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"

    def statistic(self, value: Any, decimals: int | None = None) -> str:
        """An effect size, correlation, alpha or H statistic."""
        return fmt_number(value, self.statistic_decimals if decimals is None else decimals)

    def estimate_ci(self, estimate: Any, low: Any, high: Any) -> str:
        """``"0.21 (0.10 to 0.31)"``."""
        return fmt_estimate_ci(estimate, low, high, self.statistic_decimals)

    def effect_decimals(self, value: Any) -> int:
        """Decimals for an effect size: ``statistic_decimals``, or more (at most
        ``small_extra_decimals`` more) until a non-zero estimate shows a non-zero digit.

        >>> NumberStyle().effect_decimals(0.0041), NumberStyle().effect_decimals(0.00004)
        (3, 4)
        """
        decimals = self.statistic_decimals
        if is_missing(value):
            return decimals
        number = abs(_as_float(value))
        while number and decimals < self.statistic_decimals + self.small_extra_decimals \
                and fmt_number(number, decimals).strip("0.") == "":
            decimals += 1
        return decimals

    def effect(self, value: Any) -> str:
        """An effect size (r, ε², ρ) with :meth:`effect_decimals`."""
        return fmt_number(value, self.effect_decimals(value))

    def effect_ci(self, estimate: Any, low: Any, high: Any) -> str:
        """An effect size and its interval, all three with the estimate's :meth:`effect_decimals`."""
        return fmt_estimate_ci(estimate, low, high, self.effect_decimals(estimate))

    def summary(self, value: Any) -> str:
        """A mean, SD, median, quartile or extreme of a number variable or a score."""
        return fmt_number(value, self.summary_decimals)

    def mean_sd(self, mean: Any, sd: Any) -> str:
        """``"42.3 (11.8)"``: the mean and (when defined) the SD."""
        text = self.summary(mean)
        return f"{text} ({self.summary(sd)})" if text and not is_missing(sd) else text

    def median_q(self, median: Any, q1: Any, q3: Any) -> str:
        """``"41.0 (33.0, 52.5)"``: the median with the first and third quartiles, as gtsummary prints them."""
        text = self.summary(median)
        if not text or is_missing(q1) or is_missing(q3):
            return text
        return f"{text} ({self.summary(q1)}, {self.summary(q3)})"

    def range(self, low: Any, high: Any) -> str:
        """``"18.0 to 80.0"`` ("to" keeps a negative bound readable)."""
        return fmt_range(low, high, self.summary_decimals)

    def u(self, value: Any) -> str:
        """Mann-Whitney U: whole when it is whole, else one decimal (ties give halves)."""
        if is_missing(value):
            return ""
        number = _as_float(value)
        return fmt_number(number, 0 if number.is_integer() else 1)


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

"""How a number prints at a given number of decimals: rounded, truncated, and what fits.

Everything works on :class:`decimal.Decimal` so that ties (``12.5`` at 0 decimals) are exact:
a float is converted through its shortest round-tripping ``repr`` and a
:class:`fractions.Fraction` (``100 * k / N``) by exact division, which terminates for every
tie that matters at the precisions papers print.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from numbers import Real

__all__ = ["to_decimal", "unit", "rounded", "truncated", "fit", "format_number", "interval"]

_CTX = Context(prec=60)

#: fit(): the computed value prints as the printed one when rounded (and also when truncated).
ROUNDED, TRUNCATED, BOTH, NEITHER = "rounded", "truncated", "rounded or truncated", "neither"


def to_decimal(x: Real | Fraction | Decimal | str) -> Decimal:
    """``x`` as a Decimal: exact for Fractions and strings, shortest-repr for floats."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, Fraction):
        return _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))
    if isinstance(x, str):
        return Decimal(x)
    return Decimal(repr(float(x)))


def unit(decimals: int) -> Decimal:
    """One unit in the last printed place: ``unit(2) == Decimal('0.01')``."""
    return Decimal(1).scaleb(-decimals)


def rounded(x, decimals: int) -> frozenset[Decimal]:
    """What ``x`` prints as when rounded: one value, or both neighbours at an exact tie.

    Half-up and half-down differ only at exact ties; papers (and software) use either, so
    both count as correct rounding.
    """
    d = to_decimal(x)
    q = unit(decimals)
    return frozenset({d.quantize(q, rounding=ROUND_HALF_UP), d.quantize(q, rounding=ROUND_HALF_DOWN)})


def truncated(x, decimals: int) -> Decimal:
    """What ``x`` prints as when the digits after ``decimals`` are cut off (toward zero)."""
    return to_decimal(x).quantize(unit(decimals), rounding=ROUND_DOWN)


def fit(x, printed, decimals: int) -> str:
    """Whether ``x`` prints as ``printed`` at ``decimals``: 'rounded', 'truncated',
    'rounded or truncated' or 'neither'."""
    p = to_decimal(printed).quantize(unit(decimals), rounding=ROUND_HALF_UP)
    r = p in rounded(x, decimals)
    t = truncated(x, decimals) == p
    if r and t:
        return BOTH
    if r:
        return ROUNDED
    if t:
        return TRUNCATED
    return NEITHER


def interval(printed, decimals: int, how: str) -> tuple[Decimal, Decimal]:
    """The closed range of true values that print as ``printed`` when ``how`` is 'rounded'
    or 'truncated' (the truncation range is half-open at the top; treated as closed,
    which only matters for exact boundary values)."""
    p = to_decimal(printed)
    u = unit(decimals)
    if how == ROUNDED:
        return p - u / 2, p + u / 2
    if p < 0:
        return p - u, p
    return p, p + u


def format_number(x, decimals: int) -> str:
    """``x`` rounded half-up to ``decimals`` places, as text (``-0`` printed as ``0``)."""
    d = to_decimal(x).quantize(unit(decimals), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    return f"{d:f}"

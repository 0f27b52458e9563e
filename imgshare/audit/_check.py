"""The reproduction audit: every published value against the value computed from the cohort."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING

import pandas as pd

from ._compute import Context, compute
from ._numbers import BOTH, ROUNDED, TRUNCATED, fit, rounded, to_decimal, truncated, unit
from ._published import COUNT_KINDS, Published, PublishedValue
from ._resolve import resolve

__all__ = ["check", "exit_status", "reproduced", "summary_line", "CHECK_COLUMNS", "VERDICTS"]

MATCH, MATCH_TRUNCATED, MISMATCH, NOT_COMPUTABLE = "match", "match (truncated)", "mismatch", "not computable"
VERDICTS = (MATCH, MATCH_TRUNCATED, MISMATCH, NOT_COMPUTABLE)
CHECK_COLUMNS = ["id", "source", "source_kind", "document", "kind", "printed", "published", "decimals",
                 "percent_sign", "computed", "verdict", "expected", "note"]


def _prints(x: float, decimals: int) -> str:
    values = sorted(rounded(x, decimals))
    return " or ".join(f"{d:f}" for d in values)


def _judge(v: PublishedValue, x: float) -> tuple[str, str]:
    """(verdict, note) for computed value ``x`` against the printed ``v``."""
    if v.kind == "significant":
        if x < v.value:
            return MATCH, f"p = {x:.2g} < {v.value:g}"
        return MISMATCH, f"p = {x:.3g}, not below {v.value:g}"
    d, p = v.decimals, to_decimal(v.value)
    if v.approx == "over":
        ok = to_decimal(x) > p and truncated(x, d) == p
        return (MATCH if ok else MISMATCH), f"computed {x:.4g}; printed as just over {v.shown}"
    if v.approx == "under":
        ok = to_decimal(x) < p and to_decimal(x).quantize(unit(d), rounding=ROUND_CEILING) == p
        return (MATCH if ok else MISMATCH), f"computed {x:.4g}; printed as just under {v.shown}"
    if v.approx == "about":
        ok = abs(to_decimal(x) - p) < unit(d)
        return (MATCH if ok else MISMATCH), f"computed {x:.4g}; printed as about {v.shown}"
    how = fit(x, v.value, d)
    if how in (ROUNDED, BOTH):
        return MATCH, ""
    if how == TRUNCATED:
        return MATCH_TRUNCATED, f"rounds to {_prints(x, d)}; printed value is the truncation"
    if v.kind in COUNT_KINDS and float(x).is_integer():
        diff = x - v.value
        return MISMATCH, f"computed {x:g}, {diff:+g} against the printed value"
    return MISMATCH, f"computed {x:.{d + 3}f} prints as {_prints(x, d)}"


def check(cohort, published: Published) -> pd.DataFrame:
    """Compare every published value with the value computed from the cohort.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort (``imgshare.cohort.build_cohort``).
    published : Published
        The paper's printed values (:func:`load_published`).

    Returns
    -------
    pandas.DataFrame
        One row per published value, in file order: ``id, source, source_kind`` ('table',
        'text' or the secondary document's id), ``document, kind, printed`` (verbatim),
        ``published`` (the printed number), ``decimals, percent_sign, computed`` (unrounded,
        NaN when not computable), ``verdict`` ('match', 'match (truncated)', 'mismatch',
        'not computable'), ``expected`` (the file expected exactly this verdict: an expected
        mismatch, or a value it knows the codebook cannot compute) and ``note`` (why not
        computable, what the computed value prints as, the expectation's reason). ``attrs['study_data']`` is the codebook's ``study.data`` ('real' or
        'synthetic').

    Notes
    -----
    A value matches when the computed value, rounded (half-up or half-down) to the printed
    decimals, equals the printed one; it matches truncated when only cutting the digits off
    does. ``significant`` values match when the largest p over the theme's pairs is below
    the printed level.

    Examples
    --------
    >>> from imgshare.audit._examples import example_cohort, example_published
    >>> check(example_cohort(), example_published())["verdict"].tolist()
    ['match', 'match (truncated)', 'mismatch', 'not computable']
    """
    ctx = Context(cohort)
    rows = []
    for v in published.values:
        problem = resolve(v, cohort.codebook)
        computed = compute(v, ctx) if problem is None else None
        if problem is not None or computed.reason:
            value, verdict, note = math.nan, NOT_COMPUTABLE, problem or computed.reason
        else:
            value = computed.value
            verdict, note = _judge(v, value)
            note = "; ".join(s for s in (computed.detail if verdict != MATCH else "", note) if s)
        if v.expected is not None and verdict == v.expected:
            note = f"{note}; expected: {v.reason}" if note else f"expected: {v.reason}"
        rows.append({
            "id": v.id, "source": v.source, "source_kind": published.source_kind(v), "document": v.document,
            "kind": v.kind, "printed": v.printed, "published": float(v.value), "decimals": v.decimals,
            "percent_sign": v.percent_sign, "computed": value, "verdict": verdict,
            "expected": v.expected == verdict, "note": note,
        })
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    frame.attrs["study_data"] = cohort.codebook.study.data
    return frame


def reproduced(check_frame: pd.DataFrame) -> int:
    """Number of values that match (rounded or truncated)."""
    return int(check_frame["verdict"].isin([MATCH, MATCH_TRUNCATED]).sum())


def summary_line(check_frame: pd.DataFrame) -> str:
    """``N of M published values reproduced``."""
    return f"{reproduced(check_frame)} of {len(check_frame)} published values reproduced"


def exit_status(check_frame: pd.DataFrame) -> int:
    """0 when every mismatch is marked expected in the published file, else 1.

    Values that cannot be computed do not fail the check; they are listed with their reason.
    """
    unexpected = (check_frame["verdict"] == MISMATCH) & ~check_frame["expected"].astype(bool)
    return int(bool(unexpected.any()))

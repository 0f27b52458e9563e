"""Checks and label helpers shared by the figure builders."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd

from ..codebook import Codebook, Scale
from ._errors import FigureError

#: Caption stamped on every figure drawn from a synthetic cohort.
SYNTHETIC_CAPTION = "Synthetic data – not the study's responses."
#: Attribute marking a plot whose layout is drawn for one size (boxes sized to their text): it is
#: not redrawn narrower for phones (see :func:`fixed_layout`).
FIXED_LAYOUT_ATTR = "imgshare_fixed_layout"
# A no-break space keeps "(n = 118)" on one line when a label is wrapped.
_NBSP = "\u00a0"


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise FigureError(f"{what} must be a pandas DataFrame, found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FigureError(f"{what} lacks column(s) {', '.join(repr(c) for c in missing)}")


def require_choice(value: str, choices: Sequence[str], name: str) -> None:
    if value not in choices:
        raise FigureError(f"{name}={value!r} is not one of: {', '.join(repr(c) for c in choices)}")


def questionnaire_label(codebook: Codebook, questionnaire: str) -> str:
    if questionnaire not in codebook.questionnaires:
        known = ", ".join(codebook.questionnaires)
        raise FigureError(f"unknown questionnaire '{questionnaire}' (codebook has: {known})")
    return codebook.questionnaires[questionnaire].label


def resolve_items(codebook: Codebook, questionnaire: str, items: Sequence[str] | None) -> tuple[str, ...]:
    """The items to draw, checked against the questionnaire; ``None`` means all of them."""
    questionnaire_label(codebook, questionnaire)
    asked = codebook.questionnaires[questionnaire].items
    if items is None:
        return tuple(asked)
    if isinstance(items, str):
        raise FigureError(f"items must be a list of item ids, found the single string '{items}'")
    chosen = tuple(items)
    if not chosen:
        raise FigureError("items is empty: give at least one item id")
    for iid in chosen:
        if iid not in codebook.items:
            raise FigureError(f"unknown item '{iid}'")
        if iid not in asked:
            raise FigureError(f"item '{iid}' is not asked in questionnaire '{questionnaire}'")
    if len(set(chosen)) != len(chosen):
        raise FigureError("items lists an item more than once")
    return chosen


def common_scale(codebook: Codebook, items: Sequence[str]) -> Scale:
    scales = {codebook.items[i].scale for i in items}
    if len(scales) > 1:
        raise FigureError(
            f"items on one chart must share a scale; found {', '.join(sorted(scales))} (draw one chart per scale)"
        )
    return codebook.scales[scales.pop()]


def wrap(text: str, width: int | None) -> str:
    """Wrap ``text`` to lines of at most ``width`` characters (``None`` or 0: no wrapping)."""
    if not width:
        return text
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)) or text


def format_n(n: float) -> str:
    """A count as printed: whole numbers without decimals, weighted counts to one decimal."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "0"
    return f"{int(round(n))}" if float(n).is_integer() else f"{n:.1f}"


def n_suffix(n: float, flag: str = "", k: int = 0) -> str:
    """" (n = 86)"; under disclosure control " (n < 5)" or " (n withheld)" by the value's flag."""
    from ..disclosure import count_label

    return f" ({count_label(n, flag, k, format_n, _NBSP)})"


def format_pct(value: float, digits: int) -> str:
    """A percentage label, rounded as the tables and the prose round it (half away from zero)."""
    from ..tables import fmt_number

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{fmt_number(value, digits)}%"


def format_p(p: float) -> str:
    """APA/BMJ style: three decimals, and ``p < 0.001`` below that (as the tables print p)."""
    from ..tables import NumberStyle

    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p = –"
    return NumberStyle().p(p)


def format_signed(value: float, digits: int = 2) -> str:
    """A signed statistic with a typographic minus sign, as journals print it."""
    from ..tables import fmt_number

    value = float(value)
    if math.isnan(value):
        return "–"
    return fmt_number(value, digits)


def default_caption(codebook: Codebook, caption: str | None) -> str | None:
    """The caller's caption; the synthetic-data notice is always added for a synthetic study."""
    parts = [caption] if caption else []
    if codebook.study.synthetic:
        parts.append(SYNTHETIC_CAPTION)
    return "\n".join(parts) or None


def fixed_layout(plot):
    """Mark ``plot`` as laid out for its own size (text in boxes of fixed data size), and return it.

    A report engine may redraw other plots narrower for a phone screen; this one it shows as
    drawn (the flow diagram's box text would not fit a narrower drawing).
    """
    setattr(plot, FIXED_LAYOUT_ATTR, True)
    return plot


def is_fixed_layout(plot) -> bool:
    """Whether :func:`fixed_layout` marked ``plot`` (copies made by ``plot + ...`` keep the mark)."""
    return bool(getattr(plot, FIXED_LAYOUT_ATTR, False))

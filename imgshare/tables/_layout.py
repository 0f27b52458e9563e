"""Column widths for page-bound outputs (Typst, pandoc): estimated from the text, deterministic.

Number-like columns (right or centre aligned) never wrap their cells; their headers are
wrapped to the cell width so a long label ("Neither agree nor disagree") does not widen the
column. Text columns (left aligned: the stub, item wording) share the remaining width and
wrap. When even the unwrappable minimum is wider than the page, the font shrinks.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ._spec import TableSpec

__all__ = ["ColumnPlan", "plan_columns"]

#: Average glyph width in em; a little above a serif digit (0.5em) to err on the safe side.
CHAR_EM = 0.55
#: Cell padding left + right, in em.
PAD_EM = 0.8
#: Text width assumed for fitting, in em of the body font (A4 with 2.5 cm margins at 11 pt is 41 em).
BUDGET_EM = 40.0
#: Text columns are counted at most this many characters wide when fitting: they wrap.
TEXT_CAP = 24
#: Font size of tables relative to body text: normal, and the smallest used for wide tables.
BASE_SCALE = 0.9
MIN_SCALE = 0.65
#: Headers of narrow number columns may still use this many characters per line.
MIN_HEADER = 8


@dataclass(frozen=True)
class ColumnPlan:
    """How one printed column (stub included) is laid out."""

    name: str
    align: str
    wraps: bool                      # a text column: takes a share of the free width, wraps
    width: int                       # characters the column needs on one line (cells, header lines)
    header_lines: tuple[str, ...]    # the column label, broken for a narrow column

    @property
    def fit_width(self) -> int:
        return min(self.width, TEXT_CAP) if self.wraps else self.width


def _longest_word(texts) -> int:
    return max((len(w) for t in texts for w in t.split()), default=0)


def _plans(spec: TableSpec, wrap_headers: bool) -> tuple[ColumnPlan, ...]:
    cells = spec.cells()
    names = ([spec.stub] if spec.stub is not None else []) + list(spec.columns)
    plans = []
    for name in names:
        align = spec.alignment(name)
        texts = [t for t in cells[name] if t]
        label = spec.column_label(name)
        body = max((len(t) for t in texts), default=0)
        if align == "left" or not wrap_headers:
            lines = (label,) if label else ()
        else:
            target = max(body, MIN_HEADER, _longest_word([label]))
            lines = tuple(textwrap.wrap(label, width=target, break_long_words=False)) if label else ()
        width = max([body, *(len(x) for x in lines)], default=1)
        plans.append(ColumnPlan(name, align, align == "left", max(width, 1), lines))
    return tuple(plans)


def _needed_em(plans: tuple[ColumnPlan, ...]) -> float:
    return sum(p.fit_width * CHAR_EM + PAD_EM for p in plans)


def plan_columns(spec: TableSpec) -> tuple[tuple[ColumnPlan, ...], float]:
    """One plan per printed column (the stub, if any, then the displayed columns), and the font scale.

    Column labels stay on one line when the table fits that way; otherwise labels of number
    columns are wrapped to their cells' width, and the font shrinks (down to
    :data:`MIN_SCALE`) until the estimate fits :data:`BUDGET_EM`.
    """
    plans = _plans(spec, wrap_headers=False)
    if _needed_em(plans) * BASE_SCALE <= BUDGET_EM:
        return plans, BASE_SCALE
    plans = _plans(spec, wrap_headers=True)
    needed = _needed_em(plans)
    if needed * BASE_SCALE <= BUDGET_EM:
        return plans, BASE_SCALE
    return plans, max(MIN_SCALE, round(BUDGET_EM / needed - 0.005, 2))

"""Column widths for page-bound outputs (Typst, pandoc): estimated from the text, deterministic.

Number-like columns (right or centre aligned) never wrap their cells. Text columns (left
aligned: the stub, item wording) share the width left over and wrap. Labels stay on one line
when the table fits that way; otherwise labels of number columns are wrapped to their
cells' width, and if even that is too wide the font shrinks.

Widths are estimated in em from character classes (narrow punctuation, capitals, the
rest) at sans-serif widths, so a table fits with typical serif and sans-serif text fonts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._spec import TableSpec

__all__ = ["ColumnPlan", "plan_columns", "text_em"]

_NARROW = set(" \u00a0.,:;()[]'!|/-ijlft")
_WIDE = set("MWmw%@—")
#: Estimates are multiplied by this. The class widths are those of a sans-serif (Helvetica-like)
#: font, already about 15% above a book serif such as Libertinus (Typst's default).
SAFETY = 1.0
#: Cell padding left + right, in em (the Typst renderer's inset is 0.35em a side).
PAD_EM = 0.7
#: Text width assumed for fitting, in em of the body font (A4 with 2.5 cm margins: 41 em at 11 pt).
BUDGET_EM = 40.0
#: Text columns wrap; for fitting each is counted at most this wide (but never below its longest word).
TEXT_FIT_EM = 7.0
#: Labels of narrow number columns may still use this width per line.
MIN_HEADER_EM = 4.0
#: Font size of tables relative to body text: normal, and the smallest used for wide tables.
BASE_SCALE = 0.9
MIN_SCALE = 0.65


def text_em(text: str) -> float:
    """Estimated printed width of ``text`` in em."""
    em = sum(0.3 if c in _NARROW else 0.8 if c in _WIDE or c.isupper() else 0.5 for c in text)
    return em * SAFETY


@dataclass(frozen=True)
class ColumnPlan:
    """How one printed column (stub included) is laid out."""

    name: str
    align: str
    wraps: bool                      # a text column: takes a share of the free width, wraps
    width: float                     # em the column needs without wrapping (cells, label lines)
    min_width: float                 # em of its longest word (text columns cannot be narrower)
    header_lines: tuple[str, ...]    # the column label, broken for a narrow column

    @property
    def fit_width(self) -> float:
        if self.wraps:
            return max(self.min_width, min(self.width, TEXT_FIT_EM))
        return self.width


def _wrap(label: str, target: float) -> tuple[str, ...]:
    """Greedy line breaking at spaces (not at no-break spaces) to ``target`` em."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and text_em(lines[-1] + " " + word) <= target:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(line for line in lines if line)


def _longest_word_em(texts) -> float:
    return max((text_em(w) for t in texts for w in t.split(" ")), default=0.0)


def _plans(spec: TableSpec, wrap_headers: bool) -> tuple[ColumnPlan, ...]:
    cells = spec.cells()
    names = ([spec.stub] if spec.stub is not None else []) + list(spec.columns)
    plans = []
    for name in names:
        align = spec.alignment(name)
        texts = [t for t in cells[name] if t]
        label = spec.column_label(name)
        body = max((text_em(t) for t in texts), default=0.0)
        if align == "left" or not wrap_headers or not label:
            lines = (label,) if label else ()
        else:
            lines = _wrap(label, max(body, MIN_HEADER_EM, _longest_word_em([label])))
        width = max([body, *(text_em(x) for x in lines)], default=0.5)
        plans.append(ColumnPlan(name, align, align == "left", max(width, 0.5),
                                _longest_word_em([*texts, *lines]), lines))
    return tuple(plans)


def _needed_em(plans: tuple[ColumnPlan, ...]) -> float:
    return sum(p.fit_width + PAD_EM for p in plans)


def plan_columns(spec: TableSpec) -> tuple[tuple[ColumnPlan, ...], float]:
    """One plan per printed column (the stub, if any, then the displayed columns), and the font scale.

    The scale is :data:`BASE_SCALE` when the estimate fits :data:`BUDGET_EM`, else smaller
    (down to :data:`MIN_SCALE`) so that it does.
    """
    plans = _plans(spec, wrap_headers=False)
    if _needed_em(plans) * BASE_SCALE <= BUDGET_EM:
        return plans, BASE_SCALE
    plans = _plans(spec, wrap_headers=True)
    needed = _needed_em(plans)
    if needed * BASE_SCALE <= BUDGET_EM:
        return plans, BASE_SCALE
    return plans, max(MIN_SCALE, int(100 * BUDGET_EM / needed) / 100)

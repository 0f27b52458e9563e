"""Column widths for page-bound outputs (Typst): estimated from the text, deterministic.

Number-like columns (right or centre aligned) never wrap their cells. Text columns (left
aligned: the stub, item wording) share the width left over and wrap. Labels stay on one line
when the table fits that way; otherwise the label that makes its column widest beyond its
numbers is wrapped onto one more line, and again, until the table fits or every label is as
narrow as its column's numbers (never narrower than its longest word, so no label is
hyphenated or broken inside a word). A table that still does not fit at a readable size goes
on a landscape page; only if even that is too narrow does the font shrink.

Widths are estimated in em from character classes (narrow punctuation, capitals, the
rest) at sans-serif widths, so a table fits with typical serif and sans-serif text fonts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .._text_width import text_em as _text_em
from ._spec import TableSpec

__all__ = ["ColumnPlan", "TablePlan", "plan_columns", "plan_table", "text_em"]

#: Estimates are multiplied by this. The class widths are those of a sans-serif (Helvetica-like)
#: font, already about 15% above a book serif such as Libertinus (Typst's default).
SAFETY = 1.0
#: Cell padding left + right, in em (the Typst renderer's inset is 0.35em a side).
PAD_EM = 0.7
#: Text width assumed for fitting, in em of the body font (A4 with 2.2 cm margins, 10.5 pt).
BUDGET_EM = 42.0
#: The same on a landscape page.
LANDSCAPE_BUDGET_EM = 64.0
#: Text columns wrap; for fitting each is counted at most this wide (but never below its longest word).
TEXT_FIT_EM = 7.0
#: A text column no wider than this ("Higher ranks": "Clinical experts") keeps its natural width and
#: does not wrap; wider ones (statements, outcomes) share the free width and wrap.
TEXT_AUTO_EM = 12.0
#: Labels of narrow number columns may still use this width per line.
MIN_HEADER_EM = 4.0
#: Font size of tables relative to body text: normal, the smallest on a portrait page before the
#: table turns to landscape, and the smallest at all.
BASE_SCALE = 0.9
PORTRAIT_MIN_SCALE = 0.8
MIN_SCALE = 0.65


def text_em(text: str) -> float:
    """Estimated printed width of ``text`` in em (:func:`imgshare._text_width.text_em`, times SAFETY)."""
    return _text_em(text) * SAFETY


@dataclass(frozen=True)
class ColumnPlan:
    """How one printed column (stub included) is laid out."""

    name: str
    align: str
    wraps: bool                      # a text column: takes a share of the free width, wraps
    width: float                     # em the column needs without wrapping (cells, label lines)
    min_width: float                 # em of its longest word (text columns cannot be narrower)
    header_lines: tuple[str, ...]    # the column label, broken for a narrow column
    body_width: float = 0.0          # em of its widest cell

    @property
    def flexible(self) -> bool:
        """A long text column: takes a share of the free width and wraps."""
        return self.wraps and self.width > TEXT_AUTO_EM

    @property
    def fit_width(self) -> float:
        if self.flexible:
            return max(self.min_width, min(self.width, TEXT_FIT_EM))
        return self.width


@dataclass(frozen=True)
class TablePlan:
    """Columns, font scale (relative to body text) and page orientation of one table."""

    columns: tuple[ColumnPlan, ...]
    scale: float
    landscape: bool


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


def _plans(spec: TableSpec) -> tuple[ColumnPlan, ...]:
    """Every column with its label on one line."""
    cells = spec.cells()
    names = ([spec.stub] if spec.stub is not None else []) + list(spec.columns)
    plans = []
    for name in names:
        align = spec.alignment(name)
        texts = [t for t in cells[name] if t]
        label = spec.column_label(name)
        body = max((text_em(t) for t in texts), default=0.0)
        lines = (label,) if label else ()
        width = max([body, *(text_em(x) for x in lines)], default=0.5)
        plans.append(ColumnPlan(name, align, align == "left", max(width, 0.5),
                                _longest_word_em([*texts, *lines]), lines, body))
    return tuple(plans)


def _narrower(plan: ColumnPlan) -> ColumnPlan | None:
    """The column with its label on one more line (None when it cannot get narrower)."""
    label = " ".join(plan.header_lines)
    floor = max(plan.body_width, MIN_HEADER_EM, _longest_word_em([label]))
    current = max((text_em(x) for x in plan.header_lines), default=0.0)
    if current <= floor:
        return None
    # The narrowest target that still gives one line fewer than the next step would.
    target = current - 0.05
    lines = _wrap(label, max(target, floor))
    width = max([plan.body_width, *(text_em(x) for x in lines)])
    if width >= plan.width:
        return None
    return replace(plan, header_lines=lines, width=width)


def _needed_em(plans: tuple[ColumnPlan, ...]) -> float:
    return sum(p.fit_width + PAD_EM for p in plans)


def _fit(plans: tuple[ColumnPlan, ...], budget: float) -> tuple[ColumnPlan, ...]:
    """Wrap number-column labels, widest excess first, until the table fits ``budget`` (em of table text)."""
    plans = list(plans)
    while _needed_em(tuple(plans)) > budget:
        best, gain = None, 0.0
        for i, p in enumerate(plans):
            if p.wraps or not p.header_lines:
                continue
            narrower = _narrower(p)
            if narrower is not None and p.width - narrower.width > gain:
                best, gain = (i, narrower), p.width - narrower.width
        if best is None:
            break
        plans[best[0]] = best[1]
    return tuple(plans)


def plan_table(spec: TableSpec) -> TablePlan:
    """Columns, font scale and orientation for ``spec``.

    Portrait at :data:`BASE_SCALE` if the columns fit :data:`BUDGET_EM` (labels wrapped as
    needed), or at a scale down to :data:`PORTRAIT_MIN_SCALE`; otherwise landscape
    (:data:`LANDSCAPE_BUDGET_EM`) at the largest scale that fits, down to :data:`MIN_SCALE`.
    """
    wide = _plans(spec)
    for budget, landscape in ((BUDGET_EM, False), (LANDSCAPE_BUDGET_EM, True)):
        plans = _fit(wide, budget / BASE_SCALE)
        needed = _needed_em(plans)
        if needed * BASE_SCALE <= budget:
            return TablePlan(plans, BASE_SCALE, landscape)
        scale = int(100 * budget / needed) / 100
        floor = MIN_SCALE if landscape else PORTRAIT_MIN_SCALE
        if scale >= floor or landscape:
            plans = _fit(wide, budget / max(scale, floor))
            return TablePlan(plans, max(scale, floor), landscape)
    raise AssertionError("unreachable")  # pragma: no cover


def plan_columns(spec: TableSpec) -> tuple[tuple[ColumnPlan, ...], float]:
    """One plan per printed column (the stub, if any, then the displayed columns), and the font scale
    (see :func:`plan_table`, which also says whether the table needs a landscape page)."""
    plan = plan_table(spec)
    return plan.columns, plan.scale

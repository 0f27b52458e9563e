"""Column widths of a DOCX table from its content (:func:`plan_table`), for :mod:`._docx_tables`.

A number column (its body cells right- or centre-aligned) is as wide as its longest cell and
never wraps; text columns share what is left in proportion to their text, never narrower than
their longest word. Widths are estimated from character classes
(:func:`imgshare._text_width.text_em`) at the table's font size. A table whose number columns
and a readable stub do not fit the portrait text width is planned landscape, and at
:data:`SMALL_PT` if even landscape is too narrow.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .._text_width import text_em
from ._docx_io import w
from ._docx_reference import TABLE_PT

__all__ = ["TableLayout", "plan_table", "grid", "cell_text", "SMALL_PT"]

#: Font size of tables too wide even for a landscape page.
SMALL_PT = 8
#: Left + right cell margin in twips (the reference document's table style: 85 each), plus a
#: little room so that an estimate at the edge does not wrap in a word processor.
CELL_PAD = 170 + 40
#: Character-class estimates are scaled by this: they match Times New Roman digits exactly, and a
#: cell that is exactly as wide as its text still wraps in LibreOffice.
SAFETY = 1.08
#: A wrapping text column is given at least this width (twips, ~3.3 cm) when the page allows.
TEXT_COMFORT = 1880


@dataclass(frozen=True)
class TableLayout:
    """Decided layout of one table: column widths (twips), font size (pt), orientation."""

    widths: tuple[int, ...]
    numeric: tuple[bool, ...]
    font_pt: float
    landscape: bool


@dataclass(frozen=True)
class _Cell:
    element: etree._Element
    row: int
    col: int
    span: int
    text: str
    header: bool
    continued: bool  # a vMerge continuation (the text sits in the cell above)


def cell_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def grid(tbl) -> list[_Cell]:
    cells = []
    for r, tr in enumerate(tbl.findall(w("tr"))):
        header = tr.find(f"{w('trPr')}/{w('tblHeader')}") is not None
        col = 0
        for tc in tr.findall(w("tc")):
            span_el = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = int(span_el.get(w("val"))) if span_el is not None else 1
            merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            continued = merge is not None and merge.get(w("val"), "continue") == "continue"
            cells.append(_Cell(tc, r, col, span, cell_text(tc), header, continued))
            col += span
    return cells


def _alignment(cell: _Cell) -> str:
    jc = cell.element.find(f"{w('p')}/{w('pPr')}/{w('jc')}")
    return jc.get(w("val")) if jc is not None else "left"


def _em_twips(text: str, pt: float) -> float:
    return text_em(text) * pt * 20 * SAFETY


def _longest_word(text: str, pt: float) -> float:
    return max((_em_twips(word, pt) for word in text.split()), default=0.0)


def _needs(cells: list[_Cell], n_cols: int, pt: float) -> tuple[list[bool], list[float], list[float], list[float]]:
    """Per column: is it a number column; its width need (numbers) or minimum (text);
    comfortable width; natural (unwrapped) width. In twips, padding included."""
    body = [c for c in cells if not c.header and c.span == 1]
    numeric = []
    for j in range(n_cols):
        aligns = [_alignment(c) for c in body if c.col == j and c.text.strip()]
        numeric.append(bool(aligns) and all(a in ("right", "center") for a in aligns))
    minimum, comfort, natural = [], [], []
    for j in range(n_cols):
        own = [c for c in cells if c.col == j and c.span == 1 and not c.continued]
        body_w = max((_em_twips(c.text, pt) for c in own if not c.header), default=0.0)
        word_w = max((_longest_word(c.text, pt) for c in own), default=0.0)
        full_w = max((_em_twips(c.text, pt) for c in own), default=0.0)
        if numeric[j]:
            need = max(body_w, word_w) + CELL_PAD
            minimum.append(need)
            comfort.append(need)
            natural.append(max(need, full_w + CELL_PAD))
        else:
            minimum.append(word_w + CELL_PAD)
            natural.append(full_w + CELL_PAD)
            comfort.append(max(minimum[-1], min(natural[-1], TEXT_COMFORT)))
    return numeric, minimum, comfort, natural


def _spread(cells: list[_Cell], widths: list[float], pt: float) -> list[float]:
    """Widen spanned columns so every spanning header cell's longest word fits."""
    out = list(widths)
    for c in cells:
        if c.span > 1 and c.header:
            lack = _longest_word(c.text, pt) + CELL_PAD - sum(out[c.col:c.col + c.span])
            if lack > 0:
                for j in range(c.col, c.col + c.span):
                    out[j] += lack / c.span
    return out


def _n_columns(tbl, cells: list[_Cell]) -> int:
    """Grid columns: the declared ones, or as many as the widest row spans (a grid may be empty)."""
    declared = len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    return max([declared, *(c.col + c.span for c in cells)])


def plan_table(tbl, portrait: int, landscape: int) -> TableLayout:
    """Widths, font size and orientation for one ``w:tbl`` given the two text widths (twips)."""
    cells = grid(tbl)
    n_cols = _n_columns(tbl, cells)
    for pt, width, turned in ((TABLE_PT, portrait, False), (TABLE_PT, landscape, True), (SMALL_PT, landscape, True)):
        numeric, minimum, comfort, natural = _needs(cells, n_cols, pt)
        comfort = _spread(cells, comfort, pt)
        if sum(comfort) <= width or pt == SMALL_PT:
            break
    widths = list(comfort)
    text_cols = [j for j in range(n_cols) if not numeric[j]]
    spare = width - sum(widths)
    if spare < 0:
        # Too wide even now: text columns give up their comfort, down to their longest word.
        give = [widths[j] - minimum[j] for j in text_cols]
        total = sum(give)
        for j, g in zip(text_cols, give):
            widths[j] -= g * min(1.0, -spare / total) if total else 0
    elif spare > 0:
        # Room left: first number columns widen so their labels need fewer lines, then text columns
        # grow towards their unwrapped width, then text columns share the rest, so the table spans
        # the text width as in the PDF (a table of numbers only spreads evenly).
        for group in ([j for j in range(n_cols) if numeric[j]], text_cols):
            grow = [max(0.0, natural[j] - widths[j]) for j in group]
            total = sum(grow)
            for j, g in zip(group, grow):
                widths[j] += g * min(1.0, spare / total) if total else 0
            spare = width - sum(widths)
        receivers = text_cols or list(range(n_cols))
        weight = sum(widths[j] for j in receivers)
        for j in receivers:
            widths[j] += spare * widths[j] / weight
    rounded = [round(x) for x in widths]
    rounded[rounded.index(max(rounded))] += round(sum(widths)) - sum(rounded)  # whole twips, same total
    return TableLayout(tuple(rounded), tuple(numeric), pt, turned)


# -- writing the layout -------------------------------------------------------------------------

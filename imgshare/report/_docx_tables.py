"""Finishing pandoc's DOCX with python-docx: table widths from content, table text size, rules,
keep-together, and landscape pages for tables too wide for portrait.

Pandoc writes every table with ``w:tblLayout w:type="fixed"`` and column widths from the
Markdown's character counts, which split numbers ("40/3") in narrow columns, and it has no
way to say "this table goes on a landscape page". Merged cells (spanners, row groups) and
repeating header rows already come from the grid-table Markdown (:mod:`imgshare.tables`).

For each table:

* **Widths from content.** A number column (its body cells right- or centre-aligned) is as
  wide as its longest cell, and its cells never wrap (``w:noWrap``); labels may wrap at
  spaces, never inside a word. Text columns (the stub, statements) share what is left in
  proportion to their text, never narrower than their longest word. Widths are estimated from
  character classes (:func:`imgshare._text_width.text_em`) at the table's font size, so they
  hold for the reference document's Times New Roman and for its Liberation substitute.
* **Landscape.** A table whose number columns and a readable stub do not fit the portrait
  text width goes, with its caption and notes, into its own landscape section (adjacent wide
  tables share one); if even landscape is too narrow the text drops to :data:`SMALL_PT`.
* **Type and rules.** Table text :data:`TABLE_PT` (9 pt); booktabs rules: heavy above the
  header and under the body, light under the header and under each spanner.
* **Keeping together.** Rows never split; header rows, row-group rows, whole short tables and
  the last rows of long ones are kept with what follows, and the notes with the table, so a
  header is never stranded at a page foot and notes do not spill to the next page alone.

Layout is autofit with these widths as preferred widths: Word and LibreOffice start from
them, and Word may still widen a column whose content does not fit.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ._docx_io import order_section, w, write_docx
from ._docx_reference import NOTE_STYLE
from ._docx_table_plan import SMALL_PT, TableLayout, cell_text, grid, plan_table
from ._errors import ReportError
from ._pandoc import source_date_epoch

__all__ = ["finish_docx", "finish_tables", "TableLayout", "plan_table", "SMALL_PT"]

#: A heading this many paragraphs or fewer above a landscape table turns with it.
LEAD_IN_PARAGRAPHS = 2
#: Tables with at most this many body rows are kept on one page as a whole.
KEEP_WHOLE_ROWS = 14
_NOTE_ID = NOTE_STYLE.replace(" ", "")


def _set(parent, tag: str, first: bool = False, **attrs) -> etree._Element:
    for old in parent.findall(w(tag)):
        parent.remove(old)
    node = etree.Element(w(tag))
    for key, value in attrs.items():
        node.set(w(key), str(value))
    (parent.insert(0, node) if first else parent.append(node))
    return node


def _props(element, tag: str) -> etree._Element:
    props = element.find(w(tag))
    if props is None:
        props = etree.Element(w(tag))
        element.insert(0, props)
    return props


# Child order of w:tcPr (CT_TcPr) and w:tblPr (CT_TblPr) that Word requires.
_TCPR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
         "tcFitText", "vAlign", "hideMark")
_TBLPR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
          "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
          "tblDescription")
_PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
        "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
        "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
        "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _sort(element, order: tuple[str, ...]) -> None:
    rank = {w(tag): i for i, tag in enumerate(order)}
    for child in sorted(element, key=lambda el: rank.get(el.tag, len(rank))):
        element.append(child)


def _borders(tc, **sides: int) -> None:
    tcpr = _props(tc, "tcPr")
    borders = tcpr.find(w("tcBorders"))
    if borders is None:
        borders = etree.SubElement(tcpr, w("tcBorders"))
    for side, size in sides.items():
        _set(borders, side, val="single", sz=size, space="0", color="000000")
    _sort(borders, ("top", "start", "left", "bottom", "end", "right", "insideH", "insideV", "tl2br", "tr2bl"))


def _keep_next(paragraph) -> None:
    ppr = _props(paragraph, "pPr")
    if ppr.find(w("keepNext")) is None:
        etree.SubElement(ppr, w("keepNext"))
    _sort(ppr, _PPR)


def _font(tc, pt: float) -> None:
    size = str(round(pt * 2))
    for run in tc.iter(w("r")):
        rpr = _props(run, "rPr")
        _set(rpr, "sz", val=size)
        _set(rpr, "szCs", val=size)
        _sort(rpr, ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
                    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
                    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"))


def _notes_after(tbl) -> list:
    notes = []
    node = tbl.getnext()
    while node is not None and node.tag == w("p"):
        style = node.find(f"{w('pPr')}/{w('pStyle')}")
        if style is None or style.get(w("val")) != _NOTE_ID:
            break
        notes.append(node)
        node = node.getnext()
    return notes


def apply_layout(tbl, layout: TableLayout) -> None:
    """Write ``layout`` into the table element (in place: this is the post-processing step)."""
    tblpr = _props(tbl, "tblPr")
    _set(tblpr, "tblW", type="dxa", w=sum(layout.widths))
    _set(tblpr, "tblLayout", type="autofit")
    _set(tblpr, "tblInd", type="dxa", w=0)
    # No conditional first-row formatting: with two header rows it would rule under the spanners only.
    _set(tblpr, "tblLook", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1, val="0600")
    _sort(tblpr, _TBLPR)
    columns = tbl.find(w("tblGrid"))
    if columns is None:
        columns = etree.Element(w("tblGrid"))
        tblpr.addnext(columns)
    for old in columns.findall(w("gridCol")):
        columns.remove(old)
    for width in layout.widths:
        etree.SubElement(columns, w("gridCol")).set(w("w"), str(width))
    cells = grid(tbl)
    rows = tbl.findall(w("tr"))
    n_header = sum(1 for c in cells if c.header and c.col == 0)
    n_body = len(rows) - n_header
    notes = _notes_after(tbl)
    for cell in cells:
        tcpr = _props(cell.element, "tcPr")
        _set(tcpr, "tcW", type="dxa", w=sum(layout.widths[cell.col:cell.col + cell.span]))
        if cell.span == 1 and layout.numeric[cell.col] and not cell.header:
            _set(tcpr, "noWrap")
        if cell.header:
            _set(tcpr, "vAlign", val="bottom")
        if cell.header and cell.span > 1:
            for paragraph in cell.element.findall(w("p")):
                ppr = _props(paragraph, "pPr")
                _set(ppr, "jc", val="center")
                _sort(ppr, _PPR)
        _font(cell.element, layout.font_pt)
        sides = {}
        if cell.row == 0:
            sides["top"] = 8
        if cell.header and (cell.row == n_header - 1 or (cell.span > 1 and cell.row < n_header - 1)):
            sides["bottom"] = 4
        if cell.row == len(rows) - 1:
            sides["bottom"] = 8
        if sides:
            _borders(cell.element, **sides)
        _sort(tcpr, _TCPR)
        # A header row, a row-group row (one cell across), every row of a short table, and the last
        # two rows of a long one (keeping the notes' company) stay with the row after.
        group = cell.span == len(layout.widths)
        last = cell.row == len(rows) - 1
        keep = (cell.header or group or n_body <= KEEP_WHOLE_ROWS or cell.row >= len(rows) - 2) and (
            not last or bool(notes))
        if keep:
            for paragraph in cell.element.findall(w("p")):
                _keep_next(paragraph)
    for tr in rows:
        trpr = _props(tr, "trPr")
        _set(trpr, "cantSplit", first=True)
    for paragraph in notes[:-1]:
        _keep_next(paragraph)


# -- landscape sections -------------------------------------------------------------------------

def _style_of(paragraph) -> str:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else ""


def _lead_in(first):
    """The heading that introduces a table (with at most :data:`LEAD_IN_PARAGRAPHS` paragraphs
    between them) goes on the table's landscape page too, or it would sit alone on a page."""
    node, start, paragraphs = first.getprevious(), first, 0
    while node is not None:
        if node.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            node = node.getprevious()
            continue
        if node.tag != w("p") or node.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            break
        if _style_of(node).startswith("Heading"):
            start = node
        elif start is not first or paragraphs >= LEAD_IN_PARAGRAPHS:
            break
        else:
            paragraphs += 1
        node = node.getprevious()
    return start


def _extent(tbl) -> tuple:
    """First and last body element of a table with its caption (above) and notes (below), and
    the heading leading into it."""
    first = tbl
    prev = tbl.getprevious()
    if prev is not None and prev.tag == w("p") and _style_of(prev) == "TableCaption":
        first = prev
    notes = _notes_after(tbl)
    return _lead_in(first), (notes[-1] if notes else tbl)


def _section(base, landscape: bool) -> etree._Element:
    sect = copy.deepcopy(base)
    size = sect.find(w("pgSz"))
    width, height = int(size.get(w("w"))), int(size.get(w("h")))
    if landscape:
        size.set(w("w"), str(max(width, height)))
        size.set(w("h"), str(min(width, height)))
        size.set(w("orient"), "landscape")
    _set(sect, "type", val="nextPage")
    order_section(sect)
    return sect


def _end_section_at(paragraph, sect) -> None:
    ppr = _props(paragraph, "pPr")
    for old in ppr.findall(w("sectPr")):
        ppr.remove(old)
    ppr.append(sect)
    _sort(ppr, _PPR)


def _only_gap_between(a, b) -> bool:
    """Nothing but bookmarks and empty paragraphs between sibling elements a and b."""
    node = a.getnext()
    while node is not None and node is not b:
        if node.tag == w("p") and cell_text(node).strip():
            return False
        if node.tag not in (w("p"), w("bookmarkStart"), w("bookmarkEnd")):
            return False
        node = node.getnext()
    return node is b


def _landscape(body, tables: list, base) -> None:
    """Put each table in ``tables`` (document order) with its caption and notes on landscape pages."""
    runs: list[list] = []
    for tbl in tables:
        first, last = _extent(tbl)
        if runs and _only_gap_between(runs[-1][-1][1], first):
            runs[-1].append((first, last))
        else:
            runs.append([(first, last)])
    for run in runs:
        first, last = run[0][0], run[-1][1]
        before = first.getprevious()
        while before is not None and before.tag != w("p") and before.tag != w("tbl"):
            before = before.getprevious()
        if before is None or before.tag != w("p"):
            before = etree.Element(w("p"))
            first.addprevious(before)
        _end_section_at(before, _section(base, landscape=False))
        if last.tag != w("p"):
            closer = etree.Element(w("p"))
            last.addnext(closer)
            last = closer
        _end_section_at(last, _section(base, landscape=True))


def _text_widths(base) -> tuple[int, int]:
    size, margins = base.find(w("pgSz")), base.find(w("pgMar"))
    width, height = int(size.get(w("w"))), int(size.get(w("h")))
    left, right = int(margins.get(w("left"), 1440)), int(margins.get(w("right"), 1440))
    return min(width, height) - left - right, max(width, height) - left - right


def finish_tables(body) -> list[TableLayout]:
    """Lay out every top-level table of a document body (a ``w:body`` element), in place."""
    base = body.find(w("sectPr"))
    portrait, landscape = _text_widths(base)
    layouts = []
    wide = []
    for tbl in body.findall(w("tbl")):
        if not grid(tbl):
            continue  # a table without cells has nothing to lay out
        layout = plan_table(tbl, portrait, landscape)
        apply_layout(tbl, layout)
        layouts.append(layout)
        if layout.landscape:
            wide.append(tbl)
    if wide:
        _landscape(body, wide, base)
    return layouts


def finish_docx(path: Path | str) -> Path:
    """Post-process a DOCX pandoc wrote (see the module docstring); rewrites ``path``.

    The file stays byte-for-byte reproducible (entries dated ``SOURCE_DATE_EPOCH``).
    """
    import zipfile

    import docx

    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise ReportError(f"{path.name} is not a Word document (not a DOCX package)", str(path))
    document = docx.Document(str(path))
    finish_tables(document.element.body)
    return write_docx(document, path, source_date_epoch())

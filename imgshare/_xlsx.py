"""Reading one sheet of an .xlsx workbook within bounds, refusing what a plain read would lose.

A 7 KB workbook can declare (and hold) a cell at XFD1048576, which a spreadsheet reader pads
into 17 billion cells; a formula cell saved without its computed value reads as blank and an
error cell (``#DIV/0!``) as missing, so respondents would be excluded without a word. Before
any cell value is read, one streaming pass over the sheet's XML checks:

* the sheet's declared dimension and the extent of the cells that hold values: at most
  :data:`MAX_CELLS` cells;
* every formula has a cached value and no cell holds an error value.

The values are then read with openpyxl, bounded to the extent found.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from .errors import DataError, Problem

__all__ = ["read_sheet", "MAX_CELLS"]

#: Most cells (rows x columns) a sheet may span: far beyond a survey export, far below a bomb.
MAX_CELLS = 20_000_000
#: Problems listed per kind before the rest are counted.
_LISTED = 20
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_EXPECTED = "an Excel .xlsx file"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def column_letter(j: int) -> str:
    """Spreadsheet column name of 1-based column ``j``.

    >>> column_letter(1), column_letter(27), column_letter(16384)
    ('A', 'AA', 'XFD')
    """
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _CELL_REF.fullmatch(ref.replace("$", "").upper())
    return (int(m[2]), _column_number(m[1])) if m else None


def _sheet_part(archive: zipfile.ZipFile, name: str, sheet: str | int | None) -> tuple[str, str]:
    """The (title, zip member) of the requested sheet: by title, by 0-based position, or the first."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    sheets = [(s.get("name", ""), targets.get(s.get(f"{{{_REL_NS}}}id"), "")) for s in book.iter()
              if _local(s.tag) == "sheet"]
    if not sheets:
        raise DataError(Problem(name, None, None, "a workbook without sheets", _EXPECTED))
    if sheet is None:
        chosen = sheets[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise DataError(Problem(name, None, None, f"no sheet number {sheet} (the workbook has {len(sheets)})",
                                    "questionnaires.<id>.sheet: a sheet name or a position from 0"))
        chosen = sheets[sheet]
    else:
        found = [s for s in sheets if s[0] == sheet]
        if not found:
            listed = ", ".join(repr(s[0]) for s in sheets[:10])
            raise DataError(Problem(name, None, None, f"no sheet named {sheet!r}",
                                    f"one of the workbook's sheets ({listed})"))
        chosen = found[0]
    title, target = chosen
    member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return title, member


def _too_big(name: str, what: str, rows: int, cols: int) -> DataError:
    return DataError(Problem(
        name, None, None,
        f"{what} A1:{column_letter(cols)}{rows} ({rows:,} rows x {cols:,} columns = {rows * cols:,} cells)",
        f"a sheet of at most {MAX_CELLS:,} cells; delete stray cells far outside the data or save the "
        "sheet as CSV"))


_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_WITH_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"\$?([A-Z]{1,3})\$?([0-9]{1,7})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([^\"]*)\"")
_NEEDS_CELL_LOOK = re.compile(rb"<(?:\w+:)?f[\s>/]|\bt=\"e\"")
_READ = 1 << 20


def _quick_scan(name: str, source, sheet_title: str) -> tuple[int, int] | None:
    """One pass of byte patterns over the sheet XML (no tree): the declared dimension, and the extent
    of the cells. None when a cell needs a closer look (a formula, an error value, a cell without
    its ``r`` reference), which :func:`_scan` gives."""
    max_row = max_col = 0
    pending = b""
    first = True
    while True:
        chunk = source.read(_READ)
        buf = pending + chunk
        # Whole tags only: '<' cannot occur inside a tag, so cut before the last one and carry it over.
        cut = buf.rfind(b"<") if chunk else len(buf)
        region, pending = (buf[:cut], buf[cut:]) if cut > 0 else (b"", buf)
        if first and (m := _DIMENSION.search(region)):
            first = False
            last = _parse_ref(m[1].decode("ascii", "replace").split(":")[-1])
            if last and last[0] * last[1] > MAX_CELLS:
                raise _too_big(name, f"sheet {sheet_title!r} declares the range", *last)
        if _NEEDS_CELL_LOOK.search(region):
            return None
        refs = _CELL_WITH_REF.findall(region)
        if len(_CELL_TAG.findall(region)) != len(refs):
            return None
        if refs:
            letters, digits = zip(*refs)
            max_row = max(max_row, max(map(int, set(digits))))
            max_col = max(max_col, max(_column_number(c.decode("ascii")) for c in set(letters)))
            if max_row * max_col > MAX_CELLS:
                raise _too_big(name, f"sheet {sheet_title!r} has cells as far as the range", max_row, max_col)
        if not chunk:
            return max_row, max_col


def _scan(name: str, source, sheet_title: str) -> tuple[int, int]:
    """Stream the sheet XML once; return the extent (rows, columns) of cells holding a value."""
    problems: list[Problem] = []
    omitted = 0
    max_row = max_col = 0
    row = col = 0
    for event, elem in ElementTree.iterparse(source, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "dimension":
                extent = [_parse_ref(part) for part in elem.get("ref", "").split(":")]
                last = extent[-1] if extent and extent[-1] else None
                if last and last[0] * last[1] > MAX_CELLS:
                    raise _too_big(name, f"sheet {sheet_title!r} declares the range", *last)
            elif tag == "row":
                row = int(elem.get("r") or row + 1)
                col = 0
            continue
        if tag != "c":
            if tag == "row":
                elem.clear()
            continue
        where = _parse_ref(elem.get("r", ""))
        row, col = where if where else (row, col + 1)
        children = {_local(ch.tag): ch for ch in elem}
        kind = elem.get("t", "n")
        # An empty <v/> is a saved empty-text result only for a text formula (t="str").
        saved = "v" in children and (bool(children["v"].text) or kind == "str")
        has_value = saved or "is" in children
        problem = None
        if "f" in children and not saved:
            problem = Problem(name, row, column_letter(col), f"a formula ={children['f'].text or ''} without a "
                              "saved value (the workbook was not recalculated and saved by a spreadsheet program)",
                              "values: open the file in Excel or LibreOffice and save it, or paste the "
                              "column as values")
        elif kind == "e":
            problem = Problem(name, row, column_letter(col), f"the error value {children['v'].text if 'v' in children else ''}",
                              "a code, a label or a blank cell")
        if problem is not None:
            if len(problems) < _LISTED:
                problems.append(problem)
            else:
                omitted += 1
        if has_value:
            max_row, max_col = max(max_row, row), max(max_col, col)
            if max_row * max_col > MAX_CELLS:
                raise _too_big(name, f"sheet {sheet_title!r} has cells as far as the range", max_row, max_col)
        elem.clear()
    if problems:
        raise DataError(problems, omitted=omitted)
    return max_row, max_col


def read_sheet(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """The sheet's cells as an object frame (no header interpretation), bounded and checked.

    Raises :class:`~imgshare.errors.DataError` for an unreadable workbook, a missing sheet, an
    implausible extent, formulas without saved values and error cells.
    """
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            title, member = _sheet_part(archive, name, sheet)
            with archive.open(member) as source:
                extent = _quick_scan(name, source, title)
            if extent is None:  # formulas, error values or cells without references: look at each cell
                with archive.open(member) as source:
                    extent = _scan(name, source, title)
            rows, cols = extent
    except DataError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError) as exc:
        raise DataError(Problem(name, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})",
                                _EXPECTED)) from None
    if rows == 0:
        return pd.DataFrame(dtype=object)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:
            values = list(book[title].iter_rows(min_row=1, max_row=rows, min_col=1, max_col=cols,
                                                values_only=True))
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise DataError(Problem(name, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})",
                                _EXPECTED)) from None
    return pd.DataFrame(values, dtype=object)

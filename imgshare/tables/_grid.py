"""Pandoc grid tables with merged cells: the DOCX rendering of a table's structure.

A pipe table has one header row and no merged cells, so a spanner ("5-point agreement" over
five columns) could only be repeated in every label. Pandoc (3.0 and later, and so Quarto)
reads *grid tables* with row and column spans and writes them to Word as real merged cells
(``w:gridSpan`` / ``w:vMerge``) with repeating header rows. This module lays such a table out
as text: every cell is already-escaped Markdown, wrapped at spaces to its column's width.

Widths are counted the way pandoc counts them: characters, with East Asian wide characters
as two and combining marks as none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GridCell", "grid_table", "display_width"]


@dataclass(frozen=True)
class GridCell:
    """One cell: Markdown text, how many columns and rows it covers."""

    text: str
    colspan: int = 1
    rowspan: int = 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced layout, as pandoc measures grid-table cells.

    Examples
    --------
    >>> display_width("abc"), display_width("日本"), display_width("e\\u0301")
    (3, 4, 1)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap at spaces; a word longer than ``width`` gets a line of its own."""
    lines: list[str] = []
    for word in text.split(" "):
        if not word:
            continue
        if lines and display_width(lines[-1]) + 1 + display_width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _place(rows: Sequence[Sequence[GridCell]], n_cols: int) -> list[list[tuple[int, int, GridCell] | None]]:
    """Grid slots -> (row, col) of the cell's top-left corner and the cell; validates coverage."""
    slots: list[list] = [[None] * n_cols for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c < n_cols and slots[r][c] is not None:
                c += 1
            if c + cell.colspan > n_cols or r + cell.rowspan > len(rows):
                raise ValueError(f"grid cell {cell.text[:30]!r} does not fit the table")
            slot = (r, c, cell)  # one object per cell: "is" tells whether two slots share a cell
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if slots[rr][cc] is not None:
                        raise ValueError(f"grid cell {cell.text[:30]!r} overlaps another")
                    slots[rr][cc] = slot
            c += cell.colspan
        if any(s is None for s in slots[r]):
            raise ValueError(f"grid row {r} does not cover every column")
    return slots


def _inner(widths: Sequence[int], c: int, span: int) -> int:
    """Text width of a cell over columns c..c+span-1 (the borders between them become text)."""
    return sum(widths[c:c + span]) + 3 * (span - 1)


def grid_table(header: Sequence[Sequence[GridCell]], body: Sequence[Sequence[GridCell]],
               widths: Sequence[int], aligns: Sequence[str]) -> str:
    """A pandoc grid table.

    Parameters
    ----------
    header, body : rows of :class:`GridCell`
        Cells left to right; a slot covered by a row span from above is skipped.
        Row spans must not cross from the header into the body.
    widths : ints
        Text width of each column in characters (at least 1). A cell spanning columns gets
        their widths plus the borders between them. Columns are widened where a word would
        not fit.
    aligns : "left" | "right" | "center" per column

    Examples
    --------
    >>> print(grid_table([[GridCell("Item", rowspan=2), GridCell("Agreement", colspan=2)],
    ...                   [GridCell("Yes"), GridCell("No")]],
    ...                  [[GridCell("A"), GridCell("1"), GridCell("2")]], [4, 3, 3], ["left", "right", "right"]))
    +------+-----+-----+
    | Item | Agreement |
    |      +-----+-----+
    |      | Yes | No  |
    +:=====+====:+====:+
    | A    | 1   | 2   |
    +------+-----+-----+
    """
    n_cols = len(widths)
    rows = [*header, *body]
    slots = _place(rows, n_cols)
    widths = [max(1, int(x)) for x in widths]
    # Widen columns so that every cell's longest word fits (a spanning cell widens its last column).
    for r, row in enumerate(slots):
        for c, slot in enumerate(row):
            rr, cc, cell = slot
            if (rr, cc) != (r, c):
                continue
            longest = max((display_width(word) for word in cell.text.split(" ")), default=0)
            lack = longest - _inner(widths, c, cell.colspan)
            if lack > 0:
                widths[c + cell.colspan - 1] += lack
    # Lines of text per cell, and lines per row (a row-spanning cell may lengthen its last row).
    text: dict[tuple[int, int], list[str]] = {}
    height = [1] * len(rows)
    for r, row in enumerate(slots):
        for c, (rr, cc, cell) in enumerate(row):
            if (rr, cc) == (r, c):
                text[(r, c)] = _wrap(cell.text, _inner(widths, c, cell.colspan))
                if cell.rowspan == 1:
                    height[r] = max(height[r], len(text[(r, c)]))
    for (r, c), lines in text.items():
        span = slots[r][c][2].rowspan
        if span > 1:
            room = sum(height[r:r + span]) + span - 1
            height[r + span - 1] += max(0, len(lines) - room)

    def border(r: int, char: str, align_marks: bool = False) -> str:
        """The rule above row r (r == len(rows): the bottom rule)."""
        out = ""
        for c in range(n_cols):
            above = slots[r - 1][c] if r > 0 else None
            below = slots[r][c] if r < len(rows) else None
            through = above is not None and above is below  # a row span continues across this rule
            left_through = c > 0 and r > 0 and r < len(rows) and slots[r - 1][c - 1] is slots[r][c - 1]
            out += "|" if through and (c == 0 or left_through) else "+"
            if through:
                out += " " * (widths[c] + 2)
                continue
            seg = char * (widths[c] + 2)
            if align_marks:
                how = aligns[c]
                seg = (":" if how in ("left", "center") else char) + seg[1:-1] + (":" if how in ("right", "center") else char)
            out += seg
        right_through = 0 < r < len(rows) and slots[r - 1][-1] is slots[r][-1]
        return out + ("|" if right_through else "+")

    def content(r: int) -> list[str]:
        """The text lines of row r, plus the text of row-spanning cells that reach into it."""
        lines = []
        for k in range(height[r]):
            out = ""
            c = 0
            while c < n_cols:
                rr, cc, cell = slots[r][c]
                # Which line of this cell's text falls here: count the lines of the rows above it.
                offset = sum(height[rr:r]) + (r - rr) + k
                cell_lines = text[(rr, cc)]
                piece = cell_lines[offset] if offset < len(cell_lines) else ""
                out += "| " + _pad(piece, _inner(widths, c, cell.colspan)) + " "
                c += cell.colspan
            lines.append(out + "|")
        return lines

    def spanned_rule(r: int) -> list[str]:
        """A rule line above row r that passes through row-spanning cells carries their text."""
        line = border(r, "-")
        for c in range(n_cols):
            rr, cc, cell = slots[r][c]
            if rr < r and cc == c:
                offset = sum(height[rr:r]) + (r - rr) - 1
                cell_lines = text[(rr, cc)]
                piece = cell_lines[offset] if offset < len(cell_lines) else ""
                start = 1 + sum(widths[:c]) + 3 * c + 1
                width = _inner(widths, c, cell.colspan)
                line = line[:start] + _pad(piece, width) + line[start + width:]
        return [line]

    out: list[str] = []
    n_head = len(header)
    for r in range(len(rows)):
        if r == 0:
            out.append(border(0, "-", align_marks=not header))
        elif r == n_head:
            out.append(border(r, "=", align_marks=True))
        else:
            out.extend(spanned_rule(r))
        out.extend(content(r))
    out.append(border(len(rows), "-"))
    return "\n".join(out)

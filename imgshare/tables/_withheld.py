"""Cells withheld under disclosure control: their text and the table notes that explain them.

A builder asks :class:`Withheld` for each cell whose value may be withheld; it gets ``<K``, the
withheld mark, or the formatted value, and at the end the notes to add: a general note for
``<K`` and one shared footnote mark on every withheld cell (the dash alone also means "not
applicable" in some tables). The texts come from :mod:`imgshare.disclosure`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..disclosure import SMALL, WITHHELD, WITHHELD_MARK, WITHHELD_NOTE, small_note, small_text
from ._spec import Footnote, TableError

__all__ = ["Withheld", "flag_of"]


def flag_of(row: Any, column: str) -> str:
    """The ``<column>_withheld`` flag of a row (Series, mapping or namedtuple); '' when absent."""
    name = f"{column}_withheld"
    if hasattr(row, "get"):
        value = row.get(name, "")
    else:
        value = getattr(row, name, "")
    return value if isinstance(value, str) else ""


class Withheld:
    """Collects the withheld cells of one table (``min_cell`` is K, or None when off)."""

    def __init__(self, min_cell: int | None):
        self.k = min_cell
        self.small = False
        self.cells: list[tuple[str, int | None]] = []

    def text(self, flag: str, shown: Callable[[], str], column: str, row: int | None) -> str:
        """``<K`` for a small count, the withheld mark (footnoted at ``column``/``row``), else ``shown()``."""
        if flag == SMALL:
            if not self.k:
                raise TableError("a value is flagged as a small count but no small-cell threshold (min_cell) was given")
            self.small = True
            return small_text(self.k)
        if flag == WITHHELD:
            self.cells.append((column, row))
            return WITHHELD_MARK
        return shown()

    def notes(self) -> list[Footnote | str]:
        out: list[Footnote | str] = []
        if self.small:
            out.append(small_note(self.k))
        text = WITHHELD_NOTE.format(k=self.k or "")
        out.extend(Footnote(text, column=c, row=r) for c, r in dict.fromkeys(self.cells))
        return out

"""The table description every renderer reads: :class:`TableSpec` and :class:`Footnote`.

A spec holds data (formatted strings or raw values plus per-column formatters) and the
table's structure (title, stub, row groups, spanners, alignment, notes). It knows nothing
about HTML, Typst or Markdown; the renderers in this package turn one spec into each.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..errors import ImgshareError

__all__ = ["TableError", "Footnote", "TableSpec", "SYNTHETIC_NOTE", "ALIGNMENTS"]

SYNTHETIC_NOTE = "Synthetic data: computed from a synthetic cohort, not from the study's data."
ALIGNMENTS = ("left", "center", "right")

# Quarto and Typst both accept this label form, and `@tbl-...` cross-references need the prefix.
_LABEL = re.compile(r"^tbl-[A-Za-z0-9][A-Za-z0-9_-]*$")
# Cells that read as numbers (counts, percentages, p-values, effects) are right-aligned by default.
_NUM = r"[<>≤≥]?[-+−]?\d[\d,.]*%?"
_NUMERIC_CELL = re.compile(rf"^{_NUM}(/\d+| to {_NUM})?( \({_NUM}( to {_NUM})?\))?$")


class TableError(ImgshareError):
    """A table cannot be built from the data or description it was given."""


@dataclass(frozen=True)
class Footnote:
    """A note under the table, optionally marked at one location.

    With no location the note is general (unmarked). Otherwise give exactly one of:
    ``title=True``; ``spanner`` (a spanner label); ``column`` alone (that column's label);
    ``column`` and ``row`` (a body cell: 0-based row position, the column may be the stub).
    """

    text: str
    column: str | None = None
    row: int | None = None
    spanner: str | None = None
    title: bool = False

    @property
    def located(self) -> bool:
        return self.title or self.spanner is not None or self.column is not None

    def order_key(self, column_order: Sequence[str], spanner_order: Sequence[str], stub: str | None = None) -> tuple:
        """Where the mark sits, top to bottom then left to right, so marks run a, b, c."""
        is_stubhead = stub is not None and self.column == stub and self.row is None
        # great-tables' order: title, stubhead, spanners, column labels, then the body row by row.
        if self.title:
            return (0, 0, 0)
        if is_stubhead:
            return (1, 0, 0)
        if self.spanner is not None:
            return (2, spanner_order.index(self.spanner), 0)
        if self.row is None:
            return (3, column_order.index(self.column), 0)
        return (4, self.row, column_order.index(self.column))


def _default_format(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@dataclass(frozen=True, eq=False)
class TableSpec:
    """An immutable description of a journal table.

    Parameters
    ----------
    label : str
        Cross-reference label, ``tbl-`` followed by letters, digits, ``-`` or ``_``.
    title : str
        The caption (the renderer adds "Table N").
    data : pandas.DataFrame
        One row per table row. Copied, never modified. Columns named by ``stub`` and
        ``groups`` become the row labels and row-group labels; the others are displayed
        in their order.
    subtitle : str
        A second caption line.
    stub, stubhead : str
        Column holding row labels, and the label printed above it.
    groups : str, optional
        Column holding row-group labels; each group's rows must be contiguous.
    column_labels : mapping
        Column name -> printed label (default: the column name).
    spanners : mapping
        Spanner label -> the adjacent displayed columns it spans.
    align : mapping
        Column -> "left" | "center" | "right". Unset columns: the stub and text are left,
        columns whose every cell reads as a number are right.
    formatters : mapping
        Column -> function from a raw value to its cell text. Other columns use ``str``
        (floats with two decimals; missing values print empty).
    footnotes : sequence of Footnote or str
        Notes under the table; a plain string is a general (unmarked) note.
    source_notes : sequence of str
        Notes printed after the footnotes.
    is_synthetic : bool
        Adds :data:`SYNTHETIC_NOTE` as the first source note.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"age": ["18–24", "25–34"], "n": [9, 86], "pct": [3.19, 30.5]})
    >>> spec = TableSpec("tbl-age", "Patient age", data, stub="age",
    ...                  formatters={"pct": lambda v: f"{v:.1f}"}, column_labels={"pct": "%"},
    ...                  spanners={"Patients": ["n", "pct"]}, footnotes=["Percent of 282."])
    >>> spec.cells()["pct"].tolist(), spec.columns, spec.alignment("n")
    (['3.2', '30.5'], ('n', 'pct'), 'right')
    """

    label: str
    title: str
    data: pd.DataFrame
    subtitle: str = ""
    stub: str | None = None
    stubhead: str = ""
    groups: str | None = None
    column_labels: Mapping[str, str] = field(default_factory=dict)
    spanners: Mapping[str, Sequence[str]] = field(default_factory=dict)
    align: Mapping[str, str] = field(default_factory=dict)
    formatters: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    footnotes: Sequence[Footnote | str] = ()
    source_notes: Sequence[str] = ()
    is_synthetic: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.data, pd.DataFrame):
            raise TableError(f"{self.label}: table data must be a pandas DataFrame, found {type(self.data).__name__}")
        data = self.data.copy(deep=True).reset_index(drop=True)
        put = object.__setattr__
        put(self, "data", data)
        put(self, "column_labels", MappingProxyType({str(k): str(v) for k, v in self.column_labels.items()}))
        put(self, "spanners", MappingProxyType({str(k): tuple(v) for k, v in self.spanners.items()}))
        put(self, "align", MappingProxyType(dict(self.align)))
        put(self, "formatters", MappingProxyType(dict(self.formatters)))
        notes = tuple(Footnote(f) if isinstance(f, str) else f for f in self.footnotes)
        put(self, "footnotes", notes)
        put(self, "source_notes", tuple(str(s) for s in self.source_notes))
        self._validate()

    # ---------------------------------------------------------------------------------
    def _fail(self, reason: str) -> None:
        raise TableError(f"{self.label}: {reason}")

    def _validate(self) -> None:
        if not isinstance(self.label, str) or not _LABEL.match(self.label):
            raise TableError(f"table label {self.label!r} must look like 'tbl-name' (letters, digits, '-', '_')")
        names = list(self.data.columns)
        if any(not isinstance(c, str) for c in names) or len(set(names)) != len(names):
            self._fail("data columns must have unique text names")
        for role, col in (("stub", self.stub), ("groups", self.groups)):
            if col is not None and col not in names:
                self._fail(f"{role} column '{col}' is not in the data")
        if self.stub is not None and self.stub == self.groups:
            self._fail("the stub and the row groups must be different columns")
        if not self.columns:
            self._fail("the table has no columns to display")
        for mapping, what in ((self.column_labels, "column label"), (self.align, "alignment"),
                              (self.formatters, "formatter")):
            for col in mapping:
                if col not in names:
                    self._fail(f"{what} given for unknown column '{col}'")
        for col, how in self.align.items():
            if how not in ALIGNMENTS:
                self._fail(f"alignment of '{col}' must be one of {', '.join(ALIGNMENTS)}, found {how!r}")
        for col, fn in self.formatters.items():
            if not callable(fn):
                self._fail(f"formatter of '{col}' is not callable")
        self._validate_spanners()
        self._validate_groups()
        self._validate_footnotes()

    def _validate_spanners(self) -> None:
        shown = list(self.columns)
        used: set[str] = set()
        for label, cols in self.spanners.items():
            if not cols:
                self._fail(f"spanner '{label}' spans no columns")
            for col in cols:
                if col not in shown:
                    self._fail(f"spanner '{label}' names '{col}', which is not a displayed column")
                if col in used:
                    self._fail(f"column '{col}' is under more than one spanner")
                used.add(col)
            pos = sorted(shown.index(c) for c in cols)
            if pos != list(range(pos[0], pos[0] + len(pos))):
                self._fail(f"spanner '{label}' must span adjacent columns")

    def _validate_groups(self) -> None:
        if self.groups is None:
            return
        values = self.data[self.groups]
        if values.isna().any():
            self._fail(f"row-group column '{self.groups}' has missing values")
        seen: list = []
        for v in values:
            if seen and v == seen[-1]:
                continue
            if v in seen:
                self._fail(f"rows of group '{v}' are not contiguous")
            seen.append(v)

    def _validate_footnotes(self) -> None:
        allowed = [c for c in [self.stub, *self.columns] if c is not None]
        for note in self.footnotes:
            kinds = sum([note.title, note.spanner is not None, note.column is not None])
            if kinds > 1 or (note.row is not None and note.column is None):
                self._fail(f"footnote '{note.text[:40]}' must be marked at one place")
            if note.spanner is not None and note.spanner not in self.spanners:
                self._fail(f"footnote '{note.text[:40]}' names unknown spanner '{note.spanner}'")
            if note.column is not None and note.column not in allowed:
                self._fail(f"footnote '{note.text[:40]}' names unknown column '{note.column}'")
            if note.row is not None and not 0 <= note.row < len(self.data):
                self._fail(f"footnote '{note.text[:40]}' names row {note.row}; the table has {len(self.data)}")

    # ---------------------------------------------------------------------------------
    @property
    def columns(self) -> tuple[str, ...]:
        """Displayed data columns (not the stub or the group column), in order."""
        return tuple(c for c in self.data.columns if c not in (self.stub, self.groups))

    @property
    def n_rows(self) -> int:
        return len(self.data)

    def column_label(self, column: str) -> str:
        if column == self.stub:
            return self.stubhead
        return self.column_labels.get(column, column)

    def spanner_of(self, column: str) -> str | None:
        for label, cols in self.spanners.items():
            if column in cols:
                return label
        return None

    def cells(self) -> pd.DataFrame:
        """Every cell as display text (formatters applied), same shape and columns as ``data``."""
        out = {}
        for col in self.data.columns:
            fn = self.formatters.get(col, _default_format)
            out[col] = [_clean(fn(v)) for v in self.data[col].tolist()]
        return pd.DataFrame(out, columns=list(self.data.columns), dtype=object)

    def alignment(self, column: str) -> str:
        if column in self.align:
            return self.align[column]
        if column == self.stub:
            return "left"
        # This column's cells only (formatting every cell of the table per column made
        # alignment quadratic in the number of columns).
        fn = self.formatters.get(column, _default_format)
        texts = [t for t in (_clean(fn(v)) for v in self.data[column].tolist()) if t]
        if texts and all(_NUMERIC_CELL.match(t) or t in ("–", "-", "—") for t in texts):
            return "right"
        return "left"

    @property
    def all_source_notes(self) -> tuple[str, ...]:
        return ((SYNTHETIC_NOTE,) if self.is_synthetic else ()) + tuple(self.source_notes)

    def marked_footnotes(self) -> tuple[tuple[str, Footnote], ...]:
        """General notes (mark ``""``) first, then located notes in reading order with marks a, b, ...

        Notes with the same text share one mark.
        """
        order = [c for c in [self.stub, *self.columns] if c is not None]
        spanner_order = list(self.spanners)
        general = [("", n) for n in self.footnotes if not n.located]
        located = sorted((n for n in self.footnotes if n.located), key=lambda n: n.order_key(order, spanner_order, self.stub))
        marks: dict[str, str] = {}
        out = []
        for note in located:
            if note.text not in marks:
                marks[note.text] = _mark(len(marks))
            out.append((marks[note.text], note))
        return tuple(general) + tuple(out)

    def notes_text(self) -> tuple[tuple[str, str], ...]:
        """(mark, text) for each distinct footnote in print order."""
        seen: set[tuple[str, str]] = set()
        out = []
        for mark, note in self.marked_footnotes():
            if (mark, note.text) not in seen:
                seen.add((mark, note.text))
                out.append((mark, note.text))
        return tuple(out)

    def marks_at(self) -> dict[tuple, str]:
        """Location -> marks string: keys ('title',), ('spanner', label), ('label', col), ('cell', row, col)."""
        out: dict[tuple, str] = {}
        for mark, note in self.marked_footnotes():
            if not mark:
                continue
            if note.title:
                key: tuple = ("title",)
            elif note.spanner is not None:
                key = ("spanner", note.spanner)
            elif note.row is None:
                key = ("label", note.column)
            else:
                key = ("cell", note.row, note.column)
            if mark not in out.get(key, "").split(","):
                out[key] = f"{out[key]},{mark}" if key in out else mark
        return out


def _mark(i: int) -> str:
    """a..z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[i] if i < 26 else _mark(i // 26 - 1) + letters[i % 26]


_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


def _clean(text: Any) -> str:
    # A cell is one line of text in every output format; stray newlines would break pipe tables.
    # No-break spaces are kept: they are how a builder says "do not wrap here".
    return _SPACE_RUN.sub(" ", str(text)).strip(" ") if text is not None else ""

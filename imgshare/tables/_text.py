"""Plain-text renderings of a :class:`TableSpec`: pandoc Markdown (for DOCX) and CSV.

The Markdown is a grid table (merged cells for spanners and row groups) with a
``: caption {#tbl-label}`` line, which pandoc turns into a real Word table and Quarto into a
cross-referenceable one. All text is backslash-escaped, so ``*``, ``$``, ``@`` or
``<script>`` print as written.

The CSV is for spreadsheets: cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe, unless the cell
is simply a number such as ``-0.12``.
"""

from __future__ import annotations

import csv
import io

from .. import escape
from ..io import neutralise_formula
from ._grid import GridCell, display_width, grid_table
from ._spec import TableSpec

__all__ = ["to_markdown", "to_csv", "markdown_escape", "neutralise_formula"]

#: Word style of table notes (defined in the manuscript's reference document).
NOTE_STYLE = "Table Note"
#: Text columns of the Markdown table wrap at this many characters (their relative width in
#: pandoc's layout; the DOCX post-processing step sets final widths from the content).
TEXT_WRAP_CHARS = 28


def markdown_escape(text: str) -> str:
    """``text`` as literal pandoc Markdown inline text (one line): :func:`imgshare.escape.markdown`.

    Examples
    --------
    >>> markdown_escape("a*b* $x$ | <i>")
    'a\\\\*b\\\\* \\\\$x\\\\$ \\\\| \\\\<i\\\\>'
    """
    return escape.markdown(text)


def _with_mark(text: str, marks: str) -> str:
    return f"{text}^{marks}^" if marks else text


def to_markdown(spec: TableSpec, *, caption: bool = True) -> str:
    """A pandoc grid table with caption, label and notes (a "Table Note" paragraph each).

    Spanners are merged cells over their columns, the other column labels span both header
    rows, and each row group is one bold row across the table, so Word gets real merged
    cells (``w:gridSpan``) and header rows that repeat on every page. ``caption=False``
    leaves out the ``: caption {#label}`` line, for a caller (a Quarto chunk with
    ``tbl-cap``) that supplies both.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = TableSpec("tbl-x", "Ages", pd.DataFrame({"age": ["18–24"], "n": ["9"]}), stub="age")
    >>> print(to_markdown(spec).strip())
    +-------+---+
    |       | n |
    +:======+==:+
    | 18–24 | 9 |
    +-------+---+
    <BLANKLINE>
    : Ages {#tbl-x}
    """
    cells = spec.cells()
    marks = spec.marks_at()
    names = ([spec.stub] if spec.stub is not None else []) + list(spec.columns)
    aligns = [spec.alignment(n) for n in names]

    def label(name: str) -> str:
        return _with_mark(markdown_escape(spec.column_label(name)), marks.get(("label", name), ""))

    rows: list[list[GridCell]] = []
    current = object()
    for row in range(spec.n_rows):
        if spec.groups is not None and cells.at[row, spec.groups] != current:
            current = cells.at[row, spec.groups]
            rows.append([GridCell(f"**{markdown_escape(current)}**", colspan=len(names))])
        rows.append([GridCell(_with_mark(markdown_escape(cells.at[row, n]), marks.get(("cell", row, n), "")))
                     for n in names])

    if spec.spanners:
        top: list[GridCell] = []
        second: list[GridCell] = []
        i = 0
        while i < len(names):
            span = spec.spanner_of(names[i])
            if span is None:
                top.append(GridCell(label(names[i]), rowspan=2))
                i += 1
                continue
            k = len(spec.spanners[span])
            top.append(GridCell(_with_mark(markdown_escape(span), marks.get(("spanner", span), "")), colspan=k))
            second += [GridCell(label(n)) for n in names[i:i + k]]
            i += k
        header = [top, second]
    else:
        header = [[GridCell(label(n)) for n in names]]

    widths = []
    for j, name in enumerate(names):
        body = [display_width(r[j].text) for r in rows if len(r) == len(names)]
        natural = max(body, default=1)
        # Text columns wrap (a capped share); number columns keep every cell on one line.
        widths.append(min(natural, TEXT_WRAP_CHARS) if aligns[j] == "left" else natural)
    parts = [grid_table(header, rows, widths, aligns)]
    if caption:
        title = _with_mark(markdown_escape(spec.title), marks.get(("title",), ""))
        if spec.subtitle:
            title += f" — {markdown_escape(spec.subtitle)}"
        parts.append(f": {title} {{#{spec.label}}}")
    notes = [markdown_escape(s) for s in spec.all_source_notes]
    notes += [f"^{mark}^ {markdown_escape(text)}" if mark else markdown_escape(text)
              for mark, text in spec.notes_text()]
    if notes:
        parts.append(f'::: {{custom-style="{NOTE_STYLE}"}}\n' + "\n\n".join(notes) + "\n:::")
    return "\n\n".join(parts) + "\n"


def to_csv(spec: TableSpec, notes: bool = True) -> str:
    """The table as CSV text: a header row, one row per table row, then (optionally) the notes.

    Row groups become the first column; spanners are folded into labels as in Markdown.
    With ``notes``, a blank row and one row per source note and footnote follow, so a
    "Synthetic data" label travels with the numbers.
    """
    cells = spec.cells()
    names = ([spec.stub] if spec.stub is not None else []) + list(spec.columns)
    header = []
    for name in names:
        label = spec.column_label(name) or name
        span = spec.spanner_of(name)
        header.append(f"{span}: {label}" if span is not None else label)
    if spec.groups is not None:
        header.insert(0, spec.column_labels.get(spec.groups, spec.groups))
        names.insert(0, spec.groups)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise_formula(h) for h in header])
    for row in range(spec.n_rows):
        writer.writerow([neutralise_formula(cells.at[row, n]) for n in names])
    if notes:
        texts = list(spec.all_source_notes)
        texts += [f"{mark}: {text}" if mark else text for mark, text in spec.notes_text()]
        if texts:
            writer.writerow([])
            for text in texts:
                writer.writerow([neutralise_formula(text)])
    return out.getvalue()

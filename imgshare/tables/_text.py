"""Plain-text renderings of a :class:`TableSpec`: pandoc Markdown (for DOCX) and CSV.

The Markdown is a pipe table with a ``: caption {#tbl-label}`` line, which pandoc turns into a
real Word table and Quarto into a cross-referenceable one. Pipe tables have one header row,
so a spanner is folded into its columns' labels ("Spanner: label"). All text is backslash-
escaped, so ``*``, ``$``, ``@`` or ``<script>`` print as written.

The CSV is for spreadsheets: cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe, unless the cell
is simply a number such as ``-0.12``.
"""

from __future__ import annotations

import csv
import io

from .. import escape
from ..io import neutralise_formula
from ._layout import plan_columns
from ._spec import TableSpec

__all__ = ["to_markdown", "to_csv", "markdown_escape", "neutralise_formula"]


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
    """A pandoc pipe table with caption, label and notes (paragraphs after the table).

    ``caption=False`` leaves out the ``: caption {#label}`` line, for a caller (a Quarto
    chunk with ``tbl-cap``) that supplies both.
    """
    cells = spec.cells()
    marks = spec.marks_at()
    plans, _scale = plan_columns(spec)
    names = [p.name for p in plans]

    header = []
    for name in names:
        label = markdown_escape(spec.column_label(name))
        label = _with_mark(label, marks.get(("label", name), ""))
        span = spec.spanner_of(name)
        if span is not None:
            label = f"{_with_mark(markdown_escape(span), marks.get(('spanner', span), ''))}: {label}"
        header.append(label)

    total = sum(p.fit_width for p in plans) or 1
    rule = []
    for p in plans:
        # Dash counts set pandoc's relative column widths when the table has to wrap.
        dashes = "-" * max(3, round(60 * p.fit_width / total))
        rule.append({"left": ":" + dashes, "right": dashes + ":", "center": ":" + dashes + ":"}[p.align])

    rows = []
    current = object()
    for row in range(spec.n_rows):
        if spec.groups is not None and cells.at[row, spec.groups] != current:
            current = cells.at[row, spec.groups]
            rows.append([f"**{markdown_escape(current)}**"] + [""] * (len(names) - 1))
        rows.append([_with_mark(markdown_escape(cells.at[row, n]), marks.get(("cell", row, n), "")) for n in names])

    lines = [_pipe_row(header), _pipe_row(rule)] + [_pipe_row(r) for r in rows]
    title = _with_mark(markdown_escape(spec.title), marks.get(("title",), ""))
    if spec.subtitle:
        title += f" — {markdown_escape(spec.subtitle)}"
    parts = ["\n".join(lines)] + ([f": {title} {{#{spec.label}}}"] if caption else [])
    parts += [markdown_escape(s) for s in spec.all_source_notes]
    for mark, text in spec.notes_text():
        parts.append(f"^{mark}^ {markdown_escape(text)}" if mark else markdown_escape(text))
    return "\n\n".join(parts) + "\n"


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


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

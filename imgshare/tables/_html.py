"""great-tables rendering of a :class:`TableSpec` (HTML for the web report and Quarto).

The table id is the spec's label, so the HTML is the same on every run. The look is a
journal's: no vertical rules, a heavy rule above the column labels and under the body, a
light rule under the labels, no striping, compact rows, and the page's own font and colour.
great-tables escapes all text it has not formatted itself; cells here arrive as plain
strings, so hostile text (``<script>``) is printed, not run.
"""

from __future__ import annotations

import html as _html
import re

from great_tables import GT, loc, style

from ._spec import TableSpec

__all__ = ["to_gt", "to_html"]

RULE_HEAVY = "2px"
RULE_LIGHT = "1px"
RULE_COLOR = "#000000"


def to_gt(spec: TableSpec, *, table_id: str | None = None, title: bool = True) -> GT:
    """A great-tables ``GT`` object for ``spec``.

    Parameters
    ----------
    spec : TableSpec
    table_id : str, optional
        The HTML id (default ``spec.label``; give another when a Quarto chunk already uses
        the label as the id of its figure).
    title : bool
        ``False`` leaves out the title and subtitle, for a caller that prints the caption.
    """
    cells = spec.cells()
    gt = GT(cells, rowname_col=spec.stub, groupname_col=spec.groups, auto_align=False, id=table_id or spec.label)
    if title:
        gt = gt.tab_header(title=spec.title, subtitle=spec.subtitle or None)
    if spec.stub is not None and spec.stubhead:
        gt = gt.tab_stubhead(spec.stubhead)
    labels = {c: spec.column_label(c) for c in spec.columns}
    gt = gt.cols_label(cases=labels)
    for i, (label, cols) in enumerate(spec.spanners.items()):
        gt = gt.tab_spanner(label=label, columns=list(cols), id=f"spanner-{i + 1}")
    for col in spec.columns:
        gt = gt.cols_align(align=spec.alignment(col), columns=col)
    numeric = [c for c in spec.columns if spec.alignment(c) != "left"]
    if numeric and spec.n_rows:
        # A number with its interval ("0.13 (0.04 to 0.22)") reads wrongly when it wraps.
        gt = gt.tab_style(style=style.css("white-space: nowrap;"), locations=loc.body(columns=numeric))
    gt = _footnotes(gt, spec)
    for note in spec.all_source_notes:
        gt = gt.tab_source_note(note)
    return _journal_style(gt)


def _footnotes(gt: GT, spec: TableSpec) -> GT:
    spanner_ids = {label: f"spanner-{i + 1}" for i, label in enumerate(spec.spanners)}
    for _mark, note in spec.marked_footnotes():
        if not note.located:
            where = None
        elif note.title:
            where = loc.title()
        elif note.spanner is not None:
            where = loc.spanner_labels(ids=[spanner_ids[note.spanner]])
        elif note.row is None:
            where = loc.stubhead() if note.column == spec.stub else loc.column_labels(columns=note.column)
        elif note.column == spec.stub:
            where = loc.stub(rows=[note.row])
        else:
            where = loc.body(columns=note.column, rows=[note.row])
        # Marks follow the text, as in the Typst and Markdown renderings.
        gt = gt.tab_footnote(footnote=note.text, locations=where, placement="right")
    return gt.opt_footnote_marks(marks="letters")


def _journal_style(gt: GT) -> GT:
    return gt.opt_align_table_header(align="left").tab_options(
        # Flush left, under its caption (great-tables centres tables by default).
        table_margin_left="0px",
        table_margin_right="0px",
        table_font_names="inherit",
        table_font_color="#000000",
        table_font_size="90%",
        table_border_top_style="none",
        table_border_bottom_style="none",
        heading_border_bottom_style="none",
        heading_title_font_size="100%",
        heading_subtitle_font_size="90%",
        column_labels_border_top_style="solid",
        column_labels_border_top_width=RULE_HEAVY,
        column_labels_border_top_color=RULE_COLOR,
        column_labels_border_bottom_style="solid",
        column_labels_border_bottom_width=RULE_LIGHT,
        column_labels_border_bottom_color=RULE_COLOR,
        column_labels_vlines_style="none",
        column_labels_padding="3px",
        table_body_hlines_style="none",
        table_body_vlines_style="none",
        table_body_border_top_style="none",
        table_body_border_bottom_style="solid",
        table_body_border_bottom_width=RULE_HEAVY,
        table_body_border_bottom_color=RULE_COLOR,
        row_group_border_top_style="none",
        row_group_border_bottom_style="none",
        row_group_font_weight="bold",
        row_group_padding="3px",
        stub_border_style="none",
        stub_row_group_border_style="none",
        data_row_padding="2px",
        source_notes_font_size="85%",
        source_notes_padding="2px",
    ).opt_row_striping(row_striping=False)


def to_html(spec: TableSpec, *, table_id: str | None = None, title: bool = True) -> str:
    """The table as an HTML fragment (a ``<div>`` with its scoped ``<style>``), no external resources.

    ``table_id`` and ``title`` as in :func:`to_gt`.
    """
    html = to_gt(spec, table_id=table_id, title=title).as_raw_html()
    html = _scope_global_rules(html, table_id or spec.label)
    return _phone_labels(html, spec)


#: Tables with at least this many displayed columns become one card per row on a phone.
CARD_COLUMNS = 4


def _phone_labels(html: str, spec: TableSpec) -> str:
    """Give every body cell its column's label (``data-label``) and mark wide tables
    ``imgshare-cards``, so a phone's style sheet can show each row as a card of label: value lines
    instead of a table clipped to the screen."""
    texts = [spec.column_label(col) for col in spec.columns]
    labels = []
    for col, text in zip(spec.columns, texts):
        span = spec.spanner_of(col)
        # The spanner is named only where the label alone is ambiguous ("Patients: Agree").
        if span and (not text or texts.count(text) > 1):
            text = f"{span}: {text}" if text else span
        labels.append(_html.escape(text, quote=True))

    def label_row(match: re.Match) -> str:
        cells = iter(labels)
        return re.sub(r"<td ", lambda _m: f'<td data-label="{next(cells, "")}" ', match.group(0))

    body = re.compile(r"<tbody.*?</tbody>", re.S)
    html = body.sub(lambda m: re.sub(r"<tr>.*?</tr>", label_row, m.group(0), flags=re.S), html, count=1)
    if len(spec.columns) >= CARD_COLUMNS:
        html = html.replace('<table class="gt_table"', '<table class="gt_table imgshare-cards"', 1)
    return html


# great-tables 1.1 emits two reset rules whose later selectors lack the table id, so they would
# restyle every table and row on the page (e.g. erase borders of other tables in the manuscript).
_LEAKY = (
    (re.compile(r"#(?P<id>[\w-]+) thead, tbody, tfoot, tr, td, th \{"),
     "#{id} thead, #{id} tbody, #{id} tfoot, #{id} tr, #{id} td, #{id} th {{"),
    (re.compile(r"\n tr \{ background-color: transparent; \}"), "\n#{id} tr {{ background-color: transparent; }}"),
)


def _scope_global_rules(html: str, table_id: str) -> str:
    for pattern, replacement in _LEAKY:
        html = pattern.sub(lambda _m, r=replacement: r.format(id=table_id), html, count=1)
    return html

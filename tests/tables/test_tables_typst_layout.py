"""Typst table layout: no hyphenation in cells, labels wrapped only as needed, the table's own
font size, short tables whole, row groups as subheaders, landscape for the widest."""

from __future__ import annotations

import io
import re

import pandas as pd
import typst
from pypdf import PdfReader

from imgshare.tables import TableSpec, to_typst
from imgshare.tables._layout import plan_table
from imgshare.tables._typst import FLOAT_MARK, LANDSCAPE_MARK

PAGE = '#set page(paper: "a4", margin: (x: 2.2cm, y: 2.5cm))\n#set text(size: 10.5pt, hyphenate: true, lang: "en")\n'
LEVELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def good_idea() -> TableSpec:
    data = {"item": ["A good idea"]}
    for i, level in enumerate(LEVELS):
        data[f"l{i}"] = ["121 (42.9%)"]
    data["n"] = ["282"]
    labels = {f"l{i}": level for i, level in enumerate(LEVELS)}
    return TableSpec("tbl-good", "Good idea", pd.DataFrame(data), stub="item", column_labels=labels,
                     spanners={"5-point agreement": [f"l{i}" for i in range(5)]})


def comparison(n_groups: int, rows: int = 5) -> TableSpec:
    data = {"outcome": [f"Contribution to knowledge and understanding {r}" for r in range(rows)]}
    for g in range(n_groups):
        data[f"g{g}"] = ["214.3"] * rows
    data.update({"n": ["403"] * rows, "stat": ["20519.5"] * rows, "p": ["<0.001"] * rows,
                 "es": ["0.18 (0.08 to 0.26)"] * rows, "higher": ["Clinical experts"] * rows})
    labels = {f"g{g}": f"More than {g} years (n = 121)" for g in range(n_groups)}
    labels.update({"es": "ε² (95% CI)", "higher": "Highest ranks"})
    return TableSpec("tbl-cmp", "Comparison", pd.DataFrame(data), stub="outcome", column_labels=labels,
                     spanners={"Mean rank": [f"g{g}" for g in range(n_groups)]})


def pdf_lines(source: str) -> list[str]:
    pdf = typst.compile((PAGE + source).encode())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.splitlines()


def test_table_cells_are_never_hyphenated():
    source = to_typst(comparison(6))
    assert "hyphenate: false" in source
    words = {w for line in pdf_lines(source) for w in line.split()}
    # A word split by hyphenation shows up as a fragment ending in "-" at a line end.
    assert not [w for w in words if re.fullmatch(r"[A-Za-z]{2,}-", w)]
    for word in ("Contribution", "understanding", "Highest", "experts"):
        assert word in words


def test_labels_wrap_only_as_far_as_the_page_needs():
    plan = plan_table(good_idea())
    lines = {p.name: p.header_lines for p in plan.columns}
    assert not plan.landscape and plan.scale == 0.9
    # At most one label wraps, onto two lines (it used to be four lines for "Neither agree nor disagree").
    assert max(len(v) for v in lines.values()) <= 2
    assert sum(len(v) > 1 for v in lines.values()) <= 1


def test_table_font_size_is_set_on_the_table_itself_and_shrinks_for_wide_tables():
    normal = to_typst(good_idea())
    assert "show table: set text(size: 9.0pt, hyphenate: false)" in normal
    wide = plan_table(comparison(6))
    size = float(re.search(r"show table: set text\(size: ([\d.]+)pt", to_typst(comparison(6))).group(1))
    assert size == round(9.0 * wide.scale / 0.9, 2) and size <= 9.0


def test_a_short_table_never_breaks_and_may_float_a_long_one_breaks():
    short = to_typst(comparison(2), figure=False)
    assert short.splitlines()[0] == FLOAT_MARK and "breakable: false" in short
    long = to_typst(comparison(2, rows=40), figure=False)
    assert FLOAT_MARK not in long and "#block(width: 100%, breakable: true" in long


def test_row_groups_are_subheaders_that_repeat():
    frame = pd.DataFrame({"g": ["Benefits", "Benefits", "Risks"], "item": ["a", "b", "c"], "v": ["1", "2", "3"]})
    source = to_typst(TableSpec("tbl-g", "G", frame, stub="item", groups="g"))
    assert source.count("table.header(level: 2, repeat: true") == 2
    pdf_lines(source)  # compiles


def test_the_widest_tables_go_landscape_at_a_readable_size():
    plan = plan_table(comparison(7))
    assert plan.landscape and plan.scale >= 0.8
    assert LANDSCAPE_MARK in to_typst(comparison(7), figure=False)
    assert not plan_table(comparison(2)).landscape


def test_a_long_table_across_pages_repeats_its_header_and_never_strands_a_group_label():
    rows = 70
    frame = pd.DataFrame({"g": ["Group A"] * 35 + ["Group B"] * 35, "item": [f"item {i}" for i in range(rows)],
                          "v": [str(i) for i in range(rows)]})
    source = to_typst(TableSpec("tbl-long", "Long", frame, stub="item", groups="g", column_labels={"v": "Value"}))
    ends = set()
    # Space before the table, 3 pt more each time, moves the page break through the group boundary.
    for words in range(0, 300, 3):
        pdf = typst.compile((PAGE + f"#v({words}pt)\n" + source).encode())
        pages = [[ln.strip() for ln in p.extract_text().splitlines() if ln.strip()]
                 for p in PdfReader(io.BytesIO(pdf)).pages]
        for lines in pages:
            ends.add(lines[-1])
            # A page never ends with the column labels or a group label with no row under them.
            assert not lines[-1].startswith(("Value", "Group")), (words, lines[-3:])
        for before, lines in zip(pages, pages[1:]):
            if any(ln.startswith("item") for ln in before):  # a continuation page of the table
                assert lines[0] == "Value", (words, lines[:2])
    assert {"item 33 33", "item 34 34"} <= ends  # breaks did fall at the group boundary

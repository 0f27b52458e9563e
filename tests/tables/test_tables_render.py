"""Renderers: HTML (great-tables), Typst (compiled with the typst wheel), pandoc Markdown, CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile

import pandas as pd
import pypandoc
import typst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from imgshare.tables import (
    Footnote,
    TableSpec,
    markdown_escape,
    neutralise_formula,
    to_csv,
    to_gt,
    to_html,
    to_markdown,
    to_typst,
)

HOSTILE = ["<script>alert(1)</script>", "#set text(fill: red)", "$x^2$", "<tbl-evil>", "@tbl-demo",
           "*bold* _it_", 'back\\slash "quoted"', "[link](http://x) `code` // comment", "=1+1"]

PAGE = '#set page(paper: "a4", margin: 2.5cm)\n#set text(size: 11pt)\n'


def demo_spec(**kw) -> TableSpec:
    frame = pd.DataFrame({
        "domain": ["Benefits", "Benefits", "Risks"],
        "item": ["Understand", "Remember", "Upset"],
        "p_agree": ["86.9", "79.8", "6.4"],
        "p_dis": ["3.2", "5.0", "69.5"],
        "e_agree": ["87.6", "74.4", "28.9"],
        "e_dis": ["3.3", "5.8", "53.7"],
    })
    args = dict(
        label="tbl-demo", title="Agreement by group", subtitle="Percent of respondents", data=frame,
        stub="item", stubhead="Statement", groups="domain",
        column_labels={"p_agree": "Agree", "p_dis": "Disagree", "e_agree": "Agree", "e_dis": "Disagree"},
        spanners={"Patients": ["p_agree", "p_dis"], "Clinical experts": ["e_agree", "e_dis"]},
        footnotes=["Percentages of respondents answering.", Footnote("Made-up value.", column="e_dis", row=2)],
        source_notes=["Source: demo."], is_synthetic=True,
    )
    args.update(kw)
    return TableSpec(**args)


def hostile_spec() -> TableSpec:
    frame = pd.DataFrame({"text": HOSTILE, "value": [str(i) for i in range(len(HOSTILE))]})
    return TableSpec(label="tbl-hostile", title="Title #set $x$ <b>", data=frame, stub="text",
                     stubhead="<i>stub</i>", column_labels={"value": "Value @tbl-demo"},
                     footnotes=["Note with <script>x</script> and #import \"y\""])


def wide_spec() -> TableSpec:
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    data = {"item": ["Seeing their images would help patients to understand health information shared with them",
                     "Sharing images raises concerns about data security"]}
    for g in ("p", "e"):
        for j in range(5):
            data[f"{g}{j}"] = ["108 (38.3%)", "121 (42.9%)"]
    return TableSpec(label="tbl-wide", title="A wide table", data=pd.DataFrame(data), stub="item",
                     column_labels={f"{g}{j}": labels[j] for g in "pe" for j in range(5)},
                     spanners={"Patients": [f"p{j}" for j in range(5)], "Clinical experts": [f"e{j}" for j in range(5)]})


# --------------------------------------------------------------------------------- HTML

def test_html_table_id_is_the_label_and_output_is_deterministic():
    first, second = to_html(demo_spec()), to_html(demo_spec())
    assert first == second
    assert '<div id="tbl-demo"' in first


def test_html_has_no_external_resources():
    html = to_html(demo_spec())
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|<link|<script|url\(", html, re.I)


def test_html_escapes_hostile_text():
    html = to_html(hostile_spec())
    assert "<script>" not in html and "<i>stub</i>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;stub&lt;/i&gt;" in html


def test_html_style_rules_all_scoped_to_the_table():
    html = to_html(demo_spec())
    css = html.split("<style>")[1].split("</style>")[0]
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")]
    assert selectors and all(s.startswith("#tbl-demo") for s in selectors), selectors


def test_html_has_journal_rules_and_no_vertical_rules():
    css = to_html(demo_spec()).split("</style>")[0]
    headings = re.search(r"\.gt_col_headings \{([^}]*)\}", css).group(1)
    assert "border-top-style: solid; border-top-width: 2px" in headings           # top rule
    assert "border-bottom-style: solid; border-bottom-width: 1px" in headings     # mid rule
    body = re.search(r"\.gt_table_body \{([^}]*)\}", css).group(1)
    assert "border-bottom-style: solid; border-bottom-width: 2px" in body         # bottom rule
    assert "border-top-style: none" in re.search(r"\.gt_row \{([^}]*)\}", css).group(1)  # no row lines
    assert "border-right-style: none" in re.search(r"\.gt_stub \{([^}]*)\}", css).group(1)
    assert "border-left-style: solid" not in css and "border-right-style: solid" not in css
    assert "font-family: inherit" in css


def test_html_keeps_structure():
    html = to_html(demo_spec())
    assert html.count('class="gt_column_spanner"') == 2
    assert html.count('class="gt_group_heading"') == 2
    assert "Made-up value." in html and "Source: demo." in html and "Synthetic data" in html
    assert 'gt_footnote_marks' in html


def test_to_gt_returns_a_great_tables_object_with_the_fixed_id():
    gt = to_gt(demo_spec())
    assert gt._options.table_id.value == "tbl-demo"


# --------------------------------------------------------------------------------- Typst

def query_figure(source: str, label: str) -> dict:
    found = json.loads(typst.query(source.encode(), f"<{label}>"))
    assert len(found) == 1, found
    return found[0]


def texts_in(node) -> list[str]:
    """Every text string of a queried element tree, in order."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("func") == "text" else []
        return own + [t for k, v in node.items() if k != "text" for t in texts_in(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts_in(v)]
    return []


def find_funcs(node, func: str) -> list[dict]:
    if isinstance(node, dict):
        return ([node] if node.get("func") == func else []) + [f for v in node.values() for f in find_funcs(v, func)]
    if isinstance(node, list):
        return [f for v in node for f in find_funcs(v, func)]
    return []


def test_typst_compiles_with_a_working_cross_reference():
    source = PAGE + "As @tbl-demo shows.\n" + to_typst(demo_spec())
    pdf, warnings = typst.compile_with_warnings(source.encode())
    assert pdf.startswith(b"%PDF") and warnings == []


def test_typst_keeps_caption_spanners_rules_groups_and_notes():
    figure = query_figure(PAGE + to_typst(demo_spec()), "tbl-demo")
    assert figure["kind"] == "table"
    caption = texts_in(figure["caption"])
    assert "Agreement by group" in caption and "Percent of respondents" in caption
    assert figure["caption"]["position"] == "top"
    (table,) = find_funcs(figure["body"], "table")
    header = find_funcs(table, "header")[0]
    assert header["repeat"] is True
    spanners = [c for c in find_funcs(header, "cell") if c.get("colspan") == 2]
    assert [texts_in(c) for c in spanners] == [["Patients"], ["Clinical experts"]]
    rules = find_funcs(header, "hline")
    assert {(r.get("start"), r.get("end")) for r in rules if r.get("y") == 1} == {(1, 3), (3, 5)}
    assert [r["stroke"] for r in find_funcs(table, "hline") if "y" not in r] == ["0.08em", "0.05em", "0.08em"]
    assert table["stroke"] is None  # no cell borders, so no vertical rules
    groups = [texts_in(c) for c in find_funcs(table, "cell") if c.get("colspan") == 5]
    assert groups == [["Benefits"], ["Risks"]]
    body_text = texts_in(figure["body"])
    for note in ("Percentages of respondents answering.", "Made-up value.", "Source: demo.",
                 "Synthetic data: computed from a synthetic cohort, not from the study's data."):
        assert note in body_text
    marks = [texts_in(s) for s in find_funcs(figure["body"], "super")]
    assert marks == [["a"], ["a"]]  # on the cell and before its note


def test_typst_prints_hostile_text_verbatim():
    source = PAGE + to_typst(hostile_spec())
    pdf, warnings = typst.compile_with_warnings(source.encode())
    assert pdf.startswith(b"%PDF") and warnings == []
    figure = query_figure(source, "tbl-hostile")
    text = texts_in(figure)
    for hostile in HOSTILE:
        assert hostile in text
    assert "Title #set $x$ <b>" in text and "Value @tbl-demo" in text
    # nothing in the text became a label, an equation or a strong/emph element
    assert json.loads(typst.query(source.encode(), "<tbl-evil>")) == []
    assert not find_funcs(figure, "equation") and not find_funcs(figure, "strong") and not find_funcs(figure, "ref")


def ink_outside_text_area(png: bytes, ppi: int, margin_cm: float = 2.5) -> int:
    """Count non-white pixel columns in the left and right page margins of one rendered page."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    margin = int(margin_cm / 2.54 * ppi) - 1
    pixels = image.load()
    dirty = 0
    for x in list(range(0, margin)) + list(range(width - margin, width)):
        if any(pixels[x, y] < 200 for y in range(height)):
            dirty += 1
    return dirty


def render_pages(source: str, ppi: int = 50) -> list[bytes]:
    pages = typst.compile(source.encode(), format="png", ppi=ppi)
    return [pages] if isinstance(pages, bytes) else list(pages)


def test_margin_check_detects_content_that_overflows():
    pages = render_pages(PAGE + "#box(width: 18cm, height: 1cm, fill: black)")
    assert ink_outside_text_area(pages[0], 50) > 0


def test_wide_table_of_eleven_columns_fits_an_a4_page():
    spec = wide_spec()
    source = PAGE + to_typst(spec)
    pdf, warnings = typst.compile_with_warnings(source.encode())
    assert warnings == []
    pages = render_pages(source)
    assert len(pages) == 1
    assert ink_outside_text_area(pages[0], 50) == 0
    assert "set text(size: 0.9em)" not in to_typst(spec)  # it needed the smaller font


def test_long_table_breaks_across_pages_within_the_margins():
    frame = pd.DataFrame({"row": [f"Row {i}" for i in range(120)], "n": [str(i) for i in range(120)]})
    source = PAGE + to_typst(TableSpec(label="tbl-long", title="Long", data=frame, stub="row"))
    pages = render_pages(source)
    assert len(pages) >= 3
    for page in pages:
        image = Image.open(io.BytesIO(page)).convert("L")
        bottom = int(2.5 / 2.54 * 50) - 1
        w, h = image.size
        assert all(image.getpixel((x, y)) >= 200 for x in range(w) for y in range(h - bottom, h))


# --------------------------------------------------------------------------------- Markdown

PANDOC = pypandoc.get_pandoc_path()


def pandoc_json(markdown: str) -> dict:
    out = subprocess.run([PANDOC, "-f", "markdown", "-t", "json"], input=markdown.encode(),
                         capture_output=True, check=True)
    return json.loads(out.stdout)


def inline_text(inlines) -> str:
    parts = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        else:
            parts.append(f"<{kind}>")
    return "".join(parts)


def test_markdown_is_a_pandoc_table_with_merged_spanners_group_rows_caption_and_label():
    doc = pandoc_json(to_markdown(demo_spec()))
    tables = [b for b in doc["blocks"] if b["t"] == "Table"]
    assert len(tables) == 1
    attr, caption, colspecs, head, bodies, _foot = tables[0]["c"]
    assert attr[0] == "tbl-demo"
    assert inline_text(caption[1][0]["c"]) == "Agreement by group — Percent of respondents"
    assert [c[0]["t"] for c in colspecs] == ["AlignLeft"] + ["AlignRight"] * 4
    # Two header rows: the stub label spans both rows, each spanner spans its two columns.
    top, second = head[1]
    assert [(inline_text(c[4][0]["c"]), c[2], c[3]) for c in top[1]] == [
        ("Statement", 2, 1), ("Patients", 1, 2), ("Clinical experts", 1, 2)]
    assert [inline_text(c[4][0]["c"]) for c in second[1]] == ["Agree", "Disagree", "Agree", "Disagree"]
    # Each row group is one bold cell across the table, before its rows.
    body_rows = bodies[0][3]
    spans = [(len(r[1]), r[1][0][3]) for r in body_rows]
    assert spans == [(1, 5), (5, 1), (5, 1), (1, 5), (5, 1)]
    assert inline_text(body_rows[3][1][0][4][0]["c"]) == "<Strong>"
    paragraphs = [inline_text(b["c"]) for d in doc["blocks"] if d["t"] == "Div" for b in d["c"][1]]
    notes_div = [d for d in doc["blocks"] if d["t"] == "Div"]
    assert notes_div and notes_div[0]["c"][0][2] == [["custom-style", "Table Note"]]
    assert "Source: demo." in paragraphs
    assert any(p.startswith("<Superscript> Made-up value.") for p in paragraphs)


def test_markdown_table_keeps_number_cells_on_one_line_and_wraps_long_text():
    spec = wide_spec()
    lines = to_markdown(spec, caption=False).splitlines()
    for cell in spec.cells().iloc[0, 1:]:
        assert any(markdown_escape(cell) in line for line in lines), cell
    assert not any(markdown_escape(spec.cells().iloc[0, 0]) in line for line in lines)


def test_markdown_becomes_a_word_table():
    out = subprocess.run([PANDOC, "-f", "markdown", "-t", "docx", "-o", "-"], input=to_markdown(demo_spec()).encode(),
                         capture_output=True, check=True).stdout
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 1
    assert "Clinical experts" in xml and "69.5" in xml
    assert '<w:gridSpan w:val="2" />' in xml and '<w:tblHeader w:val="on" />' in xml


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)
                .filter(lambda s: s.strip()), min_size=1, max_size=5))
def test_markdown_escaping_round_trips_any_printable_text(texts):
    markdown = "\n\n".join(markdown_escape(t) for t in texts)
    paragraphs = [b for b in pandoc_json(markdown)["blocks"]]
    assert [b["t"] for b in paragraphs] == ["Para"] * len(texts)
    assert [inline_text(b["c"]) for b in paragraphs] == [" ".join(t.split()) for t in texts]


# --------------------------------------------------------------------------------- CSV

def test_csv_neutralises_formula_cells_but_keeps_numbers():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)", "\tTab", "\rCR", " =1", "ok"],
                          "value": ["-0.12", "+5", "-3", "1e-3", "-1.5e2", "0.21 (0.10 to 0.31)", "-0.12 (-0.3 to 0)", "7"]})
    spec = TableSpec(label="tbl-csv", title="csv", data=frame, column_labels={"value": "=cmd|' /C calc'!A0"})
    rows = list(csv.reader(io.StringIO(to_csv(spec, notes=False))))
    assert rows[0] == ["name", "'=cmd|' /C calc'!A0"]
    # Cells are one line with outer whitespace removed, so a leading tab/CR/space is gone before the check.
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+cmd", "'-2+3", "'@SUM(A1)", "Tab", "CR",
                                        "'=1", "ok"]
    assert [r[1] for r in rows[1:]] == ["-0.12", "+5", "-3", "1e-3", "-1.5e2", "0.21 (0.10 to 0.31)",
                                        "'-0.12 (-0.3 to 0)", "7"]


def test_neutralise_formula_handles_tab_carriage_return_and_leading_space():
    assert neutralise_formula("\tTab") == "'\tTab"
    assert neutralise_formula("\r=1") == "'\r=1"
    assert neutralise_formula("  =1") == "'  =1"


def test_neutralise_formula_leaves_plain_text_alone():
    assert neutralise_formula("Patients") == "Patients"
    assert neutralise_formula("") == ""


def test_csv_puts_row_groups_first_and_notes_after_a_blank_row():
    rows = list(csv.reader(io.StringIO(to_csv(demo_spec()))))
    assert rows[0] == ["domain", "Statement", "Patients: Agree", "Patients: Disagree", "Clinical experts: Agree",
                       "Clinical experts: Disagree"]
    assert rows[1] == ["Benefits", "Understand", "86.9", "3.2", "87.6", "3.3"]
    assert rows[4] == []
    assert rows[5][0].startswith("Synthetic data") and ["a: Made-up value."] in rows


# --------------------------------------------------------------------------------- options for Quarto

def test_typst_without_figure_leaves_caption_and_label_to_the_caller():
    source = to_typst(demo_spec(), figure=False)
    assert "#figure(" not in source and "<tbl-demo>" not in source and "Agreement by group" not in source
    wrapped = PAGE + f"#figure(kind: table, caption: [Quarto's caption], {{\n{source.replace('#block', 'block', 1)}}}) <tbl-q>\n"
    pdf, warnings = typst.compile_with_warnings(wrapped.encode())
    assert pdf.startswith(b"%PDF") and warnings == []
    text = texts_in(query_figure(wrapped, "tbl-q"))
    assert "Made-up value." in text and "Clinical experts" in text


def test_html_without_title_and_with_another_id():
    html = to_html(demo_spec(), table_id="tbl-demo-table", title=False)
    assert '<div id="tbl-demo-table"' in html and 'id="tbl-demo"' not in html
    assert "gt_title" not in html.split("</style>")[1] and "Agreement by group" not in html
    css = html.split("<style>")[1].split("</style>")[0]
    assert all(s.strip().startswith("#tbl-demo-table") for rule in re.findall(r"([^{}]+)\{", css)
               for s in rule.split(","))


def test_markdown_without_caption_is_still_one_table():
    markdown = to_markdown(demo_spec(), caption=False)
    assert "{#tbl-demo}" not in markdown
    tables = [b for b in pandoc_json(markdown)["blocks"] if b["t"] == "Table"]
    assert len(tables) == 1 and tables[0]["c"][1][1] == []


def test_docstring_examples_run():
    import doctest

    from imgshare.tables import _format, _spec, _text, _typst

    for module in (_format, _spec, _text, _typst):
        failed, attempted = doctest.testmod(module)
        assert attempted > 0 and failed == 0, module.__name__


def test_html_footnote_marks_agree_with_the_other_formats():
    spec = demo_spec(footnotes=[Footnote("On a cell", column="p_dis", row=2), Footnote("On stubhead", column="item"),
                                Footnote("On stub cell", column="item", row=1), Footnote("On title", title=True),
                                Footnote("On spanner", spanner="Clinical experts")])
    html = to_html(spec)
    footer = html.split("<tfoot>")[1]
    printed = re.findall(r'gt_footnote_marks[^>]*>(\w+)</span> ([^<]+)</td>', footer)
    assert printed == [m for m in spec.notes_text() if m[0]]
    assert [m for m, _ in spec.notes_text()] == ["a", "b", "c", "d", "e"]
    typst_source = to_typst(spec)
    for mark, text in spec.notes_text():
        assert f'[#super("{mark}")#"{text}"]' in typst_source
        assert f"^{mark}^ {markdown_escape(text)}" in to_markdown(spec)


def test_html_number_cells_do_not_wrap_but_text_cells_may():
    frame = pd.DataFrame({"item": ["a", "b"], "effect": ["0.13 (0.04 to 0.22)", "-0.26 (-0.35 to -0.16)"],
                          "higher": ["Patients", "Clinical experts"]})
    html = to_html(TableSpec(label="tbl-wrap", title="t", data=frame, stub="item"))
    cells = re.findall(r'<td data-label="[^"]*"( style="[^"]*")? headers="[^"]*" class="gt_row gt_(left|right)">', html)
    assert sorted(align for _, align in cells) == ["left", "left", "right", "right"]
    assert all(("nowrap" in style) == (align == "right") for style, align in cells)


def flat_text(node) -> str:
    """Printed characters of a queried markup tree: text, escaped symbols and spaces."""
    if isinstance(node, dict):
        if node.get("func") in ("text", "symbol"):
            return node["text"]
        if node.get("func") == "space":
            return " "
        return "".join(flat_text(v) for k, v in node.items() if k not in ("separator", "supplement"))
    if isinstance(node, list):
        return "".join(flat_text(v) for v in node)
    return ""


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)
                .filter(lambda s: s.strip()), min_size=1, max_size=6))
def test_typst_markup_escaping_prints_any_printable_text_verbatim(texts):
    from imgshare.tables import typst_escape

    source = "\n".join(f'#figure(caption: [{typst_escape(t)}], kind: "x", supplement: none)[] <c{i}>'
                       for i, t in enumerate(texts))
    for i, text in enumerate(texts):
        (figure,) = json.loads(typst.query(source.encode(), f"<c{i}>"))
        assert flat_text(figure["caption"]["body"]) == " ".join(text.split())

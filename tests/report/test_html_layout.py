"""HTML layout: a sticky side contents column on wide screens, captions flush with their tables,
phone drawings of figures, and wide tables as cards on phones."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd

from imgshare.report._pandoc import RESOURCES
from imgshare.tables import TableSpec, to_html

CSS = (RESOURCES / "imgshare.css").read_text(encoding="utf-8")


def media_block(css: str, query: str) -> str:
    """The body of the first ``@media`` rule whose condition contains ``query``."""
    start = css.index("@media", css.index(query) - 40)
    depth, i = 0, css.index("{", start)
    for j in range(i, len(css)):
        depth += {"{": 1, "}": -1}.get(css[j], 0)
        if depth == 0:
            return css[i + 1:j]
    raise AssertionError("unbalanced CSS")


def test_wide_screens_get_a_sticky_open_contents_column():
    wide = media_block(CSS, "min-width: 75rem")
    assert "grid-template-columns" in wide
    toc = re.search(r"body > nav#TOC \{([^}]*)\}", wide).group(1)
    assert "position: sticky" in toc and "grid-column: 2" in toc and "overflow-y: auto" in toc
    # The <details> is shown open there without script (the page carries none).
    assert re.search(r"nav#TOC details::details-content \{[^}]*content-visibility: visible", wide)
    assert "body:has(> nav#TOC) { display: grid" in wide
    # Phones keep the collapsible <details> above the text: no such rule outside the wide query.
    assert "details::details-content" not in CSS.replace(wide, "")


def test_tables_sit_flush_left_under_their_caption():
    html = to_html(TableSpec("tbl-x", "T", pd.DataFrame({"a": ["x"], "n": ["1"]}), stub="a"), title=False)
    rule = re.search(r"#tbl-x \.gt_table \{([^}]*)\}", html).group(1)
    assert "margin-left: 0px" in rule and "margin-right: 0px" in rule
    caption = re.search(r"\.table-caption \{([^}]*)\}", CSS).group(1)
    assert "center" not in caption


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: list[dict] = []
        self.table_classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "headers" in attrs:
            self.cells.append(attrs)
        if tag == "table":
            self.table_classes.append(attrs.get("class", ""))


def test_wide_tables_carry_each_cells_column_label_for_phone_cards():
    frame = pd.DataFrame({"item": ["A good idea"], "p_a": ["1"], "p_d": ["2"], "e_a": ["3"], "e_d": ["4"],
                          "n": ["5"]})
    spec = TableSpec("tbl-c", "T", frame, stub="item",
                     column_labels={"p_a": "Agree", "p_d": 'Dis<agree> "x"', "e_a": "Agree", "e_d": "Disagree"},
                     spanners={"Patients": ["p_a", "p_d"], "Clinical experts": ["e_a", "e_d"]})
    parser = _Cells()
    parser.feed(to_html(spec))
    # Ambiguous labels name their spanner; unique ones stand alone; text is escaped, not markup.
    assert [c["data-label"] for c in parser.cells] == [
        "Patients: Agree", 'Dis<agree> "x"', "Clinical experts: Agree", "Disagree", "n"]
    assert "imgshare-cards" in parser.table_classes[0]
    narrow = _Cells()
    narrow.feed(to_html(TableSpec("tbl-n", "T", pd.DataFrame({"a": ["x"], "n": ["1"]}), stub="a")))
    assert "imgshare-cards" not in narrow.table_classes[0]


def test_phone_style_shows_cards_and_the_phone_drawing():
    phone = media_block(CSS, "max-width: 600px")
    assert "img.fig-wide { display: none; }" in phone and "img.fig-phone { display: block" in phone
    assert "td::before { content: attr(data-label)" in phone
    assert re.search(r"\.fig-scroll \{[^}]*overflow-x: auto", phone)
    printed = media_block(CSS, "@media print")
    assert "img.fig-phone { display: none !important; }" in printed


def test_study_html_has_a_phone_drawing_of_every_chart_and_a_scrolling_flow_diagram(study):
    html = study.outputs["html"].read_text(encoding="utf-8")
    figures = re.findall(r'<figure id="(fig-[^"]+)"[^>]*>(.*?)</figure>', html, re.S)
    assert len(figures) >= 8
    for label, body in figures:
        if label == "fig-flow":
            assert 'class="fig-scroll"' in body and "fig-phone" not in body
        else:
            assert body.count('class="fig-wide"') == 1 and body.count('class="fig-phone"') == 1, label
    assert "<script" not in html

"""PDF layout: which exhibits float, landscape pages for the widest tables, the template's rules."""

from __future__ import annotations

import re

import pytest

from imgshare.report._ast import transform
from imgshare.report._pandoc import markdown_to_ast
from imgshare.tables._typst import FLOAT_MARK, LANDSCAPE_MARK

from report.reportdocs import REPO

TEMPLATES = [REPO / "_extensions" / "imgshare-manuscript" / "typst-template.typ",
             REPO / "imgshare" / "report" / "templates" / "generic" / "_extensions" / "imgshare-manuscript"
             / "typst-template.typ"]


def table_div(label: str, *marks: str) -> str:
    body = "\n".join([*marks, f"#block[{label} body]"])
    return (f"::::: {{#{label} .imgshare-table}}\n:::: {{.imgshare-caption}}\nCaption {label}\n::::\n\n"
            f"```{{=typst}}\n{body}\n```\n:::::\n\n")


def typst_blocks(markdown: str, tmp_path) -> list[str]:
    doc = transform(markdown_to_ast(markdown, tmp_path), "pdf", {})
    return [b["c"][1] for b in doc["blocks"] if b["t"] == "RawBlock" and b["c"][0] == "typst"]


def opening(blocks: list[str], label: str) -> str:
    index = next(i for i, b in enumerate(blocks) if f"{label} body" in b)
    return next(b for b in reversed(blocks[:index]) if b.startswith("#figure("))


def test_a_short_table_after_prose_floats_one_under_its_heading_stays(tmp_path):
    md = ("# Results\n\n" + table_div("tbl-a", FLOAT_MARK) + "Some prose.\n\n" + table_div("tbl-b", FLOAT_MARK)
          + table_div("tbl-c", FLOAT_MARK) + "# Appendix\n\n" + table_div("tbl-d", FLOAT_MARK)
          + table_div("tbl-e", FLOAT_MARK))
    blocks = typst_blocks(md, tmp_path)
    floating = {f"tbl-{x}": "placement: auto" in opening(blocks, f"tbl-{x}") for x in "abcde"}
    # Under a heading: in place. After prose: floats, and so does the exhibit after a float (order kept).
    # After an exhibit that stayed in place: in place too (an appendix of tables keeps its order).
    assert floating == {"tbl-a": False, "tbl-b": True, "tbl-c": True, "tbl-d": False, "tbl-e": False}


def test_a_long_table_never_floats_and_unbreakable_tables_keep_their_caption(tmp_path):
    blocks = typst_blocks("Prose.\n\n" + table_div("tbl-long") + "Prose.\n\n" + table_div("tbl-short", FLOAT_MARK),
                          tmp_path)
    assert "placement" not in opening(blocks, "tbl-long")
    text = "\n".join(blocks)
    assert text.count("#[#show figure: set block(breakable: false)") == 1
    assert text.index("#[#show figure: set block(breakable: false)") < text.index("tbl-short body")


def test_landscape_tables_get_flipped_pages_shared_by_neighbours(tmp_path):
    md = ("Prose.\n\n" + table_div("tbl-a", FLOAT_MARK, LANDSCAPE_MARK) + table_div("tbl-b", FLOAT_MARK, LANDSCAPE_MARK)
          + "Prose.\n\n" + table_div("tbl-c", LANDSCAPE_MARK))
    blocks = typst_blocks(md, tmp_path)
    opens = [i for i, b in enumerate(blocks) if b.startswith("#page(flipped: true)[")]
    closes = [i for i, b in enumerate(blocks) if b.startswith("] // end of landscape")]
    assert len(opens) == len(closes) == 2  # a and b share one run of landscape pages, c has its own
    where = {x: next(i for i, b in enumerate(blocks) if f"tbl-{x} body" in b) for x in "abc"}
    assert opens[0] < where["a"] < where["b"] < closes[0] < opens[1] < where["c"] < closes[1]
    assert "placement: auto" not in opening(blocks, "tbl-a")  # a landscape page is not a float


def test_figures_under_a_heading_do_not_float(tmp_path):
    from imgshare.report._ast import transform as tr

    md = "# Flow\n\n::::: {#fig-a .imgshare-figure data-stem=\"a\"}\nCap\n:::::\n"
    doc = tr(markdown_to_ast(md, tmp_path), "pdf", {"a": {"alt": "x", "width": 5, "height": 3}})
    kinds = [b["t"] for b in doc["blocks"]]
    assert kinds == ["Header", "RawBlock", "Figure", "RawBlock"]
    assert doc["blocks"][1]["c"][1] == "#[#show figure: set figure(placement: none)"


@pytest.mark.parametrize("path", TEMPLATES, ids=["study", "generic"])
def test_template_floats_figures_keeps_captions_and_never_hyphenates_tables(path):
    source = path.read_text(encoding="utf-8")
    assert "show figure.where(kind: image): set figure(placement: auto)" in source
    assert "show figure.where(kind: image): set block(breakable: false)" in source
    assert re.search(r"show table: set text\([^)]*hyphenate: false", source)
    assert "sticky: it.position == top" in source


def test_study_pdf_is_a4_with_landscape_pages_only_for_wide_tables(study):
    from pypdf import PdfReader

    landscape = 0
    for files in study.documents.values():
        reader = PdfReader(str(files["pdf"]))
        sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
        assert all(size in ((595, 842), (842, 595)) for size in sizes)
        for page, size in zip(reader.pages, sizes):
            if size == (842, 595):
                landscape += 1
                assert re.search(r"Table\s*\d+", page.extract_text())
    assert 1 <= landscape <= 4

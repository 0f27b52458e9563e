"""The DOCX co-authors edit: page, footer, language, table widths, merged spanners, landscape pages.

Read from the study manuscript rendered by the built-in engine (the session's ``study`` render)
and from small documents written here with pandoc, the reference document and the
post-processing step.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from imgshare.report._docx_io import w
from imgshare.report._docx_reference import REFERENCE_NAME, build_reference_docx
from imgshare.report._docx_tables import finish_docx, plan_table
from imgshare.report._pandoc import pandoc_path
from imgshare.tables import TableSpec, to_markdown

from report.reportdocs import REPO

GENERIC_EXT = REPO / "imgshare" / "report" / "templates" / "generic" / "_extensions" / "imgshare-manuscript"
NUMBER = re.compile(r"^[<>−-]?\d[\d.,]*%?( \([−-]?\d[\d.,]*%?( to [−-]?\d[\d.,]*)?\))?$")


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def body_of(path: Path) -> etree._Element:
    return part(path, "word/document.xml").find(w("body"))


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def footer_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]


@pytest.fixture(scope="module")
def study_docx(study) -> list[Path]:
    """The Word files of the study render: the manuscript and its supplement."""
    return [files["docx"] for files in study.documents.values()]


def all_tables(paths: list[Path]) -> list:
    return [tbl for path in paths for tbl in body_of(path).findall(w("tbl"))]


# --------------------------------------------------------------------------- reference document

@pytest.mark.parametrize("folder", [REPO / "_extensions" / "imgshare-manuscript", GENERIC_EXT])
def test_committed_reference_documents_are_what_the_builder_makes(folder, tmp_path):
    fresh = build_reference_docx(tmp_path / REFERENCE_NAME)
    committed = folder / REFERENCE_NAME
    with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(committed) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), f"{committed}: {name} is stale (run `make reference-docx`)"


def test_reference_document_is_built_byte_for_byte_reproducibly(tmp_path):
    one = build_reference_docx(tmp_path / "a.docx").read_bytes()
    two = build_reference_docx(tmp_path / "b.docx").read_bytes()
    assert one == two


def test_reference_document_sets_a4_margins_footer_page_field_and_british_english(tmp_path):
    ref = build_reference_docx(tmp_path / REFERENCE_NAME)
    sect = body_of(ref).find(w("sectPr"))
    size = sect.find(w("pgSz"))
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # A4 in twips
    assert sect.find(w("footerReference")) is not None
    [footer] = footer_parts(ref)
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    styles = part(ref, "word/styles.xml")
    lang = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("val")) == "en-GB"
    ids = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    assert {"TableNote", "TableCaption", "CaptionedFigure"} <= ids


# --------------------------------------------------------------------------- the study's DOCX

def test_study_docx_is_a4_with_a_page_number_footer_in_every_section(study_docx):
    assert len(study_docx) == 2
    for path in study_docx:
        sections = list(body_of(path).iter(w("sectPr")))
        assert len(sections) >= 1
        for sect in sections:
            size = sect.find(w("pgSz"))
            assert sorted((int(size.get(w("w"))), int(size.get(w("h"))))) == [11906, 16838]
            assert sect.find(w("footerReference")) is not None
        assert any(re.search(r"> PAGE <", f) for f in footer_parts(path))


def test_study_docx_tables_are_not_fixed_layout_and_number_cells_never_wrap(study_docx):
    tables = all_tables(study_docx)
    assert len(tables) >= 15
    checked = 0
    for tbl in tables:
        layout = tbl.find(f"{w('tblPr')}/{w('tblLayout')}")
        assert layout is None or layout.get(w("type")) != "fixed"
        for tc in tbl.iter(w("tc")):
            text = text_of(tc)
            jc = tc.find(f"{w('p')}/{w('pPr')}/{w('jc')}")
            right = jc is not None and jc.get(w("val")) == "right"
            if not (right and NUMBER.match(text)) or tc.find(f"{w('tcPr')}/{w('gridSpan')}") is not None:
                continue
            width = int(tc.find(f"{w('tcPr')}/{w('tcW')}").get(w("w")))
            size = int(tc.find(f".//{w('sz')}").get(w("val"))) / 2
            # In Times New Roman (and its metric twin Liberation Serif) digits are 0.5 em and no
            # other character used here is under 0.25 em; the cell margins take 2 x 85 twips.
            digits = sum(ch.isdigit() for ch in text)
            least = (0.5 * digits + 0.25 * (len(text) - digits)) * size * 20 + 170
            assert width >= least, (text, width, least)
            assert tc.find(f"{w('tcPr')}/{w('noWrap')}") is not None, text
            checked += 1
    assert checked > 300


def test_study_docx_table_text_is_9_or_8_point(study_docx):
    for tbl in all_tables(study_docx):
        sizes = {s.get(w("val")) for r in tbl.iter(w("r")) for s in r.iter(w("sz"))}
        assert sizes and sizes <= {"18", "16"}, sizes


def test_study_docx_spanners_are_merged_cells_and_header_rows_repeat(study_docx):
    spanners = []
    for tbl in all_tables(study_docx):
        for tr in tbl.findall(w("tr")):
            if tr.find(f"{w('trPr')}/{w('tblHeader')}") is None:
                continue
            for tc in tr.findall(w("tc")):
                span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                if span is not None and int(span.get(w("val"))) > 1:
                    spanners.append((text_of(tc), int(span.get(w("val")))))
    assert ("5-point agreement", 5) in spanners
    assert ("Mean rank", 2) in spanners
    # No label repeats its spanner any more ("5-point agreement: Strongly disagree").
    assert "5-point agreement: " not in "".join(text_of(tc) for t in all_tables(study_docx) for tc in t.iter(w("tc")))


def test_study_docx_puts_the_widest_tables_on_landscape_pages_with_their_caption_and_notes(study_docx):
    turned = 0
    for path in study_docx:
        children = list(body_of(path))
        for i, child in enumerate(children):
            sect = child.find(f"{w('pPr')}/{w('sectPr')}") if child.tag == w("p") else None
            if sect is None or sect.find(w("pgSz")).get(w("orient")) != "landscape":
                continue
            turned += 1
            # The section's content: back to the previous section break.
            j = i
            while j > 0 and children[j - 1].find(f"{w('pPr')}/{w('sectPr')}") is None:
                j -= 1
            content = children[j:i + 1]
            assert any(c.tag == w("tbl") for c in content)
            styles = [c.find(f"{w('pPr')}/{w('pStyle')}") for c in content if c.tag == w("p")]
            styles = [s.get(w("val")) if s is not None else "" for s in styles]
            # The section opens with the table's caption, or with the heading leading into it.
            assert styles[0] == "TableCaption" or (styles[0].startswith("Heading") and "TableCaption" in styles[:4])
            last_style = children[i].find(f"{w('pPr')}/{w('pStyle')}")
            assert last_style is not None and last_style.get(w("val")) == "TableNote"
    assert turned >= 1


# --------------------------------------------------------------------------- small documents

def write_docx(markdown: str, out: Path) -> Path:
    ref = build_reference_docx(out.parent / "ref.docx")
    subprocess.run([pandoc_path(), "-f", "markdown", "-t", "docx", "--reference-doc", str(ref), "-o", str(out)],
                   input=markdown.encode(), check=True, env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"})
    return finish_docx(out)


def spec(n_groups: int, long_stub: bool = False) -> TableSpec:
    import pandas as pd

    data = {"item": ["Seeing their images would help patients understand" if long_stub else "A good idea"]}
    spanners = {}
    for g in range(n_groups):
        cols = []
        for level in ("Strongly disagree", "Neither agree nor disagree", "Strongly agree"):
            name = f"{level}-{g}"
            data[name] = ["121 (42.9%)"]
            cols.append(name)
        spanners[f"Group {g}"] = cols
    labels = {c: c.rsplit("-", 1)[0] for c in data if c != "item"}
    return TableSpec("tbl-x", "T", pd.DataFrame(data), stub="item", column_labels=labels, spanners=spanners)


def test_a_table_that_fits_stays_portrait_and_fills_the_text_width(tmp_path):
    docx = write_docx(to_markdown(spec(1)), tmp_path / "narrow.docx")
    body = body_of(docx)
    assert [s.find(w("pgSz")).get(w("orient")) for s in body.iter(w("sectPr"))] == ["portrait"]
    widths = [int(c.get(w("w"))) for c in body.find(w("tbl")).iter(w("gridCol"))]
    assert sum(widths) == 11906 - 2 * 1247


def test_a_table_too_wide_for_portrait_gets_a_landscape_section_and_the_document_returns_to_portrait(tmp_path):
    markdown = "Before.\n\n" + to_markdown(spec(4, long_stub=True)) + "\nAfter.\n"
    body = body_of(write_docx(markdown, tmp_path / "wide.docx"))
    orients = [s.find(w("pgSz")).get(w("orient")) for s in body.iter(w("sectPr"))]
    assert orients == ["portrait", "landscape", "portrait"]
    assert text_of(body.findall(w("p"))[-1]) == "After."
    # The portrait section ends with the paragraph before the table.
    ends = [p for p in body.findall(w("p")) if p.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    assert text_of(ends[0]) == "Before."


def test_a_heading_just_above_a_landscape_table_turns_with_it(tmp_path):
    markdown = ("Text.\n\n# Full tables\n\nOne short paragraph.\n\n" + to_markdown(spec(4, long_stub=True))
                + "\nAfter.\n")
    body = body_of(write_docx(markdown, tmp_path / "lead.docx"))
    ends = [p for p in body.findall(w("p")) if p.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    assert text_of(ends[0]) == "Text."  # the heading and its paragraph are on the landscape page


def test_plan_never_gives_a_number_column_less_than_its_widest_cell(tmp_path):
    docx = write_docx(to_markdown(spec(2)), tmp_path / "t.docx")
    tbl = body_of(docx).find(w("tbl"))
    layout = plan_table(tbl, 9412, 14344)
    assert layout.numeric == (False,) + (True,) * 6
    # "121 (42.9%)": 11 characters; at 9 pt no less than about 4.5 em.
    assert min(x for x, num in zip(layout.widths, layout.numeric) if num) >= 4.5 * 9 * 20


def test_finishing_is_byte_for_byte_reproducible(tmp_path):
    a = write_docx(to_markdown(spec(2)), tmp_path / "a.docx").read_bytes()
    b = write_docx(to_markdown(spec(2)), tmp_path / "b.docx").read_bytes()
    assert a == b


def test_finishing_a_docx_whose_table_declares_no_grid_columns_still_lays_it_out(tmp_path):
    # pandoc's own reference document holds such a table; Quarto may hand over any DOCX.
    path = build_reference_docx(tmp_path / "ref.docx")
    finish_docx(path)
    for tbl in body_of(path).findall(w("tbl")):
        assert len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")) >= 1


def test_finishing_a_file_that_is_not_a_docx_is_a_precise_error(tmp_path):
    from imgshare.report import ReportError

    path = tmp_path / "report.docx"
    path.write_text("not a package")
    with pytest.raises(ReportError, match="report.docx is not a Word document"):
        finish_docx(path)

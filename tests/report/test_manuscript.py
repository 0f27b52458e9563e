"""The study manuscript's sources: valid for the built-in engine, and no typed numbers in prose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from imgshare.report._assemble import check_references, defined_labels
from imgshare.report._source import Cell, Text, read_document

REPO = Path(__file__).resolve().parents[2]

# Numbers that are facts of the design or the literature, not results: years, the abstract's
# enumerated outcomes "(1)", the eligibility age, and the name of the SHA-256 digest.
_ALLOWED = re.compile(r"\b(19|20)\d\d\b|\(\d\)|\b18 years\b|\bSHA-256\b")
_STRIP = re.compile(r"`[^`]*`|\[?-?@[\w:.#$%&+?<>~/-]+\]?|\{[^}]*\}")


@pytest.fixture(scope="module")
def manuscript():
    return read_document(REPO / "report.qmd", REPO)


def bib_keys() -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", (REPO / "references.bib").read_text(encoding="utf-8")))


def test_manuscript_reads_and_every_reference_and_citation_resolves(manuscript):
    check_references(manuscript, defined_labels(manuscript), bib_keys())


def test_paper_exhibits_are_all_present_in_paper_order(manuscript):
    labels = [c.label for c in manuscript.cells if c.label and c.label.startswith(("fig-", "tbl-"))]
    tables = [lb for lb in labels if lb.startswith("tbl-")]
    figures = [lb for lb in labels if lb.startswith("fig-")]
    assert tables[:7] == ["tbl-age", "tbl-experience", "tbl-role", "tbl-years", "tbl-demand",
                          "tbl-support-patients", "tbl-support-experts"]
    assert figures[:6] == ["fig-flow", "fig-benefits-patients", "fig-benefits-experts", "fig-risks-patients",
                           "fig-risks-experts", "fig-domains"]


def test_every_figure_has_caption_and_alt_text_and_every_table_a_caption(manuscript):
    for cell in manuscript.cells:
        if cell.label and cell.label.startswith("fig-"):
            assert cell.options.get("fig-cap") and cell.options.get("fig-alt"), cell.label
        if cell.label and cell.label.startswith("tbl-"):
            assert cell.options.get("tbl-cap"), cell.label


def test_no_number_is_typed_in_the_prose(manuscript):
    typed = []
    for seg in manuscript.segments:
        if not isinstance(seg, Text):
            continue
        fence = False
        for ln in seg.lines:
            if ln.text.lstrip().startswith(("```", "~~~")):
                fence = not fence
                continue
            if fence or ln.text.lstrip().startswith("#"):
                continue
            prose = _ALLOWED.sub("", _STRIP.sub("", ln.text))
            if re.search(r"\d", prose):
                typed.append(f"{ln.origin.file}:{ln.origin.line}: {ln.text.strip()}")
    assert typed == []


def test_front_matter_has_authors_orcid_affiliations_and_keywords(manuscript):
    meta = manuscript.meta
    names = [a["name"] for a in meta["author"]]
    assert names == ["William Allenby Southam Cox", "Penelope Cavenagh", "Fernando Bello"]
    assert meta["author"][0]["orcid"] == "0000-0002-3768-5440"
    assert {a["id"] for a in meta["affiliations"]} == {"portsmouth", "imperial", "suffolk"}
    assert meta["keywords"] and meta["bibliography"] == "references.bib" and meta["csl"] == "bmj.csl"


def test_structured_abstract_has_the_journal_headings():
    text = (REPO / "sections" / "_abstract.qmd").read_text(encoding="utf-8")
    heads = re.findall(r"^\*\*([^*]+)\*\*", text, re.M)
    assert heads == ["Objectives", "Setting", "Participants", "Primary and secondary outcome measures",
                     "Results", "Conclusions", "Trial registration number"]


def test_project_config_uses_the_typst_extension_and_hides_code():
    config = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    assert "imgshare-manuscript-typst" in config["format"]
    assert config["execute"]["echo"] is False
    ext = yaml.safe_load((REPO / "_extensions" / "imgshare-manuscript" / "_extension.yml").read_text())
    assert ext["contributes"]["formats"]["typst"]["template-partials"] == ["typst-template.typ", "typst-show.typ"]


def test_synthetic_notice_cell_comes_before_any_section(manuscript):
    first_cells = []
    for seg in manuscript.segments:
        if isinstance(seg, Text) and any(ln.text.startswith("# ") for ln in seg.lines):
            break
        if isinstance(seg, Cell):
            first_cells.append(seg.code)
    assert any("study.notice()" in code for code in first_cells)

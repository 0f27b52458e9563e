"""Reading rendered manuscripts in tests: PDF text (pypdf), DOCX XML and paragraphs, HTML ids."""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SECOND_SURVEY = REPO / "tests" / "fixtures" / "second_survey" / "codebook.yml"
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@functools.lru_cache(maxsize=16)
def pdf_pages(path: Path) -> tuple[str, ...]:
    """The text of each PDF page (pypdf: no poppler needed), whitespace and hyphenation normalised."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        text = page.extract_text() or ""
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # words Typst hyphenated at a line end
        out.append(" ".join(text.replace("’", "'").replace("‘", "'").split()))
    return tuple(out)  # cached: a rendered file is read by many tests, and pypdf takes seconds


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def docx_paragraphs(path: Path) -> list[str]:
    """The text of each Word paragraph, in order."""
    xml = docx_xml(path)
    return ["".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)]


def html_ids(html: str) -> set[str]:
    return set(re.findall(r"""\sid=["']([^"']+)["']""", html))


def html_link_targets(html: str) -> list[str]:
    return re.findall(r"""href=["']#([^"']+)["']""", html)


def numbered(page: str, word: str) -> tuple[dict, dict]:
    """{label: number} of the figures and of the tables of an HTML page, checking their captions."""
    figures = re.findall(r'<figure id="(fig-[^"]+)"[^>]*>.*?<figcaption>(.*?)</figcaption>', page, re.S)
    tables = re.findall(r'<div id="(tbl-[^"]+)" class="imgshare-table">\s*<div class="table-caption">(.*?)</div>',
                        page, re.S)
    fig_numbers = [re.match(rf"{word}Figure (\d+):", cap.strip()) for _, cap in figures]
    tbl_numbers = [re.match(rf"{word}Table (\d+):", cap.strip()) for _, cap in tables]
    assert all(fig_numbers) and all(tbl_numbers)
    assert [int(m.group(1)) for m in fig_numbers] == list(range(1, len(figures) + 1))
    assert [int(m.group(1)) for m in tbl_numbers] == list(range(1, len(tables) + 1))
    return ({f: int(m.group(1)) for (f, _), m in zip(figures, fig_numbers)},
            {t: int(m.group(1)) for (t, _), m in zip(tables, tbl_numbers)})


def assert_numbered_by_first_citation(page: str) -> None:
    """Every figure and table is cited, and numbered in the order of its first citation."""
    body = page[page.index("<main"):]
    figs, tbls = numbered(page, "")
    for numbers in (figs, tbls):
        first = {label: body.index(f'href="#{label}"') for label in numbers if f'href="#{label}"' in body}
        assert set(first) == set(numbers), f"not cited: {sorted(set(numbers) - set(first))}"
        by_citation = sorted(first, key=first.get)
        assert [numbers[label] for label in by_citation] == sorted(numbers.values())

"""Respondents' free text is quoted as TEXT in every format: script and image tags never become markup."""

from __future__ import annotations

from html.parser import HTMLParser
from types import SimpleNamespace as NS

import pandas as pd
from report.reportdocs import HOSTILE, docx_xml, pdf_text

from imgshare.escape import markdown as md_escape
from imgshare.report import Study


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_comments_are_escaped_text_in_the_raw_html(hostile):
    html = hostile.outputs["html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_no_script_or_injected_image_element_in_the_html_dom(hostile):
    parser = _Elements()
    parser.feed(hostile.outputs["html"].read_text(encoding="utf-8"))
    assert not [t for t, _ in parser.tags if t == "script"]
    assert not [a for t, a in parser.tags if t == "img" and (a.get("src") == "x" or "onerror" in a)]


def test_hostile_comments_print_verbatim_in_the_pdf(hostile):
    text = pdf_text(hostile.outputs["pdf"])
    for comment in HOSTILE:
        assert comment in text


def test_hostile_comments_are_text_runs_in_the_docx(hostile):
    xml = docx_xml(hostile.outputs["docx"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "&lt;img src=x onerror=alert(1)&gt;" in xml


def test_markdown_escape_leaves_no_markup_character_unescaped():
    text = md_escape("*a* _b_ `c` [d](e) <f> $g$ @h #i |j| {k} ::: ^l^ ~m~ \\n")
    for ch in "*_`[]<>$@#|{}:^~":
        assert all(text[i - 1] == "\\" for i, c in enumerate(text) if c == ch), ch


def test_quotes_take_answers_in_respondent_order_and_label_synthetic_ones():
    var = NS(type="text", question="Any comments?")
    q = NS(label="Staff", variables={"why": var})
    codebook = NS(questionnaires={"s": q}, study=NS(synthetic=True))
    cohort = NS(codebook=codebook, warnings=(),
                responses={"s": pd.DataFrame({"why": pd.array(["  first\nline ", None, "<b>x</b>", "first line",
                                                                "third", "fourth"], dtype="string")})})
    results = NS(settings={}, warnings=())

    def quotes(per_variable):
        return Study(codebook, cohort, results).quotes(per_variable=per_variable)

    text = quotes(per_variable=3)
    assert text.splitlines()[0].startswith("Staff were asked “Any comments?”; 5 gave a synthetic free-text answer")
    assert text.count("\n\n> ") == 1  # one block quote, an answer per paragraph
    assert [ln for ln in text.splitlines() if ln.startswith("> ")] == [
        "> “first line”", "> “\\<b\\>x\\</b\\>”", "> “third”"]

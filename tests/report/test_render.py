"""End-to-end: the fixture project through the built-in engine to HTML, PDF and DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from imgshare.errors import ImgshareError
from imgshare.report import ReportError, render_report

from report.reportdocs import docx_xml, pdf_text


def test_all_three_files_are_written(rendered):
    for fmt in ("html", "pdf", "docx"):
        assert rendered[fmt].name == f"report.{fmt}"
        assert rendered[fmt].stat().st_size > 1000
    assert rendered["pdf"].read_bytes().startswith(b"%PDF")


def test_pdf_holds_title_captions_numbers_and_references(rendered):
    text = pdf_text(rendered["pdf"])
    assert "Fixture manuscript for the report engine" in text
    assert "Figure 1: Bars of the answers" in text
    assert "Table 1: Answers by group" in text
    assert "shown in Figure 1 and Table 1" in text
    assert "introduced in Section 1" in text
    assert "Cox WAS, Cavenagh P, Bello F" in text
    assert "ORCID" in text and "0000-0002-1825-0097" in text


def test_pdf_table_caption_is_above_table_and_figure_caption_below_figure(rendered):
    text = pdf_text(rendered["pdf"])
    assert text.index("Table 1: Answers by group") < text.index("Group")
    assert text.index("Figure 1: Bars of the answers") < text.index("Table 1: Answers by group")


def test_inline_python_values_reach_every_format(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert "The mean answer is 2.00" in html
    assert "A nested include computes 3 values." in html
    assert "The mean answer is 2.00" in pdf_text(rendered["pdf"])
    assert "2.00" in docx_xml(rendered["docx"])


def test_html_has_no_external_resources(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    srcs = re.findall(r"""\ssrc\s*=\s*["']([^"']*)["']""", html)
    assert srcs, "the figure should be embedded as an <img src>"
    assert all(s.startswith("data:") for s in srcs), srcs
    link_tags = re.findall(r"<link\b[^>]*>", html)
    assert not [t for t in link_tags if "href" in t], link_tags
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<script" not in html  # no MathJax or any other remote script


def test_every_html_cross_reference_resolves_to_an_existing_id(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    ids = set(re.findall(r"""\sid=["']([^"']+)["']""", html))
    targets = re.findall(r"""href=["']#([^"']+)["']""", html)
    assert {"fig-bars", "tbl-answers", "sec-intro"} <= set(targets)
    assert [t for t in targets if t not in ids] == []


def test_html_has_toc_numbered_sections_and_phone_viewport(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert 'id="TOC"' in html
    assert 'class="header-section-number">2.1<' in html
    assert 'name="viewport"' in html
    assert "@media print" in html and "overflow-x: auto" in html


def test_html_figure_has_caption_alt_text_and_id(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    fig = re.search(r'<figure id="fig-bars".*?</figure>', html, re.S).group(0)
    assert 'alt="A bar chart with three bars of heights 1, 3 and 2."' in fig
    assert "<figcaption>Figure 1: Bars of the answers</figcaption>" in fig


def test_multiformat_table_is_native_in_each_format(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert re.search(r"<table class=[\"']mf[\"']>", html)  # the object's own HTML, not a converted copy
    xml = docx_xml(rendered["docx"])
    assert "<w:tbl>" in xml  # a real Word table from the markdown version
    assert "Table 1: Answers by group" in xml
    assert "Group" in pdf_text(rendered["pdf"])


def test_docx_has_figure_with_caption(rendered):
    xml = docx_xml(rendered["docx"])
    assert "<w:drawing>" in xml
    assert "Figure 1: Bars of the answers" in xml
    with zipfile.ZipFile(rendered["docx"]) as z:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())


def test_content_visible_blocks_follow_the_format(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    pdf = pdf_text(rendered["pdf"])
    xml = docx_xml(rendered["docx"])
    assert "appears only in HTML" in html and "everywhere but HTML" not in html
    assert "appears only in HTML" not in pdf and "everywhere but HTML" in pdf
    assert "appears only in HTML" not in xml and "everywhere but HTML" in xml


def test_callout_title_and_body_in_every_format(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert 'class="callout callout-note"' in html and "Good to know" in html
    assert "Good to know" in pdf_text(rendered["pdf"])
    assert "Good to know" in docx_xml(rendered["docx"])


def test_failed_render_leaves_previous_outputs_intact(project):
    first = render_report(project, formats="html", quiet=True)
    before = first.outputs["html"].read_bytes()
    report = project / "report.qmd"
    report.write_text(report.read_text() + "\n```{python}\nraise RuntimeError('boom')\n```\n")
    with pytest.raises(ReportError):
        render_report(project, formats="html", quiet=True)
    assert first.outputs["html"].read_bytes() == before
    assert not list((project / "_output").glob(".render-*"))


def test_progress_reports_each_stage_and_quiet_prints_nothing(project, capsys):
    seen: list[str] = []
    render_report(project, formats=("html", "docx"), progress=lambda stage, detail: seen.append(stage),
                  use_cache=False)
    assert seen[:2] == ["include", "execute"] and seen.count("render") == 2 and "write" in seen
    capsys.readouterr()
    render_report(project, formats="html", quiet=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_unknown_format_is_a_user_error(project):
    with pytest.raises(ImgshareError, match="unknown output format 'pptx'"):
        render_report(project, formats="html,pptx", quiet=True)


def test_same_sources_give_byte_identical_files(rendered, tmp_path):
    again = render_report(rendered["project"], out_dir=tmp_path / "again", quiet=True, use_cache=False).outputs
    for fmt in ("html", "pdf", "docx"):
        assert again[fmt].read_bytes() == rendered[fmt].read_bytes(), fmt


def test_default_progress_is_printed_to_stderr_with_each_stage(project, capsys):
    result = render_report(project, formats="html")
    err = capsys.readouterr().err
    for stage in ("include", "execute", "render", "write"):
        assert stage in err
    assert list(result) == [result.outputs["html"]]  # iterating a result gives the written files

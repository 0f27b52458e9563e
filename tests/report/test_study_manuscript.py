"""The study manuscript rendered from the committed (synthetic) data: all three formats, every
exhibit numbered and captioned, the participant numbers, the notices, the appendices."""

from __future__ import annotations

import hashlib
import re
import zipfile
from importlib import metadata

import pytest
from report.reportdocs import REPO, assert_numbered_by_first_citation, docx_paragraphs, numbered, docx_xml, html_ids, html_link_targets, pdf_pages, pdf_text

from imgshare.codebook import load_codebook
from imgshare.report import render_report
from imgshare.report._provenance import build_date
from imgshare.report._source import read_document

CODEBOOK = load_codebook(REPO / "data" / "codebook.yml")
PARTICIPANT_NUMBERS = ("355", "73", "282", "131", "10", "121")  # the paper's flow, reproduced by the cohort


@pytest.fixture(scope="module")
def html(study) -> str:
    return study.outputs["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf(study) -> str:
    return pdf_text(study.outputs["pdf"])


@pytest.fixture(scope="module")
def supplement(study) -> dict:
    """The supplement's files (rendered with the manuscript, as the project's render list asks)."""
    return study.documents["supplement"]


@pytest.fixture(scope="module")
def supp_html(supplement) -> str:
    return supplement["html"].read_text(encoding="utf-8")


def static_captions(prefix: str, document: str = "report.qmd") -> dict[str, str]:
    doc = read_document(REPO / document, REPO)
    key = "tbl-cap" if prefix == "tbl-" else "fig-cap"
    return {c.label: str(c.options[key]) for c in doc.cells if c.label and c.label.startswith(prefix)}


def normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def test_study_renders_to_html_pdf_and_docx_with_the_builtin_engine(study):
    assert study.engine == "builtin" and study.executed and not study.generic
    assert set(study.outputs) == {"html", "pdf", "docx"}
    assert study.outputs["pdf"].read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(study.outputs["docx"])


def test_pdf_holds_the_title_and_the_participant_numbers(pdf):
    assert "What are the benefits and risks of sharing patients' diagnostic radiological images with them?" in pdf
    for n in PARTICIPANT_NUMBERS:
        assert re.search(rf"(?<![\d.,]){n}(?![\d,]|\.\d)", pdf), n


def test_pdf_holds_every_table_caption_static_and_generated(pdf, supplement):
    assert [c for c in static_captions("tbl-").values() if normalise(c) not in pdf] == []
    supp = pdf_text(supplement["pdf"])
    captions = list(static_captions("tbl-", "supplement.qmd").values())
    captions += [c.label for c in CODEBOOK.comparisons.values()]  # the supplement's comparison tables
    captions += ["Reproduction audit: values printed in the paper's tables",
                 "Reproduction audit: values printed in the paper's text"]
    assert [c for c in captions if normalise(c) not in supp] == []
    assert "Supplementary Table 1" in supp


def test_synthetic_notice_is_on_pdf_page_one(study):
    first = pdf_pages(study.outputs["pdf"])[0]
    assert "Synthetic data" in first and "synthetic cohort" in first


def test_synthetic_notice_comes_before_the_first_heading_of_the_html_body(html):
    body = html[html.index("<main"):]
    notice = body.index("callout-warning")
    first_heading = re.search(r"<h[1-6][\s>]", body).start()
    assert notice < first_heading
    assert "synthetic cohort" in body[notice:first_heading]


def test_synthetic_notice_is_in_the_first_paragraphs_of_the_docx(study):
    paragraphs = [p for p in docx_paragraphs(study.outputs["docx"]) if p.strip()]
    first = " ".join(paragraphs[:12])
    assert "Synthetic data" in first and "synthetic cohort" in first
    assert first.index("Synthetic data") < " ".join(paragraphs).index("Abstract")


def test_every_html_figure_and_table_has_its_number_and_caption(html, supp_html):
    figs, tbls = numbered(html, "")
    assert set(static_captions("fig-")) <= set(figs) and set(static_captions("tbl-")) <= set(tbls)
    _, supp_tbls = numbered(supp_html, "Supplementary ")
    assert set(static_captions("tbl-", "supplement.qmd")) <= set(supp_tbls)
    assert {f"tbl-compare-{c.replace('_', '-')}" for c in CODEBOOK.comparisons} <= set(supp_tbls)
    assert {"tbl-audit-table", "tbl-audit-text", "tbl-audit-poster", "tbl-cherries"} <= set(supp_tbls)


def test_figures_and_tables_are_numbered_in_order_of_first_citation(html):
    """Journals number exhibits by first mention: the n-th exhibit cited first is exhibit n."""
    assert_numbered_by_first_citation(html)


def test_each_significant_kruskal_wallis_test_is_followed_by_its_dunn_tests(supp_html):
    from imgshare.analysis import analyse
    from imgshare.cohort import build_cohort

    posthoc = analyse(build_cohort(CODEBOOK)).posthoc
    assert not posthoc.empty
    for cid in posthoc["comparison"].unique():
        compare, dunn = (supp_html.index(f'id="tbl-{kind}-{cid.replace("_", "-")}"') for kind in ("compare", "posthoc"))
        assert compare < dunn


def test_every_html_figure_is_embedded_with_alt_text(html):
    images = re.findall(r"<img\b[^>]*>", html)
    assert images and all('src="data:image/svg+xml' in img for img in images)
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in images)


def test_html_loads_no_external_resource(html):
    srcs = re.findall(r"""\ssrc\s*=\s*["']([^"']*)["']""", html)
    assert srcs and all(s.startswith("data:") for s in srcs)
    assert not [t for t in re.findall(r"<link\b[^>]*>", html) if "href" in t]
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html)
    assert "<script" not in html


def test_every_cross_reference_resolves_in_html_and_none_is_left_raw(html, pdf, study, supp_html):
    targets = html_link_targets(html)
    assert [t for t in targets if t not in html_ids(html)] == []
    assert {"fig-flow", "tbl-age", "sec-comparisons"} <= set(targets)
    assert [t for t in html_link_targets(supp_html) if t not in html_ids(supp_html)] == []
    for text in (html, pdf, docx_xml(study.outputs["docx"]), supp_html):
        assert not re.search(r"@(fig|tbl|sec)-", text)
        assert "?@" not in text and "TODO" not in text


def test_docx_has_real_tables_and_images(study, supplement):
    xml = docx_xml(study.outputs["docx"])
    assert xml.count("<w:tbl>") >= len(static_captions("tbl-"))
    supp = docx_xml(supplement["docx"])
    assert supp.count("<w:tbl>") >= len(static_captions("tbl-", "supplement.qmd")) + len(CODEBOOK.comparisons)
    with zipfile.ZipFile(study.outputs["docx"]) as z:
        pngs = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(pngs) >= len(static_captions("fig-"))
    assert xml.count("<w:drawing>") >= len(static_captions("fig-"))


def test_group_comparisons_paragraph_names_the_higher_group_with_p_and_effect(html):
    section = html[html.index('id="sec-comparisons"'):html.index('id="fig-paired-benefits"')]
    assert "had higher mean ranks than" in section
    # Groups the codebook names (comparisons.*.group_names) are called who they are, not by their answer.
    words = " ".join(section.split())
    assert "Patients who had not seen their images had higher mean ranks than patients who had seen" in words
    assert "answering “No”" not in words and "answering &#8220;No" not in words
    assert re.search(r"U = [\d.]+; p (=|&lt;) 0\.\d+; r = -?0\.\d+", section)
    for comparison in CODEBOOK.comparisons.values():
        assert f"<strong>{comparison.label}.</strong>" in section


def test_audit_summary_is_in_the_results_and_the_supplement(html, supp_html):
    appendix = normalise(supp_html[supp_html.index('id="sec-appendix-audit"'):])
    results = normalise(html[html.index('id="sec-reproduction"'):html.index('id="sec-discussion"')])
    pattern = r"Of \d+ published values, \d+ were reproduced from the SYNTHETIC cohort"
    summary = re.search(pattern, appendix)
    assert summary and re.search(pattern, results).group(0) == summary.group(0)


def test_provenance_appendix_has_file_digests_and_software_versions(supp_html):
    appendix = normalise(supp_html[supp_html.index('id="sec-appendix-provenance"'):])
    for name in ("codebook.yml", "patients.synthetic.csv", "experts.synthetic.csv"):
        digest = hashlib.sha256((REPO / "data" / name).read_bytes()).hexdigest()
        assert digest in appendix, name
    for dist in ("imgshare", "pandas", "scipy", "plotnine", "great-tables"):
        assert f"{dist} {metadata.version(dist)}".lower() in appendix.lower(), dist


def test_build_date_only_from_source_date_epoch(supp_html):
    date = build_date()  # the render and the test share the environment
    assert (f"Built: {date}" in supp_html) if date else ("no date recorded" in supp_html)


def test_methods_statistics_paragraph_and_data_notes_are_stated(html):
    from imgshare.analysis import analyse
    from imgshare.cohort import build_cohort
    from imgshare.codebook import load_codebook

    methods = html[html.index('id="sec-analysis"'):html.index('id="sec-ppi"')]
    assert "Mann-Whitney U test" in methods and "Kruskal-Wallis H test" in methods
    cohort = build_cohort(load_codebook(REPO / "data" / "codebook.yml"))
    warnings = [*cohort.warnings, *analyse(cohort).warnings]
    assert ("Data notes" in methods) == bool(warnings)  # every warning is stated; none, no callout


def test_free_text_answers_are_quoted_as_text(html):
    section = html[html.index('id="sec-free-text"'):html.index('id="sec-comparisons"')]
    assert section.count("<blockquote>") >= 1 and section.count("“") >= 2
    assert "synthetic free-text answer" in section
    assert not re.search(r"<blockquote>\s*<p>[^<]*<(?!/p>)", section)  # no markup from an answer


def test_rendering_the_study_again_gives_a_byte_identical_html(study, tmp_path):
    again = render_report(REPO, out_dir=tmp_path, formats="html", quiet=True, engine="builtin", use_cache=False)
    assert again.outputs["html"].read_bytes() == study.outputs["html"].read_bytes()


def test_html_ids_are_unique_so_each_table_id_belongs_to_one_element(html):
    ids = re.findall(r"""\sid=["']([^"']+)["']""", html)
    assert len(ids) == len(set(ids))
    assert 'id="tbl-patients-age-group-table"' in html  # the bare table's own id, inside the cell's tbl-age

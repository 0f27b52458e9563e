"""The generic manuscript: chosen for another codebook, valid Quarto, every exhibit of any codebook."""

from __future__ import annotations

import filecmp
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from report.reportdocs import REPO, SECOND_SURVEY, docx_xml, html_ids, html_link_targets, pdf_pages, pdf_text

from imgshare import cli
from imgshare.analysis import analyse
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort
from imgshare.exhibits import build_exhibits
from imgshare.report import GENERIC_PROJECT, choose_project
from imgshare.report._assemble import check_references, defined_labels
from imgshare.report._projects import instantiate_generic
from imgshare.report._source import read_document


@pytest.fixture(scope="module")
def second_exhibits():
    return build_exhibits(analyse(build_cohort(load_codebook(SECOND_SURVEY))), min_cell=5)


@pytest.fixture(scope="module")
def html(second_survey) -> str:
    return second_survey[0].outputs["html"].read_text(encoding="utf-8")


# -- choosing the project ---------------------------------------------------------------------


def test_an_explicit_project_is_always_used(tmp_path):
    choice = choose_project(tmp_path, SECOND_SURVEY, cwd=REPO)
    assert choice.project_dir == tmp_path.resolve() and not choice.generic


def test_the_working_project_renders_the_codebook_it_names(tmp_path):
    assert choose_project(None, None, cwd=REPO) .project_dir == REPO and not choose_project(None, None, cwd=REPO).generic
    assert not choose_project(None, REPO / "data" / "codebook.yml", cwd=REPO).generic


def test_another_codebook_without_a_project_gets_the_generic_manuscript_and_says_why():
    choice = choose_project(None, SECOND_SURVEY, cwd=REPO)
    assert choice.generic and choice.project_dir == GENERIC_PROJECT
    assert "codebook.yml is not the codebook this project was written for (data/codebook.yml)" in choice.reason


def test_a_folder_without_a_manuscript_gets_the_generic_manuscript(tmp_path):
    choice = choose_project(None, SECOND_SURVEY, cwd=tmp_path)
    assert choice.generic and "no manuscript project" in choice.reason


def test_the_codebook_a_project_names_comes_from_its_quarto_yml(tmp_path):
    (tmp_path / "report.qmd").write_text("# x\n")
    (tmp_path / "_quarto.yml").write_text("imgshare:\n  codebook: survey/cb.yml\n")
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "cb.yml").write_text("format: 1\n")
    assert not choose_project(None, tmp_path / "survey" / "cb.yml", cwd=tmp_path).generic
    assert choose_project(None, SECOND_SURVEY, cwd=tmp_path).generic


def test_the_study_project_names_its_codebook():
    config = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["imgshare"]["codebook"] == "data/codebook.yml"


# -- the template -------------------------------------------------------------------------------


def test_generic_template_is_a_quarto_project_with_the_manuscript_format():
    config = yaml.safe_load((GENERIC_PROJECT / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "default" and config["execute"]["echo"] is False
    assert set(config["format"]) == {"html", "imgshare-manuscript-typst", "docx"}
    doc = read_document(GENERIC_PROJECT / "report.qmd", GENERIC_PROJECT)
    check_references(doc, defined_labels(doc), None)


def test_generic_template_ships_the_same_typst_extension_as_the_study():
    ours = GENERIC_PROJECT / "_extensions" / "imgshare-manuscript"
    theirs = REPO / "_extensions" / "imgshare-manuscript"
    names = sorted(p.name for p in theirs.iterdir())
    assert sorted(p.name for p in ours.iterdir()) == names
    _, mismatch, errors = filecmp.cmpfiles(ours, theirs, names, shallow=False)
    assert mismatch == [] and errors == []


def test_generic_template_names_no_study():
    text = " ".join(p.read_text(encoding="utf-8") for p in GENERIC_PROJECT.rglob("*.qmd"))
    for word in ("patients", "experts", "radiolog", "good_idea", "benefits"):
        assert word not in text.lower(), word


def test_instantiation_sets_title_and_codebook_and_escapes_markdown(tmp_path):
    dest = instantiate_generic(tmp_path / "copy", SECOND_SURVEY, "Staff *wellbeing* <b>2024</b>")
    config = yaml.safe_load((dest / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["imgshare"]["codebook"] == str(SECOND_SURVEY.resolve())
    assert config["title"] == r"Staff \*wellbeing\* \<b\>2024\</b\>"
    assert (GENERIC_PROJECT / "_quarto.yml").read_text(encoding="utf-8").count("title: Study report") == 1


# -- the second survey through the generic manuscript ---------------------------------------------


def test_second_survey_renders_to_all_three_formats_and_progress_names_the_generic_manuscript(second_survey):
    result, seen = second_survey
    assert result.generic and set(result.outputs) == {"html", "pdf", "docx"}
    assert result.outputs["pdf"].read_bytes().startswith(b"%PDF")
    assert any(stage == "project" and "generic manuscript" in detail for stage, detail in seen)


def test_title_comes_from_the_codebook_and_the_notice_comes_first(second_survey, html):
    title = load_codebook(SECOND_SURVEY).study.title
    assert f"<title>{title}</title>" in html
    first = pdf_pages(second_survey[0].outputs["pdf"])[0]
    assert title in first and "Synthetic data" in first
    body = html[html.index("<main"):]
    assert body.index("callout-warning") < re.search(r"<h[1-6][\s>]", body).start()


def test_every_exhibit_appears_once_with_its_number(html, second_exhibits):
    ids = re.findall(r'<figure id="(fig-[^"]+)"|<div id="(tbl-[^"]+)" class="imgshare-table"', html)
    ids = [a or b for a, b in ids]
    assert sorted(ids) == sorted(second_exhibits)
    assert len(ids) == len(set(ids))
    n_fig = sum(e.kind == "figure" for e in second_exhibits.values())
    n_tbl = len(second_exhibits) - n_fig
    assert re.findall(r"<figcaption>\s*Figure (\d+):", html) == [str(i) for i in range(1, n_fig + 1)]
    assert re.findall(r'class="table-caption">\s*Table (\d+):', html) == [str(i) for i in range(1, n_tbl + 1)]


def test_every_generated_cross_reference_resolves(html, second_survey):
    targets = html_link_targets(html)
    assert {"fig-participant-flow", "tbl-participant-flow", "tbl-compare-staff-vs-managers"} <= set(targets)
    assert [t for t in targets if t not in html_ids(html)] == []
    assert "@tbl-" not in pdf_text(second_survey[0].outputs["pdf"])


def test_generic_prose_is_computed_for_this_codebook(html):
    text = " ".join(html.split())
    assert "Staff: " in text and "responses received" in text
    assert "mean agreement was" in text and "among staff" in text and "among managers" in text
    assert "<strong>Staff vs managers.</strong>" in text
    assert "no neutral level" in text and "Reverse-keyed statements" in text


def test_small_counts_are_withheld_in_tables_and_prose_with_min_cell(html):
    assert "&lt;5" in html
    flow = " ".join(html[html.index('id="sec-flow"'):html.index('id="fig-participant-flow"')].split())
    assert "did not consent: &lt;5" in flow.lower()
    assert "For disclosure control" in html
    # Managers: 1 excluded, so 23 received would give it back (received - analysed): withheld, and said so.
    assert "the number received is withheld" in " ".join(html.split())


def test_docx_has_a_word_table_for_every_table_exhibit(second_survey, second_exhibits):
    xml = docx_xml(second_survey[0].outputs["docx"])
    assert xml.count("<w:tbl>") >= sum(e.kind == "table" for e in second_exhibits.values())
    with zipfile.ZipFile(second_survey[0].outputs["docx"]) as z:
        assert sum(n.endswith(".png") for n in z.namelist()) >= sum(e.kind == "figure" for e in second_exhibits.values())


# -- the CLI ----------------------------------------------------------------------------------------


def test_cli_report_passes_min_cell_and_leaves_the_project_to_choose(monkeypatch, tmp_path):
    calls = {}

    def fake_render(**kwargs):
        calls.update(kwargs)
        return []

    monkeypatch.setattr("imgshare.report.render_report", fake_render)
    rc = cli.main(["report", "--codebook", str(SECOND_SURVEY), "--min-cell", "5", "--to", "html",
                   "--out", str(tmp_path)])
    assert rc == 0
    assert calls["min_cell"] == 5 and calls["project_dir"] is None
    assert Path(calls["codebook_path"]) == SECOND_SURVEY and calls["formats"] == ["html"]


def test_cli_report_rejects_a_negative_min_cell(capsys):
    assert cli.main(["report", "--min-cell", "-1"]) == 2
    assert "min-cell" in capsys.readouterr().err


def test_generic_discussion_states_findings_and_limitations_from_the_data_with_marked_gaps(html):
    html = " ".join(html.split())
    discussion = html[html.index('id="sec-discussion"'):html.index('id="sec-declarations"')]
    # Under --min-cell 5 the second survey's domain means are withheld (an item's total is withheld,
    # so its percentage would come back from the mean): the findings state the tests only.
    assert "agreement was highest" not in discussion
    assert re.search(r"(Of the|None of the) \d+ tests of group differences", discussion)
    assert re.search(r"Staff: \d+ of \d+ returned questionnaires were analysed", discussion)
    assert discussion.count("To be written by the authors:") == 3
    declarations = html[html.index('id="sec-declarations"'):]
    for name in ("Contributors", "Funding", "Competing interests", "Data availability statement"):
        assert f"<strong>{name}</strong>" in declarations


def test_generic_methods_state_the_codebooks_data_note(html):
    methods = " ".join(html[html.index('id="sec-methods"'):html.index('id="sec-results"')].split())
    assert "The data: Made-up data for imgshare’s tests." in methods or "The data: Made-up data for imgshare's tests." in methods


def test_generic_exhibits_are_numbered_in_order_of_first_citation(html):
    from report.reportdocs import assert_numbered_by_first_citation

    assert_numbered_by_first_citation(html)


def test_a_second_generic_render_reuses_the_cell_outputs_until_the_data_change(tmp_path):
    import shutil

    from imgshare.report import render_report

    survey = tmp_path / "survey"
    shutil.copytree(SECOND_SURVEY.parent, survey)
    codebook, out = survey / SECOND_SURVEY.name, tmp_path / "out"

    def render():
        return render_report(None, out_dir=out, formats=("html",), codebook_path=codebook, quiet=True,
                             engine="builtin")

    first, second = render(), render()
    assert first.generic and first.executed and not second.executed
    assert second.cache_key == first.cache_key
    html = second.outputs["html"].read_text(encoding="utf-8")
    assert 'id="fig-participant-flow"' in html and "<img" in html  # cached figures are embedded again
    data = survey / "staff.csv"
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same rows, other bytes
    third = render()
    assert third.executed and third.cache_key != first.cache_key

"""One render, several documents: the study's analysis, exhibits and audit are built once and
shared; exhibits are built only when a document shows them; the next document runs while the
figures of the one before are drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.analysis import analyse
from imgshare.analysis._examples import example_cohort
from imgshare.exhibits import build_exhibits, exhibit_set
from imgshare.report import ReportError, render_report, study
from imgshare.report._markdown import plain
from imgshare.report._render_memo import sharing
from imgshare.tables import to_markdown, to_typst

from report.reportdocs import REPO


@pytest.fixture(scope="module")
def results():
    return analyse(example_cohort())


def test_exhibit_labels_and_kinds_are_known_before_any_exhibit_is_built(results):
    lazy = exhibit_set(results)
    eager = build_exhibits(results)
    assert list(lazy) == list(eager) and len(lazy) == len(eager)
    assert [lazy.kind(label) for label in lazy] == [ex.kind for ex in eager.values()]
    assert "tbl-participant-flow" in lazy and "tbl-no-such-table" not in lazy
    assert lazy.built() == []


def test_looking_up_an_exhibit_builds_that_one_once(results):
    lazy = exhibit_set(results)
    first = lazy["fig-participant-flow"]
    assert lazy.built() == ["fig-participant-flow"]
    assert lazy["fig-participant-flow"] is first
    with pytest.raises(KeyError):
        lazy["tbl-no-such-table"]


@pytest.mark.parametrize("min_cell", [0, 3, 5])  # 5 withholds item totals the diverging charts' labels print
def test_an_exhibit_built_alone_equals_the_one_built_with_all_the_others(results, min_cell):
    eager = build_exhibits(results, min_cell=min_cell)
    for label in reversed(list(eager)):  # each from a fresh set, in another order than the eager build
        alone = exhibit_set(results, min_cell=min_cell)[label]
        ex = eager[label]
        assert (alone.label, alone.kind, alone.caption, alone.alt, alone.width_mm, alone.height_mm) == (
            ex.label, ex.kind, ex.caption, ex.alt, ex.width_mm, ex.height_mm)
        if ex.kind == "table":
            assert to_markdown(alone.obj) == to_markdown(ex.obj) and to_typst(alone.obj) == to_typst(ex.obj)
        elif ex.obj.data is not None:
            assert alone.obj.data.equals(ex.obj.data)


def _env(min_cell: int = 0) -> dict[str, str]:
    return {"IMGSHARE_PROJECT_DIR": str(REPO), "IMGSHARE_MIN_CELL": str(min_cell)}


def test_documents_of_one_render_share_the_study_but_each_places_its_own_exhibits():
    with sharing():
        manuscript, supplement = study(_env()), study(_env())
        other_threshold = study(_env(5))
    assert manuscript._parts is supplement._parts
    assert manuscript.exhibits is supplement.exhibits and manuscript.results is supplement.results
    assert other_threshold._parts is not manuscript._parts and other_threshold.min_cell == 5
    # placing an exhibit in one document does not keep the other from placing it
    assert manuscript.place("tbl-participant-flow") and supplement.place("tbl-participant-flow")
    assert not manuscript.place("tbl-participant-flow")  # but each places it once


def test_outside_a_render_every_study_is_built_afresh():
    assert study(_env())._parts is not study(_env())._parts


def test_the_audit_summary_is_given_without_laying_out_the_audit_tables():
    s = study(_env())
    assert s.audit_summary() and "audit" not in vars(s._parts)
    assert plain(s.audit.summary) == s.audit_summary() and s.audit.tables


def _two_documents(project: Path, second_cells: str = "") -> Path:
    """The fixture project with a second document that also asks for the study."""
    (project / "notes.qmd").write_text("---\ntitle: Notes\n---\n\n```{python}\nimport imgshare.report\n\n"
                                       "study = imgshare.report.study()\n```\n\n# Notes\n\n"
                                       "Analysed: `{python} study.n()`.\n" + second_cells)
    report = project / "report.qmd"
    report.write_text(report.read_text().replace("ctx = context()\n", "ctx = context()\nimport imgshare.report\n"
                                                 "study = imgshare.report.study()\n", 1))
    config = project / "_quarto.yml"
    config.write_text(config.read_text().replace("  output-dir: _output\n",
                                                 "  output-dir: _output\n  render:\n    - report.qmd\n    - notes.qmd\n"))
    return project


def test_a_render_of_two_documents_analyses_once_and_the_next_render_again(project, monkeypatch):
    from imgshare.report import _analysis

    calls = []
    real = _analysis.analysed
    monkeypatch.setattr(_analysis, "analysed", lambda ctx: calls.append(ctx) or real(ctx))
    _two_documents(project)
    result = render_report(project, formats="html", quiet=True, use_cache=False)
    assert len(calls) == 1 and set(result.documents) == {"report", "notes"}
    render_report(project, formats="html", quiet=True, use_cache=False)
    assert len(calls) == 2  # nothing is kept from one render to the next
    alone = study({"IMGSHARE_PROJECT_DIR": str(project)}).n()  # the same number, outside any render
    assert f"Analysed: {alone}." in result.documents["notes"]["html"].read_text(encoding="utf-8")


def test_a_figure_that_fails_in_its_worker_fails_the_render_and_keeps_earlier_outputs(project, monkeypatch):
    monkeypatch.setenv("IMGSHARE_JOBS", "2")  # figures drawn by forked workers
    _two_documents(project)
    first = render_report(project, formats="html", quiet=True)
    before = first.outputs["html"].read_bytes()
    report = project / "report.qmd"
    # mathtext that cannot be parsed fails only when the figure is drawn for saving
    report.write_text(report.read_text().replace('ax.bar(["a", "b", "c"], values)',
                                                 'ax.bar(["a", "b", "c"], values)\nax.set_title(r"$\\notacommand$")'))
    with pytest.raises(ReportError, match="a figure could not be saved"):
        render_report(project, formats="html", quiet=True)
    assert first.outputs["html"].read_bytes() == before


def test_a_render_of_two_documents_reads_the_codebook_once(project, monkeypatch):
    import imgshare.codebook as codebook_module

    calls = []
    real = codebook_module.load_codebook
    monkeypatch.setattr(codebook_module, "load_codebook", lambda path: calls.append(path) or real(path))
    _two_documents(project)
    render_report(project, formats="html", quiet=True, use_cache=False)
    assert len(calls) == 1


def _stamp(path: Path, pause: float = 0.0) -> None:
    import time

    start = time.monotonic()
    time.sleep(pause)
    path.write_text(f"{start} {time.monotonic()}")


def test_a_free_figure_worker_takes_the_next_job_while_a_slow_one_still_runs(tmp_path):
    from imgshare._forked import ForkedJobs

    with ForkedJobs(workers=2) as jobs:
        jobs.submit(_stamp, tmp_path / "slow", 1.5)
        jobs.submit(_stamp, tmp_path / "quick")
        jobs.submit(_stamp, tmp_path / "next")  # queued: both workers are busy
        jobs.wait()
    slow_start, slow_end = map(float, (tmp_path / "slow").read_text().split())
    next_start, _ = map(float, (tmp_path / "next").read_text().split())
    assert next_start < slow_end  # it did not wait for the slow job to end


def test_a_document_drawing_figures_still_refuses_a_foreign_image_at_its_line(project, tmp_path, monkeypatch):
    # its Markdown is read and its Typst source written while its figures are drawn; the image is
    # refused before anything reads it, with the same message, and nothing is written
    monkeypatch.setenv("IMGSHARE_JOBS", "2")
    foreign = tmp_path / "elsewhere.svg"
    foreign.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    report = project / "report.qmd"
    text = report.read_text()
    report.write_text(text.replace("# Introduction {#sec-intro}", f"![foreign]({foreign})\n\n# Introduction {{#sec-intro}}"))
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=rf"^report.qmd:\d+: image '{foreign}' is outside the render's own folder"):
        render_report(project, out_dir=out, formats=("html", "pdf", "docx"), quiet=True, use_cache=False)
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


@pytest.mark.parametrize("name", ["imgshare.exhibits", "imgshare.report._render_memo"])
def test_docstring_examples_of_the_shared_parts_pass(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

"""Cell outputs are reused unless code, inline expressions, codebook or data changed."""

from __future__ import annotations

from pathlib import Path

from imgshare.report import render_report


def executions(project: Path) -> int:
    log = project / "executions.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_text_only_edit_does_not_re_execute_cells(project):
    first = render_report(project, formats="html", quiet=True)
    assert first.executed and executions(project) == 1
    intro = project / "sections" / "_intro.qmd"
    intro.write_text(intro.read_text().replace("studied before", "looked at before"))
    second = render_report(project, formats="html", quiet=True)
    assert not second.executed
    assert executions(project) == 1
    html = second.outputs["html"].read_text(encoding="utf-8")
    assert "looked at before" in html
    assert "The mean answer is 2.00" in html  # inline values come from the cache too
    assert 'src="data:image/svg+xml' in html  # and so does the figure


def test_code_edit_re_executes(project):
    render_report(project, formats="html", quiet=True)
    report = project / "report.qmd"
    report.write_text(report.read_text().replace("values = [1, 3, 2]", "values = [1, 3, 5]"))
    result = render_report(project, formats="html", quiet=True)
    assert result.executed and executions(project) == 2
    assert "The mean answer is 3.00" in result.outputs["html"].read_text(encoding="utf-8")


def test_inline_expression_edit_re_executes(project):
    render_report(project, formats="html", quiet=True)
    report = project / "report.qmd"
    report.write_text(report.read_text().replace('f"{mean_value:.2f}"', 'f"{mean_value:.3f}"'))
    result = render_report(project, formats="html", quiet=True)
    assert result.executed and "The mean answer is 2.000" in result.outputs["html"].read_text(encoding="utf-8")


def test_data_or_codebook_change_re_executes(project):
    render_report(project, formats="html", quiet=True)
    data = project / "data" / "survey.csv"
    data.write_text(data.read_text() + "r3,1\n")
    assert render_report(project, formats="html", quiet=True).executed
    codebook = project / "data" / "codebook.yml"
    codebook.write_text(codebook.read_text().replace("Fixture study", "Renamed study"))
    result = render_report(project, formats="html", quiet=True)
    assert result.executed and executions(project) == 3
    assert "Renamed study" in result.outputs["html"].read_text(encoding="utf-8")


def test_cache_can_be_bypassed(project):
    render_report(project, formats="html", quiet=True)
    assert render_report(project, formats="html", quiet=True, use_cache=False).executed
    assert executions(project) == 2


def test_a_changed_imgshare_package_re_executes(project, monkeypatch):
    render_report(project, formats="html", quiet=True)
    assert not render_report(project, formats="html", quiet=True).executed
    monkeypatch.setattr("imgshare.report._cache.package_digest", lambda: "another imgshare")
    assert render_report(project, formats="html", quiet=True).executed
    assert executions(project) == 2


def test_a_new_source_date_epoch_re_executes(project, monkeypatch):
    render_report(project, formats="html", quiet=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert render_report(project, formats="html", quiet=True).executed


def two_documents(project: Path) -> Path:
    """The fixture project with a second document beside report.qmd, both in project.render."""
    (project / "notes.qmd").write_text("---\ntitle: Notes\n---\n\n# Notes\n\nA second document of the project.\n")
    config = project / "_quarto.yml"
    config.write_text(config.read_text().replace("  output-dir: _output\n",
                                                 "  output-dir: _output\n  render:\n    - report.qmd\n    - notes.qmd\n"))
    return project


def test_a_document_whose_text_did_not_change_is_copied_not_written_again(project):
    two_documents(project)
    render_report(project, formats=("html", "docx"), quiet=True)
    intro = project / "sections" / "_intro.qmd"
    intro.write_text(intro.read_text().replace("studied before", "looked at before"))
    said: list[str] = []
    second = render_report(project, formats=("html", "docx"), progress=lambda stage, detail: said.append(detail))
    assert "html, docx unchanged: using the cached files" in said  # the notes, once
    assert "looked at before" in second.documents["report"]["html"].read_text(encoding="utf-8")
    cached = {fmt: path.read_bytes() for fmt, path in second.documents["notes"].items()}
    fresh = render_report(project, formats=("html", "docx"), quiet=True, use_cache=False)
    assert {fmt: path.read_bytes() for fmt, path in fresh.documents["notes"].items()} == cached


def test_a_changed_template_writes_the_document_again(project):
    two_documents(project)
    render_report(project, formats="html", quiet=True)
    css = next((project / "_extensions").rglob("*.css"), None) or next((project / "_extensions").rglob("*.typ"))
    css.write_text(css.read_text() + "\n/* changed */\n")
    said: list[str] = []
    render_report(project, formats="html", progress=lambda stage, detail: said.append(detail))
    assert not [d for d in said if "using the cached file" in d]

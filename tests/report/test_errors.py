"""Sources outside the supported subset fail with one line naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.errors import ImgshareError
from imgshare.report import ReportError, render_report


def add_to_report(project: Path, text: str) -> int:
    """Append ``text`` to report.qmd; return the line number its first line lands on."""
    report = project / "report.qmd"
    before = report.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    report.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def render_error(project: Path) -> ReportError:
    with pytest.raises(ReportError) as info:
        render_report(project, formats="html", quiet=True, use_cache=False)
    assert isinstance(info.value, ImgshareError)
    assert "\n" not in str(info.value)
    return info.value


def test_unknown_shortcode_names_file_and_line(project):
    line = add_to_report(project, "{{< meta title >}}\n")
    assert str(render_error(project)) == f"report.qmd:{line}: unsupported shortcode 'meta' (the built-in engine supports only 'include')"


def test_unsupported_cell_language_names_file_and_line(project):
    line = add_to_report(project, "```{r}\n1 + 1\n```\n")
    err = render_error(project)
    assert str(err).startswith(f"report.qmd:{line}: unsupported cell language 'r'")


def test_unknown_cell_option_names_its_line(project):
    line = add_to_report(project, "```{python}\n#| label: x\n#| fig-colour: red\n1\n```\n")
    err = render_error(project)
    assert str(err).startswith(f"report.qmd:{line + 2}: unknown cell option 'fig-colour'")


def test_unresolved_cross_reference_names_file_and_line(project):
    line = add_to_report(project, "\nAs @fig-missing shows.\n")
    assert str(render_error(project)).startswith(f"report.qmd:{line + 1}: unresolved cross-reference '@fig-missing'")


def test_missing_include_names_the_including_file_and_line(project):
    (project / "sections" / "_nested.qmd").write_text("text\n\n{{< include _gone.qmd >}}\n")
    err = render_error(project)
    assert str(err) == "sections/_nested.qmd:3: included file not found: sections/_gone.qmd"


def test_include_cycle_is_reported(project):
    (project / "sections" / "_nested.qmd").write_text("{{< include _intro.qmd >}}\n")
    assert "include cycle" in str(render_error(project))


def test_failing_cell_names_the_line_that_raised(project):
    line = add_to_report(project, "```{python}\nx = 1\ny = {}['nope']\n```\n")
    err = render_error(project)
    assert str(err) == f"report.qmd:{line + 2}: cell 4 raised KeyError: 'nope'"
    assert "Traceback" in err.details


def test_failing_inline_expression_names_its_line(project):
    line = add_to_report(project, "\nValue: `{python} undefined_name`.\n")
    assert str(render_error(project)) == (f"report.qmd:{line + 1}: inline expression `undefined_name` raised "
                                          f"NameError: name 'undefined_name' is not defined")


def test_unknown_citation_key_names_file_and_line(project):
    line = add_to_report(project, "\nAs shown before [@nobody2020].\n")
    assert str(render_error(project)) == f"report.qmd:{line + 1}: unknown citation key '@nobody2020' (not in the bibliography)"


def test_figure_cell_without_alt_text_is_rejected(project):
    line = add_to_report(project, "```{python}\n#| label: fig-two\n#| fig-cap: Two\nfig\n```\n")
    assert str(render_error(project)).startswith(f"report.qmd:{line}: cell 'fig-two' has no fig-alt")


def test_unclosed_cell_is_reported(project):
    line = add_to_report(project, "```{python}\nx = 1\n")
    assert str(render_error(project)) == f"report.qmd:{line}: code cell is never closed"


def test_unknown_callout_type_is_reported(project):
    add_to_report(project, "\n::: {.callout-danger}\nx\n:::\n")
    assert "unknown callout type 'callout-danger'" in str(render_error(project))


def test_missing_codebook_is_a_user_error(project, tmp_path):
    with pytest.raises(ImgshareError, match="codebook not found"):
        render_report(project, formats="html", quiet=True, codebook_path=tmp_path / "none.yml")

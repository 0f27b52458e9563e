"""Self-labelled exhibits, drawn sizes and output order in the built-in engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.report import LabelledTable, ReportError, render_report
from imgshare.report._assemble import assemble
from imgshare.report._ast import transform
from imgshare.report._execute import execute_document
from imgshare.report._pandoc import markdown_to_ast
from imgshare.report._source import read_document

FORMATS = {"html": "<table class='t'><tr><td>1</td></tr></table>", "typst": "#table(columns: 1, [1])",
           "markdown": "| a |\n|---|\n| 1 |"}
MAKE_FIGURE = ("import matplotlib.pyplot as plt\nfrom imgshare.report import LabelledFigure\n"
               "fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 2])\nplt.close(fig)\n")


def run(tmp_path: Path, body: str):
    (tmp_path / "_quarto.yml").write_text("execute:\n  echo: false\n")
    (tmp_path / "doc.qmd").write_text(body)
    doc = read_document(tmp_path / "doc.qmd", tmp_path)
    execution = execute_document(doc, tmp_path / "figs")
    return execution, assemble(doc, execution)


def test_a_cell_can_show_several_labelled_tables_and_figures(tmp_path):
    body = ("```{python}\n#| output: asis\nfrom imgshare.report import LabelledTable\n" + MAKE_FIGURE
            + f"F = {FORMATS!r}\n"
            "display(LabelledTable('tbl-one', 'First *table*', F))\n"
            "display(LabelledFigure('fig-one', 'A figure', 'Alt text', fig))\n"
            "display(LabelledTable('tbl-two', 'Second', F))\n```\n\nSee @tbl-two and @fig-one.\n")
    execution, assembled = run(tmp_path, body)
    kinds = [(o["kind"], o.get("label")) for o in execution.cells[0]]
    assert kinds == [("table", "tbl-one"), ("figure", "fig-one"), ("table", "tbl-two")]
    assert {"tbl-one", "tbl-two", "fig-one"} <= assembled.labels
    assert "First \\*table\\*" in assembled.markdown  # captions are text, escaped for Markdown
    tree = transform(markdown_to_ast(assembled.markdown, tmp_path), "html", assembled.figures)
    assert list(_walk_links(tree["blocks"])) == [("#tbl-two", "Table 2"), ("#fig-one", "Figure 1")]


def _walk_links(node):
    if isinstance(node, dict):
        if node.get("t") == "Link":
            attr, inlines, (url, _title) = node["c"]
            yield url, " ".join(i["c"] for i in inlines if i["t"] == "Str")
        for v in node.values():
            yield from _walk_links(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_links(v)


def test_a_labelled_figure_keeps_its_drawn_size(tmp_path):
    body = "```{python}\n" + MAKE_FIGURE + "LabelledFigure('fig-x', 'Cap', 'Alt', fig)\n```\n"
    execution, assembled = run(tmp_path, body)
    out = execution.cells[0][0]
    assert (out["width"], out["height"]) == (3.0, 2.0)
    assert (tmp_path / "figs" / "fig-x.svg").is_file() and (tmp_path / "figs" / "fig-x.png").is_file()
    assert assembled.figures["fig-x"]["alt"] == "Alt"


def test_a_plain_figure_without_size_options_keeps_its_own_size(tmp_path):
    body = ("```{python}\n#| label: fig-a\n#| fig-cap: A\n#| fig-alt: alt\n" + MAKE_FIGURE + "fig\n```\n")
    execution, _ = run(tmp_path, body)
    assert (execution.cells[0][0]["width"], execution.cells[0][0]["height"]) == (3.0, 2.0)


def test_a_repeated_label_is_an_error(tmp_path):
    body = ("```{python}\n#| label: tbl-one\n#| tbl-cap: A\n'x'\n```\n\n```{python}\nfrom imgshare.report import "
            f"LabelledTable\nLabelledTable('tbl-one', 'B', {FORMATS!r})\n```\n")
    with pytest.raises(ReportError, match="repeats a label"):
        run(tmp_path, body)


def test_a_label_without_fig_or_tbl_prefix_is_refused(tmp_path):
    body = f"```{{python}}\nfrom imgshare.report import LabelledTable\nLabelledTable('one', 'B', {FORMATS!r})\n```\n"
    with pytest.raises(ReportError, match="needs a 'fig-' or 'tbl-' label"):
        run(tmp_path, body)


def test_prints_and_displays_keep_their_order(tmp_path):
    body = "```{python}\n#| output: asis\nprint('first')\ndisplay('second')\nprint('third')\n```\n"
    execution, _ = run(tmp_path, body)
    assert [o["text"].strip() for o in execution.cells[0]] == ["first", "second", "third"]


def test_labelled_table_under_quarto_is_a_crossref_div_with_the_caption_last():
    md = LabelledTable("tbl-q", "A <caption>", FORMATS)._repr_markdown_()
    lines = md.strip().splitlines()
    assert lines[0] == "::::: {#tbl-q}" and lines[-1] == ":::::" and lines[-2] == "A \\<caption\\>"
    assert "```{=html}" in md and "```{=typst}" in md


def test_min_cell_must_be_a_whole_number(tmp_path):
    with pytest.raises(ReportError, match="min_cell"):
        render_report(tmp_path, min_cell=-1, quiet=True)
    with pytest.raises(ReportError, match="min_cell"):
        render_report(tmp_path, min_cell=2.5, quiet=True)

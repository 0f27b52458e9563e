"""The manuscript sources keep Quarto's rules (checked without Quarto, by its documented options).

Raw HTML tables reach HTML only (Quarto would otherwise parse them into a second table for PDF
and DOCX); figures are SVG in HTML; Typst uses pandoc's citeproc; the HTML has the built-in
engine's title block, contents box and stylesheet; the Jupyter extra is declared and pinned;
the files Quarto writes are ignored by git.
"""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from imgshare.report import GENERIC_PROJECT, LabelledTable, MultiFormat
from imgshare.report._ast import transform
from imgshare.report._exhibit import (LabelledFigure, bare_table, honour_quarto_figure_format, labelled,
                                      quarto_figure_extension)
from imgshare.report._formats import QUARTO_NO_TABLE_PROCESSING, multiformat_markdown
from imgshare.report._pandoc import RESOURCES, pandoc_path

from report.reportdocs import REPO, SECOND_SURVEY

PROJECTS = {"study": REPO, "generic": GENERIC_PROJECT}
EXTENSION = Path("_extensions") / "imgshare-manuscript"


def config(project: Path) -> dict:
    return yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))


def ast_of(markdown: str) -> dict:
    proc = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown.encode(),
                          capture_output=True, check=True)
    return json.loads(proc.stdout)


def raw_blocks(node, ancestors=()):
    """(RawBlock, its ancestor Divs' attributes) for every raw block in a pandoc AST."""
    if isinstance(node, dict):
        if node.get("t") == "RawBlock":
            yield node, ancestors
            return
        if node.get("t") == "Div":
            attr = node["c"][0]
            ancestors = (*ancestors, (attr[1], dict(attr[2])))
        for value in node.values():
            yield from raw_blocks(value, ancestors)
    elif isinstance(node, list):
        for value in node:
            yield from raw_blocks(value, ancestors)


@pytest.fixture(scope="module")
def real_tables() -> list:
    """Every table the generic manuscript can show for the second example survey."""
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.exhibits import build_exhibits

    exhibits = build_exhibits(analyse(build_cohort(load_codebook(SECOND_SURVEY))), min_cell=5)
    return [e for e in exhibits.values() if e.kind == "table"]


# -- 1. raw HTML tables ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROJECTS)
def test_projects_turn_off_quartos_html_table_processing(name):
    assert config(PROJECTS[name])["html-table-processing"] == "none"


def test_every_raw_html_block_is_fenced_off_for_html_alone(real_tables):
    outputs = [bare_table(e.obj)._repr_markdown_() for e in real_tables]
    outputs += [labelled(e)._repr_markdown_() for e in real_tables]
    assert len(outputs) >= 10
    for markdown in outputs:
        raws = list(raw_blocks(ast_of(markdown)))
        html = [(raw, anc) for raw, anc in raws if raw["c"][0] == "html"]
        assert len(html) == 1 and "<table" in html[0][0]["c"][1]
        for raw, ancestors in html:
            assert any("content-visible" in classes and kv.get("when-format") == "html" and len(kv) == 1
                       for classes, kv in ancestors)
            assert raw["c"][1].startswith(QUARTO_NO_TABLE_PROCESSING)
        assert sorted(raw["c"][0] for raw, _ in raws) == ["html", "typst"]


def written(tree: dict, fmt: str, tmp_path: Path) -> str:
    """What pandoc's writer makes of the built-in engine's tree: HTML, Typst, or the DOCX body XML."""
    import zipfile

    out = tmp_path / f"t.{ {'html': 'html', 'pdf': 'typ', 'docx': 'docx'}[fmt] }"
    to = {"html": "html5", "pdf": "typst", "docx": "docx"}[fmt]
    subprocess.run([pandoc_path(), "-f", "json", "-t", to, "-o", str(out)], input=json.dumps(tree).encode(),
                   check=True, capture_output=True)
    if fmt == "docx":
        with zipfile.ZipFile(out) as z:
            return z.read("word/document.xml").decode()
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, marker", [("html", r"<table\b"), ("pdf", r"(?<![\w.-])table\("), ("docx", r"<w:tbl>")])
def test_each_format_gets_each_table_exactly_once(real_tables, fmt, marker, tmp_path):
    for exhibit in real_tables[:4]:
        tree = transform(ast_of(bare_table(exhibit.obj)._repr_markdown_()), fmt, {})
        text = written(tree, fmt, tmp_path)
        assert len(re.findall(marker, text)) == 1, (exhibit.label, len(re.findall(marker, text)))
        assert "<table" not in text or fmt == "html"


def test_a_labelled_table_keeps_its_caption_last_and_its_html_gated():
    md = LabelledTable("tbl-a", "Caption <b>x</b>", {"html": "<table><tr><td>1</td></tr></table>",
                                                     "typst": "#table[1]", "markdown": "| a |\n|---|\n| 1 |"}
                       )._repr_markdown_()
    (outer,) = ast_of(md)["blocks"]
    assert outer["t"] == "Div" and outer["c"][0][0] == "tbl-a"
    inner = outer["c"][1]
    assert inner[-1]["t"] == "Para"
    assert [b["t"] for b in inner[:-1]] == ["Div", "RawBlock", "Div"]


def test_multiformat_fences_still_outgrow_what_they_fence():
    md = multiformat_markdown({"html": "<pre>````x</pre>", "typst": "`a`", "markdown": ":::: x\ny\n::::"})
    assert "`````{=html}" in md and "::::: {.content-visible" in md
    assert MultiFormat("<b>h</b>", "#t", "m")._repr_markdown_().count('when-format="html"') == 1


# -- 2. figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROJECTS)
def test_html_figures_are_svg_and_word_figures_print_resolution_png(name):
    fmt = config(PROJECTS[name])["format"]
    assert fmt["html"]["fig-format"] == "svg"
    assert fmt["docx"]["fig-format"] == "png" and fmt["docx"]["fig-dpi"] == 300


def test_labelled_figure_follows_quartos_figure_format(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [1, 0])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUARTO_FIG_FORMAT", "svg")
    md = LabelledFigure("fig-a", "A caption", "Alt text", fig)._repr_markdown_()
    assert "(figures/fig-a.svg){#fig-a" in md
    assert (tmp_path / "figures" / "fig-a.svg").read_text().lstrip().startswith("<?xml")
    monkeypatch.setenv("QUARTO_FIG_FORMAT", "png")
    assert "(figures/fig-a.png){#fig-a" in LabelledFigure("fig-a", "A caption", "Alt", fig)._repr_markdown_()
    plt.close(fig)


@pytest.mark.parametrize("value, ext", [("svg", "svg"), ("SVG", "svg"), ("png", "png"), ("pdf", "png"),
                                        ("jpeg", "png"), ("", "png")])
def test_figure_extension_for_each_quarto_figure_format(value, ext):
    assert quarto_figure_extension({"QUARTO_FIG_FORMAT": value}) == ext


def test_outside_a_kernel_the_figure_format_is_left_alone():
    assert honour_quarto_figure_format({"QUARTO_FIG_FORMAT": "svg"}) is False  # no IPython shell here


# -- 3. Typst citations -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROJECTS)
def test_typst_format_uses_pandoc_citeproc(name):
    ext = yaml.safe_load((PROJECTS[name] / EXTENSION / "_extension.yml").read_text(encoding="utf-8"))
    typst = ext["contributes"]["formats"]["typst"]
    assert typst["citeproc"] is True and typst["fig-format"] == "svg"


def test_study_references_have_a_place_under_their_heading():
    text = (REPO / "report.qmd").read_text(encoding="utf-8")
    assert re.search(r"^# References \{\.unnumbered\}\s*\n+:::+ \{#refs\}", text, re.M)


# -- 7. same look under both engines ----------------------------------------------------------------


@pytest.mark.parametrize("name", PROJECTS)
def test_html_has_no_bootstrap_chrome_and_the_built_in_look(name):
    project = PROJECTS[name]
    html = config(project)["format"]["html"]
    assert html["theme"] == "none" and html["title-block-style"] == "none" and html["format-links"] is False
    assert html["css"] == str(EXTENSION / "imgshare.css")
    assert html["template-partials"] == [str(EXTENSION / "title-block.html"), str(EXTENSION / "toc.html")]
    for path in (html["css"], *html["template-partials"]):
        assert (project / path).is_file(), path


def test_both_projects_have_the_same_formats():
    assert config(REPO)["format"] == config(GENERIC_PROJECT)["format"]


def test_extension_stylesheet_is_the_built_in_engines():
    assert filecmp.cmp(REPO / EXTENSION / "imgshare.css", RESOURCES / "imgshare.css", shallow=False), \
        "run `make sync-extensions`"


def test_generic_extension_is_a_copy_of_the_study_extension():
    ours, theirs = GENERIC_PROJECT / EXTENSION, REPO / EXTENSION
    names = sorted(p.name for p in theirs.iterdir())
    assert sorted(p.name for p in ours.iterdir()) == names
    _, mismatch, errors = filecmp.cmpfiles(ours, theirs, names, shallow=False)
    assert mismatch == [] and errors == [], "run `make sync-extensions`"


def _pandoc_html(markdown: str, template: Path) -> str:
    proc = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "html5", "--standalone", "--toc",
                           "--toc-depth=2", "-V", "toc", "--template", str(template)],
                          input=markdown.encode(), capture_output=True, check=True)
    return proc.stdout.decode()


def _between(html: str, start: str, end: str) -> str:
    part = html[html.index(start):html.index(end) + len(end)]
    return " ".join(part.split())


def test_title_block_and_contents_partials_write_what_the_built_in_template_writes(tmp_path):
    from imgshare.report._meta import normalise_metadata
    from imgshare.report._source import read_document

    for f in ("title-block.html", "toc.html"):
        (tmp_path / f).write_bytes((REPO / EXTENSION / f).read_bytes())
    # What Quarto's own template does with these partials (html/pandoc/template.html).
    (tmp_path / "quarto.html").write_text("$title-block.html()$\n$if(toc)$\n$toc.html()$\n$endif$\n$body$\n")
    meta = normalise_metadata(read_document(REPO / "report.qmd", REPO).meta)
    md = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n# Introduction\n\nText.\n\n## Part\n"
    builtin = _pandoc_html(md, RESOURCES / "template.html")
    quarto = _pandoc_html(md, tmp_path / "quarto.html")
    for start, end in (("<header", "</header>"), ("<nav", "</nav>")):
        assert _between(quarto, start, end) == _between(builtin, start, end)
    header = _between(quarto, "<header", "</header>")
    assert "Cox<sup>1,2</sup>" in header and "Cavenagh<sup>3</sup>" in header and "Bello<sup>2</sup>" in header
    assert '<li value="3">Faculty of Health' in header and "Correspondence to William" in header


# -- 4. the Jupyter extra, 5. git, 6. computing once ------------------------------------------------


def test_quarto_extra_declares_the_jupyter_engine_and_every_package_is_pinned():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"]["quarto"]
    names = {re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower() for r in extra}
    assert names == {"nbformat", "nbclient", "ipykernel", "jupyter-client"}
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").split():
        name, _, version = line.partition("==")
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    for name in (*names, "jupyter-core", "ipython", "pyzmq", "tornado", "traitlets"):
        assert re.fullmatch(r"\d+(\.\d+)+", pins.get(name, "")), name


def test_makefile_builds_the_quarto_environment():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^quarto-env:", makefile, re.M)
    assert "-c constraints.txt -e '.[test,quarto]'" in makefile


def test_git_ignores_what_quarto_writes():
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.quarto/" in lines and "**/*.quarto_ipynb" in lines


@pytest.mark.parametrize("name", PROJECTS)
def test_execution_is_not_frozen_by_source_alone(name):
    # freeze keys results by the .qmd only (stale numbers after a data change) and applies to
    # whole-project renders only; the analysis cache is keyed by the data instead.
    assert "freeze" not in config(PROJECTS[name])["execute"]

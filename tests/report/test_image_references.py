"""Only figures the render produced reach report.html (as data: URIs) or report.docx (as copies): any
other image reference, whoever wrote it, stops the render with a message saying where it came from,
and nothing is written."""

from __future__ import annotations

import io
import os
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from imgshare.cli import main
from imgshare.report import ReportError, render_report
from imgshare.report._images import produced_image
from imgshare.report._pandoc import embed_images

from report.conftest import FIXTURE

EXPECTED = ("expected only figures the render produced itself (an image from anywhere else is never embedded "
            "in report.html or copied into report.docx)")
AUTHOR = "codebook and data text is always escaped, so this reference was written by the manuscript's author"


def tiny_project(tmp: Path, body: str, data_note: str | None = None) -> Path:
    """A one-file manuscript over the mini fixture's data (HTML and DOCX only: no Typst extension)."""
    project = tmp / "project"
    (project / "data").mkdir(parents=True)
    for name in ("codebook.yml", "survey.csv"):
        (project / "data" / name).write_bytes((FIXTURE / "data" / name).read_bytes())
    if data_note is not None:
        cb = yaml.safe_load((project / "data" / "codebook.yml").read_text())
        cb["study"]["data_note"] = data_note
        (project / "data" / "codebook.yml").write_text(yaml.safe_dump(cb, sort_keys=False, allow_unicode=True))
    (project / "_quarto.yml").write_text("project:\n  type: default\nexecute:\n  echo: false\n")
    (project / "report.qmd").write_text("---\ntitle: Images\n---\n\n" + body)
    return project


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    """A file outside every project: what an attacker would like the report to carry away."""
    path = tmp_path_factory.mktemp("elsewhere") / "secret.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET-1234</text></svg>')
    return path


def render_refused(project: Path, out: Path) -> str:
    with pytest.raises(ReportError) as info:
        render_report(project, out_dir=out, formats=("html", "docx"), quiet=True, engine="builtin", use_cache=False)
    assert not out.exists() or [p.name for p in out.iterdir()] == [], "nothing may be written"
    return str(info.value)


@pytest.mark.parametrize("reference", ["absolute", "parent", "url", "data", "percent"])
def test_image_written_in_the_manuscript_is_refused_at_its_line(reference, secret, tmp_path):
    url = {"absolute": str(secret), "parent": "../../" + secret.name, "url": "https://example.org/x.svg",
           "data": "data:image/svg+xml;base64,PHN2Zy8+", "percent": "figures/%2e%2e/x.svg"}[reference]
    project = tiny_project(tmp_path, f"Some text.\n\n![a picture]({url})\n")
    message = render_refused(project, tmp_path / "out")
    assert message == f"report.qmd:7: image {url!r} is outside the render's own folder; {EXPECTED}; {AUTHOR}"


def test_image_printed_by_a_cell_is_refused_as_cell_output(secret, tmp_path):
    body = ("```{python}\nclass Md:\n    def _repr_markdown_(self):\n"
            f"        return '![x](' + {str(secret.parent)!r} + '/' + 'secret.svg)'\nMd()\n```\n")
    message = render_refused(tiny_project(tmp_path, body), tmp_path / "out")
    assert message == (f"image {str(secret)!r} in the output of a code cell is outside the render's own folder; "
                       f"{EXPECTED}; {AUTHOR} (a cell printed it as Markdown)")


def test_codebook_text_passed_on_unescaped_is_traced_to_its_key(secret, tmp_path):
    body = ("```{python}\nfrom imgshare.report import context\n"
            "note = context().load_codebook().study.data_note\n"
            "class Md:\n    def _repr_markdown_(self):\n        return note\nMd()\n```\n")
    project = tiny_project(tmp_path, body, data_note=f"See ![the data]({secret}) for details.")
    message = render_refused(project, tmp_path / "out")
    assert message == (f"codebook.yml: study.data_note: this codebook text holds the image reference {str(secret)!r}, "
                       f"and the manuscript inserted it as Markdown without escaping; {EXPECTED}. imgshare escapes "
                       "codebook text, so only the manuscript's author can have turned it into an image: insert it "
                       "with imgshare's text functions")


def test_refusal_through_the_cli_is_exit_2_one_line_and_no_traceback(secret, tmp_path, monkeypatch):
    project = tiny_project(tmp_path, f"![x]({secret})\n")
    monkeypatch.chdir(project)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["report", "--to", "html,docx", "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert err.getvalue().strip() == f"report.qmd:5: image {str(secret)!r} is outside the render's own folder; {EXPECTED}; {AUTHOR}"
    assert not [p for p in (tmp_path / "out").iterdir()]


def test_figures_the_render_made_are_still_embedded_and_copied(tmp_path):
    body = ("```{python}\n#| label: fig-one\n#| fig-cap: One bar\n#| fig-alt: A single bar.\n"
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(['a'], [1])\n```\n")
    result = render_report(tiny_project(tmp_path, body), out_dir=tmp_path / "out", formats=("html", "docx"),
                           quiet=True, engine="builtin", use_cache=False)
    html = result.outputs["html"].read_text()
    assert "data:image/svg+xml;base64," in html
    with zipfile.ZipFile(result.outputs["docx"]) as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")]


def test_symlink_inside_the_render_folder_pointing_out_is_refused(secret, tmp_path):
    build = tmp_path / "build"
    (build / "figures").mkdir(parents=True)
    (build / "figures" / "ok.svg").write_text("<svg/>")
    os.symlink(secret, build / "figures" / "link.svg")
    assert produced_image("figures/ok.svg", build) == (build / "figures" / "ok.svg").resolve()
    assert produced_image("figures/link.svg", build) is None
    with pytest.raises(ReportError, match=r"^image 'figures/link.svg' in the output of a code cell is outside"):
        embed_images({"t": "Image", "c": [["", [], []], [], ["figures/link.svg", ""]]}, build)


@pytest.mark.parametrize("url", ["figures/x.py", "figures/", "", "figures\\x.svg", "C:/x.svg", "~/x.svg",
                                 "./figures/ok.svg", "figures/ok.svg?x", "figures/ok.svg#x"])
def test_anything_but_a_plain_relative_image_path_is_not_produced(url, tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "ok.svg").write_text("<svg/>")
    (tmp_path / "figures" / "x.py").write_text("")
    assert produced_image(url, tmp_path) is None

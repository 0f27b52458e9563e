"""Cell execution: output kinds, options and the namespace shared by cells and inline code."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.report._assemble import assemble
from imgshare.report._execute import execute_document
from imgshare.report._source import read_document


def run(tmp_path: Path, body: str):
    if not (tmp_path / "_quarto.yml").exists():
        (tmp_path / "_quarto.yml").write_text("execute:\n  echo: false\n")
    (tmp_path / "doc.qmd").write_text(body)
    doc = read_document(tmp_path / "doc.qmd", tmp_path)
    execution = execute_document(doc, tmp_path / "figs")
    return execution, assemble(doc, execution).markdown


def test_cells_and_inline_code_share_one_namespace_in_document_order(tmp_path):
    execution, md = run(tmp_path, "```{python}\nx = 2\n```\n\nx is `{python} x`.\n\n```{python}\nx = 5\n```\n\n"
                                  "now `{python} x`.\n")
    assert execution.inline == ("2", "5")
    assert "x is 2." in md and "now 5." in md


def test_printed_output_is_verbatim_unless_asis(tmp_path):
    _, md = run(tmp_path, "```{python}\nprint('**a**')\n```\n\n```{python}\n#| output: asis\nprint('**b**')\n```\n")
    assert "``` {.cell-output}\n**a**\n```" in md
    assert "\n**b**\n" in md and "{.cell-output}\n**b**" not in md


def test_echo_shows_code_and_output_false_hides_results(tmp_path):
    _, md = run(tmp_path, "```{python}\n#| echo: true\n#| output: false\nprint('hidden')\n```\n")
    assert "``` {.python .cell-code}\nprint('hidden')\n```" in md
    assert "cell-output" not in md and md.count("hidden") == 1


def test_echo_default_comes_from_execute_options(tmp_path):
    _, md = run(tmp_path, "```{python}\n1 + 1\n```\n")
    assert "cell-code" not in md and "2" in md
    (tmp_path / "_quarto.yml").write_text("execute:\n  echo: true\n")
    _, md = run(tmp_path, "```{python}\n1 + 1\n```\n")
    assert "``` {.python .cell-code}\n1 + 1\n```" in md


def test_display_shows_several_outputs_and_repr_markdown_is_markdown(tmp_path):
    body = ("```{python}\nclass M:\n    def _repr_markdown_(self):\n        return '*m*'\n"
            "display(M())\ndisplay('plain')\nM()\n```\n")
    execution, md = run(tmp_path, body)
    kinds = [o["kind"] for o in execution.cells[0]]
    assert kinds == ["markdown", "text", "markdown"]
    assert md.count("*m*") == 2 and "'plain'" in md


def test_figures_are_saved_as_svg_and_png_at_the_requested_size(tmp_path):
    body = ("```{python}\n#| label: fig-a\n#| fig-cap: A\n#| fig-alt: alt\n#| fig-width: 3\n#| fig-height: 2\n"
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nfig\n```\n")
    execution, md = run(tmp_path, body)
    (out,) = execution.cells[0]
    # A matplotlib figure is drawn once: only plotnine plots are redrawn for phones.
    assert out == {"kind": "figure", "stem": "fig-a", "width": 3.0, "height": 2.0, "phone": False}
    from PIL import Image

    with Image.open(tmp_path / "figs" / "fig-a.png") as im:
        assert im.size == (900, 600)  # 3 x 2 inches at 300 dpi
    assert (tmp_path / "figs" / "fig-a.svg").read_text().startswith("<?xml")
    assert '::::: {#fig-a .imgshare-figure data-stem="fig-a"}' in md


def test_plotnine_plots_are_figures(tmp_path):
    body = ("```{python}\n#| label: fig-p\n#| fig-cap: P\n#| fig-alt: alt\nimport pandas as pd\n"
            "from plotnine import ggplot, aes, geom_point\n"
            "ggplot(pd.DataFrame({'x': [1, 2], 'y': [2, 1]}), aes('x', 'y')) + geom_point()\n```\n")
    execution, _ = run(tmp_path, body)
    assert execution.cells[0][0]["kind"] == "figure"
    assert (tmp_path / "figs" / "fig-p.png").stat().st_size > 0


def test_plotnine_plots_wider_than_a_phone_are_also_drawn_at_phone_width(tmp_path):
    import re

    body = ("```{python}\n#| label: fig-p\n#| fig-cap: P\n#| fig-alt: alt\n#| fig-width: 6.3\n#| fig-height: 3\n"
            "import pandas as pd\nfrom plotnine import ggplot, aes, geom_point\n"
            "ggplot(pd.DataFrame({'x': [1, 2], 'y': [2, 1]}), aes('x', 'y')) + geom_point()\n```\n")
    execution, _ = run(tmp_path, body)
    assert execution.cells[0][0]["phone"] is True
    svg = (tmp_path / "figs" / "fig-p.phone.svg").read_text()
    width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    assert (width, height) == pytest.approx((4.0 * 72, 3 * 1.15 * 72))


def test_a_fixed_layout_plot_is_not_redrawn_for_phones(tmp_path):
    body = ("```{python}\n#| label: fig-p\n#| fig-cap: P\n#| fig-alt: alt\n#| fig-width: 6.3\n"
            "import pandas as pd\nfrom plotnine import ggplot, aes, geom_point\nfrom imgshare.figures import fixed_layout\n"
            "fixed_layout(ggplot(pd.DataFrame({'x': [1, 2], 'y': [2, 1]}), aes('x', 'y')) + geom_point())\n```\n")
    execution, _ = run(tmp_path, body)
    assert execution.cells[0][0]["phone"] is False
    assert not (tmp_path / "figs" / "fig-p.phone.svg").exists()


def test_svg_figures_are_byte_identical_across_runs(tmp_path):
    body = ("```{python}\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 3])\nfig\n```\n")
    run(tmp_path, body)
    first = (tmp_path / "figs" / "cell-1.svg").read_bytes()
    run(tmp_path, body)
    assert (tmp_path / "figs" / "cell-1.svg").read_bytes() == first

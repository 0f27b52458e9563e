"""Exhibit figures left to the built-in engine's workers: the same files as figures drawn in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.report._deferred import PendingFigure, deferring
from imgshare.report._execute import _save_figure, execute_document
from imgshare.report._exhibit import draw_figure
from imgshare.report._source import read_document


@pytest.fixture(scope="module")
def plot():
    from imgshare.figures import paired_likert
    from imgshare.figures._examples import example_pair

    counts, tests, codebook = example_pair()
    return paired_likert(counts, tests, codebook, "x_vs_y")


def test_outside_the_engine_a_figure_is_drawn_at_once(plot):
    from matplotlib.figure import Figure

    assert isinstance(draw_figure(plot, 120, 60), Figure)


def test_inside_the_engine_the_figure_waits_with_its_size(plot):
    with deferring():
        pending = draw_figure(plot, 200, 60)  # width capped at the print width, 160 mm
    assert isinstance(pending, PendingFigure) and pending._imgshare_pending_() is not None
    assert pending.get_size_inches().round(4).tolist() == [round(160 / 25.4, 4), round(60 / 25.4, 4)]


def test_a_pending_figure_saved_by_a_worker_is_byte_identical_to_one_drawn_in_place(plot, tmp_path):
    from imgshare._forked import ForkedJobs

    drawn = draw_figure(plot, 120, 60)
    width, height = (float(v) for v in drawn.get_size_inches())
    _save_figure(drawn, tmp_path / "in_place", "fig", width, height)
    with deferring():
        pending = draw_figure(plot, 120, 60)
    with ForkedJobs(workers=2) as jobs:
        _save_figure(pending, tmp_path / "worker", "fig", width, height, jobs)
    for ext in ("svg", "png", "phone.svg"):
        assert (tmp_path / "worker" / f"fig.{ext}").read_bytes() == (tmp_path / "in_place" / f"fig.{ext}").read_bytes()


def test_using_a_pending_figure_in_a_cell_draws_it_there(plot):
    with deferring():
        pending = draw_figure(plot, 120, 60)
    assert len(pending.axes) >= 1  # a Figure attribute: drawn here, once
    assert pending._imgshare_pending_() is None and pending.figure() is pending.figure()


def test_a_document_showing_exhibit_figures_gets_every_figure_file(tmp_path):
    (tmp_path / "_quarto.yml").write_text("execute:\n  echo: false\n")
    (tmp_path / "doc.qmd").write_text(
        "```{python}\n#| label: fig-a\n#| fig-cap: A\n"
        "from imgshare.figures import paired_likert\nfrom imgshare.figures._examples import example_pair\n"
        "from imgshare.report._exhibit import draw_figure\n"
        "counts, tests, codebook = example_pair()\n"
        "draw_figure(paired_likert(counts, tests, codebook, 'x_vs_y'), 120, 60)\n```\n\n"
        "```{python}\n#| label: fig-b\n#| fig-cap: B\n"
        "draw_figure(paired_likert(counts, tests, codebook, 'x_vs_y'), 100, 50)\n```\n")
    doc = read_document(tmp_path / "doc.qmd", tmp_path)
    execution = execute_document(doc, tmp_path / "figs")
    names = sorted(p.name for p in (tmp_path / "figs").iterdir())
    # fig-a is wider than a phone (4 in), so it is also drawn at phone width; fig-b is not.
    assert names == ["fig-a.phone.svg", "fig-a.png", "fig-a.svg", "fig-b.png", "fig-b.svg"]
    sizes = [o for cell in execution.cells for o in cell if o["kind"] == "figure"]
    assert [round(o["width"] * 25.4) for o in sizes] == [120, 100]

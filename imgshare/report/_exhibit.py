"""Exhibits (tables and figures from :mod:`imgshare.exhibits`) as cell outputs.

Two ways to show one, for the two kinds of manuscript:

* in a cell that carries its own ``label`` and ``tbl-cap`` / ``fig-cap`` (the study manuscript),
  :func:`show` returns the BARE exhibit: a :class:`MultiFormat` table without caption or label
  (the cell owns both), or a matplotlib figure drawn at the exhibit's size;
* in a document whose exhibits depend on the codebook (the generic manuscript),
  :func:`labelled` returns an object that carries its own label and caption, so one cell can
  show any number of cross-referenceable exhibits. Under Quarto these objects print Quarto's
  own syntax (a ``{#tbl-...}`` div with the caption as last paragraph, an image with a
  ``{#fig-...}`` id), so both engines number and link them alike.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._formats import MultiFormat, multiformat_markdown
from ..escape import markdown as md_escape

__all__ = ["show", "bare_table", "table_formats", "draw_figure", "labelled", "LabelledTable", "LabelledFigure",
           "PRINT_WIDTH_MM", "quarto_figure_extension", "honour_quarto_figure_format"]

#: Attribute of a drawn figure holding the plotnine plot it was drawn from.
PLOT_ATTR = "imgshare_plot"
#: Widest figure drawn: A4 less the manuscript's margins, so print shows fonts at their set size.
PRINT_WIDTH_MM = 160.0
_MM_PER_INCH = 25.4


def table_formats(spec: Any, *, html_id: str | None = None) -> dict[str, str]:
    """A :class:`~imgshare.tables.TableSpec` as bare HTML, Typst and Markdown (no caption, no label).

    The HTML table's id defaults to ``<label>-table``: the cell or div around it already
    uses the label itself as its id.
    """
    from ..tables import to_html, to_markdown, to_typst

    return {
        "html": to_html(spec, title=False, table_id=html_id or f"{spec.label}-table"),
        "typst": to_typst(spec, figure=False),
        "markdown": to_markdown(spec, caption=False),
    }


def bare_table(spec: Any) -> MultiFormat:
    """A table for a cell with its own ``label`` and ``tbl-cap``: each format natively, uncaptioned."""
    f = table_formats(spec)
    return MultiFormat(f["html"], f["typst"], f["markdown"])


def draw_figure(plot: Any, width_mm: float, height_mm: float, max_width_mm: float = PRINT_WIDTH_MM):
    """Draw a plotnine plot to a matplotlib figure of the given print size (width capped).

    The figure is closed in pyplot before it is returned: Jupyter (under Quarto) would otherwise
    show it a second time at the end of the cell. A closed figure still saves and displays.
    """
    from ._deferred import PendingFigure, draw_plot, drawing_deferred

    width = min(float(width_mm), float(max_width_mm)) / _MM_PER_INCH
    height = float(height_mm) / _MM_PER_INCH
    if drawing_deferred():  # the built-in engine draws it in a worker (see _deferred)
        return PendingFigure(plot, width, height)
    return draw_plot(plot, width, height)


def show(exhibit: Any):
    """The bare exhibit for a cell that owns label and caption: a table or a figure."""
    if exhibit.kind == "table":
        return bare_table(exhibit.obj)
    honour_quarto_figure_format(os.environ)
    return draw_figure(exhibit.obj, exhibit.width_mm, exhibit.height_mm)


def honour_quarto_figure_format(env: Mapping[str, str]) -> bool:
    """In a Quarto kernel asked for SVG figures, make matplotlib display them as SVG.

    Quarto's setup cell sets the inline format from ``fig-format``, but Quarto releases before
    1.7.32 call ``IPython.display.set_matplotlib_formats``, which IPython 9 removed: the call
    fails silently and figures stay fixed-size PNGs. ``QUARTO_FIG_FORMAT`` (set by every Quarto
    in the kernel's environment) says what was asked for. Returns whether the format was set;
    outside an IPython kernel (the built-in engine) nothing is touched.

    Examples
    --------
    >>> honour_quarto_figure_format({})
    False
    """
    if env.get("QUARTO_FIG_FORMAT", "").strip().lower() != "svg":
        return False
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return False
    if get_ipython() is None:
        return False
    set_matplotlib_formats("svg")
    return True


@dataclass(frozen=True)
class LabelledTable:
    """A table that brings its own cross-reference label and caption (plain text)."""

    label: str
    caption: str
    formats: Mapping[str, str]

    def _imgshare_labelled_(self) -> dict:
        return {"kind": "table", "label": self.label, "caption": md_escape(self.caption),
                "markdown": multiformat_markdown(self.formats)}

    def _repr_markdown_(self) -> str:
        # Quarto's table div: the content, then the caption as the div's last paragraph.
        return f"::::: {{#{self.label}}}\n{multiformat_markdown(self.formats)}\n{md_escape(self.caption)}\n:::::\n"


@dataclass(frozen=True, eq=False)
class LabelledFigure:
    """A drawn figure that brings its own cross-reference label, caption and alternative text."""

    label: str
    caption: str
    alt: str
    figure: Any = field(repr=False)

    def _imgshare_labelled_(self) -> dict:
        width, height = (float(v) for v in self.figure.get_size_inches())
        return {"kind": "figure", "label": self.label, "caption": md_escape(self.caption), "alt": self.alt,
                "figure": self.figure, "width": width, "height": height}

    def _repr_markdown_(self) -> str:
        # Under Quarto: save next to the document and refer to the file with Quarto's figure syntax,
        # in the format this render's `fig-format` asks for (SVG in the manuscript's HTML).
        ext = quarto_figure_extension(os.environ)
        folder = Path("figures")
        folder.mkdir(exist_ok=True)
        meta = {"Date": None} if ext == "svg" else {"Software": None}
        self.figure.savefig(folder / f"{self.label}.{ext}", dpi=300, metadata=meta)
        alt = self.alt.replace("\\", "\\\\").replace('"', '\\"')
        return f'![{md_escape(self.caption)}](figures/{self.label}.{ext}){{#{self.label} fig-alt="{alt}"}}\n'


def quarto_figure_extension(env: Mapping[str, str]) -> str:
    """``svg`` when Quarto's kernel asks for SVG figures (``QUARTO_FIG_FORMAT``), else ``png``.

    Quarto sets ``QUARTO_FIG_FORMAT`` from the format's ``fig-format`` (png, jpeg, svg or pdf);
    Typst cannot place a PDF image and JPEG blurs line art, so anything but SVG is a 300-dpi PNG.

    Examples
    --------
    >>> quarto_figure_extension({"QUARTO_FIG_FORMAT": "svg"}), quarto_figure_extension({})
    ('svg', 'png')
    """
    return "svg" if env.get("QUARTO_FIG_FORMAT", "").strip().lower() == "svg" else "png"


def labelled(exhibit: Any) -> LabelledTable | LabelledFigure:
    """An exhibit as a self-labelled output (label, caption and alt text from the exhibit)."""
    if exhibit.kind == "table":
        return LabelledTable(exhibit.label, exhibit.caption, table_formats(exhibit.obj))
    fig = draw_figure(exhibit.obj, exhibit.width_mm, exhibit.height_mm)
    return LabelledFigure(exhibit.label, exhibit.caption, exhibit.alt or exhibit.caption, fig)

"""Writing figures to disk: deterministic bytes, written atomically."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from plotnine import ggplot, theme

from ._errors import FigureError

__all__ = ["save_figure", "deterministic_rc", "FORMATS"]

FORMATS = ("png", "svg")
_MM_PER_INCH = 25.4
# Fixed rather than random so that SVG element ids, and therefore the file, repeat exactly.
_SVG_SALT = "imgshare"
_METADATA = {
    # PNG text chunks: matplotlib writes its version as Software unless told otherwise.
    "png": {"Software": "imgshare"},
    # SVG: no creation date, a fixed creator.
    "svg": {"Date": None, "Creator": "imgshare"},
}


@contextmanager
def deterministic_rc() -> Iterator[None]:
    """Within the block, matplotlib writes the same bytes for the same figure.

    Sets the SVG id salt and renders SVG text as paths (no dependence on fonts installed where
    the SVG is viewed); the previous settings are restored on exit.
    """
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT, "svg.fonttype": "path", "svg.id": None}):
        yield


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_figure(
    plot: ggplot,
    path_stem: str | os.PathLike,
    width_mm: float,
    height_mm: float,
    dpi: int = 300,
    formats: tuple[str, ...] = FORMATS,
) -> dict[str, Path]:
    """Save ``plot`` as PNG and SVG at a print size, byte-identically on every run.

    The plot is drawn once; each file is written to a temporary file in the target folder and
    moved into place, so a reader never sees a half-written figure. ``plot`` is not modified.

    Parameters
    ----------
    plot : plotnine.ggplot
        The figure.
    path_stem : path
        Output path without extension: ``out/fig1`` writes ``out/fig1.png`` and ``out/fig1.svg``.
        The folder must exist.
    width_mm, height_mm : float
        Print size in millimetres (journal columns: 85 mm single, 175 mm double).
    dpi : int
        Resolution of the PNG.
    formats : tuple of str
        Which of "png" and "svg" to write.

    Returns
    -------
    dict[str, Path]
        Format -> path written.

    Examples
    --------
    >>> import tempfile
    >>> from imgshare.figures._examples import example_pair
    >>> from imgshare.figures import paired_likert
    >>> counts, tests, codebook = example_pair()
    >>> plot = paired_likert(counts, tests, codebook, "x_vs_y")
    >>> with tempfile.TemporaryDirectory() as out:
    ...     written = save_figure(plot, Path(out) / "fig", 85, 40)
    ...     sorted(p.name for p in written.values())
    ['fig.png', 'fig.svg']
    """
    if not isinstance(plot, ggplot):
        raise FigureError(f"save_figure needs a plotnine ggplot, found {type(plot).__name__}")
    for fmt in formats:
        if fmt not in FORMATS:
            raise FigureError(f"unknown figure format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    if not (width_mm > 0 and height_mm > 0):
        raise FigureError(f"figure size must be positive, found {width_mm} x {height_mm} mm")
    if not (isinstance(dpi, int) and dpi > 0):
        raise FigureError(f"dpi must be a positive whole number, found {dpi!r}")
    stem = Path(path_stem)
    if not stem.parent.is_dir():
        raise FigureError(f"cannot save figure: folder '{stem.parent}' does not exist")

    sized = plot + theme(figure_size=(width_mm / _MM_PER_INCH, height_mm / _MM_PER_INCH), dpi=dpi)
    written: dict[str, Path] = {}
    with deterministic_rc():
        figure = sized.draw()
        try:
            with matplotlib.rc_context(sized.theme.rcParams):
                for fmt in formats:
                    buf = io.BytesIO()
                    figure.savefig(buf, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
                    target = stem.with_name(f"{stem.name}.{fmt}")
                    _write_atomic(target, buf.getvalue())
                    written[fmt] = target
        finally:
            plt.close(figure)
    return written

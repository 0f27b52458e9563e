"""Figures drawn later, elsewhere: the built-in engine draws exhibit figures in its workers.

Drawing a plotnine plot takes most of a second. While the built-in engine runs a document
(inside :func:`deferring`), :func:`imgshare.report._exhibit.draw_figure` returns a
:class:`PendingFigure` instead of drawing: the engine hands the plot to a forked worker that
draws and saves it while the next cells run. Outside the engine (Quarto's Jupyter kernel, a
script) nothing is deferred and a real matplotlib figure comes back, as before.

A pending figure stands in for the figure it will become: any attribute of
:class:`matplotlib.figure.Figure` is answered by drawing it here first (once), so code that
inspects a figure still works.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["PendingFigure", "deferring", "drawing_deferred", "draw_plot"]

_DEFERRED: ContextVar[bool] = ContextVar("imgshare_deferred_figures", default=False)


def drawing_deferred() -> bool:
    """Whether figures may be left for the engine to draw (inside :func:`deferring`)."""
    return _DEFERRED.get()


@contextmanager
def deferring() -> Iterator[None]:
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def draw_plot(plot: Any, width_in: float, height_in: float):
    """Draw ``plot`` to a matplotlib figure of the given size in inches, closed in pyplot.

    The figure is closed before it is returned: Jupyter (under Quarto) would otherwise show it a
    second time at the end of the cell. A closed figure still saves and displays.
    """
    import matplotlib.pyplot as plt
    from plotnine import theme

    from ._exhibit import PLOT_ATTR

    fig = (plot + theme(figure_size=(width_in, height_in))).draw()
    fig.set_size_inches(width_in, height_in)
    # The engine draws the plot again at phone width for the HTML (see _execute); Quarto ignores it.
    setattr(fig, PLOT_ATTR, plot)
    plt.close(fig)
    return fig


class PendingFigure:
    """A plot at its print size (inches), drawn on first use.

    Examples
    --------
    >>> pending = PendingFigure(plot=None, width_in=6.0, height_in=4.0)
    >>> pending.get_size_inches().tolist()
    [6.0, 4.0]
    """

    def __init__(self, plot: Any, width_in: float, height_in: float):
        self._plot = plot
        self._size = (float(width_in), float(height_in))
        self._figure = None

    @property
    def plot(self) -> Any:
        """The plotnine plot this figure is drawn from."""
        return self._plot

    def _imgshare_pending_(self) -> tuple[Any, float, float] | None:
        """(plot, width, height) while undrawn; None once drawn here (then use :meth:`figure`)."""
        return None if self._figure is not None else (self._plot, *self._size)

    def get_size_inches(self):
        import numpy as np

        return np.array(self._size)

    def figure(self):
        """The drawn matplotlib figure (drawn here, once, on first call)."""
        if self._figure is None:
            self._figure = draw_plot(self._plot, *self._size)
        return self._figure

    def __getattr__(self, name: str):
        if name.startswith("_"):  # protocol probes (_repr_*_, _imgshare_*_) must not draw
            raise AttributeError(name)
        return getattr(self.figure(), name)

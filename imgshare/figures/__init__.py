"""Journal figures as plotnine grammar objects, returned unsaved, plus a deterministic export.

Every builder takes the analysis layer's tidy frames and the codebook (for labels) and returns a
``plotnine.ggplot``; :func:`save_figure` writes it as PNG and SVG at a print size.
"""

from ._diverging import diverging_data, diverging_likert
from ._errors import FigureError
from ._export import deterministic_rc, save_figure
from ._palette import NEUTRAL_GREY, likert_palette
from ._theme import DOUBLE_COLUMN_MM, FONT_FAMILY, SINGLE_COLUMN_MM, theme_journal

__all__ = [
    "diverging_data",
    "diverging_likert",
    "FigureError",
    "save_figure",
    "deterministic_rc",
    "likert_palette",
    "NEUTRAL_GREY",
    "theme_journal",
    "FONT_FAMILY",
    "SINGLE_COLUMN_MM",
    "DOUBLE_COLUMN_MM",
]

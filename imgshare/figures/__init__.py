"""Journal figures as plotnine grammar objects, returned unsaved, plus a deterministic export.

Every builder takes the analysis layer's tidy frames and the codebook (for labels) and returns a
``plotnine.ggplot``; the ``*_data`` / ``*_layout`` functions return the numbers each figure draws,
so they can be checked. :func:`save_figure` writes a figure as PNG and SVG at a print size.
"""

from ._common import fixed_layout, is_fixed_layout
from ._diverging import diverging_data, diverging_likert
from ._domain import domain_agreement_data, domain_agreement_plot, group_greys
from ._errors import FigureError
from ._export import deterministic_rc, save_figure
from ._flow import flow_layout, participant_flow_plot
from ._paired import paired_data, paired_likert
from ._siblings import sibling_layout
from ._palette import NEUTRAL_GREY, likert_palette
from ._theme import DOUBLE_COLUMN_MM, FONT_FAMILY, SINGLE_COLUMN_MM, theme_journal

__all__ = [
    "diverging_data",
    "diverging_likert",
    "sibling_layout",
    "paired_data",
    "paired_likert",
    "domain_agreement_data",
    "domain_agreement_plot",
    "flow_layout",
    "participant_flow_plot",
    "save_figure",
    "deterministic_rc",
    "theme_journal",
    "likert_palette",
    "group_greys",
    "NEUTRAL_GREY",
    "FONT_FAMILY",
    "SINGLE_COLUMN_MM",
    "DOUBLE_COLUMN_MM",
    "FigureError",
    "fixed_layout",
    "is_fixed_layout",
]

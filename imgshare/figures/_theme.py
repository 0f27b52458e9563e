"""The house theme: journal typography that stays legible at column width.

BMJ-family journals print figures at about 85 mm (single column) or 175 mm (double column).
At those widths a 7-8 pt sans-serif is the smallest comfortable size, so the theme is built
around an 8 pt base. The font is DejaVu Sans because matplotlib ships it: a figure renders
identically on every machine instead of silently falling back to whatever fonts are installed.
"""

from __future__ import annotations

from plotnine import element_blank, element_line, element_rect, element_text, theme, theme_minimal

__all__ = ["theme_journal", "FONT_FAMILY", "SINGLE_COLUMN_MM", "DOUBLE_COLUMN_MM", "INK", "MUTED"]

FONT_FAMILY = "DejaVu Sans"
SINGLE_COLUMN_MM = 85.0
DOUBLE_COLUMN_MM = 175.0
#: Near-black for text and rules: full black looks heavier in print than the bars it labels.
INK = "#222222"
#: Secondary text (captions, annotations) and reference lines.
MUTED = "#595959"
_GRID = "#e3e3e3"


class theme_journal(theme_minimal):
    """A minimal publication theme with fixed fonts and print-sized text.

    Parameters
    ----------
    base_size : float
        Size in points of titles and axis titles; tick labels, legend and strip text are
        derived from it (7/8 of it) and the caption is smaller again.

    Examples
    --------
    >>> from plotnine import ggplot, aes, geom_point
    >>> import pandas as pd
    >>> p = ggplot(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), aes("x", "y")) + geom_point()
    >>> p = p + theme_journal()
    """

    def __init__(self, base_size: float = 8.0):
        super().__init__(base_size=base_size, base_family=FONT_FAMILY)
        small = base_size * 7 / 8
        self += theme(
            text=element_text(family=FONT_FAMILY, color=INK, size=base_size),
            axis_text=element_text(size=small, color=INK),
            axis_title=element_text(size=base_size, color=INK),
            axis_ticks=element_blank(),
            panel_grid_major=element_line(color=_GRID, size=0.4),
            panel_grid_minor=element_blank(),
            panel_background=element_rect(fill="white", color="none"),
            plot_background=element_rect(fill="white", color="none"),
            legend_position="bottom",
            legend_title=element_blank(),
            legend_text=element_text(size=small, color=INK, ha="left", ma="left"),
            legend_key_size=8,
            legend_key_spacing_x=6,
            strip_text=element_text(size=small, color=INK, weight="bold"),
            strip_background=element_blank(),
            plot_title=element_text(size=base_size + 1, weight="bold", ha="left"),
            plot_caption=element_text(size=base_size * 0.8, color=MUTED, ha="left", style="italic"),
            plot_margin=0.02,
            dpi=300,
        )
        # Only DejaVu Sans may be chosen: plotnine's default list tries Helvetica first, which
        # would make output depend on the machine. Item wording is user text, so a "$" in it
        # must print as a dollar sign, not start matplotlib mathtext.
        self._rcParams["font.family"] = ["sans-serif"]
        self._rcParams["font.sans-serif"] = [FONT_FAMILY]
        self._rcParams["text.parse_math"] = False

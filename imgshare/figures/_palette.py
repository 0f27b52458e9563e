"""Colour-blind-safe diverging colours for a Likert scale of any length."""

from __future__ import annotations

import matplotlib
from matplotlib.colors import to_hex
from mizani.palettes import brewer_pal

from ..codebook import Scale
from ._errors import FigureError

__all__ = ["likert_palette", "NEUTRAL_GREY", "PALETTES"]

#: ColorBrewer diverging schemes that stay distinguishable under the common colour-vision deficiencies.
PALETTES = ("BrBG", "RdBu")
#: Neutral answers are neither side, so they get no hue: a light grey still visible on white.
NEUTRAL_GREY = "#cfcfcf"
# ColorBrewer publishes diverging swatches of 3 to 11 colours; an even swatch of 2k colours
# gives k colours per side.
_MAX_SIDE = 5


def _sides(palette: str, k: int) -> tuple[list[str], list[str]]:
    """``k`` colours for the low (disagree) side, darkest first, and ``k`` for the high side,
    palest first."""
    if k == 0:
        return [], []
    if k == 1:
        # The 3-colour swatch's ends: mid-strength colours, not the pale ones next to the centre.
        low, _, high = brewer_pal(type="div", palette=palette)(3)
        return [low.lower()], [high.lower()]
    if k <= _MAX_SIDE:
        swatch = [c.lower() for c in brewer_pal(type="div", palette=palette)(2 * k)]
        return swatch[:k], swatch[k:]
    # Longer than ColorBrewer's tables: sample the interpolated ColorBrewer colour map from its
    # dark ends to just short of the pale centre (kept clear for contrast with the neutral grey).
    cmap = matplotlib.colormaps[palette]
    steps = [0.42 * i / (k - 1) for i in range(k)]
    return [to_hex(cmap(t)) for t in steps], [to_hex(cmap(0.58 + t)) for t in steps]


def likert_palette(scale: Scale, palette: str = "BrBG", neutral: str = NEUTRAL_GREY) -> dict[str, str]:
    """Map each level label of ``scale`` to a colour, in scale order.

    Disagree levels take the low side of the ColorBrewer scheme (darkest for the level furthest
    from the centre), agree levels the high side, neutral levels ``neutral``. The two sides are
    computed separately, so asymmetric scales (say three disagree and two agree levels) also get
    proper ColorBrewer sequences; sides longer than five levels are sampled from the
    interpolated scheme.

    Parameters
    ----------
    scale : Scale
        The codebook scale.
    palette : {"BrBG", "RdBu"}
        ColorBrewer diverging scheme.
    neutral : str
        Colour for neutral levels.

    Returns
    -------
    dict[str, str]
        Level label -> hex colour, ordered as the scale's levels.

    Examples
    --------
    >>> from imgshare.codebook import Level, Scale
    >>> s = Scale("a4", "4-point", tuple(Level(c, l) for c, l in
    ...     [(1, "SD"), (2, "D"), (3, "A"), (4, "SA")]), frozenset({3, 4}), frozenset(), frozenset({1, 2}))
    >>> likert_palette(s)
    {'SD': '#a6611a', 'D': '#dfc27d', 'A': '#80cdc1', 'SA': '#018571'}
    """
    if palette not in PALETTES:
        raise FigureError(f"unknown palette '{palette}' (expected one of: {', '.join(PALETTES)})")
    disagree = [lv for lv in scale.levels if lv.code in scale.disagree]
    agree = [lv for lv in scale.levels if lv.code in scale.agree]
    colours: dict[int, str] = {}
    colours.update(zip((lv.code for lv in disagree), _sides(palette, len(disagree))[0]))
    colours.update(zip((lv.code for lv in agree), _sides(palette, len(agree))[1]))
    return {lv.label: colours.get(lv.code, neutral) for lv in scale.levels}

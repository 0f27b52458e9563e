import matplotlib
import pytest
from figures.figdata import small_codebook

from imgshare.errors import ImgshareError
from imgshare.figures import FONT_FAMILY, NEUTRAL_GREY, likert_palette, theme_journal


def _lightness(hex_colour: str) -> float:
    r, g, b = matplotlib.colors.to_rgb(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_palette_is_in_scale_order_with_grey_neutral(study_cb):
    pal = likert_palette(study_cb.scales["agree5"])
    assert list(pal) == list(study_cb.scales["agree5"].labels)
    assert pal["Neither agree nor disagree"] == NEUTRAL_GREY


def test_palette_uses_colorbrewer_brbg_for_five_points(study_cb):
    pal = likert_palette(study_cb.scales["agree5"])
    assert [pal[k] for k in ("Strongly disagree", "Disagree", "Agree", "Strongly agree")] == [
        "#a6611a", "#dfc27d", "#80cdc1", "#018571"]


@pytest.mark.parametrize("n_side", [1, 2, 3, 4, 5, 6, 8])
def test_palette_sides_get_paler_towards_the_centre_for_any_length(n_side):
    levels = {k: f"L{k}" for k in range(1, 2 * n_side + 1)}
    cb = small_codebook(levels, agree=list(range(n_side + 1, 2 * n_side + 1)), disagree=list(range(1, n_side + 1)))
    pal = list(likert_palette(cb.scales["s"]).values())
    assert len(set(pal)) == 2 * n_side
    light = [_lightness(c) for c in pal]
    assert light[:n_side] == sorted(light[:n_side])  # disagree: darkest first
    assert light[n_side:] == sorted(light[n_side:], reverse=True)  # agree: darkest last


def test_asymmetric_scale_gets_distinct_colours(cb_asym):
    pal = likert_palette(cb_asym.scales["s"])
    assert len(set(pal.values())) == 5
    assert NEUTRAL_GREY not in pal.values()


def test_rdbu_palette_differs_from_brbg(study_cb):
    assert likert_palette(study_cb.scales["agree5"], "RdBu") != likert_palette(study_cb.scales["agree5"])


def test_unknown_palette_is_a_user_error(study_cb):
    with pytest.raises(ImgshareError, match="unknown palette 'Viridis'"):
        likert_palette(study_cb.scales["agree5"], "Viridis")


def test_theme_pins_the_bundled_font_and_disables_mathtext():
    rc = theme_journal().rcParams
    assert rc["font.sans-serif"] == [FONT_FAMILY]
    assert rc["text.parse_math"] is False
    assert "DejaVuSans" in matplotlib.font_manager.findfont(FONT_FAMILY)

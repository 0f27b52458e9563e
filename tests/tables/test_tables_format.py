"""Cell formatting: the text a journal prints for counts, percentages, p-values and intervals."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgshare.errors import ImgshareError
from imgshare.tables import (
    TableError,
    fmt_count,
    fmt_estimate_ci,
    fmt_n_pct,
    fmt_number,
    fmt_p,
    fmt_range,
    fmt_suppressed,
)


def test_n_pct_reproduces_paper_table_1_to_one_decimal():
    counts = {9: "9 (3.2%)", 86: "86 (30.5%)", 108: "108 (38.3%)", 27: "27 (9.6%)", 51: "51 (18.1%)", 1: "1 (0.4%)"}
    for n, text in counts.items():
        assert fmt_n_pct(n, 100 * n / 282) == text


def test_n_pct_with_two_decimals_rounds_where_the_paper_truncated():
    # The paper prints 30.49% and 38.29% for 86/282 = 30.496% and 108/282 = 38.298%: it truncated.
    # Rounding gives 30.50% and 38.30%; 9/282 = 3.191% agrees either way.
    assert [fmt_n_pct(n, 100 * n / 282, 2) for n in (9, 86, 108)] == ["9 (3.19%)", "86 (30.50%)", "108 (38.30%)"]


def test_n_pct_without_percent_sign_is_the_paper_table_2_style():
    assert fmt_n_pct(75, 100 * 75 / 282, percent_sign=False) == "75 (26.6)"
    assert fmt_n_pct(217, 100 * 217 / 267, percent_sign=False) == "217 (81.3)"


def test_n_pct_of_weighted_count_shows_its_decimals():
    assert fmt_n_pct(12.25, 40.8333) == "12.3 (40.8%)"
    assert fmt_count(12.0) == "12"


def test_n_pct_without_percentage_prints_the_count_only():
    assert fmt_n_pct(0, float("nan")) == "0"
    assert fmt_n_pct(None, 3.0) == ""


def test_number_rounds_half_away_from_zero_on_the_printed_value():
    assert fmt_number(2.675, 2) == "2.68"   # binary round() gives 2.67
    assert fmt_number(0.125, 2) == "0.13"
    assert fmt_number(-0.125, 2) == "\u22120.13"  # a true minus sign
    assert fmt_number(38.25, 1) == "38.3"


def test_number_never_prints_negative_zero():
    assert fmt_number(-0.0004, 3) == "0.000"
    assert fmt_number(-0.0, 1) == "0.0"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_number_is_within_half_a_unit_of_the_value(x, decimals):
    text = fmt_number(x, decimals).replace("\u2212", "-")
    assert len(text.split(".")[1]) == decimals if decimals else "." not in text
    assert abs(Decimal(text) - Decimal(repr(x))) <= Decimal(5).scaleb(-decimals - 1)


@pytest.mark.parametrize("fmt", [fmt_number, fmt_count, fmt_p, lambda v: fmt_n_pct(v, 1.0)])
@pytest.mark.parametrize("bad", ["abc", True, [1]])
def test_non_numbers_are_refused_with_a_table_error(fmt, bad):
    with pytest.raises(TableError, match="cannot format .* as a number"):
        fmt(bad)


def test_p_below_threshold_prints_less_than():
    assert fmt_p(0.00002) == "<0.001"
    assert fmt_p(0.0009999) == "<0.001"
    assert fmt_p(0.001) == "0.001"
    assert fmt_p(0.0496) == "0.050"
    assert fmt_p(1.0) == "1.000"
    assert fmt_p(0.004, decimals=2, threshold=0.01) == "<0.01"


@pytest.mark.parametrize("bad", [-0.1, 1.2, math.inf])
def test_p_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ImgshareError, match="p-value must lie between 0 and 1"):
        fmt_p(bad)


def test_estimate_with_interval_uses_to_between_bounds():
    assert fmt_estimate_ci(0.2134, 0.1, 0.309) == "0.21 (0.10 to 0.31)"
    assert fmt_estimate_ci(-0.12, -0.3, 0.05) == "\u22120.12 (\u22120.30 to 0.05)"
    assert fmt_estimate_ci(0.5, float("nan"), 0.7) == "0.50"
    assert fmt_estimate_ci(float("nan"), 0.1, 0.2) == ""


def test_range_of_missing_bounds_is_a_dash():
    assert fmt_range(0.525, 0.695, 3) == "0.525 to 0.695"
    assert fmt_range(None, 0.695) == "–"


def test_suppressed_marker_names_the_threshold():
    assert fmt_suppressed(5) == "<5"
    assert fmt_suppressed(10) == "<10"


@pytest.mark.parametrize("bad", [1, 0, 2.5, True, "5"])
def test_suppressed_threshold_must_be_a_whole_number_of_two_or_more(bad):
    with pytest.raises(TableError, match="small-cell threshold"):
        fmt_suppressed(bad)

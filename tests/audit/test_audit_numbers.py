"""How numbers print: rounding (either tie rule), truncation, and classifying a printed value."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from imgshare.audit._numbers import fit, format_number, interval, rounded, truncated


def test_an_exact_tie_rounds_either_way():
    assert rounded(12.5, 0) == {Decimal("12"), Decimal("13")}
    assert rounded(Fraction(3, 20), 1) == {Decimal("0.1"), Decimal("0.2")}


def test_a_float_just_below_a_decimal_tie_is_read_as_the_tie():
    # 0.15 is stored as 0.1499999...; papers computing 3/20 print 0.2 (half-up) as often as 0.1
    assert Decimal("0.2") in rounded(0.15, 1)


def test_truncation_cuts_toward_zero():
    assert truncated(30.4965, 2) == Decimal("30.49")
    assert truncated(-0.83226, 2) == Decimal("-0.83")


def test_86_of_282_printed_30_49_is_truncated():
    assert fit(Fraction(8600, 282), 30.49, 2) == "truncated"
    assert fit(Fraction(8600, 282), 30.50, 2) == "rounded"
    assert fit(Fraction(8600, 282), 30.48, 2) == "neither"


def test_a_value_with_nothing_to_cut_fits_both_ways():
    assert fit(Fraction(100, 4), 25, 0) == "rounded or truncated"


def test_trailing_zeros_are_kept_when_formatting():
    assert format_number(15.7, 2) == "15.70"
    assert format_number(-0.0001, 2) == "0.00"


def test_interval_of_a_rounded_and_a_truncated_print():
    assert interval(20, 0, "rounded") == (Decimal("19.5"), Decimal("20.5"))
    assert interval(20, 0, "truncated") == (Decimal("20"), Decimal("21"))


@given(st.integers(1, 2000), st.integers(0, 2000), st.integers(0, 3))
def test_a_share_always_fits_its_own_rounding_and_truncation(big_n, k, d):
    k = min(k, big_n)
    x = Fraction(100 * k, big_n)
    for printed in rounded(x, d):
        assert fit(x, printed, d) in ("rounded", "rounded or truncated")
    assert fit(x, truncated(x, d), d) in ("truncated", "rounded or truncated")

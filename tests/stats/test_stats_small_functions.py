"""p-value adjustment, Cronbach's alpha, Wilson interval, largest-remainder rounding, docstrings, API."""

import doctest
import importlib

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import imgshare.stats as core
from imgshare.stats import StatsInputError, adjust_pvalues, cronbach_alpha, largest_remainder, wilson_ci
from stats._stats_cases import call_quietly

RTOL = 1e-9

p_values = st.lists(st.floats(0, 1), min_size=1, max_size=40)


def direct_holm(p):
    """Holm written from the definition, independent of the sorted-cumulative implementation."""
    p = np.asarray(p)
    m = p.size
    out = np.empty(m)
    for i, pi in enumerate(p):
        # Adjusted p_(i) = max over j <= i of (m - j + 1) p_(j), 1-based ranks.
        out[i] = min(1.0, max((m - r) * q for r, q in enumerate(np.sort(p[p <= pi]))))
    return out


@settings(max_examples=300, deadline=None)
@given(p_values)
def test_holm_equals_the_definition(p):
    np.testing.assert_allclose(call_quietly(adjust_pvalues, p, "holm"), direct_holm(p), rtol=RTOL, atol=1e-15)


# statsmodels' multipletests takes ~50 ms a call, so it is checked on fixed families.
@pytest.mark.parametrize("seed", range(8))
def test_holm_equals_statsmodels(seed):
    rng = np.random.default_rng(seed)
    p = np.round(rng.random(3 + 5 * seed) ** 3, 2)  # rounding makes ties
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), multipletests(p, method="holm")[1], rtol=RTOL, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(p_values)
def test_benjamini_hochberg_equals_scipy_and_statsmodels(p):
    ours = call_quietly(adjust_pvalues, p, "fdr_bh")
    np.testing.assert_allclose(ours, stats.false_discovery_control(p), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(ours, multipletests(p, method="fdr_bh")[1], rtol=RTOL, atol=1e-15)


def test_bonferroni_multiplies_by_family_size_and_caps_at_one():
    np.testing.assert_allclose(adjust_pvalues([0.01, 0.2, 0.5], "bonferroni"), [0.03, 0.6, 1.0])


def test_missing_p_values_stay_missing_and_do_not_enlarge_the_family():
    out = adjust_pvalues([0.01, np.nan, 0.04], "holm")
    np.testing.assert_allclose(out, [0.02, np.nan, 0.04])


@pytest.mark.parametrize(("p", "method", "message"), [([0.5, 1.2], "holm", "between 0 and 1"), ([0.5], "sidak", "holm")])
def test_bad_p_values_or_method_raise(p, method, message):
    with pytest.raises(StatsInputError, match=message):
        adjust_pvalues(p, method)


def item_frame(rng, n, k, points, missing=0.0):
    latent = rng.normal(size=n)
    cols = {}
    for j in range(k):
        raw = latent + rng.normal(size=n)
        x = np.digitize(raw, np.quantile(raw, np.linspace(0, 1, points + 1)[1:-1])) + 1.0
        x[rng.random(n) < missing] = np.nan
        cols[f"q{j}"] = x
    return pd.DataFrame(cols)


@pytest.mark.parametrize(("n", "k", "points"), [(200, 4, 5), (57, 3, 4), (1000, 6, 7), (12, 2, 5)])
def test_cronbach_alpha_equals_pingouin(n, k, points):
    frame = item_frame(np.random.default_rng(n + k), n, k, points)
    alpha, ci = pg.cronbach_alpha(frame)
    res = call_quietly(cronbach_alpha, frame)
    np.testing.assert_allclose(res.alpha[0], alpha, rtol=RTOL)
    # pingouin rounds its CI to 3 decimals.
    assert [round(res.ci_low[0], 3), round(res.ci_high[0], 3)] == ci.tolist()
    assert res.n[0] == n and res.k[0] == k and res.n_incomplete[0] == 0


def test_cronbach_alpha_uses_complete_cases_like_pingouin_listwise():
    frame = item_frame(np.random.default_rng(3), 300, 4, 5, missing=0.05)
    complete = frame.dropna()
    res = cronbach_alpha(frame.astype("Float64").astype("Int64"))
    alpha_listwise, _ = pg.cronbach_alpha(frame, nan_policy="listwise")
    alpha_complete, ci_complete = pg.cronbach_alpha(complete)
    np.testing.assert_allclose(res.alpha[0], alpha_listwise, rtol=RTOL)
    assert [round(res.ci_low[0], 3), round(res.ci_high[0], 3)] == ci_complete.tolist()
    assert res.n[0] == len(complete) and res.n_incomplete[0] == len(frame) - len(complete)


def test_feldt_interval_unrounded_formula():
    frame = item_frame(np.random.default_rng(5), 80, 5, 5)
    res = cronbach_alpha(frame, confidence=0.9)
    a, n, k = res.alpha[0], 80, 5
    expected = [1 - (1 - a) * stats.f.ppf(0.95, n - 1, (n - 1) * (k - 1)), 1 - (1 - a) * stats.f.ppf(0.05, n - 1, (n - 1) * (k - 1))]
    np.testing.assert_allclose([res.ci_low[0], res.ci_high[0]], expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (pd.DataFrame({"a": [1, 2, 3]}), "1 item(s); at least 2 needed"),
        (pd.DataFrame({"a": [1, np.nan], "b": [2, 3]}), "1 complete case(s); at least 2 needed"),
        (pd.DataFrame({"a": [2, 2, 2], "b": [3, 3, 3]}), "total score is constant: alpha is undefined"),
    ],
)
def test_undefined_alpha_gives_nan_and_reason_without_warnings(frame, reason):
    res = call_quietly(cronbach_alpha, frame)
    assert np.isnan(res.alpha[0]) and res.reason[0] == reason


def test_cronbach_input_data_not_modified():
    frame = item_frame(np.random.default_rng(6), 40, 3, 5, missing=0.1)
    before = frame.copy()
    cronbach_alpha(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_ci_equals_statsmodels(level):
    k = np.array([0, 1, 7, 50, 99, 100, 3.5])
    n = np.array([10, 10, 20, 100, 100, 100, 8])
    low, high = proportion_confint(k, n, alpha=1 - level, method="wilson")
    res = call_quietly(wilson_ci, k, n, level)
    np.testing.assert_allclose(res.ci_low, low, rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.ci_high, high, rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.proportion, k / n)
    assert (res.reason == "").all()


def test_wilson_ci_of_zero_trials_is_nan_with_reason():
    res = call_quietly(wilson_ci, [0, 2], [0, 4])
    assert np.isnan(res.ci_low[0]) and res.reason[0] == "n = 0: proportion undefined"
    assert res.reason[1] == ""


@pytest.mark.parametrize(("k", "n", "message"), [(5, 3, "0 <= k <= n"), ([1, 2], [3, 4, 5], "do not match"), (1, 2, None)])
def test_wilson_ci_validates_counts(k, n, message):
    if message is None:
        assert len(wilson_ci(k, n)) == 1
    else:
        with pytest.raises(StatsInputError, match=message):
            wilson_ci(k, n)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12).filter(lambda c: sum(c) > 0), st.integers(0, 3))
def test_largest_remainder_sums_to_exactly_100_and_moves_no_value_by_a_unit(counts, decimals):
    out = call_quietly(largest_remainder, counts, decimals)
    units = np.rint(out * 10**decimals).astype(np.int64)
    assert units.sum() == 100 * 10**decimals
    np.testing.assert_allclose(out, units / 10**decimals)
    exact = np.array(counts) * 100 / sum(counts)
    assert (np.abs(out - exact) < 10.0**-decimals + 1e-9).all()


def test_largest_remainder_keeps_exact_shares_and_handles_weights():
    assert largest_remainder([1, 1, 2]).tolist() == [25.0, 25.0, 50.0]
    assert largest_remainder([1, 1, 1], decimals=1).tolist() == [33.4, 33.3, 33.3]
    assert largest_remainder([0.5, 1.5]).tolist() == [25.0, 75.0]
    assert np.isnan(largest_remainder([0, 0])).all()


@pytest.mark.parametrize(("counts", "decimals", "message"), [([1, -1], 0, "non-negative"), ([1, 2], -1, "decimals"), ([1, 2], 1.5, "decimals")])
def test_largest_remainder_rejects_bad_input(counts, decimals, message):
    with pytest.raises(StatsInputError, match=message):
        largest_remainder(counts, decimals)


MODULES = ["_counts", "_correlation", "_mannwhitney", "_kruskal", "_pvalues", "_reliability", "_proportions",
           "_fromtables"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"imgshare.stats.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_public_api_is_explicit_and_documented():
    public = {name for name in dir(core) if not name.startswith("_")}
    assert public == set(core.__all__)
    for name in core.__all__:
        obj = getattr(core, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


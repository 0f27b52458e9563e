"""Mann-Whitney U from level counts equals scipy.stats.mannwhitneyu (and pingouin's effect sizes)."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from imgshare.stats import LevelCounts, StatsInputError, mann_whitney
from stats._stats_cases import call_quietly, dropna, group_cases

RTOL, ATOL = 1e-9, 1e-12


@pytest.mark.parametrize("case", list(group_cases()))
def test_mann_whitney_equals_scipy_default(case):
    x, y = (dropna(g) for g in group_cases()[case][:2])
    expected = stats.mannwhitneyu(x, y)
    res = call_quietly(mann_whitney, x, y, n_boot=0)
    assert (int(res.n1[0]), int(res.n2[0])) == (x.size, y.size)
    np.testing.assert_allclose(res.U[0], expected.statistic, rtol=RTOL)
    np.testing.assert_allclose(res.p[0], expected.pvalue, rtol=RTOL, atol=ATOL)
    ranks = stats.rankdata(np.concatenate([x, y]))
    np.testing.assert_allclose([res.mean_rank1[0], res.mean_rank2[0]], [ranks[: x.size].mean(), ranks[x.size :].mean()], rtol=1e-12)


# pingouin builds the n1 x n2 difference matrix: keep it to the small cases (large_n would need ~18 GB).
@pytest.mark.parametrize("case", [c for c in group_cases() if c != "large_n"])
def test_rank_biserial_and_cles_equal_pingouin(case):
    x, y = (dropna(g) for g in group_cases()[case][:2])
    expected = pg.mwu(x, y)
    res = mann_whitney(x, y, n_boot=0)
    np.testing.assert_allclose(res.rbc[0], expected["RBC"].iloc[0], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.cles[0], expected["CLES"].iloc[0], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(("m", "n"), [(1, 1), (1, 9), (2, 2), (3, 8), (8, 8), (8, 9), (9, 9), (5, 100), (8, 700)])
def test_method_choice_and_p_follow_scipy_auto_on_untied_data(m, n):
    rng = np.random.default_rng(m * 1000 + n)
    values = rng.permutation(m + n).astype(float) + rng.normal(0, 0.1)
    x, y = values[:m], values[m:] + 0.3 * m
    res = call_quietly(mann_whitney, x, y, n_boot=0)
    expected_method = "asymptotic" if m > 8 and n > 8 else "exact"
    assert res.method[0] == expected_method
    np.testing.assert_allclose(res.p[0], stats.mannwhitneyu(x, y, method=expected_method).pvalue, rtol=RTOL)
    np.testing.assert_allclose(res.p[0], stats.mannwhitneyu(x, y).pvalue, rtol=RTOL)


def test_exact_p_beyond_int64_range_uses_exact_integers_and_equals_scipy():
    rng = np.random.default_rng(5)
    x, y = rng.normal(0.5, size=8), rng.normal(size=2000)  # C(2008, 8) > 2**61
    res = mann_whitney(x, y, n_boot=0)
    assert res.method[0] == "exact"
    np.testing.assert_allclose(res.p[0], stats.mannwhitneyu(x, y, method="exact").pvalue, rtol=1e-9)


def test_forced_asymptotic_on_small_untied_data_equals_scipy():
    x, y = group_cases()["tiny_untied"]
    res = mann_whitney(x, y, method="asymptotic", n_boot=0)
    assert res.method[0] == "asymptotic"
    np.testing.assert_allclose(res.p[0], stats.mannwhitneyu(x, y, method="asymptotic").pvalue, rtol=RTOL)


def test_small_tied_samples_use_the_asymptotic_test_as_scipy_does():
    x, y = group_cases()["tiny_tied"]
    res = mann_whitney(x, y, n_boot=0)
    assert res.method[0] == "asymptotic"
    with pytest.raises(StatsInputError, match="without ties"):
        mann_whitney(x, y, method="exact")


@pytest.mark.parametrize("case", ["likert5_ties", "missing_answers", "large_n"])
def test_z_is_signed_continuity_corrected_and_r_is_z_over_root_n(case):
    x, y = (dropna(g) for g in group_cases()[case][:2])
    res = mann_whitney(x, y, n_boot=0)
    z, n = res.z[0], x.size + y.size
    np.testing.assert_allclose(2 * stats.norm.sf(abs(z)), res.p[0], rtol=RTOL)
    np.testing.assert_allclose(res.r[0], z / np.sqrt(n), rtol=1e-12)
    assert np.sign(z) == np.sign(res.mean_rank1[0] - res.mean_rank2[0])
    assert res.higher[0] == ("x" if z > 0 else "y")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=30),
    st.lists(st.integers(1, 5), min_size=1, max_size=30),
)
def test_swapping_groups_gives_u2_and_mirrors_the_effect(xs, ys):
    x, y = np.array(xs, float), np.array(ys, float)
    a = call_quietly(mann_whitney, x, y, n_boot=0)
    b = call_quietly(mann_whitney, y, x, n_boot=0)
    assert a.U[0] + b.U[0] == x.size * y.size
    np.testing.assert_allclose(a.U[0], stats.mannwhitneyu(x, y).statistic, rtol=RTOL)
    np.testing.assert_allclose([a.p[0], a.z[0], a.rbc[0]], [b.p[0], -b.z[0], -b.rbc[0]], rtol=1e-12, atol=ATOL, equal_nan=True)


def test_level_counts_input_gives_the_same_result_as_raw_values():
    x, y = group_cases()["missing_answers"]
    raw = mann_whitney(x, y, names=("a", "b"), ci="bootstrap", n_boot=300)
    counted = mann_whitney(LevelCounts.from_values(x), LevelCounts.from_values(y), names=("a", "b"), ci="bootstrap",
                           n_boot=300)
    pd.testing.assert_frame_equal(raw, counted)


def test_bootstrap_ci_is_deterministic_for_a_seed_and_brackets_r():
    x, y = group_cases()["likert5_ties"][:2]
    first = mann_whitney(x, y, ci="bootstrap", seed=3)
    again = mann_whitney(x, y, ci="bootstrap", seed=3)
    other = mann_whitney(x, y, ci="bootstrap", seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert first.r_ci_low[0] != other.r_ci_low[0]
    assert first.r_ci_low[0] < first.r[0] < first.r_ci_high[0]


def test_count_bootstrap_matches_resampling_respondents():
    """Multinomial draws of level counts are the same distribution as resampling respondents."""
    x, y = (dropna(g) for g in group_cases()["likert5_ties"][:2])
    ours = mann_whitney(x, y, ci="bootstrap", n_boot=4000, seed=1)
    rng = np.random.default_rng(99)
    xs, ys = x[rng.integers(0, x.size, (4000, x.size))], y[rng.integers(0, y.size, (4000, y.size))]
    u1 = stats.mannwhitneyu(xs, ys, axis=1).statistic
    pooled = np.concatenate([xs, ys], axis=1)
    t = (pooled[:, :, None] == np.unique(pooled)).sum(axis=1).astype(float)
    n = x.size + y.size
    s = np.sqrt(x.size * y.size / 12 * (n + 1 - (t**3 - t).sum(axis=1) / (n * (n - 1))))
    d = u1 - x.size * y.size / 2
    reps = np.sign(d) * np.maximum(abs(d) - 0.5, 0) / s / np.sqrt(n)
    low, high = np.quantile(reps, [0.025, 0.975])
    # Two independent Monte Carlo estimates of the same quantiles: equal up to simulation error.
    assert abs(ours.r_ci_low[0] - low) < 0.02 and abs(ours.r_ci_high[0] - high) < 0.02


def test_bootstrap_of_non_discrete_scores_resamples_values():
    x, y = group_cases()["theme_scores"][:2]
    res = call_quietly(mann_whitney, x, y, ci="bootstrap", n_boot=500)
    assert res.reason[0] == ""
    assert res.r_ci_low[0] < res.r[0] < res.r_ci_high[0]


def test_no_bootstrap_leaves_ci_nan_and_says_so():
    res = mann_whitney([1, 2, 3], [2, 3, 4, 4], ci="bootstrap", n_boot=0)
    assert np.isnan(res.r_ci_low[0]) and res.reason[0] == "CI not computed (n_boot=0)"


def test_ci_none_leaves_the_interval_nan_without_a_reason():
    res = mann_whitney([1, 2, 3], [2, 3, 4, 4], ci="none")
    assert np.isnan(res.r_ci_low[0]) and np.isnan(res.r_ci_high[0]) and res.reason[0] == ""


def test_identical_values_give_nan_and_reason_without_warnings():
    res = call_quietly(mann_whitney, [3, 3, 3], [3, 3])
    assert res.U[0] == 3.0
    assert np.isnan(res.p[0]) and np.isnan(res.z[0]) and np.isnan(res.r[0])
    assert res.reason[0] == "all values are identical: the test is undefined"
    assert res.higher[0] == "neither"


def test_empty_group_gives_nan_and_reason_without_warnings():
    res = call_quietly(mann_whitney, [np.nan, np.nan], [1, 2, 3], names=("nurses", "doctors"))
    assert np.isnan(res.U[0]) and np.isnan(res.p[0])
    assert res.reason[0] == "group 'nurses' has no observations"


def test_input_data_not_modified():
    x = pd.Series([1, 2, pd.NA, 4, 4], dtype="Int64")
    y = np.array([2.0, 3.0, np.nan, 5.0])
    before_x, before_y = x.copy(), y.copy()
    mann_whitney(x, y, n_boot=50)
    pd.testing.assert_series_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "permutation"}, "method"),
        ({"ci": "percentile"}, "ci"),
        ({"n_boot": -1}, "n_boot"),
        ({"n_boot": 10.5}, "n_boot"),
        ({"confidence": 1.5}, "confidence"),
        ({"seed": "abc"}, "seed"),
        ({"names": ("a", "a")}, "distinct"),
    ],
)
def test_bad_arguments_raise_stats_input_error(kwargs, message):
    with pytest.raises(StatsInputError, match=message):
        mann_whitney([1, 2], [3, 4], **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
)
def test_bootstrap_on_tiny_near_constant_samples_emits_no_warnings_and_explains_every_nan(xs, ys):
    res = call_quietly(mann_whitney, xs, ys, ci="bootstrap", n_boot=200)
    numeric = res[["U", "z", "p", "r", "r_ci_low", "r_ci_high", "rbc", "cles"]].to_numpy(dtype=float)
    assert (res.reason[0] == "") == bool(np.isfinite(numeric).all())

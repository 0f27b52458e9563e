"""Kruskal-Wallis equals scipy.stats.kruskal; Dunn equals scikit_posthocs.posthoc_dunn."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scikit_posthocs as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from imgshare.stats import KruskalWallisResult, LevelCounts, StatsInputError, dunn, kruskal_wallis, level_counts_by_group
from stats._stats_cases import call_quietly, dropna, group_cases

RTOL, ATOL = 1e-9, 1e-12


@pytest.mark.parametrize("case", list(group_cases()))
def test_kruskal_wallis_equals_scipy(case):
    groups = [dropna(g) for g in group_cases()[case]]
    expected = stats.kruskal(*groups)
    res = call_quietly(kruskal_wallis, *groups, n_boot=0)
    assert isinstance(res, KruskalWallisResult)
    n = sum(g.size for g in groups)
    # scipy's 12/(N(N+1)) sum R^2/n - 3(N+1) loses ~N * eps absolutely to cancellation.
    np.testing.assert_allclose(res.test.H[0], expected.statistic, rtol=RTOL, atol=1e-13 * n)
    np.testing.assert_allclose(res.test.p[0], expected.pvalue, rtol=RTOL, atol=ATOL)
    assert res.test.dof[0] == len(groups) - 1 and res.test.n[0] == n
    np.testing.assert_allclose(res.test.epsilon2[0], res.test.H[0] / (n - 1), rtol=1e-15)
    ranks = stats.rankdata(np.concatenate(groups))
    bounds = np.cumsum([0] + [g.size for g in groups])
    expected_means = [ranks[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:])]
    np.testing.assert_allclose(res.groups.mean_rank, expected_means, rtol=1e-12)
    assert res.groups.n.tolist() == [g.size for g in groups]


@pytest.mark.parametrize("case", list(group_cases()))
@pytest.mark.parametrize("p_adjust", ["holm", None])
def test_dunn_equals_scikit_posthocs(case, p_adjust):
    groups = [dropna(g) for g in group_cases()[case]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = sp.posthoc_dunn([list(g) for g in groups], p_adjust=p_adjust)
    names = [str(i + 1) for i in range(len(groups))]
    out = call_quietly(dunn, *groups, names=names, p_adjust=p_adjust)
    assert len(out) == len(groups) * (len(groups) - 1) // 2
    for row in out.itertuples():
        np.testing.assert_allclose(row.p_adj, expected.loc[int(row.group1), int(row.group2)], rtol=RTOL, atol=ATOL)
    if p_adjust is None:
        np.testing.assert_array_equal(out.p, out.p_adj)


def test_dunn_z_is_signed_by_mean_rank_difference():
    groups = group_cases()["likert7"]
    out = dunn(*groups)
    assert (np.sign(out.z) == np.sign(out.mean_rank1 - out.mean_rank2)).all()
    np.testing.assert_allclose(out.p, 2 * stats.norm.sf(np.abs(out.z)), rtol=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=15), min_size=2, max_size=5))
@example([[1] * 7 + [2] * 6, [1] * 7 + [2] * 6])  # identical groups: H is exactly 0
def test_kruskal_wallis_equals_scipy_on_random_small_integer_groups(raw_groups):
    groups = [np.array(g, float) for g in raw_groups]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = stats.kruskal(*groups)
    res = call_quietly(kruskal_wallis, *groups, n_boot=0)
    if np.unique(np.concatenate(groups)).size == 1:
        # Every answer the same: H is 0/0. scipy returns nan or inf depending on rounding; we
        # return NaN and say why.
        assert np.isnan(res.test.H[0]) and np.isnan(res.test.p[0]) and res.test.reason[0]
        return
    np.testing.assert_allclose(res.test.H[0], expected.statistic, rtol=RTOL, atol=1e-12, equal_nan=True)
    if abs(expected.statistic) < 1e-12:
        # Groups with the same distribution: H is 0 (scipy's rounding leaves ~1e-14, ours is exact), and
        # p = P(chi2 > H) has an infinite slope at 0 for one degree of freedom, so a rounding error of
        # 1e-14 in H moves p by ~1e-7. Both must say p is 1 to that precision.
        assert res.test.p[0] >= 1 - 1e-6 and expected.pvalue >= 1 - 1e-6
        return
    np.testing.assert_allclose(res.test.p[0], expected.pvalue, rtol=RTOL, atol=ATOL, equal_nan=True)


def test_level_counts_input_gives_the_same_result_as_raw_values():
    rng = np.random.default_rng(4)
    values = rng.integers(1, 6, 600).astype(float)
    groups = rng.choice(["doctor", "nurse", "radiographer"], 600)
    by_group = level_counts_by_group(values, groups)
    counted = kruskal_wallis(*by_group.values(), names=list(by_group), ci="bootstrap", n_boot=300)
    raw = kruskal_wallis(*(values[groups == g] for g in by_group), names=list(by_group), ci="bootstrap", n_boot=300)
    pd.testing.assert_frame_equal(counted.test, raw.test)
    pd.testing.assert_frame_equal(counted.groups, raw.groups)
    pd.testing.assert_frame_equal(dunn(*by_group.values(), names=list(by_group)), dunn(*(values[groups == g] for g in by_group), names=list(by_group)))


def test_epsilon_squared_bootstrap_ci_is_deterministic_and_brackets_the_estimate():
    groups = group_cases()["likert5_ties"]
    first = kruskal_wallis(*groups, ci="bootstrap", seed=11)
    again = kruskal_wallis(*groups, ci="bootstrap", seed=11)
    pd.testing.assert_frame_equal(first.test, again.test)
    t = first.test.iloc[0]
    assert t.reason == "" and 0 <= t.ci_low < t.epsilon2 < t.ci_high


def test_count_bootstrap_of_epsilon_squared_matches_resampling_respondents():
    groups = [dropna(g) for g in group_cases()["likert7"]]
    ours = kruskal_wallis(*groups, ci="bootstrap", n_boot=3000, seed=2).test.iloc[0]
    rng = np.random.default_rng(77)
    n = sum(g.size for g in groups)
    resampled = [g[rng.integers(0, g.size, (3000, g.size))] for g in groups]
    reps = stats.kruskal(*resampled, axis=1).statistic / (n - 1)
    low, high = np.quantile(reps, [0.025, 0.975])
    assert abs(ours.ci_low - low) < 0.01 and abs(ours.ci_high - high) < 0.015


def test_empty_group_is_listed_but_not_counted_in_dof():
    a, b = [1, 2, 2, 3, 5], [3, 4, 4, 5]
    res = call_quietly(kruskal_wallis, a, [], b, names=["a", "none", "b"], n_boot=0)
    assert res.groups.n.tolist() == [5, 0, 4] and np.isnan(res.groups.mean_rank[1])
    assert res.test.n_groups[0] == 2 and res.test.dof[0] == 1
    np.testing.assert_allclose(res.test.H[0], stats.kruskal(a, b).statistic, rtol=RTOL)
    assert dunn(a, [], b, names=["a", "none", "b"])[["group1", "group2"]].values.tolist() == [["a", "b"]]


@pytest.mark.parametrize(
    ("groups", "reason"),
    [
        (([1, 2, 3],), "1 group(s) with observations; at least 2 needed"),
        (([1, 2, 3], [np.nan]), "1 group(s) with observations; at least 2 needed"),
        (([4, 4], [4, 4, 4], [4]), "all values are identical: the test is undefined"),
    ],
)
def test_undefined_kruskal_wallis_gives_nan_and_reason_without_warnings(groups, reason):
    res = call_quietly(kruskal_wallis, *groups)
    assert np.isnan(res.test.H[0]) and np.isnan(res.test.p[0]) and np.isnan(res.test.ci_low[0])
    assert res.test.reason[0] == reason


def test_dunn_on_identical_values_gives_nan_and_reason_without_warnings():
    out = call_quietly(dunn, [2, 2], [2, 2, 2])
    assert np.isnan(out.z[0]) and np.isnan(out.p_adj[0])
    assert out.reason[0] == "all values are identical: the test is undefined"


def test_input_data_not_modified():
    groups = [pd.Series([1, pd.NA, 3], dtype="Int64"), np.array([2.0, np.nan, 4.0]), LevelCounts([1, 5], [2, 1])]
    before = [groups[0].copy(), groups[1].copy()]
    kruskal_wallis(*groups, ci="bootstrap", n_boot=20)
    dunn(*groups)
    pd.testing.assert_series_equal(groups[0], before[0])
    np.testing.assert_array_equal(groups[1], before[1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kruskal_wallis(), "at least one group"),
        (lambda: kruskal_wallis([1, 2], [3], names=["a"]), "1 names given for 2 groups"),
        (lambda: kruskal_wallis([1, 2], ["x"]), "expected numbers"),
        (lambda: dunn([1, 2], [3, 4], p_adjust="sidak"), "holm"),
    ],
)
def test_bad_input_raises_stats_input_error(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(1, 3), min_size=1, max_size=5), min_size=2, max_size=4))
def test_bootstrap_on_tiny_groups_emits_no_warnings_and_explains_every_nan(raw_groups):
    test = call_quietly(kruskal_wallis, *raw_groups, ci="bootstrap", n_boot=200).test
    numeric = test[["H", "p", "epsilon2", "ci_low", "ci_high"]].to_numpy(dtype=float)
    assert (test.reason[0] == "") == bool(np.isfinite(numeric).all())

"""Spearman from joint tables equals scipy.stats.spearmanr on the pairwise-complete rows."""

import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from imgshare.stats import StatsInputError, spearman, spearman_matrix
from imgshare.stats import _correlation
from stats._stats_cases import call_quietly, likert, pair_cases, theme_scores

RTOL, ATOL = 1e-9, 1e-12


def scipy_spearman(x, y):
    keep = ~np.isnan(x) & ~np.isnan(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.spearmanr(x[keep], y[keep])
    return float(res.statistic), float(res.pvalue), int(keep.sum())


@pytest.mark.parametrize("case", list(pair_cases()))
def test_spearman_equals_scipy(case):
    x, y = pair_cases()[case]
    rho, p, n = scipy_spearman(x, y)
    res = call_quietly(spearman, x, y)
    assert res.shape[0] == 1
    assert int(res.n[0]) == n
    np.testing.assert_allclose(res.rho[0], rho, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.p[0], p, rtol=RTOL, atol=ATOL)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=n, max_size=n),
            st.lists(st.one_of(st.integers(1, 7), st.none()), min_size=n, max_size=n),
        )
    )
)
def test_spearman_from_counts_equals_scipy_on_random_small_integer_arrays(pair):
    x = np.array([np.nan if v is None else v for v in pair[0]], dtype=float)
    y = np.array([np.nan if v is None else v for v in pair[1]], dtype=float)
    rho, p, n = scipy_spearman(x, y)
    res = call_quietly(spearman, x, y)
    assert int(res.n[0]) == n
    if n >= 2:  # scipy gives NaN for constant input; so must we
        np.testing.assert_allclose(res.rho[0], rho, rtol=RTOL, atol=ATOL, equal_nan=True)
    if n >= 3:
        np.testing.assert_allclose(res.p[0], p, rtol=RTOL, atol=ATOL, equal_nan=True)
    assert (res.reason[0] == "") == np.isfinite([res.rho[0], res.p[0], res.ci_low[0]]).all()


def theme_frame(rng, n, items, points, missing):
    return pd.DataFrame(
        {f"i{j}": pd.array(likert(rng, n, points, shift=0.1 * j, missing=missing), dtype="Float64") for j in range(items)}
    ).astype("Int64")


@pytest.mark.parametrize(
    ("items", "points", "n", "expected_path"),
    [
        (4, 5, 500, "full joint table"),  # one bincount for the theme
        (9, 7, 400, "pairwise tables"),  # 8**9 cells: too many for one table
    ],
)
def test_spearman_matrix_equals_scipy_for_each_pair(items, points, n, expected_path):
    rng = np.random.default_rng(7)
    frame = theme_frame(rng, n, items, points, missing=0.1)
    cells = (points + 1) ** items
    assert (cells <= _correlation._FULL_JOINT_MAX_CELLS) == (expected_path == "full joint table")
    out = call_quietly(spearman_matrix, frame)
    assert out[["item1", "item2"]].values.tolist() == [[f"i{a}", f"i{b}"] for a, b in combinations(range(items), 2)]
    raw = frame.to_numpy(dtype=float, na_value=np.nan)
    for row in out.itertuples():
        rho, p, m = scipy_spearman(raw[:, int(row.item1[1:])], raw[:, int(row.item2[1:])])
        assert row.n == m
        np.testing.assert_allclose([row.rho, row.p], [rho, p], rtol=RTOL, atol=ATOL)


def test_spearman_matrix_of_non_discrete_scores_ranks_values_directly_and_equals_scipy():
    rng = np.random.default_rng(8)
    base = rng.normal(size=4000)
    frame = pd.DataFrame({"a": base, "b": base + rng.normal(size=4000), "c": theme_scores(rng, 4000)})
    frame.loc[rng.random(4000) < 0.1, "a"] = np.nan
    assert (frame["a"].nunique() + 1) * (frame["b"].nunique() + 1) > _correlation._PAIR_MAX_CELLS
    out = call_quietly(spearman_matrix, frame)
    for row in out.itertuples():
        rho, p, m = scipy_spearman(frame[row.item1].to_numpy(), frame[row.item2].to_numpy())
        assert row.n == m
        np.testing.assert_allclose([row.rho, row.p], [rho, p], rtol=RTOL, atol=ATOL)


def test_spearman_matrix_rows_equal_pairwise_spearman():
    frame = theme_frame(np.random.default_rng(9), 300, 5, 4, missing=0.2)
    out = spearman_matrix(frame)
    for row in out.itertuples():
        single = spearman(frame[row.item1], frame[row.item2])
        for col in ["n", "rho", "p", "ci_low", "ci_high"]:
            np.testing.assert_allclose(getattr(row, col), single[col][0], rtol=1e-12)


def test_spearman_matrix_at_large_n_equals_scipy():
    frame = theme_frame(np.random.default_rng(10), 100_000, 4, 5, missing=0.05)
    raw = frame.to_numpy(dtype=float, na_value=np.nan)
    for row in spearman_matrix(frame).itertuples():
        rho, p, m = scipy_spearman(raw[:, int(row.item1[1:])], raw[:, int(row.item2[1:])])
        assert row.n == m
        np.testing.assert_allclose([row.rho, row.p], [rho, p], rtol=RTOL, atol=ATOL)


def test_constant_item_gives_nan_and_reason_without_warnings():
    res = call_quietly(spearman, [3, 3, 3, 3, 3], [1, 2, 3, 4, 5])
    assert np.isnan(res.rho[0]) and np.isnan(res.p[0])
    assert res.reason[0] == "x is constant over the complete pairs"
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "k": [2, 2, 2, 2], "b": [2, 1, 4, 3]})
    out = call_quietly(spearman_matrix, frame)
    assert out.loc[out.item2 == "k", "reason"].tolist() == ["y is constant over the complete pairs"]
    assert out.loc[out.item1 == "k", "reason"].tolist() == ["x is constant over the complete pairs"]
    assert np.isfinite(out.loc[(out.item1 == "a") & (out.item2 == "b"), "rho"]).all()


@pytest.mark.parametrize(
    ("x", "y", "reason"),
    [
        ([], [], "0 complete pair(s); at least 2 needed"),
        ([1, None], [2, 3], "1 complete pair(s); at least 2 needed"),
        ([1, 2], [2, 3], "p and CI undefined with 2 complete pairs"),
        ([1, 2, 3], [2, 3, 1], "CI undefined with 3 complete pairs"),
    ],
)
def test_too_few_pairs_give_nan_and_reason(x, y, reason):
    res = call_quietly(spearman, x, y)
    assert res.reason[0] == reason


def test_two_pairs_give_rho_like_scipy_but_no_p():
    res = call_quietly(spearman, [1, 2], [5, 3])
    assert res.rho[0] == -1.0 and np.isnan(res.p[0])


def test_confidence_interval_is_fisher_z_with_bonett_wright_error():
    x, y = pair_cases()["likert5_ties"]
    res = spearman(x, y, confidence=0.9)
    rho, n = res.rho[0], res.n[0]
    se = np.sqrt((1 + rho**2 / 2) / (n - 3))
    expected = np.tanh(np.arctanh(rho) + np.array([-1, 1]) * stats.norm.ppf(0.95) * se)
    np.testing.assert_allclose([res.ci_low[0], res.ci_high[0]], expected, rtol=1e-12)
    assert res.ci_low[0] < rho < res.ci_high[0]
    wider = spearman(x, y, confidence=0.99)
    assert wider.ci_low[0] < res.ci_low[0] and wider.ci_high[0] > res.ci_high[0]


def test_nullable_integer_columns_give_the_same_result_as_float_nan():
    x, y = pair_cases()["missing_answers"]
    as_int = spearman(pd.Series(x).astype("Int64"), pd.Series(y).astype("Int64"))
    pd.testing.assert_frame_equal(as_int, spearman(x, y))


def test_input_data_not_modified():
    frame = theme_frame(np.random.default_rng(11), 50, 3, 5, missing=0.2)
    before = frame.copy()
    spearman_matrix(frame)
    spearman(frame["i0"], frame["i1"])
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: spearman([1, 2, 3], [1, 2]), "lengths 3 and 2 differ"),
        (lambda: spearman([1, 2], ["a", "b"]), "expected numbers"),
        (lambda: spearman([1, 2], [1, 2], confidence=95), "confidence"),
        (lambda: spearman_matrix(np.ones((3, 2))), "expected a pandas DataFrame"),
        (lambda: spearman_matrix(pd.DataFrame([[1, 2]], columns=["a", "a"])), "distinct"),
    ],
)
def test_bad_input_raises_stats_input_error(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()

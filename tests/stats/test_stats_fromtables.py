"""Statistics from count tables equal their raw-data counterparts bit for bit."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgshare.stats import (
    LevelCounts,
    cronbach_alpha,
    cronbach_alpha_from_patterns,
    level_median,
    level_quantile,
    spearman_from_tables,
    spearman_matrix,
)
from imgshare.stats._seqsum import sequential_sums


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 7), st.integers(5, 400))
def test_spearman_from_joint_tables_equals_spearman_matrix(seed, k, n):
    rng = np.random.default_rng(seed)
    a = rng.integers(1, k + 1, n)
    b = np.clip(a + rng.integers(-1, 2, n), 1, k)
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (a - 1, b - 1), 1)
    from_tables = spearman_from_tables({("a", "b"): table})
    raw = spearman_matrix(pd.DataFrame({"a": a, "b": b}))
    cols = ["n", "rho", "p", "ci_low", "ci_high"]
    np.testing.assert_allclose(from_tables[cols].to_numpy(float), raw[cols].to_numpy(float), rtol=1e-12, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5), st.integers(3, 300))
def test_alpha_from_patterns_equals_alpha_on_complete_cases(seed, items, n):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.integers(1, 6, (n, items)).astype(float))
    patterns, rows = np.unique(frame.to_numpy(), axis=0, return_inverse=True)
    ours = cronbach_alpha_from_patterns(patterns, rows.ravel())
    raw = cronbach_alpha(frame)
    cols = ["k", "n", "alpha", "ci_low", "ci_high"]
    np.testing.assert_array_equal(ours[cols].to_numpy(float), raw[cols].to_numpy(float))


@pytest.mark.parametrize("q", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_level_quantile_equals_numpy(q):
    rng = np.random.default_rng(3)
    values = rng.integers(1, 8, 501).astype(float) / 2
    levels, counts = np.unique(values, return_counts=True)
    assert level_quantile(LevelCounts(levels, counts), q) == np.quantile(values, q)
    assert level_median(LevelCounts(levels, counts)) == np.median(values)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.integers(1, 3000))
def test_sequential_sums_equal_numpy_row_by_row_sums(seed, columns, n):
    rng = np.random.default_rng(seed)
    table = rng.integers(0, 50, (12, columns)) / rng.choice([1.0, 3.0, 7.0])
    rows = rng.integers(0, 12, n)
    np.testing.assert_array_equal(sequential_sums(table, rows), table[rows].sum(axis=0))

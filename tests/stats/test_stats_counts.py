"""Counting pass: factorisation, midranks, LevelCounts and input coercion."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from stats._stats_cases import call_quietly, group_cases, theme_scores
from imgshare.errors import ImgshareError
from imgshare.stats import Grouping, LevelCodes, LevelCounts, StatsInputError, average_ranks, level_counts_by_group, midranks, tie_sum
from imgshare.stats._counts import as_values, count_table


@pytest.mark.parametrize("case", list(group_cases()))
def test_average_ranks_equal_scipy_rankdata(case):
    x = np.concatenate(group_cases()[case])
    np.testing.assert_allclose(call_quietly(average_ranks, x), stats.rankdata(x, nan_policy="omit"), rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 7), st.none()), min_size=0, max_size=60))
def test_average_ranks_equal_scipy_on_random_small_integers(values):
    x = np.array([np.nan if v is None else v for v in values], dtype=float)
    expected = stats.rankdata(x, nan_policy="omit") if x.size else np.empty(0)
    np.testing.assert_allclose(average_ranks(x), expected, rtol=1e-12)


def test_average_ranks_of_wide_integer_range_use_the_hash_path_and_still_match_scipy():
    x = np.array([0.0, 1e9, 5.0, 5.0, -3e8, 1e9])
    np.testing.assert_allclose(average_ranks(x), stats.rankdata(x))


def test_midranks_follow_from_counts():
    np.testing.assert_allclose(midranks([2, 0, 3, 1]), [1.5, 2.5, 4.0, 6.0])
    np.testing.assert_allclose(midranks([[1, 1], [3, 1]]), [[1.0, 2.0], [2.0, 4.0]])


def test_tie_sum_counts_only_tied_levels():
    assert tie_sum([1, 1, 1]) == 0
    assert tie_sum([3, 1, 2]) == (27 - 3) + (8 - 2)


def test_level_counts_from_values_drop_missing_and_sort_levels():
    lc = LevelCounts.from_values(pd.Series([3, pd.NA, 1, 3, 5], dtype="Int64"))
    assert lc.levels.tolist() == [1.0, 3.0, 5.0]
    assert lc.counts.tolist() == [1, 2, 1]
    assert lc.n == 4


def test_level_counts_are_read_only():
    lc = LevelCounts([1, 2], [3, 4])
    with pytest.raises(ValueError):
        lc.counts[0] = 10


@pytest.mark.parametrize(
    ("levels", "counts", "message"),
    [
        ([2, 1], [1, 1], "strictly increasing"),
        ([1, 2], [1, -1], "non-negative whole numbers"),
        ([1, 2], [1.5, 1], "non-negative whole numbers"),
        ([1, 2, 3], [1, 1], "equal length"),
        ([1, np.inf], [1, 1], "finite"),
    ],
)
def test_invalid_level_counts_raise_a_one_line_error(levels, counts, message):
    with pytest.raises(StatsInputError, match=message) as err:
        LevelCounts(levels, counts)
    assert isinstance(err.value, ImgshareError)
    assert "\n" not in str(err.value)


def test_level_counts_by_group_share_levels_and_match_separate_counting():
    rng = np.random.default_rng(1)
    values = rng.integers(1, 6, 500).astype(float)
    values[rng.random(500) < 0.1] = np.nan
    groups = rng.choice(["b", "a", "c"], 500).astype(object)
    groups[rng.random(500) < 0.05] = None
    by_group = level_counts_by_group(values, groups)
    assert list(by_group) == ["a", "b", "c"]
    for label, lc in by_group.items():
        mine = values[(groups == label) & ~np.isnan(values)]
        assert lc.levels.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
        assert lc.counts.tolist() == [int((mine == v).sum()) for v in lc.levels]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (pd.Series([2, 1, pd.NA, 2, 1, 1], dtype="Int64"), (1, 2)),
        (pd.Series(["b", "a", None, "b", "a", "a"], dtype="string"), ("a", "b")),
        (pd.Categorical(["x", "y", None, "x", "y", "y"], categories=["y", "x"]), ("y", "x")),
        (np.array([1.5, 0.5, np.nan, 1.5, 0.5, 0.5]), (0.5, 1.5)),
    ],
)
def test_grouping_encodes_numeric_string_and_categorical_labels(labels, expected):
    grouping = Grouping.from_labels(labels)
    assert grouping.labels == expected
    counts = grouping.level_counts([5, 4, 3, 5, 4, np.nan])
    # Row 3 has no group, so its value 3 is not a level; the last row has no value.
    assert [c.levels.tolist() for c in counts.values()] == [[4.0, 5.0], [4.0, 5.0]]
    assert [c.counts.tolist() for c in counts.values()] == [[2, 0], [0, 2]]


def test_grouping_reused_for_many_variables_equals_fresh_counting():
    rng = np.random.default_rng(2)
    groups = pd.Series(rng.integers(0, 4, 1000)).astype("Int64")
    grouping = Grouping.from_labels(groups)
    for _ in range(3):
        values = pd.Series(rng.integers(1, 8, 1000)).astype("Int64")
        reused, fresh = grouping.level_counts(values), level_counts_by_group(values, groups)
        assert list(reused) == list(fresh)
        for key in reused:
            assert reused[key].counts.tolist() == fresh[key].counts.tolist()


def test_level_counts_by_group_rejects_mismatched_lengths():
    with pytest.raises(StatsInputError, match="length"):
        level_counts_by_group([1, 2, 3], ["a", "b"])


def test_count_table_aligns_raw_samples_and_level_counts_on_one_level_set():
    levels, table, names = count_table([[1, 1, 4], LevelCounts([2, 4], [3, 0])], ["p", "q"])
    assert levels.tolist() == [1.0, 2.0, 4.0]
    assert table.tolist() == [[2, 0, 1], [0, 3, 0]]
    assert names == ["p", "q"]


def test_non_discrete_scores_keep_every_distinct_value_as_a_level():
    x = theme_scores(np.random.default_rng(3), 400)
    lc = LevelCounts.from_values(x)
    assert lc.levels.tolist() == sorted(set(x[~np.isnan(x)].tolist()))
    assert lc.n == int((~np.isnan(x)).sum())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["a", "b"], "expected numbers"),
        (pd.Series(["a", "b"], dtype="string"), "expected numbers"),
        (np.ones((2, 2)), "1-D"),
        ([1.0, np.inf], "infinite"),
        (pd.DataFrame({"a": [1], "b": [2]}), "one column"),
    ],
)
def test_unusable_values_raise_stats_input_error(value, message):
    with pytest.raises(StatsInputError, match=message):
        as_values(value, "x")


def test_nullable_int_and_object_inputs_coerce_to_nan_for_missing():
    expected = [1.0, np.nan, 3.0]
    np.testing.assert_array_equal(as_values(pd.Series([1, pd.NA, 3], dtype="Int64")), expected)
    np.testing.assert_array_equal(as_values([1, None, 3]), expected)
    np.testing.assert_array_equal(as_values(np.array([1, pd.NA, 3], dtype=object)), expected)


def test_input_data_not_modified():
    series = pd.Series([1, pd.NA, 3, 3], dtype="Int64")
    before = series.copy()
    out = as_values(series)
    assert not out.flags.writeable
    floats = np.array([1.0, 2.0, np.nan])
    view = as_values(floats)
    assert not view.flags.writeable and floats.flags.writeable
    average_ranks(series)
    LevelCounts.from_values(series)
    pd.testing.assert_series_equal(series, before)


def test_level_codes_counted_under_a_grouping_equal_raw_values():
    rng = np.random.default_rng(12)
    values = pd.Series(rng.integers(1, 5, 300)).astype("Int64")
    values[rng.random(300) < 0.1] = pd.NA
    grouping = Grouping.from_labels(rng.choice(["u", "v"], 300))
    codes = LevelCodes.from_values(values)
    assert codes.level_counts().counts.tolist() == LevelCounts.from_values(values).counts.tolist()
    from_codes, from_raw = grouping.level_counts(codes), grouping.level_counts(values)
    assert {k: v.counts.tolist() for k, v in from_codes.items()} == {k: v.counts.tolist() for k, v in from_raw.items()}
    with pytest.raises(StatsInputError, match="length"):
        Grouping.from_labels(["u", "v"]).level_counts(codes)

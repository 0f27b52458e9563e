"""The count-preserving swap stage that puts each Spearman rho on its target."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from imgshare.synth._copula import discretize_exact, pairwise_spearman
from imgshare.synth._swaps import _components, refine_by_swaps, swap_effects

LEVELS = np.arange(1, 6)


def _tied_answers(seed: int, counts: list[list[int]], r: float) -> np.ndarray:
    """Five-point answers with exact counts per column, correlated through one latent factor."""
    rng = np.random.default_rng(seed)
    n, d = sum(counts[0]), len(counts)
    z = np.sqrt(r) * rng.standard_normal((n, 1)) + np.sqrt(1 - r) * rng.standard_normal((n, d))
    every = np.ones(n, bool)
    return np.column_stack([discretize_exact(z[:, j], LEVELS, np.array(c), every) for j, c in enumerate(counts)])


# the expert R3 / R4 counts: few, heavily tied levels, so one swap moves rho by >= 0.003
R3, R4 = [7, 56, 20, 33, 5], [5, 56, 15, 38, 7]
ENGAGEMENT = [[2, 6, 26, 63, 24], [2, 11, 38, 55, 15], [3, 12, 41, 50, 15], [1, 3, 14, 63, 40]]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), col=st.integers(0, 1), i=st.integers(0, 59), j=st.integers(0, 59))
def test_swap_effect_is_the_exact_change_in_rho(seed, col, i, j):
    codes = _tied_answers(seed, [[5, 10, 15, 20, 10], [12, 12, 12, 12, 12]], 0.4)
    codes[seed % 7, 1] = -1  # a row answering one column only is left out of that pair
    rows = np.flatnonzero((codes >= 0).all(axis=1))
    i, j = rows[i % rows.size], rows[j % rows.size]
    predicted = swap_effects(codes, rows, col, 1 - col)[np.searchsorted(rows, i), np.searchsorted(rows, j)]
    swapped = codes.copy()
    swapped[[i, j], col] = swapped[[j, i], col]
    both = (codes >= 0).all(axis=1)
    before = spearmanr(codes[both, 0], codes[both, 1]).statistic
    after = spearmanr(swapped[both, 0], swapped[both, 1]).statistic
    assert after - before == pytest.approx(predicted, abs=1e-12)


def test_swap_effects_are_zero_for_a_constant_column():
    codes = np.column_stack([np.full(10, 3), np.arange(10) % 5 + 1])
    assert not swap_effects(codes, np.arange(10), 1, 0).any()


def test_pairs_sharing_a_column_are_refined_together():
    pairs = np.array([[0, 1], [4, 5], [1, 2], [6, 7], [5, 3]])
    assert [m.tolist() for m in _components(pairs)] == [[0, 2], [1, 4], [3]]


def test_two_swaps_reach_a_target_no_single_swap_can_improve():
    codes = _tied_answers(0, [R3, R4], 0.5)
    pairs, n = np.array([[0, 1]]), codes.shape[0]
    start = pairwise_spearman(codes, pairs)[0]
    target = start + 0.001
    every = np.arange(n)
    single = np.concatenate([swap_effects(codes, every, 0, 1).ravel(), swap_effects(codes, every, 1, 0).ravel()])
    assert np.min(np.abs(target - start - single)) >= 0.001  # the greedy single step is stuck
    new, rho, swaps = refine_by_swaps(codes, pairs, np.array([target]), np.ones(n, bool), 1e-4, 20)
    assert abs(rho[0] - target) <= 1e-4
    assert swaps >= 2


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_six_linked_pairs_all_reach_printed_precision(seed):
    # four items, six pairs: the shape of the expert engagement theme
    codes = _tied_answers(seed, ENGAGEMENT, 0.35)
    pairs = np.array([(a, b) for a in range(4) for b in range(a + 1, 4)])
    targets = np.round(pairwise_spearman(codes, pairs), 2) + np.array([0.004, -0.006, 0.003, 0.0, -0.004, 0.007])
    new, rho, swaps = refine_by_swaps(codes, pairs, targets, np.ones(len(codes), bool), 0.000125, 121)
    assert np.all(np.abs(rho - targets) < 0.0005)
    assert np.allclose(rho, [spearmanr(new[:, a], new[:, b]).statistic for a, b in pairs])
    assert 0 < swaps <= 121


def test_counts_kept_and_input_not_modified():
    codes = _tied_answers(7, [R3, R4, ENGAGEMENT[0]], 0.4)
    before = codes.copy()
    pairs = np.array([[0, 1], [1, 2]])
    new, _, _ = refine_by_swaps(codes, pairs, np.array([0.3, 0.45]), np.ones(len(codes), bool), 1e-4, 100)
    assert np.array_equal(codes, before)
    for j in range(codes.shape[1]):
        assert np.array_equal(np.bincount(new[:, j]), np.bincount(codes[:, j]))


def test_rows_not_eligible_are_never_touched():
    codes = _tied_answers(3, [R3, R4], 0.5)
    eligible = np.arange(len(codes)) % 2 == 0
    new, _, swaps = refine_by_swaps(codes, np.array([[0, 1]]), np.array([0.2]), eligible, 1e-4, 100)
    assert swaps > 0
    assert np.array_equal(new[~eligible], codes[~eligible])


def test_refinement_is_deterministic():
    codes = _tied_answers(11, ENGAGEMENT, 0.35)
    pairs = np.array([[0, 1], [1, 2], [2, 3]])
    targets = np.array([0.42, 0.59, 0.45])
    first = refine_by_swaps(codes, pairs, targets, np.ones(len(codes), bool), 1e-4, 121)
    second = refine_by_swaps(codes, pairs, targets, np.ones(len(codes), bool), 1e-4, 121)
    assert np.array_equal(first[0], second[0]) and first[2] == second[2]


def test_swap_budget_is_respected():
    codes = _tied_answers(5, [R3, R4], 0.5)
    _, rho, swaps = refine_by_swaps(codes, np.array([[0, 1]]), np.array([0.05]), np.ones(len(codes), bool),
                                    1e-4, 3)
    assert swaps <= 3 and abs(rho[0] - 0.05) > 1e-4

"""Deterministic data sets of the shapes the statistics core must handle (shared by tests/stats)."""

from __future__ import annotations

import warnings

import numpy as np

SEED = 20200


def likert(rng: np.random.Generator, n: int, points: int, shift: float = 0.0, missing: float = 0.0) -> np.ndarray:
    """n answers on a 1..points scale (float, NaN = missing), skewed by ``shift`` (-1..1)."""
    weights = np.exp(shift * np.arange(points))
    x = rng.choice(np.arange(1, points + 1), size=n, p=weights / weights.sum()).astype(float)
    if missing:
        x[rng.random(n) < missing] = np.nan
    return x


def theme_scores(rng: np.random.Generator, n: int, items: int = 4, points: int = 5, missing: float = 0.15) -> np.ndarray:
    """Mean of the answered items per respondent: non-integer, many distinct values, NaN if none answered."""
    answers = np.column_stack([likert(rng, n, points, missing=missing) for _ in range(items)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing rows: mean of nothing is NaN, on purpose
        return np.nanmean(answers, axis=1)


def group_cases() -> dict[str, list[np.ndarray]]:
    """Named lists of samples for the group comparisons (MWU uses the first two)."""
    rng = np.random.default_rng(SEED)
    return {
        "likert5_ties": [likert(rng, 40, 5, 0.3), likert(rng, 55, 5), likert(rng, 23, 5, -0.2)],
        "likert4_no_neutral": [likert(rng, 31, 4, 0.4), likert(rng, 47, 4), likert(rng, 12, 4, -0.5)],
        "likert7": [likert(rng, 60, 7, 0.2), likert(rng, 38, 7), likert(rng, 25, 7, 0.1), likert(rng, 18, 7, -0.3)],
        "missing_answers": [likert(rng, 80, 5, 0.2, missing=0.2), likert(rng, 70, 5, missing=0.25)],
        "unequal_sizes": [likert(rng, 3, 5), likert(rng, 200, 5, 0.5), likert(rng, 17, 5, -0.4)],
        "group_of_one": [np.array([4.0]), likert(rng, 30, 5), likert(rng, 12, 5, 0.6)],
        "tiny_untied": [rng.normal(size=4), rng.normal(0.8, size=6)],
        "tiny_tied": [np.array([1.0, 2, 2, 3]), np.array([2.0, 3, 3, 4, 5])],
        "large_n": [likert(rng, 60_000, 5, 0.05, missing=0.03), likert(rng, 40_000, 5, missing=0.03), likert(rng, 25_000, 5, -0.02)],
        "theme_scores": [theme_scores(rng, 150), theme_scores(rng, 120), theme_scores(rng, 90)],
        "continuous": [rng.normal(size=50), rng.normal(0.3, size=70), rng.exponential(size=40)],
    }


def dropna(x: np.ndarray) -> np.ndarray:
    return x[~np.isnan(x)]


def pair_cases() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Named paired samples for Spearman."""
    rng = np.random.default_rng(SEED + 1)

    def related(n, points, missing=0.0, strength=0.6):
        x = likert(rng, n, points, missing=missing)
        noise = likert(rng, n, points, missing=missing)
        y = np.where(rng.random(n) < strength, x, noise)
        return x, y

    return {
        "likert5_ties": related(120, 5),
        "likert4_no_neutral": related(90, 4),
        "likert7": related(75, 7, strength=0.3),
        "missing_answers": related(200, 5, missing=0.2),
        "tiny": (np.array([1.0, 2, 3, 3]), np.array([2.0, 2, 4, 3])),
        "large_n": related(100_000, 5, missing=0.05, strength=0.2),
        "theme_scores": (theme_scores(rng, 300), theme_scores(rng, 300)),
        "continuous": _continuous_pair(rng, 5000),
    }


def _continuous_pair(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=n)
    return x, 0.5 * x + rng.normal(size=n)


def call_quietly(fn, *args, **kwargs):
    """Call ``fn`` with every warning turned into an error (the core must emit none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)

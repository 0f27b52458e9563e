"""Percentile bootstrap from count tables: resampling respondents == multinomial draws of level counts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._errors import StatsInputError

__all__ = ["bootstrap_tables", "percentile_ci", "check_bootstrap_args"]

# Upper bound on cells of one resampled block, so memory stays flat for non-discrete data.
_CHUNK_CELLS = 1 << 21
# Below this many observations per level it is cheaper to redraw respondents than levels.
_VALUES_PER_LEVEL_FOR_MULTINOMIAL = 10


def check_bootstrap_args(n_boot, confidence, seed) -> None:
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise StatsInputError(f"n_boot: expected a whole number >= 0, got {n_boot!r}")
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise StatsInputError(f"confidence: expected a number between 0 and 1, got {confidence!r}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise StatsInputError(f"seed: expected a whole number >= 0, got {seed!r}")


def _draw_group(rng: np.random.Generator, counts: np.ndarray, size: int) -> np.ndarray:
    """``size`` resamples (with replacement) of one group's respondents, as level counts."""
    n = int(round(counts.sum()))
    k = counts.size
    if n == 0:
        return np.zeros((size, k))
    if n >= _VALUES_PER_LEVEL_FOR_MULTINOMIAL * k:
        return rng.multinomial(n, counts / n, size=size).astype(np.float64)
    # Non-discrete data: one level per value, so draw respondents and count them.
    codes = np.repeat(np.arange(k), counts.astype(np.int64))
    picked = codes[rng.integers(0, n, size=(size, n))]
    offsets = (np.arange(size) * k)[:, None]
    return np.bincount((picked + offsets).ravel(), minlength=size * k).reshape(size, k).astype(np.float64)


def bootstrap_tables(
    table: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    n_boot: int,
    seed: int,
) -> np.ndarray:
    """Evaluate ``statistic`` on ``n_boot`` resampled count tables.

    ``table`` has shape (groups, levels); each group is resampled at its own size (stratified
    bootstrap, group sizes fixed). ``statistic`` maps an array (b, groups, levels) to (b,).
    Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    g, k = table.shape
    n_max = int(table.sum(axis=1).max(initial=0))
    chunk = max(1, _CHUNK_CELLS // max(1, g * max(k, min(n_max, k * _VALUES_PER_LEVEL_FOR_MULTINOMIAL))))
    out = np.empty(n_boot)
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        block = np.stack([_draw_group(rng, table[i], size) for i in range(g)], axis=1)
        out[start : start + size] = statistic(block)
    return out


def percentile_ci(values: np.ndarray, confidence: float) -> tuple[float, float, str]:
    """Percentile interval of bootstrap replicates; undefined replicates (NaN) are set aside.

    Returns (low, high, reason); the interval is NaN when fewer than half the replicates are defined.
    """
    if values.size == 0:
        return np.nan, np.nan, "CI not computed (n_boot=0)"
    finite = values[np.isfinite(values)]
    if finite.size < values.size / 2:
        return np.nan, np.nan, f"bootstrap CI undefined: statistic undefined in {values.size - finite.size} of {values.size} resamples"
    low, high = np.quantile(finite, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high), ""

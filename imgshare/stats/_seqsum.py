"""Left-to-right float64 sums of a long sequence of few distinct values, bit for bit, without a pass per value.

numpy sums down a column of a 2-D array one element after another (``s = s + x``, rounded each
time). To reproduce such a sum for ``values[rows]`` (few distinct values, many rows) exactly
without adding a million floats one by one: while the running sum ``s`` stays in one binade
``[2^(e-1), 2^e)`` every double there is a multiple of ``u = 2^(e-53)``, so ``s + x`` rounds to
``s + round_u(x)`` (``x`` rounded to a multiple of ``u``; an exact tie depends on ``s`` and is
left to the slow path). A chunk of rows whose rounded increments keep ``s`` inside the binade
therefore adds exactly ``sum(count_v * round_u(v))``, an integer number of ``u``: exact integer
arithmetic. Chunks that cross a binade (a few dozen in all, as ``s`` doubles) or meet a tie are
added one by one with ``cumsum``. Only non-negative finite values are accepted (sums of squares).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["sequential_sums"]

# Rows per chunk: one chunk's pattern counts stay small, a chunk added one by one stays cheap.
_CHUNK = 1 << 14
# Integers below this are exact in float64 (and an s below 2^e is at most 2^53 - 1 units of u).
_UNITS = 1 << 53
_LOW_BITS = 26
# Chunks whose increments are computed at once for the current binade.
_WINDOW = 64
# Below this a running total could be subnormal, where the spacing of doubles is not 2^(e-53).
_TINY = 2.0**-1000


def sequential_sums(table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Column sums of ``table[rows]`` (shape (patterns, columns)), each added row after row.

    Equal to ``table[rows].sum(axis=0)`` as numpy computes it for a C-ordered array of two or
    more columns (one running total per column, rows added in order), without building
    ``table[rows]``.
    """
    table = np.asarray(table, dtype=np.float64)
    rows = np.asarray(rows)
    if rows.size == 0:
        return np.zeros(table.shape[1])
    # One column is summed pairwise by numpy (as a 1-D array); other values take the direct route.
    if table.shape[1] < 2 or not (np.isfinite(table).all() and (table >= 0).all()):
        return table[rows].sum(axis=0)
    chunks = _chunk_counts(rows, table.shape[0])
    return np.array([_column_sum(np.ascontiguousarray(table[:, j]), rows, chunks) for j in range(table.shape[1])])


def _chunk_counts(rows: np.ndarray, patterns: int) -> np.ndarray:
    """Rows of each pattern in every chunk after the first element: shape (chunks, patterns)."""
    tail = rows[1:]
    if tail.size == 0:
        return np.zeros((0, patterns), dtype=np.int64)
    return np.stack([np.bincount(tail[s : s + _CHUNK], minlength=patterns) for s in range(0, tail.size, _CHUNK)])


def _column_sum(values: np.ndarray, rows: np.ndarray, chunks: np.ndarray) -> np.float64:
    total = np.float64(values[rows[0]])
    c, window, exponent = 0, 1, None
    while c < chunks.shape[0]:
        if total > _TINY:
            # Add whole chunks, in units of the current binade, for as long as they stay inside it.
            e = math.frexp(total)[1]
            window = min(2 * window, _WINDOW) if e == exponent else 1
            exponent = e
            whole, taken = int(total * 2.0 ** (53 - e)), 0
            for step in _chunk_units(_rounded_units(values, e), chunks[c : c + window]):
                if step is None or whole + step >= _UNITS:
                    break
                whole, taken = whole + step, taken + 1
            if taken:
                total, c = np.float64(math.ldexp(float(whole), e - 53)), c + taken
                continue
        start = 1 + c * _CHUNK
        total = np.cumsum(np.concatenate(([total], values[rows[start : start + _CHUNK]])))[-1]
        c += 1
    return total


def _rounded_units(values: np.ndarray, e: int) -> np.ndarray:
    """Each value rounded to the nearest multiple of 2^(e-53), in those units; -1 marks a tie or a
    value too large to stay in the binade."""
    q = np.ldexp(values, 53 - e)
    big = ~(q < _UNITS)
    q[big] = 0.0
    low = np.floor(q)
    frac = q - low
    units = (low + (frac > 0.5)).astype(np.int64)
    units[(frac == 0.5) | big] = -1
    return units


def _chunk_units(units: np.ndarray, counts: np.ndarray) -> list[int | None]:
    """Per chunk (row of ``counts``): exact sum of count * units, or None when a present pattern ties."""
    blocked = (counts[:, units < 0] > 0).any(axis=1)
    units = np.where(units < 0, 0, units)
    # High and low bits apart, every product and sum stays below 2^53: exact in a float64 dot product.
    weights = counts.astype(np.float64)
    high = weights @ (units >> _LOW_BITS).astype(np.float64)
    low = weights @ (units & ((1 << _LOW_BITS) - 1)).astype(np.float64)
    return [None if blocked[i] else (int(high[i]) << _LOW_BITS) + int(low[i]) for i in range(counts.shape[0])]

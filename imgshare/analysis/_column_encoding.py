"""Columns encoded once per analysis and counted in blocks: the only per-respondent work.

A column becomes its sorted distinct answers (``levels``) and each respondent's index into them
(``codes``; ``len(levels)`` marks no answer), stored in the smallest integer type. Every table
the analysis needs is then a ``bincount`` of a mixed-radix key over a few such code vectors,
done in cache-sized blocks; everything else is computed from the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..codebook import Scale

__all__ = ["BLOCK", "Coded", "code_dtype", "count_keys", "encode_series", "encode_values", "mixed_radix",
           "reverse_keyed", "values_of"]

# Rows per block of the counting passes: the key buffer and the codes stay in cache.
BLOCK = 1 << 16
# Integer answers spanning at most this many values are encoded by offset (no hashing).
_MAX_SPAN = 1 << 15
# Up to this many codes are counted by comparison (vectorised) rather than by bincount.
_COMPARE_LEVELS = 16


@dataclass(frozen=True, eq=False)
class Coded:
    """One column encoded: ``levels`` (sorted distinct values), ``codes`` (index per row; ``k`` =
    missing) and ``counts`` (respondents per level, then the missing count at index ``k``)."""

    levels: np.ndarray
    codes: np.ndarray
    counts: np.ndarray

    @property
    def k(self) -> int:
        return int(self.levels.size)

    @property
    def n_answered(self) -> int:
        return int(self.counts[: self.k].sum())

    def index_of(self, value: float) -> int | None:
        """Index of level ``value``, or None when nobody gave that answer."""
        pos = int(np.searchsorted(self.levels, value))
        return pos if pos < self.k and self.levels[pos] == value else None


def code_dtype(top: int) -> type:
    """Smallest signed integer type holding 0..top."""
    for dtype in (np.int8, np.int16, np.int32):
        if top <= np.iinfo(dtype).max:
            return dtype
    return np.int64


def count_keys(parts: Sequence[tuple[np.ndarray, int]], n: int) -> np.ndarray:
    """Joint counts of code vectors: shape ``(r1, r2, ...)`` for parts ``(codes_i, r_i)``.

    Each part's codes lie in ``0..r_i - 1``; the key is mixed radix (first part most significant).
    """
    shape = tuple(int(r) for _, r in parts)
    cells = int(np.prod(shape, dtype=np.int64))
    if cells > BLOCK:  # a large table: one pass, or every block would allocate the whole table
        return np.bincount(_key(parts, slice(0, n), n), minlength=cells).reshape(shape)
    table = np.zeros(cells, dtype=np.int64)
    buffer = np.empty(min(n, BLOCK), dtype=np.intp)
    for start in range(0, n, BLOCK):
        block = slice(start, min(start + BLOCK, n))
        table += np.bincount(_key(parts, block, block.stop - block.start, buffer), minlength=cells)
    return table.reshape(shape)


def _key(parts, block: slice, size: int, buffer: np.ndarray | None = None) -> np.ndarray:
    key = np.empty(size, dtype=np.intp) if buffer is None else buffer[:size]
    key[:] = parts[0][0][block]
    for codes, radix in parts[1:]:
        key *= radix
        key += codes[block]
    return key


def mixed_radix(parts: Sequence[tuple[np.ndarray, int]], n: int) -> np.ndarray:
    """Per-row mixed-radix key of code vectors, in the smallest integer type that holds it."""
    cells = int(np.prod([r for _, r in parts], dtype=np.int64))
    out = np.empty(n, dtype=code_dtype(cells - 1))
    buffer = np.empty(min(n, BLOCK), dtype=np.intp)
    for start in range(0, n, BLOCK):
        block = slice(start, min(start + BLOCK, n))
        out[block] = _key(parts, block, block.stop - block.start, buffer)
    return out


def _empty(n: int) -> Coded:
    return Coded(np.empty(0), np.zeros(n, dtype=np.int8), np.array([n], dtype=np.int64))


def encode_values(x: np.ndarray, integral: bool = False) -> Coded:
    """Encode float values (NaN = missing). ``integral=True`` promises whole numbers (integer dtype).

    Whole numbers within a small span are offset from the minimum (no hashing) and counted level
    by level; anything else is hashed (``pandas.factorize``). Levels are exactly the values.
    """
    n = x.size
    lo = np.fmin.reduce(x) if n else np.nan
    if np.isnan(lo):
        return _empty(n)
    hi = np.fmax.reduce(x)
    if np.isfinite(lo) and np.isfinite(hi) and hi - lo < _MAX_SPAN and (integral or _whole(x)):
        span = int(hi - lo) + 1
        codes = np.empty(n, dtype=code_dtype(span))
        with np.errstate(invalid="ignore"):  # NaN -> int is undefined and overwritten right away
            np.subtract(x, lo, out=codes, casting="unsafe")
        _mark_missing(codes, np.isnan(x), span)
        return _from_offsets(codes, float(lo), span)
    raw, uniques = pd.factorize(x, sort=True, use_na_sentinel=True)
    k = len(uniques)
    codes = np.where(raw < 0, k, raw).astype(code_dtype(k))
    return Coded(np.asarray(uniques, dtype=np.float64), codes, np.bincount(codes, minlength=k + 1))


def _count_codes(codes: np.ndarray, size: int) -> np.ndarray:
    """``bincount`` of small codes; a handful of levels is faster to count one comparison at a time."""
    if size <= _COMPARE_LEVELS:
        return np.array([np.count_nonzero(codes == c) for c in range(size)], dtype=np.int64)
    return count_keys([(codes, size)], codes.size)


def _whole(x: np.ndarray) -> bool:
    # floor(v) <= v, so a positive fractional part is the only way to be fractional; NaN > 0 is False.
    return not any((x[s : s + BLOCK] - np.floor(x[s : s + BLOCK]) > 0).any() for s in range(0, x.size, BLOCK))


def encode_series(series: pd.Series) -> Coded:
    """Encode one response column as numbers (non-numeric text counts as no answer)."""
    dtype = series.dtype
    coded = _encode_integers(series)
    if coded is not None:
        return coded
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        integral = pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        return encode_values(series.to_numpy(dtype=np.float64, na_value=np.nan), integral)
    values = pd.to_numeric(series, errors="coerce")
    return encode_values(np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=np.float64))


def _encode_integers(series: pd.Series) -> Coded | None:
    """Integer codes (the cohort's "Int64" columns) encoded without a float copy, or None if not integers."""
    array = series.array
    if isinstance(array, pd.arrays.IntegerArray):
        # The masked array's own buffers: values, and True where the answer is missing.
        data, mask = array._data, array._mask
    elif isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":
        data, mask = series.to_numpy(), None
    else:
        return None
    n = data.size
    if n == 0:
        return _empty(0)
    # Bounds over every slot: a missing slot's stored value can only widen the span.
    lo, hi = int(data.min()), int(data.max())
    if hi - lo >= _MAX_SPAN:
        return None
    span = hi - lo + 1
    codes = np.empty(n, dtype=code_dtype(span))
    np.subtract(data, lo, out=codes, casting="unsafe")
    if mask is not None:
        _mark_missing(codes, mask, span)
    return _from_offsets(codes, float(lo), span)


def _mark_missing(codes: np.ndarray, missing: np.ndarray, span: int) -> None:
    """Set ``codes`` to ``span`` where ``missing``, in place."""
    # Integer arithmetic (wrapping is exact) is several times faster than a masked assignment.
    codes += missing.view(np.int8).astype(codes.dtype, copy=False) * (span - codes)


def _from_offsets(codes: np.ndarray, lo: float, span: int) -> Coded:
    """``Coded`` from offsets ``value - lo`` (``span`` = missing): values nobody gave are dropped."""
    full = _count_codes(codes, span + 1)
    present = full[:span] > 0
    if present.all():
        return Coded(lo + np.arange(span, dtype=np.float64), codes, full)
    lookup = np.append(np.cumsum(present) - 1, present.sum()).astype(codes.dtype)
    levels = lo + np.flatnonzero(present).astype(np.float64)
    return Coded(levels, lookup[codes], np.append(full[:span][present], full[span]))


def reverse_keyed(coded: Coded, scale: Scale) -> Coded:
    """The codes of a reverse-keyed item: each answer mirrored within its scale; off-scale answers missing."""
    mirror = {float(c): float(scale.reversed_code(c)) for c in scale.codes}
    mapped = np.array([mirror.get(float(v), np.nan) for v in coded.levels], dtype=np.float64)
    keep = ~np.isnan(mapped)
    levels = np.unique(mapped[keep])
    k = levels.size
    lookup = np.full(coded.k + 1, k, dtype=np.int64)
    lookup[np.flatnonzero(keep)] = np.searchsorted(levels, mapped[keep])
    counts = np.bincount(lookup, weights=coded.counts, minlength=k + 1).astype(np.int64)
    return Coded(levels, lookup.astype(code_dtype(k))[coded.codes], counts)


def values_of(coded: Coded) -> np.ndarray:
    """Each row's value as float (NaN = missing)."""
    return np.append(coded.levels, np.nan)[coded.codes]

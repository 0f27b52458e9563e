"""Counting pass: raw answers -> sorted levels + counts, and the rank facts that follow from counts.

Every rank statistic in this package is computed from level counts. Raw input is factorised
once (an O(N) ``bincount`` for small integer codes, a hash factorisation otherwise); after that
the cost depends on the number of distinct levels, not on N. For non-discrete data every value
is its own level, so the same code is exact for any data.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._errors import StatsInputError

__all__ = ["LevelCounts", "LevelCodes", "Grouping", "level_counts_by_group", "average_ranks", "midranks", "tie_sum"]

# Integer codes spanning at most this many values are counted with one bincount (O(N), no hashing).
_BINCOUNT_SPAN = 1 << 16
# Rows per block in the counting pass.
_BLOCK = 1 << 16


def as_values(x, name: str = "x") -> np.ndarray:
    """Coerce one sample to a 1-D float64 array with NaN for missing answers (pd.NA, None, NaN).

    The result may share memory with the input, so it is returned read-only: nothing here can
    write into a caller's data.
    """
    return coerce(x, name)[0]


def coerce(x, name: str = "x") -> tuple[np.ndarray, bool]:
    """:func:`as_values` plus whether the source dtype guarantees whole numbers (no check needed)."""
    if isinstance(x, LevelCounts):
        raise StatsInputError(f"{name}: expected raw values, got LevelCounts")
    if isinstance(x, (pd.DataFrame,)):
        raise StatsInputError(f"{name}: expected one column of values, got a table with {x.shape[1]} columns")
    if isinstance(x, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
        dtype = x.dtype
        if isinstance(dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        ):
            if pd.api.types.is_object_dtype(dtype):
                return coerce(np.asarray(x, dtype=object), name)
            raise StatsInputError(f"{name}: expected numbers, found values of type {dtype}")
        integral = pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        out = np.asarray(x.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64)
    else:
        arr = np.asarray(x)
        if arr.ndim != 1:
            raise StatsInputError(f"{name}: expected a 1-D sequence of values, got shape {arr.shape}")
        integral = arr.dtype.kind in "biu"
        if arr.dtype.kind in "biuf":
            out = arr.astype(np.float64, copy=False)
        elif arr.dtype.kind == "O":
            try:
                out = pd.to_numeric(pd.Series(arr, dtype=object), errors="raise").to_numpy(
                    dtype="float64", na_value=np.nan
                )
            except (TypeError, ValueError) as exc:
                raise StatsInputError(f"{name}: expected numbers, found non-numeric values ({exc})") from None
            out = np.asarray(out, dtype=np.float64)
        else:
            raise StatsInputError(f"{name}: expected numbers, found values of type {arr.dtype}")
    if out.ndim != 1:
        raise StatsInputError(f"{name}: expected a 1-D sequence of values, got shape {out.shape}")
    # fmin/fmax skip NaN, so they reach +-inf exactly when one is present (two cheap reductions).
    if not integral and out.size and (np.fmax.reduce(out) == np.inf or np.fmin.reduce(out) == -np.inf):
        raise StatsInputError(f"{name}: contains infinite values; expected finite numbers or missing")
    out = out.view()  # a new view object: locking it leaves the caller's own array writable
    out.flags.writeable = False
    return out, integral


def _blocks(n: int):
    """Slices of at most _BLOCK rows: temporaries stay in cache instead of costing page faults."""
    return (slice(start, start + _BLOCK) for start in range(0, n, _BLOCK))


def _is_integral(x: np.ndarray) -> bool:
    # floor(v) <= v, so a positive fractional part is the only way to be non-integral; NaN > 0 is False.
    return not any((x[b] - np.floor(x[b]) > 0).any() for b in _blocks(x.size))


def _offset_codes(x: np.ndarray, lo: float, missing_code: int) -> np.ndarray:
    codes = np.empty(x.size, dtype=np.int64)
    with np.errstate(invalid="ignore"):  # NaN -> int is garbage here and overwritten just below
        for b in _blocks(x.size):
            out = codes[b]
            np.subtract(x[b], lo, out=out, casting="unsafe")
            out[np.isnan(x[b])] = missing_code
    return codes


def encode(x: np.ndarray, integral: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split values (NaN = missing) into (sorted distinct levels, code per value, count per level).

    Missing values get code ``k`` = number of levels, so one ``bincount`` with ``k + 1`` bins
    counts answers and non-answers together without first dropping rows. Small integer codes
    (Likert answers) are counted directly; other values are hashed (``pandas.factorize``).
    ``integral=True`` promises whole numbers (an integer source dtype) and skips that check.
    """
    n = x.size
    lo = np.fmin.reduce(x) if n else np.nan
    if np.isnan(lo):
        return np.empty(0), np.zeros(n, dtype=np.int64), np.empty(0, dtype=np.int64)
    hi = np.fmax.reduce(x)
    if hi - lo < max(_BINCOUNT_SPAN, 2 * n) and (integral or _is_integral(x)):
        span = int(hi - lo) + 1
        offset = _offset_codes(x, lo, span)
        full = np.bincount(offset, minlength=span + 1)
        present = full[:span] > 0
        if present.all():
            return lo + np.arange(span, dtype=np.float64), offset, full[:span]
        lookup = np.empty(span + 1, dtype=np.int64)
        lookup[:span] = np.cumsum(present) - 1
        lookup[span] = int(present.sum())
        return lo + np.flatnonzero(present).astype(np.float64), lookup[offset], full[:span][present]
    codes, uniques = pd.factorize(x, sort=True, use_na_sentinel=True)
    k = len(uniques)
    codes = np.where(codes < 0, k, codes).astype(np.int64, copy=False)
    return np.asarray(uniques, dtype=np.float64), codes, np.bincount(codes, minlength=k + 1)[:k]


def joint_counts(codes_a: np.ndarray, ka: int, codes_b: np.ndarray, kb: int) -> np.ndarray:
    """Joint table (ka + 1) x (kb + 1) of two code vectors (last row/column = missing), blockwise."""
    cells = (ka + 1) * (kb + 1)
    if cells > _BLOCK:  # large table: one pass, or every block would allocate the whole table
        combined = codes_a * (kb + 1)
        combined += codes_b
        return np.bincount(combined, minlength=cells).reshape(ka + 1, kb + 1)
    table = np.zeros(cells, dtype=np.int64)
    for b in _blocks(codes_a.size):
        table += np.bincount(codes_a[b] * (kb + 1) + codes_b[b], minlength=cells)
    return table.reshape(ka + 1, kb + 1)


def midranks(counts: np.ndarray) -> np.ndarray:
    """Average rank of each level given counts per level in ascending level order.

    Works along the last axis, so a stack of count vectors (bootstrap resamples) is ranked at once.
    """
    counts = np.asarray(counts, dtype=np.float64)
    return np.cumsum(counts, axis=-1) - (counts - 1.0) / 2.0


def tie_sum(counts: np.ndarray) -> np.ndarray:
    """Sum over levels of t**3 - t, the tie term of every rank test (last axis)."""
    t = np.asarray(counts, dtype=np.float64)
    return np.sum(t**3 - t, axis=-1)


@dataclass(frozen=True, eq=False)
class LevelCounts:
    """How many observations took each distinct value: the sufficient data of every rank test.

    Parameters
    ----------
    levels : array_like of float
        Distinct values in strictly increasing order.
    counts : array_like of int
        Number of observations at each level (zero allowed).

    Examples
    --------
    >>> lc = LevelCounts.from_values([1, 2, 2, None, 5])
    >>> lc.levels.tolist(), lc.counts.tolist(), lc.n
    ([1.0, 2.0, 5.0], [1, 2, 1], 4)
    """

    levels: np.ndarray
    counts: np.ndarray

    def __post_init__(self):
        levels = np.array(self.levels, dtype=np.float64)
        raw = np.asarray(self.counts)
        if raw.dtype.kind not in "biuf":
            raise StatsInputError(f"counts: expected integers, found values of type {raw.dtype}")
        counts = raw.astype(np.float64)
        if levels.ndim != 1 or counts.shape != levels.shape:
            raise StatsInputError(f"LevelCounts: levels {levels.shape} and counts {counts.shape} must be 1-D of equal length")
        if not np.isfinite(levels).all() or (levels.size > 1 and not (np.diff(levels) > 0).all()):
            raise StatsInputError("LevelCounts: levels must be finite and strictly increasing")
        if not np.isfinite(counts).all() or (counts < 0).any() or not np.array_equal(counts, np.rint(counts)):
            raise StatsInputError("LevelCounts: counts must be non-negative whole numbers")
        levels.flags.writeable = False
        counts = counts.astype(np.int64)
        counts.flags.writeable = False
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "counts", counts)

    @classmethod
    def trusted(cls, levels: np.ndarray, counts: np.ndarray) -> "LevelCounts":
        """Wrap arrays already known to be valid (float64 increasing levels, non-negative int64
        counts of the same length) without checking them again: for callers that built them."""
        obj = object.__new__(cls)
        object.__setattr__(obj, "levels", levels)
        object.__setattr__(obj, "counts", counts)
        return obj

    @classmethod
    def from_values(cls, values) -> "LevelCounts":
        """Count the non-missing values of one sample."""
        levels, _, counts = encode(as_values(values, "values"))
        return cls(levels, counts)

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.counts.sum())

    def __repr__(self) -> str:
        return f"LevelCounts(levels={self.levels.tolist()}, counts={self.counts.tolist()})"


@dataclass(frozen=True, eq=False)
class LevelCodes:
    """One variable encoded once: its sorted distinct levels and each row's level index.

    ``codes[i] == len(levels)`` marks a missing value. Pass it to :meth:`Grouping.level_counts`
    to count the same variable under several groupings without re-encoding it.

    Examples
    --------
    >>> lc = LevelCodes.from_values([2, None, 5, 2])
    >>> lc.levels.tolist(), lc.codes.tolist(), lc.level_counts().counts.tolist()
    ([2.0, 5.0], [0, 2, 1, 0], [2, 1])
    """

    levels: np.ndarray
    codes: np.ndarray

    @classmethod
    def from_values(cls, values) -> "LevelCodes":
        """Encode one variable (missing = NA/None/NaN)."""
        levels, codes, _ = encode(*coerce(values, "values"))
        levels.flags.writeable = False
        codes.flags.writeable = False
        return cls(levels, codes)

    def level_counts(self) -> LevelCounts:
        """Counts of the non-missing values."""
        return LevelCounts(self.levels, np.bincount(self.codes, minlength=self.levels.size + 1)[: self.levels.size])


@dataclass(frozen=True, eq=False)
class Grouping:
    """A grouping variable encoded once, to count many variables by group cheaply.

    Build with :meth:`from_labels`; ``labels`` are the groups present, sorted; ``codes`` gives
    each row's group index (``len(labels)`` for a missing label).

    Examples
    --------
    >>> g = Grouping.from_labels(["nurse", "doctor", None, "nurse"])
    >>> g.labels
    ('doctor', 'nurse')
    >>> {k: v.counts.tolist() for k, v in g.level_counts([1, 2, 3, 2]).items()}
    {'doctor': [0, 1], 'nurse': [1, 1]}
    """

    labels: tuple
    codes: np.ndarray

    @classmethod
    def from_labels(cls, labels) -> "Grouping":
        """Encode group labels (numbers, strings or categories; missing = NA/None/NaN)."""
        dtype = getattr(labels, "dtype", None)
        numeric = dtype is not None and not isinstance(dtype, pd.CategoricalDtype) and (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        )
        if numeric:
            levels, codes, _ = encode(as_values(labels, "groups"))
            names = tuple(int(v) if v == int(v) else float(v) for v in levels)
        else:
            pandas_like = isinstance(labels, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray))
            series = pd.Series(labels) if pandas_like else pd.Series(np.asarray(labels, dtype=object))
            if series.ndim != 1:
                raise StatsInputError(f"groups: expected one label per row, got shape {np.shape(labels)}")
            raw, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
            names = tuple(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))
            codes = np.where(raw < 0, len(names), raw).astype(np.int64)
        codes.flags.writeable = False
        return cls(names, codes)

    def level_counts(self, values) -> dict[Hashable, LevelCounts]:
        """Count ``values`` (one per row, raw or :class:`LevelCodes`) in each group, on one shared level set.

        Rows with a missing value or a missing group are not counted.
        """
        encoded = values if isinstance(values, LevelCodes) else LevelCodes.from_values(values)
        levels, vcodes = encoded.levels, encoded.codes
        if vcodes.size != self.codes.size:
            raise StatsInputError(f"groups: length {self.codes.size} differs from values length {vcodes.size}")
        g, k = len(self.labels), levels.size
        table = joint_counts(self.codes, g, vcodes, k)[:g, :k]
        used = table.sum(axis=0) > 0  # a level seen only in rows without a group is not a level here
        if not used.all():
            levels, table = levels[used], table[:, used]
        return {name: LevelCounts(levels, table[i]) for i, name in enumerate(self.labels)}


def level_counts_by_group(values, groups) -> dict[Hashable, LevelCounts]:
    """Count values per group in one pass; every group shares the same level set.

    Rows where the value or the group is missing are dropped. Groups come out in sorted order.
    ``groups`` may be labels (one per row) or a :class:`Grouping` built once for many variables.

    Examples
    --------
    >>> d = level_counts_by_group([1, 2, 2, 3, None], ["a", "b", "a", "b", "a"])
    >>> {g: c.counts.tolist() for g, c in d.items()}
    {'a': [1, 1, 0], 'b': [0, 1, 1]}
    """
    grouping = groups if isinstance(groups, Grouping) else Grouping.from_labels(groups)
    return grouping.level_counts(values)


def count_table(groups: Sequence, names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Put several samples (raw values or LevelCounts) on one level set.

    Returns (levels, table of shape (n_groups, n_levels) as float64, group names).
    """
    if names is None:
        names = [f"group{i + 1}" for i in range(len(groups))]
    names = [str(n) for n in names]
    if len(names) != len(groups):
        raise StatsInputError(f"names: {len(names)} names given for {len(groups)} groups")
    if len(set(names)) != len(names):
        raise StatsInputError(f"names: group names must be distinct, got {names}")
    per_group = []
    for name, grp in zip(names, groups):
        if isinstance(grp, LevelCounts):
            per_group.append((grp.levels, grp.counts))
        else:
            lv, _, ct = encode(as_values(grp, name))
            per_group.append((lv, ct))
    levels = np.unique(np.concatenate([lv for lv, _ in per_group])) if per_group else np.empty(0)
    table = np.zeros((len(per_group), levels.size))
    for i, (lv, ct) in enumerate(per_group):
        table[i, np.searchsorted(levels, lv)] = ct
    return levels, table, names


def average_ranks(x) -> np.ndarray:
    """Average ranks (ties get the mean of the ranks they span); missing values stay NaN.

    Equals ``scipy.stats.rankdata(x, nan_policy="omit")``.

    Examples
    --------
    >>> average_ranks([10, 20, 20, None, 5]).tolist()
    [2.0, 3.5, 3.5, nan, 1.0]
    """
    _, codes, counts = encode(as_values(x))
    return np.append(midranks(counts), np.nan)[codes]

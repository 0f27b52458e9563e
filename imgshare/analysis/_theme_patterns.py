"""A theme's items counted together by answer pattern: scores, item pairs and complete cases from one pass.

Theme scores are not discrete in general (the mean of the answered items) but take few distinct
values. When the theme's items have few joint answer patterns ("cells": every combination of
keyed level or no answer), each respondent gets one cell index, one ``bincount`` counts the
cells, and the score, each item pair's joint table and the complete-case totals follow per cell.
Otherwise (many items) scores are computed per respondent and factorised once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ._coded_cohort import CodedCohort
from ._column_encoding import BLOCK, Coded, code_dtype, count_keys, encode_values, mixed_radix, values_of

__all__ = ["ThemeCodes", "answer_patterns", "item_table", "required_answers", "row_scores", "score_items",
           "theme_codes"]

# Themes with at most this many answer patterns are counted by pattern.
_MAX_CELLS = 1 << 16


def required_answers(n_items: int, min_answered: float) -> int:
    """Smallest number of answered items meeting the ``min_answered`` share (at least one)."""
    # Round before the ceiling so 0.5 * 4 is 2, not 3 through floating-point error.
    return max(1, math.ceil(round(min_answered * n_items, 9)))


def score_items(keyed: pd.DataFrame, min_answered: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of keyed item codes: (items answered, mean of answered items or NaN by the rule)."""
    values = keyed.to_numpy(dtype=float)
    n_answered = (~np.isnan(values)).sum(axis=1).astype("int64")
    enough = n_answered >= required_answers(keyed.shape[1], min_answered)
    total = np.where(np.isnan(values), 0.0, values).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return n_answered, np.where(enough, total / n_answered, np.nan)


@dataclass(frozen=True, eq=False)
class ThemeCodes:
    """Scores of one theme in one questionnaire, as counts, with the tables behind them.

    ``score_levels`` are the distinct scores, ``score_counts`` respondents per score then the
    unscored count. ``codes``/``radix`` is the per-row vector to count against a grouping
    (answer patterns, or score codes), ``to_score`` maps it to a score code.
    """

    items: tuple[str, ...]
    target: tuple  # names ``codes`` in the memo of :meth:`CodedCohort.by_table`
    keyed: tuple[Coded, ...]
    score_levels: np.ndarray
    score_counts: np.ndarray
    codes: np.ndarray
    radix: int
    to_score: np.ndarray
    joint: np.ndarray | None
    row_values: np.ndarray | None  # per-row scores (fallback path only; else computed on demand)
    row_answered: np.ndarray | None
    cell_values: np.ndarray | None
    cell_answered: np.ndarray | None

    def score_counts_by(self, table: np.ndarray) -> np.ndarray:
        """Collapse a (groups x ``radix``) table to (groups x scores incl. unscored)."""
        size = self.score_levels.size + 1
        out = np.zeros((table.shape[0], size), dtype=np.int64)
        for g in range(table.shape[0]):
            out[g] = np.bincount(self.to_score, weights=table[g], minlength=size)
        return out

    def coded_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """Scores as (code per respondent, score per code; NaN = unscored)."""
        if self.row_values is not None:
            return self.codes, np.append(self.score_levels, np.nan)
        return self.codes, self.cell_values

    def scores(self) -> np.ndarray:
        """Each respondent's score (NaN = unscored), in row order."""
        if self.row_values is not None:
            return self.row_values
        return np.take(self.cell_values, self.codes)

    def answered(self) -> np.ndarray:
        """Items each respondent answered."""
        if self.row_answered is not None:
            return self.row_answered
        return np.take(self.cell_answered, self.codes)

    def pair_tables(self, n: int) -> dict[tuple[str, str], np.ndarray]:
        """Joint table of complete pairs for every item pair, in item order."""
        out = {}
        ks = [c.k for c in self.keyed]
        for i, j in combinations(range(len(self.items)), 2):
            if self.joint is not None:
                other = tuple(a for a in range(len(ks)) if a not in (i, j))
                pair = self.joint.sum(axis=other) if other else self.joint
            else:
                a, b = self.keyed[i], self.keyed[j]
                pair = count_keys([(a.codes, a.k + 1), (b.codes, b.k + 1)], n)
            out[(self.items[i], self.items[j])] = pair[: ks[i], : ks[j]]
        return out

    def complete_patterns(self, n: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Respondents answering every item: their answer patterns, each one's pattern (row order)
        and how many respondents did not answer every item."""
        if self.joint is not None:
            ks = tuple(c.k for c in self.keyed)
            patterns = _grid([c.levels for c in self.keyed])
            # Pattern number of each answer combination; -1 where an item is unanswered.
            lookup = np.full(self.joint.shape, -1, dtype=code_dtype(patterns.shape[0]))
            lookup[tuple(slice(0, k) for k in ks)] = np.arange(patterns.shape[0]).reshape(ks)
            rows = np.concatenate([np.empty(0, dtype=lookup.dtype)]
                                  + [r[r >= 0] for r in (lookup.ravel()[self.codes[s]] for s in _blocks(n))])
        else:
            complete = self.answered() == len(self.keyed)
            patterns = np.concatenate([np.empty((0, len(self.keyed)))]
                                      + [_matrix(self.keyed, s)[complete[s]] for s in _blocks(n)])
            rows = np.arange(patterns.shape[0])
        return patterns, rows, n - rows.size


def _blocks(n: int):
    return (slice(s, min(s + BLOCK, n)) for s in range(0, n, BLOCK))


def _grid(levels: list[np.ndarray]) -> np.ndarray:
    """Every combination of the given value vectors, first varying slowest: shape (cells, items)."""
    mesh = np.meshgrid(*levels, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1) if mesh else np.empty((1, 0))


def _matrix(keyed: tuple[Coded, ...], rows: slice) -> np.ndarray:
    return np.column_stack([values_of(c)[rows] for c in keyed])


def theme_codes(data: CodedCohort, qid: str, items: tuple[str, ...], min_answered: float) -> ThemeCodes:
    """Encode theme ``items`` of questionnaire ``qid`` once (memoised per analysis)."""
    return data.memo(("theme", qid, items, min_answered), lambda: _build(data, qid, items, min_answered))


def row_scores(data: CodedCohort, qid: str, items: tuple[str, ...], min_answered: float) -> np.ndarray:
    """Each respondent's score on ``items`` (NaN = unscored), built once per analysis."""
    return data.memo(("scores", qid, items, min_answered), theme_codes(data, qid, items, min_answered).scores)


def answer_patterns(data: CodedCohort, qid: str, items: tuple[str, ...]) -> tuple[np.ndarray, list[int]] | None:
    """Each respondent's answer pattern over ``items`` (keyed codes, mixed radix) and the radices,
    or None when there are too many patterns to count them one by one."""
    keyed = [data.keyed(qid, i) for i in items]
    radices = [c.k + 1 for c in keyed]
    if np.prod(radices, dtype=np.float64) > _MAX_CELLS:
        return None
    parts = [(c.codes, r) for c, r in zip(keyed, radices)]
    return data.memo(("cells", qid, items), lambda: mixed_radix(parts, data.n(qid))), radices


def item_table(data: CodedCohort, qid: str, var: str, item: str) -> np.ndarray | None:
    """(``var`` level x ``item`` answer) counts read off a theme's pattern table, or None.

    An item of a theme is counted with its theme (one pass per theme instead of one per item);
    only items whose keyed codes are their raw codes (not reverse-keyed) qualify.
    """
    return data.memo(("item table", qid, var, item), lambda: _item_table(data, qid, var, item))


def _item_table(data: CodedCohort, qid: str, var: str, item: str) -> np.ndarray | None:
    if data.codebook.items[item].reverse:
        return None
    for tid in data.codebook.themes:
        items = data.codebook.theme_items(tid, qid)
        found = answer_patterns(data, qid, items) if item in items else None
        if found is None:
            continue
        codes, radices = found
        table = data.by_table(qid, var, ("cells", items), codes, int(np.prod(radices)))
        axis = 1 + items.index(item)
        other = tuple(a for a in range(1, len(items) + 1) if a != axis)
        shaped = table.reshape(table.shape[0], *radices)
        return shaped.sum(axis=other) if other else shaped
    return None


def _build(data: CodedCohort, qid: str, items: tuple[str, ...], min_answered: float) -> ThemeCodes:
    keyed = tuple(data.keyed(qid, i) for i in items)
    n = data.n(qid)
    radices = [c.k + 1 for c in keyed]
    found = answer_patterns(data, qid, items)
    if found is not None:
        codes, _ = found
        cells = int(np.prod(radices))
        joint = data.total_counts(qid, ("cells", items), codes, cells).reshape(radices)
        # The score of every answer pattern, by the same arithmetic as per respondent.
        grid = _grid([np.append(c.levels, np.nan) for c in keyed])
        answered, values = score_items(pd.DataFrame(grid), min_answered)
        seen = joint.ravel() > 0
        levels = np.unique(values[seen & ~np.isnan(values)])
        to_score = np.where(np.isnan(values), levels.size, np.searchsorted(levels, values))
        counts = np.bincount(to_score, weights=joint.ravel(), minlength=levels.size + 1).astype(np.int64)
        return ThemeCodes(items, ("cells", items), keyed, levels, counts, codes, cells, to_score, joint, None, None,
                          values, answered)
    answered = np.empty(n, dtype=np.int64)
    values = np.empty(n, dtype=np.float64)
    for s in _blocks(n):
        answered[s], values[s] = score_items(pd.DataFrame(_matrix(keyed, s)), min_answered)
    score = encode_values(values)
    to_score = np.arange(score.k + 1)
    return ThemeCodes(items, ("scores", items, min_answered), keyed, score.levels, score.counts, score.codes,
                      score.k + 1, to_score, None, values, answered, None, None)

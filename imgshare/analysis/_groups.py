"""Who is compared with whom: the groups of a codebook comparison and each group's answers as counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..codebook import Comparison
from ._coded_cohort import CodedCohort
from ._theme_patterns import item_table, theme_codes

# Sums of whole numbers below this are exact in float64, so a mean from counts equals numpy's.
_EXACT = 2.0**53


@dataclass(frozen=True)
class Group:
    """One compared group: ``id`` (questionnaire id or level code as text) and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class Member:
    """A group's respondents: all of questionnaire ``qid``, or those whose ``var`` answer is ``level``."""

    group: Group
    qid: str
    var: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class Outcome:
    """One compared outcome: per group, counts over the shared ``levels`` and the mean (NaN when empty)."""

    name: str
    kind: str  # "item" | "theme" | "variable"
    levels: np.ndarray
    counts: tuple[np.ndarray, ...]
    means: tuple[float, ...]
    items: tuple[str, ...]
    reason: str = ""


def members(data: CodedCohort, comp: Comparison) -> list[Member]:
    cb = data.codebook
    if comp.between == "questionnaires":
        for qid in comp.groups:
            data.frame(qid)
        return [Member(Group(qid, cb.questionnaires[qid].label), qid) for qid in comp.groups]
    q = cb.questionnaires[comp.questionnaire]
    var = q.variables[comp.by]
    data.column(q.id, comp.by)
    levels = comp.levels if comp.levels is not None else tuple(c for c in var.codes if c not in var.missing_levels)
    return [Member(Group(str(c), var.label_of(c)), q.id, comp.by, c) for c in levels]


def outcome_items(cohort: Any, comp: Comparison, items: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The items to compare: ``items`` or the comparison's, kept when every group's questionnaire asks them."""
    qids = comp.groups if comp.between == "questionnaires" else (comp.questionnaire,)
    asked = set.intersection(*(set(cohort.codebook.questionnaires[q].items) for q in qids))
    wanted = comp.items if items is None else items
    return tuple(i for i in wanted if i in asked)


def _row_of(data: CodedCohort, m: Member, table: np.ndarray) -> np.ndarray:
    """The row of a (``var`` level x value) table that counts member ``m``."""
    index = data.column(m.qid, m.var).index_of(float(m.level))
    return table[index] if index is not None else np.zeros(table.shape[1], dtype=np.int64)


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Put each group's (levels, counts) on the levels some group has."""
    seen = [lv[c > 0] for lv, c in parts]
    levels = np.unique(np.concatenate(seen)) if seen else np.empty(0)
    out = []
    for lv, c in parts:
        counts = np.zeros(levels.size, dtype=np.int64)
        used = c > 0
        counts[np.searchsorted(levels, lv[used])] = c[used]
        out.append(counts)
    return levels, tuple(out)


def _count_mean(levels: np.ndarray, counts: np.ndarray) -> float | None:
    """Mean from counts when that is exactly numpy's mean of the values (whole numbers, exact sums)."""
    n = int(counts.sum())
    if n == 0:
        return np.nan
    if levels.size and np.array_equal(levels, np.floor(levels)) and float(np.abs(levels) @ counts) < _EXACT:
        return float(levels @ counts) / n
    return None


def item_outcome(data: CodedCohort, comp: Comparison, item: str) -> Outcome:
    """Raw codes (as answered, not reverse-keyed) of ``item`` per group."""
    parts, rows = [], []
    for m in members(data, comp):
        coded = data.column(m.qid, item)
        if m.var is None:
            parts.append((coded.levels, coded.counts[: coded.k]))
        else:
            table = item_table(data, m.qid, m.var, item)
            if table is None:
                table = data.by_table(m.qid, m.var, ("column", item), coded.codes, coded.k + 1)
            parts.append((coded.levels, _row_of(data, m, table)[: coded.k]))
        rows.append((m, coded))
    means = []
    for (m, coded), (levels, counts) in zip(rows, parts):
        mean = _count_mean(levels, counts)
        if mean is None:  # fractional answers: numpy's mean of the values themselves
            mean = _member_mean(data, m, ("column", item), lambda c=coded: (c.codes, np.append(c.levels, np.nan)))
        means.append(mean)
    levels, counts = _merge(parts)
    return Outcome(item, "item", levels, counts, tuple(means), (item,))


def variable_outcome(data: CodedCohort, comp: Comparison, variable: str) -> Outcome:
    """Values of the number variable ``variable`` per group (non-substantive codes are not values)."""
    parts, rows = [], []
    for m in members(data, comp):
        coded = data.column(m.qid, variable)
        if m.var is None:
            parts.append((coded.levels, coded.counts[: coded.k]))
        else:
            table = data.by_table(m.qid, m.var, ("column", variable), coded.codes, coded.k + 1)
            parts.append((coded.levels, _row_of(data, m, table)[: coded.k]))
        rows.append((m, coded))
    means = []
    for (m, coded), (levels, counts) in zip(rows, parts):
        mean = _count_mean(levels, counts)
        if mean is None:
            mean = _member_mean(data, m, ("column", variable),
                                lambda c=coded: (c.codes, np.append(c.levels, np.nan))) if counts.sum() else np.nan
        means.append(mean)
    levels, counts = _merge(parts)
    return Outcome(variable, "variable", levels, counts, tuple(means), ())


def _member_mean(data: CodedCohort, m: Member, target, coded) -> float:
    """numpy's mean of member ``m``'s non-missing values (``coded()``: codes per respondent, value per code)."""
    means = data.group_means(m.qid, m.var, target, coded)
    if m.var is None:
        return float(means[0])
    index = data.column(m.qid, m.var).index_of(float(m.level))
    return float(means[index]) if index is not None else np.nan


def theme_outcome(data: CodedCohort, comp: Comparison, theme: str, min_answered: float) -> Outcome:
    """Theme scores per group, on the theme's items that every compared questionnaire asks."""
    cb = data.codebook
    group_members = members(data, comp)
    qids = list(dict.fromkeys(m.qid for m in group_members))
    asked = set.intersection(*(set(cb.questionnaires[q].items) for q in qids))
    items = tuple(i for i in cb.themes[theme].items if i in asked)
    if not items:
        empty = tuple(np.zeros(0, dtype=np.int64) for _ in group_members)
        return Outcome(theme, "theme", np.empty(0), empty, tuple(np.nan for _ in group_members), (),
                       "no item of the theme is asked of every compared group")
    parts, means = [], []
    for m in group_members:
        codes = theme_codes(data, m.qid, items, min_answered)
        if m.var is None:
            counts = codes.score_counts[:-1]
        else:
            table = data.by_table(m.qid, m.var, codes.target, codes.codes, codes.radix)
            counts = _row_of(data, m, codes.score_counts_by(table))[:-1]
        parts.append((codes.score_levels, counts))
        # Scores are fractions: numpy's mean of the group's scores in row order, for identical sums.
        means.append(_member_mean(data, m, ("scores", items, min_answered), codes.coded_scores)
                     if counts.sum() else np.nan)
    levels, counts = _merge(parts)
    return Outcome(theme, "theme", levels, counts, tuple(means), items)

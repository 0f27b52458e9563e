"""Who is compared with whom: the groups and outcome values of a codebook comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Comparison
from ._common import AnalysisError, column_codes, keyed_codes, responses_of
from ._scores import score_items


@dataclass(frozen=True)
class Group:
    """One compared group: ``id`` (questionnaire id or level code as text) and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class Outcome:
    """One compared outcome: values per group (NaN = no answer / no score), or why it cannot be."""

    name: str
    kind: str  # "item" | "theme"
    values: tuple[np.ndarray, ...]
    items: tuple[str, ...]
    reason: str = ""


def comparison_of(cohort: Any, comparison_id: str) -> Comparison:
    comps = cohort.codebook.comparisons
    if comparison_id not in comps:
        raise AnalysisError(f"unknown comparison '{comparison_id}' (known: {', '.join(comps) or 'none'})")
    return comps[comparison_id]


def _members(cohort: Any, comp: Comparison) -> list[tuple[Group, str, np.ndarray]]:
    """(group, questionnaire id, boolean row mask of that questionnaire) per compared group."""
    cb = cohort.codebook
    if comp.between == "questionnaires":
        out = []
        for qid in comp.groups:
            frame = responses_of(cohort, qid)
            out.append((Group(qid, cb.questionnaires[qid].label), qid, np.ones(len(frame), dtype=bool)))
        return out
    q = cb.questionnaires[comp.questionnaire]
    var = q.variables[comp.by]
    frame = responses_of(cohort, q.id)
    codes = column_codes(frame, comp.by, q.id).to_numpy()
    levels = comp.levels if comp.levels is not None else tuple(c for c in var.codes if c not in var.missing_levels)
    return [(Group(str(c), var.label_of(c)), q.id, codes == c) for c in levels]


def comparison_groups(cohort: Any, comp: Comparison) -> list[Group]:
    return [g for g, _, _ in _members(cohort, comp)]


def outcome_items(cohort: Any, comp: Comparison, items: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The items to compare: ``items`` or the comparison's, kept when every group's questionnaire asks them."""
    qids = comp.groups if comp.between == "questionnaires" else (comp.questionnaire,)
    asked = set.intersection(*(set(cohort.codebook.questionnaires[q].items) for q in qids))
    wanted = comp.items if items is None else items
    return tuple(i for i in wanted if i in asked)


def item_outcome(cohort: Any, comp: Comparison, item: str) -> Outcome:
    """Raw codes (as answered, not reverse-keyed) of ``item`` per group."""
    values = []
    for _, qid, mask in _members(cohort, comp):
        codes = column_codes(responses_of(cohort, qid), item, qid).to_numpy()
        values.append(codes[mask])
    return Outcome(item, "item", tuple(values), (item,))


def theme_outcome(cohort: Any, comp: Comparison, theme: str, min_answered: float) -> Outcome:
    """Theme scores per group, on the theme's items that every compared questionnaire asks."""
    cb = cohort.codebook
    members = _members(cohort, comp)
    qids = list(dict.fromkeys(qid for _, qid, _ in members))
    asked = set.intersection(*(set(cb.questionnaires[q].items) for q in qids))
    items = tuple(i for i in cb.themes[theme].items if i in asked)
    if not items:
        empty = tuple(np.empty(0) for _ in members)
        return Outcome(theme, "theme", empty, (), "no item of the theme is asked of every compared group")
    scores = {}
    for qid in qids:
        frame = responses_of(cohort, qid)
        keyed = pd.DataFrame({i: keyed_codes(cb, i, column_codes(frame, i, qid)) for i in items}, index=frame.index)
        scores[qid] = score_items(keyed, min_answered)[1]
    return Outcome(theme, "theme", tuple(scores[qid][mask] for _, qid, mask in members), items)

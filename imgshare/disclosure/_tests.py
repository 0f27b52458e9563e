"""The counts behind group comparisons: each test's n, its groups' n (printed in
``comparison_groups`` and ``posthoc``, or only implied for ``item_tests``), and how they tie to
the descriptive tables (a group is a level of the comparison variable; a test's n leaves out
the respondents in other levels, without an answer to the variable or to the outcome)."""

from __future__ import annotations

import math

import pandas as pd

from ._graph import SUBTOTAL
from ._model import Model, _diff, _positions

__all__ = ["comparison_nodes", "group_key", "test_key"]


def test_key(comparison: str, kind: str, outcome: str) -> tuple:
    return ("N", str(comparison), str(kind), str(outcome))


def group_key(comparison: str, kind: str, outcome: str, group: str) -> tuple:
    return ("g", str(comparison), str(kind), str(outcome), str(group))


def _outcome_missing(m: Model, qid: str, kind: str, outcome: str):
    """The node counting the questionnaire's respondents without a value for the outcome."""
    if kind == "variable":  # a number: blank, non-substantive or not asked
        if ("num", qid, outcome) not in m.graph.nodes or ("A", qid) not in m.graph.nodes:
            return None
        key = m.latent(("novalue", qid, outcome), _diff(m.value(("A", qid)), m.value(("num", qid, outcome))))
        m.graph.relate(("A", qid), [("num", qid, outcome), key])
        return key
    if kind == "item":  # blank or non-substantive
        if ("m", qid, outcome) not in m.graph.nodes:
            return None
        if ("NSi", qid, outcome) not in m.graph.nodes:
            return ("m", qid, outcome)
        key = m.latent(("noscale", qid, outcome), m.value(("m", qid, outcome)) + m.value(("NSi", qid, outcome)))
        m.graph.relate(key, [("m", qid, outcome), ("NSi", qid, outcome)])
        return key
    key = ("U", qid, outcome)
    return key if key in m.graph.nodes else None


def _questionnaire_group(m: Model, comp, kind: str, outcome: str, qid: str, items: list[str], codebook):
    """The node of a between-questionnaires group: the item's total, the theme's scored count
    when the test uses the theme's own items, else a count of its own."""
    total = ("Tn" if qid in m.weighted else "T", qid, outcome)  # tests count respondents
    if kind == "item" and total in m.graph.nodes:
        return total
    if kind == "theme" and ("S", qid, outcome) in m.graph.nodes and outcome in codebook.themes:
        asked = [i for i in codebook.themes[outcome].items if i in codebook.questionnaires[qid].items]
        if list(items) == asked:
            return ("S", qid, outcome)
    return None


def comparison_nodes(m: Model, results) -> None:
    cb = results.codebook
    groups = results.comparison_groups
    rows_of = {key: rows for key, rows in _positions(groups, ["comparison", "outcome_kind", "outcome"])}
    seen: set[tuple] = set()
    for frame_name in ("comparisons", "item_tests"):
        tests = getattr(results, frame_name)
        for pos in range(len(tests)):
            cid, kind, outcome = (str(tests[c].iat[pos]) for c in ("comparison", "outcome_kind", "outcome"))
            N = m.node(test_key(cid, kind, outcome), tests["n"].iat[pos], rank=SUBTOTAL)
            m.slot(N, frame_name, pos, "n")
            if (cid, kind, outcome) in seen or cid not in cb.comparisons:
                continue
            seen.add((cid, kind, outcome))
            comp = cb.comparisons[cid]
            items = [i for i in str(tests["items"].iat[pos]).split(",") if i]
            _one_test(m, comp, kind, outcome, items, N, groups, rows_of.get((cid, kind, outcome), []), cb)
    _posthoc(m, results.posthoc)


def _one_test(m: Model, comp, kind, outcome, items, N, groups: pd.DataFrame, rows: list[int], cb) -> None:
    printed = {str(groups["group"].iat[p]): p for p in rows}
    members = []
    if comp.between == "questionnaires":
        for qid in comp.groups:
            key = _questionnaire_group(m, comp, kind, outcome, qid, items, cb)
            if key is None:  # a count of its own, within the questionnaire
                n = groups["n"].iat[printed[qid]] if qid in printed else math.nan
                key = m.node(group_key(comp.id, kind, outcome, qid), n, printed=False)
                if ("A", qid) in m.graph.nodes:
                    rest = m.latent(("gz", comp.id, kind, outcome, qid), _diff(m.value(("A", qid)), m.value(key)))
                    m.graph.relate(("A", qid), [key, rest])
            if qid in printed:
                m.slot(key, "comparison_groups", printed[qid], "n")
            members.append(key)
        m.test_groups[(comp.id, kind, outcome)] = members
        m.graph.relate(N, members)
        return
    qid, var = comp.questionnaire, cb.questionnaires[comp.questionnaire].variables[comp.by]
    listed = comp.levels if comp.levels is not None else tuple(c for c in var.codes if c not in var.missing_levels)
    zs = []
    for code in listed:
        g = str(code)
        n = groups["n"].iat[printed[g]] if g in printed else math.nan
        key = m.node(group_key(comp.id, kind, outcome, g), n, printed=False)
        if g in printed:
            m.slot(key, "comparison_groups", printed[g], "n")
        members.append(key)
        level = ("d", qid, comp.by, int(code))
        m.parent[key] = level
        if level in m.graph.nodes and qid not in m.weighted:  # weighted levels are sums of weights
            z = m.latent(("z", comp.id, kind, outcome, g), _diff(m.value(level), m.value(key)))
            m.graph.relate(level, [key, z])
            zs.append(z)
            m.graph.link(level, key)  # the same people, printed again
    m.test_groups[(comp.id, kind, outcome)] = members
    m.graph.relate(N, members)
    miss = _outcome_missing(m, qid, kind, outcome)
    if miss is not None:
        rest = m.latent(("zr", comp.id, kind, outcome), _diff(m.value(miss), sum(m.value(z) for z in zs)))
        m.graph.relate(miss, [*zs, rest])
    A = ("A", qid)
    if A not in m.graph.nodes:
        return
    E = m.latent(("E", comp.id, kind, outcome), _diff(m.value(A), m.value(N)))
    m.graph.relate(A, [N, E])
    others = [("d", qid, comp.by, c) for c in var.codes if c not in listed]
    parts = [k for k in (*others, ("M", qid, comp.by), ("NA", qid, comp.by)) if k in m.graph.nodes]
    if ("D", qid, comp.by) in m.graph.nodes and qid not in m.weighted:
        X = m.latent(("X", comp.id), sum(m.value(k) for k in parts))
        m.graph.relate(X, parts)
        m.graph.relate(E, [X, *zs])


def _posthoc(m: Model, posthoc: pd.DataFrame) -> None:
    for pos in range(len(posthoc)):
        cid, kind, outcome = (str(posthoc[c].iat[pos]) for c in ("comparison", "outcome_kind", "outcome"))
        for side in ("1", "2"):
            key = group_key(cid, kind, outcome, str(posthoc[f"group{side}"].iat[pos]))
            if key in m.graph.nodes:
                m.slot(key, "posthoc", pos, f"n{side}")

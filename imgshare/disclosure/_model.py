"""Every count the analysis results print, as nodes of a :class:`~._graph.Graph`, with the identities
a reader knows from the documentation (docs/results-schema.md) and the codebook.

Each node keeps the places it is printed (``slots``: frame name, row position, column), so the
decision made on the graph can be written back into the frames (:mod:`._apply`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pandas as pd

from ._graph import ANCHOR, CELL, SUBTOTAL, Graph, Node

__all__ = ["Model", "build_model"]

CATEGORIES = ("disagree", "neutral", "agree")


class Model:
    """The graph plus where each node is printed and which test each group belongs to."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.slots: dict[Any, list[tuple[str, int, str]]] = defaultdict(list)
        #: (comparison, kind, outcome) -> group node keys (printed or latent)
        self.test_groups: dict[tuple, list[Any]] = {}
        #: group node -> the descriptive level count it lies within (comparisons by a variable)
        self.parent: dict[Any, Any] = {}
        #: questionnaires with survey weights: their distributions are sums of weights
        self.weighted: set[str] = set()

    def node(self, key, value, *, printed=True, rank=CELL, count=True, integer=True, floor=0.0, ceiling=math.inf,
             unit="people"):
        value = float(value) if value is not None and not _missing(value) else math.nan
        if key in self.graph.nodes and math.isnan(self.graph.nodes[key].value) and not math.isnan(value):
            self.graph.nodes[key].value = value
        whole = integer and _whole(value) and unit == "people"  # sums of weights are real numbers
        return self.graph.add(key, Node(value, printed, count, whole, rank, floor, ceiling, unit))

    def unit(self, qid) -> str:
        """The unit of a questionnaire's distributions (descriptives, item levels)."""
        return "weighted" if qid in self.weighted else "people"

    def slot(self, key, frame: str, row: int, column: str) -> None:
        self.slots[key].append((frame, row, column))
        self.graph.nodes[key].printed = True

    def latent(self, key, value=math.nan):
        return self.node(key, value, printed=False)

    def value(self, key) -> float:
        return self.graph.nodes[key].value if key in self.graph.nodes else math.nan


def _missing(value) -> bool:
    try:
        return value is None or value is pd.NA or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def _whole(value: float) -> bool:
    return math.isnan(value) or float(value).is_integer()


def _diff(a: float, b: float) -> float:
    return a - b if not (math.isnan(a) or math.isnan(b)) else math.nan


def _positions(frame: pd.DataFrame, columns: list[str]):
    """(key tuple, list of row positions) per group of ``columns``, in order of appearance."""
    groups: dict[tuple, list[int]] = {}
    for pos, key in enumerate(zip(*(frame[c].tolist() for c in columns))):
        groups.setdefault(tuple(key), []).append(pos)
    return groups.items()


def build_model(results: Any) -> Model:
    """The graph of every count ``results`` prints (see the module docstring)."""
    m = Model()
    m.weighted = {qid for qid, q in results.codebook.questionnaires.items() if q.weight}
    _flow(m, results.flow)
    _descriptives(m, results.descriptives, results.codebook)
    _numbers(m, getattr(results, "numeric_summary", None))
    _items(m, results.item_levels, results.item_agreement)
    _nonsubstantive(m, getattr(results, "nonsubstantive", None))
    _domains(m, results.domain_agreement, results.codebook)
    _themes(m, results.theme_score_summary, results.reliability, results.theme_correlations, results.codebook)
    _comparisons(m, results)
    return m


def _flow(m: Model, flow: pd.DataFrame) -> None:
    for (qid,), rows in _positions(flow, ["questionnaire"]):
        reasons = []
        for pos in rows:
            stage, n = flow["stage"].iat[pos], flow["n"].iat[pos]
            if stage == "received":
                key = m.node(("R", qid), n, rank=SUBTOTAL)  # printed only here: withheld before A
            elif stage == "analysed":
                key = m.node(("A", qid), n, rank=ANCHOR)
            else:
                key = m.node(("e", qid, str(flow["reason"].iat[pos])), n)
                reasons.append(key)
            m.slot(key, "flow", pos, "n")
        if ("R", qid) in m.graph.nodes and ("A", qid) in m.graph.nodes:
            # The excluded total (received minus analysed) is printed by the flow diagram and prose.
            total = m.node(("Ex", qid), sum(m.value(e) for e in reasons))
            m.graph.relate(total, reasons)
            m.graph.relate(("R", qid), [("A", qid), total])


def _descriptives(m: Model, desc: pd.DataFrame, codebook) -> None:
    for (qid, vid), rows in _positions(desc, ["questionnaire", "variable"]):
        levels = []
        for pos in rows:
            key = m.node(("d", qid, vid, int(desc["level"].iat[pos])), desc["n"].iat[pos], unit=m.unit(qid))
            m.slot(key, "descriptives", pos, "n")
            levels.append(key)
        first = rows[0]
        D = m.node(("D", qid, vid), desc["denominator"].iat[first], rank=SUBTOTAL, unit=m.unit(qid))
        M = m.node(("M", qid, vid), desc["missing"].iat[first])
        NA = m.node(("NA", qid, vid), desc["not_asked"].iat[first])
        parts = [D, M, NA]
        for pos in rows:
            m.slot(D, "descriptives", pos, "denominator")
            m.slot(M, "descriptives", pos, "missing")
            m.slot(NA, "descriptives", pos, "not_asked")
        if "nonsubstantive" in desc.columns:  # asked, answered a declared non-substantive code
            NS = m.node(("NS", qid, vid), desc["nonsubstantive"].iat[first])
            for pos in rows:
                m.slot(NS, "descriptives", pos, "nonsubstantive")
            parts.append(NS)
        m.graph.relate(D, levels)
        if ("A", qid) in m.graph.nodes:
            m.graph.relate(("A", qid), parts)
    # Skip logic: those not asked are those whose answer to the condition variable is not listed.
    for qid, q in codebook.questionnaires.items():
        for vid, var in q.variables.items():
            if len(var.asked_if) != 1 or ("NA", qid, vid) not in m.graph.nodes:
                continue
            (wid, codes), = var.asked_if.items()
            if ("D", qid, wid) not in m.graph.nodes:
                continue
            w = q.variables[wid]
            others = [("d", qid, wid, c) for c in w.codes if c not in codes and ("d", qid, wid, c) in m.graph.nodes]
            extra = [("NS", qid, wid)] if ("NS", qid, wid) in m.graph.nodes else []
            m.graph.relate(("NA", qid, vid), [*others, ("M", qid, wid), ("NA", qid, wid), *extra])


def _numbers(m: Model, numbers: pd.DataFrame | None) -> None:
    """Number variables: the analysed count is those with a value, blank, non-substantive, not asked."""
    if numbers is None:
        return
    for pos in range(len(numbers)):
        qid, vid = numbers["questionnaire"].iat[pos], numbers["variable"].iat[pos]
        keys = []
        for col, tag in (("n", "num"), ("missing", "Mnum"), ("nonsubstantive", "NSnum"), ("not_asked", "NAnum")):
            if col in numbers.columns:
                key = m.node((tag, qid, vid), numbers[col].iat[pos], rank=SUBTOTAL if col == "n" else CELL)
                m.slot(key, "numeric_summary", pos, col)
                keys.append(key)
        if ("A", qid) in m.graph.nodes:
            m.graph.relate(("A", qid), keys)


def _nonsubstantive(m: Model, frame: pd.DataFrame | None) -> None:
    """Declared non-substantive answers per code: they add up to the column's non-substantive
    count, and ``n_responded`` is those answering on the scale plus those answering off it."""
    if frame is None or frame.empty:
        return
    for (qid, var, kind), rows in _positions(frame, ["questionnaire", "variable", "kind"]):
        total = {"item": ("NSi", qid, var), "categorical": ("NS", qid, var), "number": ("NSnum", qid, var)}.get(kind)
        on_scale = {"item": ("Tn" if qid in m.weighted else "T", qid, var), "categorical": ("D", qid, var),
                    "number": ("num", qid, var)}.get(kind)
        codes = []
        for pos in rows:
            key = m.node(("nsc", qid, var, int(frame["code"].iat[pos])), frame["n"].iat[pos])
            m.slot(key, "nonsubstantive", pos, "n")
            codes.append(key)
        responded = m.node(("nr", qid, var), frame["n_responded"].iat[rows[0]], rank=SUBTOTAL)
        for pos in rows:
            m.slot(responded, "nonsubstantive", pos, "n_responded")
        if total in m.graph.nodes:
            m.graph.relate(total, codes)
            if on_scale in m.graph.nodes:
                m.graph.relate(responded, [on_scale, total])
        m.graph.link(responded, *codes)  # their percentages are of n_responded


def _items(m: Model, levels: pd.DataFrame, agreement: pd.DataFrame) -> None:
    for (qid, item), rows in _positions(levels, ["questionnaire", "item"]):
        keys, by_cat = [], defaultdict(list)
        for pos in rows:
            key = m.node(("l", qid, item, int(levels["level"].iat[pos])), levels["n"].iat[pos], unit=m.unit(qid))
            m.slot(key, "item_levels", pos, "n")
            keys.append(key)
            by_cat[str(levels["category"].iat[pos])].append(key)
        T = m.node(("T", qid, item), levels["item_n"].iat[rows[0]], rank=SUBTOTAL, unit=m.unit(qid))
        for pos in rows:
            m.slot(T, "item_levels", pos, "item_n")
        m.graph.relate(T, keys)
        cats = []
        for cat in CATEGORIES:
            if cat in by_cat:
                C = m.node(("C", qid, item, cat), sum(m.value(k) for k in by_cat[cat]), printed=False,
                           unit=m.unit(qid))
                m.graph.relate(C, by_cat[cat])
                cats.append(C)
        m.graph.relate(T, cats)
        m.graph.link(T, *cats)  # a percentage of a withheld total would give the total back
    for pos in range(len(agreement)):
        qid, item = agreement["questionnaire"].iat[pos], agreement["item"].iat[pos]
        # item_n of the levels is a sum of weights when weighted; n here counts respondents
        T = m.node(("T" if qid not in m.weighted else "Tn", qid, item), agreement["n"].iat[pos], rank=SUBTOTAL)
        m.slot(T, "item_agreement", pos, "n")
        miss = m.node(("m", qid, item), agreement["missing"].iat[pos])
        m.slot(miss, "item_agreement", pos, "missing")
        parts = [T, miss]
        if "nonsubstantive" in agreement.columns:  # a "Don't know": asked, answered off the scale
            ns = m.node(("NSi", qid, item), agreement["nonsubstantive"].iat[pos])
            m.slot(ns, "item_agreement", pos, "nonsubstantive")
            parts.append(ns)
            # no answer on the scale (blank or off it): what pairwise and complete counts leave out
            off = m.latent(("noscale", qid, item), m.value(miss) + m.value(ns))
            m.graph.relate(off, [miss, ns])
        for cat in CATEGORIES:
            key = ("C", qid, item, cat)
            if key in m.graph.nodes and not _missing(agreement[f"pct_{cat}"].iat[pos]):
                m.slot(key, "item_agreement", pos, f"pct_{cat}")
        if ("A", qid) in m.graph.nodes:
            m.graph.relate(("A", qid), parts)


_OPPOSITE = {"agree": "disagree", "disagree": "agree", "neutral": "neutral"}


def _domains(m: Model, domains: pd.DataFrame, codebook) -> None:
    for pos in range(len(domains)):
        qid, did = domains["questionnaire"].iat[pos], domains["domain"].iat[pos]
        items = [i for i in str(domains["items"].iat[pos]).split(",") if i]
        totals = [("T", qid, i) for i in items]
        if not items or any(t not in m.graph.nodes or not m.value(t) for t in totals):
            continue
        row = []
        for cat in CATEGORIES:
            value = domains[f"pct_{cat}"].iat[pos]
            if _missing(value):
                continue
            # A domain mean is a summary: cheaper to withhold than the item counts it averages.
            key = m.node(("dom", qid, did, cat), value, count=False, integer=False, ceiling=100.0)
            row.append(key)
            m.slot(key, "domain_agreement", pos, f"pct_{cat}")
            # a reverse-keyed item counts by its keyed agreement: its disagreeing in the domain's agreeing
            terms = [(100.0 / (len(items) * m.value(t)),
                      ("C", qid, i, _OPPOSITE[cat] if i in codebook.items and codebook.items[i].reverse
                       and "n_reversed" in domains.columns else cat)) for i, t in zip(items, totals)]
            if all(k in m.graph.nodes for _, k in terms):
                m.graph.relate(key, terms)
            for t in totals:
                m.graph.link(t, key)  # the mean's weights are the items' totals
        for key in row:  # the categories add up to 100: one withheld alone would come back
            m.graph.link(key, *(o for o in row if o != key))


def _themes(m: Model, summary: pd.DataFrame, reliability: pd.DataFrame, correlations: pd.DataFrame,
            codebook) -> None:
    for pos in range(len(summary)):
        qid, theme = summary["questionnaire"].iat[pos], summary["theme"].iat[pos]
        S = m.node(("S", qid, theme), summary["n"].iat[pos], rank=SUBTOTAL)
        U = m.node(("U", qid, theme), summary["n_unscored"].iat[pos])
        m.slot(S, "theme_score_summary", pos, "n")
        m.slot(U, "theme_score_summary", pos, "n_unscored")
        if ("A", qid) in m.graph.nodes:
            m.graph.relate(("A", qid), [S, U])
    complete = {}
    for pos in range(len(reliability)):
        qid, theme = reliability["questionnaire"].iat[pos], reliability["theme"].iat[pos]
        C = m.node(("Cc", qid, theme), reliability["n"].iat[pos], rank=SUBTOTAL)
        inc = m.node(("I", qid, theme), reliability["n_incomplete"].iat[pos])
        m.slot(C, "reliability", pos, "n")
        m.slot(inc, "reliability", pos, "n_incomplete")
        complete[(qid, theme)] = C
        if ("A", qid) in m.graph.nodes:
            m.graph.relate(("A", qid), [C, inc])
    for pos in range(len(correlations)):
        qid, theme = correlations["questionnaire"].iat[pos], correlations["theme"].iat[pos]
        i, j = correlations["item1"].iat[pos], correlations["item2"].iat[pos]
        P = m.node(("P", qid, i, j), correlations["n"].iat[pos], rank=SUBTOTAL)
        m.slot(P, "theme_correlations", pos, "n")
        t = "Tn" if qid in m.weighted else "T"  # respondents answering, also when weighted
        Ti, Tj = (t, qid, i), (t, qid, j)
        mi, mj = (("noscale", qid, x) if ("noscale", qid, x) in m.graph.nodes else ("m", qid, x) for x in (i, j))
        if not all(k in m.graph.nodes for k in (Ti, Tj, mi, mj)):
            continue
        x10 = m.latent(("Px", qid, i, j, "10"), _diff(m.value(Ti), m.value(P)))
        x01 = m.latent(("Px", qid, i, j, "01"), _diff(m.value(Tj), m.value(P)))
        x00 = m.latent(("Px", qid, i, j, "00"), _diff(m.value(mi), m.value(x01)))
        m.graph.relate(Ti, [P, x10])
        m.graph.relate(Tj, [P, x01])
        m.graph.relate(mi, [x01, x00])
        m.graph.relate(mj, [x10, x00])
        if (qid, theme) in complete:
            C = complete[(qid, theme)]
            rest = m.latent(("Pc", qid, i, j), _diff(m.value(P), m.value(C)))
            m.graph.relate(P, [C, rest])


def _comparisons(m: Model, results) -> None:
    from ._tests import comparison_nodes

    comparison_nodes(m, results)

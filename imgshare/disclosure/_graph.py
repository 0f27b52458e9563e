"""The counts an output set publishes and the identities between them, bounded as a reader would.

A :class:`Graph` holds one node per distinct count (printed somewhere, or *latent*: a count of
people no output prints but which the identities define, such as "answered the item but not the
comparison variable") and one :class:`Relation` per identity ``total = sum(coef * term)``.
:class:`Propagator` bounds every node the way a reader of all outputs could by interval
propagation over the identities, knowing that a count printed ``<K`` lies in 1..K-1 and a
withheld count is at least 1 (zeros are printed). :mod:`._decide` chooses what to withhold.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

__all__ = ["Node", "Relation", "Graph", "Propagator", "bounds", "sensitive", "SMALL", "WITHHELD", "OPEN",
           "CELL", "SUBTOTAL", "ANCHOR"]

Key = Hashable
#: Flag of a withheld count of 1..K-1 (printed "<K").
SMALL = "small"
#: Flag of a value withheld so that a small count cannot be worked out (printed as withheld).
WITHHELD = "withheld"
#: Internal flag: withheld although it may be zero (a cell of a distribution whose total is small).
OPEN = "withheld, may be zero"

_INF = math.inf
_EPS = 1e-7
#: Preference when a further count must be withheld: ordinary cells first, then subtotals, then
#: the questionnaire totals every output repeats.
CELL, SUBTOTAL, ANCHOR = 0, 1, 2


@dataclass
class Node:
    """One count (or, with ``count=False``, a real number such as a domain's mean percentage).

    ``value`` is the true value (NaN when only its identities define it); ``printed`` says whether
    some output shows it; ``rank`` orders the choice of secondary cells (:data:`CELL` first).
    """

    value: float
    printed: bool = True
    count: bool = True
    integer: bool = True
    rank: int = CELL
    floor: float = 0.0
    ceiling: float = _INF
    #: "people", or "weighted" for a sum of survey weights: identities never mix the two.
    unit: str = "people"


@dataclass(frozen=True)
class Relation:
    """``total = sum(coef * term)``, every coefficient positive."""

    total: Key
    terms: tuple[tuple[float, Key], ...]

    def keys(self) -> tuple[Key, ...]:
        return (self.total, *(t for _, t in self.terms))


@dataclass
class Graph:
    nodes: dict[Key, Node] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    #: Withholding the key also withholds these (the same people printed under another guise).
    links: dict[Key, list[Key]] = field(default_factory=dict)
    #: Identities left out because the true values do not satisfy them (weighted counts).
    skipped: list[Relation] = field(default_factory=list)

    def add(self, key: Key, node: Node) -> Key:
        if key not in self.nodes:
            self.nodes[key] = node
        elif node.printed:
            self.nodes[key].printed = True
        return key

    def relate(self, total: Key, terms: Iterable[tuple[float, Key] | Key]) -> None:
        """Add ``total = sum(terms)`` (a bare key has coefficient 1) if the true values satisfy it."""
        parts = tuple(t if isinstance(t, tuple) and len(t) == 2 and isinstance(t[0], float) else (1.0, t)
                      for t in terms)
        parts = tuple(p for p in parts if p[0] != 0)
        if not parts:
            return
        rel = Relation(total, parts)
        units = {self.nodes[k].unit for k in rel.keys() if self.nodes[k].count}
        if len(units) > 1:  # respondents and sums of weights do not add up
            self.skipped.append(rel)
            return
        values = [self.nodes[k].value for k in rel.keys()]
        if all(not math.isnan(v) for v in values):
            lhs, rhs = values[0], sum(c * self.nodes[k].value for c, k in parts)
            if abs(lhs - rhs) > 1e-6 * max(1.0, abs(lhs)):
                self.skipped.append(rel)
                return
        self.relations.append(rel)

    def link(self, key: Key, *others: Key) -> None:
        self.links.setdefault(key, []).extend(o for o in others if o in self.nodes)


def _initial(graph: Graph, key: Key, withheld: dict[Key, str], k: int) -> tuple[float, float]:
    node, flag = graph.nodes[key], withheld.get(key)
    if node.printed and flag is None:
        return node.value, node.value
    if node.printed and node.count and flag != OPEN:
        if not node.integer:  # a sum of weights: any positive amount below K
            return (0.0, float(k)) if flag == SMALL else (0.0, _INF)
        return (1.0, float(k - 1)) if flag == SMALL else (1.0, _INF)  # other zeros are never withheld
    return node.floor, node.ceiling


class Propagator:
    """Bounds of every node given what is withheld, kept up to date as more is withheld.

    Printed values are constants, so information flows only through unknown nodes: withholding
    a node re-derives just the part of the graph it is connected to through unknown nodes.
    """

    def __init__(self, graph: Graph, withheld: dict[Key, str], k: int, max_passes: int = 200):
        self.graph, self.withheld, self.k, self.max_passes = graph, withheld, k, max_passes
        self.touching: dict[Key, list[int]] = {}
        for r, rel in enumerate(graph.relations):
            for key in rel.keys():
                self.touching.setdefault(key, []).append(r)
        self.lo: dict[Key, float] = {}
        self.hi: dict[Key, float] = {}
        for key in graph.nodes:
            self.lo[key], self.hi[key] = _initial(graph, key, withheld, k)
        self._run(range(len(graph.relations)))

    def unknown(self, key: Key) -> bool:
        return not self.graph.nodes[key].printed or key in self.withheld

    def fixed(self, key: Key) -> bool:
        return self.hi[key] - self.lo[key] < (0.5 if self.graph.nodes[key].integer else 1e-9)

    def update(self, keys) -> None:
        """Re-derive the bounds around ``keys`` (just withheld)."""
        nodes, rels, stack = set(), set(), [k for k in keys]
        while stack:
            key = stack.pop()
            if key in nodes:
                continue
            nodes.add(key)
            for r in self.touching.get(key, ()):
                if r in rels:
                    continue
                rels.add(r)
                stack.extend(o for o in self.graph.relations[r].keys() if o not in nodes and self.unknown(o))
        for key in nodes:
            self.lo[key], self.hi[key] = _initial(self.graph, key, self.withheld, self.k)
        self._run(sorted(rels))

    def _run(self, relations) -> None:
        queue = deque(relations)
        queued = set(queue)
        budget = self.max_passes * max(1, len(queued))
        while queue and budget > 0:
            budget -= 1
            r = queue.popleft()
            queued.discard(r)
            for key in _narrow(self.graph, self.graph.relations[r], self.lo, self.hi):
                for other in self.touching[key]:
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)


def _narrow(graph: Graph, rel: Relation, lo: dict, hi: dict) -> list[Key]:
    sum_lo = sum(c * lo[t] for c, t in rel.terms)
    unbounded = sum(1 for _, t in rel.terms if math.isinf(hi[t]))
    finite_hi = sum(c * hi[t] for c, t in rel.terms if not math.isinf(hi[t]))
    changed = []

    def tighten(key, new_lo, new_hi):
        if graph.nodes[key].integer:
            new_lo = math.ceil(new_lo - _EPS) if new_lo > -_INF else new_lo
            new_hi = math.floor(new_hi + _EPS) if new_hi < _INF else new_hi
        moved = False
        if new_lo > hi[key] + 1e-6 * max(1.0, abs(hi[key])) if hi[key] < _INF else False:
            raise RuntimeError(f"disclosure model: the identities contradict the printed values at {key!r}")
        if new_lo > lo[key] + _EPS:
            lo[key], moved = new_lo, True
        if new_hi < hi[key] - _EPS:
            hi[key], moved = new_hi, True
        if moved:
            changed.append(key)

    tighten(rel.total, sum_lo, _INF if unbounded else finite_hi)
    t_lo, t_hi = lo[rel.total], hi[rel.total]
    for c, t in rel.terms:
        own_inf = math.isinf(hi[t])
        rest_lo = sum_lo - c * lo[t]
        rest_hi = _INF if unbounded - own_inf > 0 else finite_hi - (0.0 if own_inf else c * hi[t])
        new_lo = (t_lo - rest_hi) / c if not math.isinf(rest_hi) else -_INF
        new_hi = (t_hi - rest_lo) / c if not math.isinf(t_hi) else _INF
        tighten(t, new_lo, new_hi)
    return changed


def sensitive(graph: Graph, withheld: dict[Key, str], k: int) -> list[Key]:
    """Counts of 1..K-1 a reader must not be able to pin: withheld small cells and latent counts."""
    out = []
    for key, node in graph.nodes.items():
        if not node.count or math.isnan(node.value) or not 0 < node.value < k:
            continue
        if key in withheld or not node.printed:
            out.append(key)
    return out


def bounds(graph: Graph, withheld: dict[Key, str], k: int) -> tuple[dict, dict]:
    """What a reader of every output can know of each node: ``(lo, hi)``."""
    prop = Propagator(graph, withheld, k)
    return prop.lo, prop.hi

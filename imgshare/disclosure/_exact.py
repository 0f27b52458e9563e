"""The exact check: is a small count pinned once every identity is used at once?

Interval propagation (:class:`~._graph.Propagator`) follows one identity at a time and can miss
what a reader gets by combining several (two level counts each withheld, but their sum known
from a test's n). Here each small count is minimised and maximised by integer programming
(``scipy.optimize.milp``) over the identities of the part of the graph it is connected to
through unknown counts -- the same question the attack test asks of the written outputs.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import numpy as np
from scipy import optimize

from ._graph import Graph, _initial

__all__ = ["Exact"]

Key = Hashable
_TOL = 1e-6


class Exact:
    """Integer programs over the components of ``graph`` given what is ``withheld``."""

    def __init__(self, graph: Graph, withheld: dict, k: int, touching: dict):
        self.graph, self.withheld, self.k, self.touching = graph, withheld, k, touching

    def _unknown(self, key: Key) -> bool:
        return not self.graph.nodes[key].printed or key in self.withheld

    def component(self, key: Key) -> tuple[list[Key], list[int]]:
        """Unknown nodes connected to ``key`` through identities, and those identities."""
        nodes, rels, stack = {key}, set(), [key]
        while stack:
            x = stack.pop()
            for r in self.touching.get(x, ()):
                if r in rels:
                    continue
                rels.add(r)
                for o in self.graph.relations[r].keys():
                    if o not in nodes and self._unknown(o):
                        nodes.add(o)
                        stack.append(o)
        return sorted(nodes, key=str), sorted(rels)

    def _program(self, nodes: list[Key], rels: list[int]):
        pos = {n: i for i, n in enumerate(nodes)}
        lo, hi = zip(*(_initial(self.graph, n, self.withheld, self.k) for n in nodes))
        a = np.zeros((len(rels), len(nodes)))
        rhs = np.zeros(len(rels))
        scale = np.ones(len(rels))
        for row, r in enumerate(rels):
            rel = self.graph.relations[r]
            for coef, n in ((1.0, rel.total), *((-c, t) for c, t in rel.terms)):
                value = self.graph.nodes[n].value
                if n in pos:
                    a[row, pos[n]] += coef
                else:
                    rhs[row] -= coef * value
                scale[row] = max(scale[row], abs(coef * value) if not math.isnan(value) else 1.0)
        tol = _TOL * scale
        cons = [optimize.LinearConstraint(a, rhs - tol, rhs + tol)] if len(rels) else []
        integrality = np.array([1 if self.graph.nodes[n].integer else 0 for n in nodes])
        bounds = optimize.Bounds(np.array(lo, dtype=float), np.array(hi, dtype=float))
        return pos, cons, integrality, bounds

    def pinned_among(self, keys) -> list[Key]:
        """The ``keys`` (counts with a known value) that no solution moves off their value."""
        left, out, done = set(keys), [], set()
        rng = np.random.default_rng(0)
        for key in keys:
            if key in done:
                continue
            nodes, rels = self.component(key)
            here = [k2 for k2 in keys if k2 in set(nodes)]
            done.update(here)
            pos, cons, integrality, bounds = self._program(nodes, rels)
            truth = {k2: self.graph.nodes[k2].value for k2 in here}
            moved = set()
            # A few solutions in assorted directions move most counts that can move at all.
            for trial in range(4 if len(here) > 2 else 0):
                c = np.zeros(len(nodes))
                weights = (1.0 if trial == 0 else -1.0 if trial == 1 else None)
                for k2 in here:
                    c[pos[k2]] = weights if weights is not None else rng.choice([-1.0, 1.0]) * (1 + rng.random())
                res = optimize.milp(c, constraints=cons, integrality=integrality, bounds=bounds)
                if res.status == 0:
                    moved |= {k2 for k2 in here if abs(res.x[pos[k2]] - truth[k2]) > 0.5}
            for k2 in here:
                if k2 in moved:
                    continue
                if self._fixed(k2, pos, cons, integrality, bounds):
                    out.append(k2)
        left -= done
        return out

    def _fixed(self, key, pos, cons, integrality, bounds) -> bool:
        """Whether the smallest and the largest feasible value of ``key`` are its own value."""
        truth = self.graph.nodes[key].value
        for sign in (-1.0, 1.0):
            c = np.zeros(len(pos))
            c[pos[key]] = sign
            res = optimize.milp(c, constraints=cons, integrality=integrality, bounds=bounds)
            if res.status != 0 or abs(sign * res.fun - truth) > 0.5:
                return False
        return True

    def pinned(self, key: Key) -> bool:
        return bool(self.pinned_among([key]))

    def binding(self, key: Key) -> list[int]:
        """The identities that hold ``key`` where it is: those with a non-zero dual value when the
        linear relaxation pushes it up or down (the printed counts in them are what pins it)."""
        nodes, rels = self.component(key)
        pos, cons, _, bounds = self._program(nodes, rels)
        if not cons:
            return []
        a, lo, hi = cons[0].A, cons[0].lb, cons[0].ub
        a_ub = np.vstack([a, -a])
        b_ub = np.concatenate([hi, -lo])
        out = set()
        for sign in (1.0, -1.0):
            c = np.zeros(len(nodes))
            c[pos[key]] = -sign  # linprog minimises: push the key up, then down
            res = optimize.linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=list(zip(bounds.lb, bounds.ub)), method="highs")
            if res.status != 0:
                continue
            duals = np.abs(res.ineqlin.marginals)
            n = len(rels)
            out |= {rels[i] for i in range(n) if duals[i] > 1e-9 or duals[n + i] > 1e-9}
        return sorted(out)

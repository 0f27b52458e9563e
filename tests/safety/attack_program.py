"""The attacker's integer program: variables with bounds, linear constraints, exact ranges."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

BIG = 10**6


@dataclass
class Problem:
    """Integer variables with bounds and linear constraints ``lo <= a.x <= hi``."""

    k: int
    index: dict = field(default_factory=dict)
    lb: list = field(default_factory=list)
    ub: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (dict name -> coef, lo, hi)
    printed_as: dict = field(default_factory=dict)  # name -> "value" | "small" | "withheld" | "latent"
    derived: dict = field(default_factory=dict)  # name -> (value, how)

    def var(self, name, lb=0.0, ub=BIG, how="latent"):
        if name not in self.index:
            self.index[name] = len(self.lb)
            self.lb.append(lb)
            self.ub.append(ub)
            self.printed_as[name] = how
        else:
            i = self.index[name]
            self.lb[i], self.ub[i] = max(self.lb[i], lb), min(self.ub[i], ub)
            if how != "latent":
                self.printed_as[name] = how
        return name

    def count(self, name, value, flag, open_zero=False):
        """A count as a frame prints it: a value, or null with its withheld flag."""
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            return self.var(name, float(value), float(value), "value")
        if flag == "small":
            return self.var(name, 1.0, self.k - 1.0, "small")
        return self.var(name, 0.0 if open_zero else 1.0, BIG, "withheld")

    def eq(self, terms, rhs=0.0, tol=0.0):
        for name in terms:
            self.var(name)
        self.rows.append((dict(terms), rhs - tol, rhs + tol))

    def ge(self, terms, rhs=0.0):
        for name in terms:
            self.var(name)
        self.rows.append((dict(terms), rhs, math.inf))

    def fix(self, name, value, how):
        self.derived[name] = (value, how)
        self.var(name, value, value)

    def _components(self):
        fixed = {n for n, i in self.index.items() if self.lb[i] == self.ub[i]}
        parent = {n: n for n in self.index}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for terms, _, _ in self.rows:
            free = [n for n in terms if n not in fixed]
            for a, b in zip(free, free[1:]):
                parent[find(a)] = find(b)
        groups = defaultdict(list)
        for n in self.index:
            if n not in fixed:
                groups[find(n)].append(n)
        return groups, find, fixed

    def ranges(self, names):
        """(min, max) of each name over the integer solutions, component by component."""
        groups, find, fixed = self._components()
        rows_of = defaultdict(list)
        for terms, lo, hi in self.rows:
            free = [n for n in terms if n not in fixed]
            if not free:
                value = sum(c * self.lb[self.index[n]] for n, c in terms.items())
                assert lo - 1e-6 <= value <= hi + 1e-6, f"published values contradict {terms}"
                continue
            shift = sum(c * self.lb[self.index[n]] for n, c in terms.items() if n in fixed)
            rows_of[find(free[0])].append(({n: c for n, c in terms.items() if n not in fixed}, lo - shift, hi - shift))
        out = {}
        for name in names:
            i = self.index[name]
            if name in fixed:
                out[name] = (self.lb[i], self.ub[i])
                continue
            comp = groups[find(name)]
            pos = {n: j for j, n in enumerate(comp)}
            rows = rows_of[find(name)]
            a = np.zeros((len(rows), len(comp)))
            lo = np.array([r[1] for r in rows])
            hi = np.array([r[2] for r in rows])
            for r, (terms, _, _) in enumerate(rows):
                for n, c in terms.items():
                    a[r, pos[n]] += c
            bounds = optimize.Bounds([self.lb[self.index[n]] for n in comp], [self.ub[self.index[n]] for n in comp])
            cons = [optimize.LinearConstraint(a, lo, hi)] if rows else []
            ends = []
            for sign in (1.0, -1.0):
                c = np.zeros(len(comp))
                c[pos[name]] = sign
                res = optimize.milp(c, constraints=cons, integrality=np.ones(len(comp)), bounds=bounds)
                assert res.status == 0, f"{name}: {res.message}"
                ends.append(sign * res.fun)
            out[name] = (round(ends[0]), round(ends[1]))
        return out


def load_frames(path) -> dict[str, list[dict]]:
    """The frames of a results.json."""
    return json.loads(open(path, encoding="utf-8").read())["frames"]


def _null(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _flag(row, column) -> str:
    return row.get(f"{column}_withheld") or ""


def _pct(p: Problem, n, total, pct):
    """100 n = pct * total, to the printed precision."""
    if _null(pct):
        return
    p.eq({n: 100.0, total: -float(pct)}, 0.0, tol=1e-6)


def _integer(x: float, tol: float = 1e-6) -> int | None:
    return int(round(x)) if math.isfinite(x) and abs(x - round(x)) < tol * max(1.0, abs(x)) else None


def _scan(n_max: int, fits) -> int | None:
    """The single n in 2..n_max for which ``fits(n)`` holds."""
    hits = [n for n in range(2, n_max + 1) if fits(n)]
    return hits[0] if len(hits) == 1 else None

"""An attacker for ``--min-cell K``: read what the outputs publish, solve for what they withhold.

Written against the documentation (docs/results-schema.md, the codebook), not against
``imgshare.disclosure``: every count a frame prints becomes an integer variable, fixed when
printed, in 1..K-1 when printed ``<K`` (flag ``small``), at least 1 when withheld (zeros are
printed) or at least 0 when its distribution's total is itself small; counts no output prints but
the documentation defines (answered the item but not the comparison variable, ...) are free
variables. The documented identities become linear constraints, percentages become
``100 n = pct * total``, and statistics printed beside a withheld count are inverted where a
closed form exists (epsilon2 = H/(N-1), r = z/sqrt(N), U with a mean rank, Feldt's and
Fisher's intervals, Wilson's interval). Then every withheld or unprinted count is minimised and
maximised by integer programming (``scipy.optimize.milp``); a count pinned to a value of 1..K-1
is a leak.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from scipy import stats

from attack_program import BIG, Problem, _flag, _integer, _null, _pct, _scan, load_frames  # noqa: F401


def _groupby(rows, *keys):
    out = defaultdict(list)
    for r in rows:
        out[tuple(r[k] for k in keys)].append(r)
    return out


def build(frames: dict[str, list[dict]], codebook, k: int) -> Problem:
    """The integer program of everything ``frames`` publish (see the module docstring)."""
    p = Problem(k)
    _flow(p, frames["flow"])
    _descriptives(p, frames["descriptives"], codebook)
    _items(p, frames["item_levels"], frames["item_agreement"], frames["domain_agreement"], codebook)
    _numbers(p, frames.get("numeric_summary", []), frames.get("nonsubstantive", []))
    _themes(p, frames)
    _tests(p, frames, codebook)
    return p


def _flow(p, rows):
    for (q,), part in _groupby(rows, "questionnaire").items():
        names = {}
        # with received withheld the total excluded may be small: its reasons may then be zero
        received_hidden = any(r["stage"] == "received" and _flag(r, "n") for r in part)
        for r in part:
            name = ("R", q) if r["stage"] == "received" else ("A", q) if r["stage"] == "analysed" else ("e", q, r["reason"])
            names[name] = p.count(name, r["n"], _flag(r, "n"), received_hidden and name[0] == "e")
        reasons = [n for n in names if n[0] == "e"]
        p.eq({("R", q): 1, ("A", q): -1, **{e: -1 for e in reasons}})


def _descriptives(p, rows, codebook):
    for (q, v), part in _groupby(rows, "questionnaire", "variable").items():
        first = part[0]
        D = p.count(("D", q, v), first["denominator"], _flag(first, "denominator"))
        open_zero = _flag(first, "denominator") == "small"
        M = p.count(("M", q, v), first["missing"], _flag(first, "missing"))
        NA = p.count(("NA", q, v), first["not_asked"], _flag(first, "not_asked"))
        NS = p.count(("NS", q, v), first.get("nonsubstantive", 0), _flag(first, "nonsubstantive"))
        levels = []
        for r in part:
            n = p.count(("d", q, v, r["level"]), r["n"], _flag(r, "n"), open_zero)
            levels.append(n)
            _pct(p, n, D, r["pct"])
            if _null(r["pct"]) and not _null(r.get("ci_low")):
                p.derived[("ci printed without its percentage", n)] = (None, "structural")
            if _null(r["n"]) and not _null(r.get("ci_low")) and not _null(first["denominator"]):
                d = int(first["denominator"])
                hit = _scan(d, lambda x: abs(_wilson(x, d)[0] - r["ci_low"]) < 1e-9)
                if hit is not None:
                    p.fix(n, hit, "Wilson interval")
        p.eq({D: 1, **{n: -1 for n in levels}})
        p.eq({("A", q): 1, D: -1, M: -1, NA: -1, NS: -1})
    for qid, q in codebook.questionnaires.items():
        for vid, var in q.variables.items():
            if len(var.asked_if) == 1 and ("NA", qid, vid) in p.index:
                (wid, codes), = var.asked_if.items()
                if ("D", qid, wid) in p.index:
                    others = [("d", qid, wid, c) for c in q.variables[wid].codes if c not in codes]
                    p.eq({("NA", qid, vid): 1, **{o: -1 for o in others if o in p.index},
                          ("M", qid, wid): -1, ("NA", qid, wid): -1, ("NS", qid, wid): -1})


def _numbers(p, numbers, nonsubstantive):
    """Number variables (analysed = with a value + blank + non-substantive + not asked) and the
    non-substantive answers per code (they add up to their column's count; their percentages are
    of those answering on the scale or off it)."""
    for r in numbers:
        q, v = r["questionnaire"], r["variable"]
        parts = [p.count((tag, q, v), r[col], _flag(r, col)) for col, tag in
                 (("n", "num"), ("missing", "Mnum"), ("nonsubstantive", "NSnum"), ("not_asked", "NAnum"))]
        p.eq({("A", q): 1, **{x: -1 for x in parts}})
        p.eq({("novalue", q, v): 1, **{x: -1 for x in parts[1:]}})
    for (q, v, kind), rows in _groupby(nonsubstantive, "questionnaire", "variable", "kind").items():
        total = {"item": ("NSi", q, v), "categorical": ("NS", q, v), "number": ("NSnum", q, v)}[kind]
        on_scale = {"item": ("T", q, v), "categorical": ("D", q, v), "number": ("num", q, v)}[kind]
        responded = p.count(("nr", q, v), rows[0]["n_responded"], _flag(rows[0], "n_responded"))
        codes = []
        small_total = p.printed_as.get(total) == "small"  # a small distribution is withheld whole
        for r in rows:
            n = p.count(("nsc", q, v, r["code"]), r["n"], _flag(r, "n"), small_total)
            codes.append(n)
            _pct(p, n, responded, r["pct"])
        p.eq({total: 1, **{c: -1 for c in codes}})
        p.eq({responded: 1, on_scale: -1, total: -1})


def _wilson(n, d, z=1.959963984540054):
    ph = n / d
    centre = (ph + z * z / (2 * d)) / (1 + z * z / d)
    half = z * math.sqrt(ph * (1 - ph) / d + z * z / (4 * d * d)) / (1 + z * z / d)
    return 100 * (centre - half), 100 * (centre + half)


def _items(p, levels, agreement, domains, codebook=None):
    cats = defaultdict(list)
    small_cat = {(r["questionnaire"], r["item"], c) for r in agreement for c in ("agree", "neutral", "disagree")
                 if _flag(r, f"pct_{c}") == "small"}
    for (q, item), part in _groupby(levels, "questionnaire", "item").items():
        T = p.count(("T", q, item), part[0]["item_n"], _flag(part[0], "item_n"))
        open_zero = _flag(part[0], "item_n") == "small"
        names = []
        for r in part:
            # a level of a category whose total prints <K may be withheld although it is zero
            open_level = open_zero or (q, item, r["category"]) in small_cat
            n = p.count(("l", q, item, r["level"]), r["n"], _flag(r, "n"), open_level)
            names.append(n)
            cats[(q, item, r["category"])].append(n)
            _pct(p, n, T, r["pct"])
        p.eq({T: 1, **{n: -1 for n in names}})
    for r in agreement:
        q, item = r["questionnaire"], r["item"]
        T = p.count(("T", q, item), r["n"], _flag(r, "n"))
        m = p.count(("m", q, item), r["missing"], _flag(r, "missing"))
        ns = p.count(("NSi", q, item), r.get("nonsubstantive", 0), _flag(r, "nonsubstantive"))
        p.eq({("A", q): 1, T: -1, m: -1, ns: -1})
        p.eq({("noscale", q, item): 1, m: -1, ns: -1})  # no answer on the scale
        for cat in ("agree", "neutral", "disagree"):
            if cats.get((q, item, cat)) and not _null(r[f"pct_{cat}"]):
                p.eq({**{n: 100.0 for n in cats[(q, item, cat)]}, T: -float(r[f"pct_{cat}"])}, 0.0, tol=1e-6)
    for r in domains:
        q, items = r["questionnaire"], [i for i in (r["items"] or "").split(",") if i]
        totals = [p.lb[p.index[("T", q, i)]] if p.lb[p.index[("T", q, i)]] == p.ub[p.index[("T", q, i)]] else None
                  for i in items]
        for cat in ("agree", "neutral", "disagree"):
            if _null(r[f"pct_{cat}"]):
                continue
            if any(t is None for t in totals):
                p.derived[("domain mean over an item with a withheld total", q, r["domain"], cat)] = (None, "structural")
                continue
            terms = defaultdict(float)
            for i, t in zip(items, totals):
                # a reverse-keyed item counts by its keyed agreement (docs: domain_agreement)
                own = {"agree": "disagree", "disagree": "agree"}.get(cat, cat) if (
                    "n_reversed" in r and codebook is not None and codebook.items[i].reverse) else cat
                for n in cats.get((q, i, own), []):
                    terms[n] += 100.0 / (len(items) * t)
            p.eq(terms, float(r[f"pct_{cat}"]), tol=1e-6)


def _feldt_low(alpha, n, k):
    return 1 - (1 - alpha) * stats.f.isf(0.025, n - 1, (n - 1) * (k - 1))


def _spearman_p(rho, n):
    t = rho * math.sqrt(max((n - 2) / ((rho + 1.0) * (1.0 - rho)), 0.0)) if abs(rho) < 1 else math.inf
    return 2 * stats.t.sf(abs(t), n - 2)


def _themes(p, frames):
    for r in frames["theme_score_summary"]:
        q, t = r["questionnaire"], r["theme"]
        S = p.count(("S", q, t), r["n"], _flag(r, "n"))
        U = p.count(("U", q, t), r["n_unscored"], _flag(r, "n_unscored"))
        p.eq({("A", q): 1, S: -1, U: -1})
    for r in frames["reliability"]:
        q, t = r["questionnaire"], r["theme"]
        C = p.count(("Cc", q, t), r["n"], _flag(r, "n"))
        inc = p.count(("I", q, t), r["n_incomplete"], _flag(r, "n_incomplete"))
        p.eq({("A", q): 1, C: -1, inc: -1})
        if _null(r["n"]) and not _null(r["ci_low"]) and not _null(r["alpha"]):
            hit = _scan(int(p.ub[p.index[("A", q)]]), lambda n: n > 2 and abs(
                _feldt_low(r["alpha"], n, r["k"]) - r["ci_low"]) < 1e-9)
            if hit is not None:
                p.fix(C, hit, "Feldt interval")
    for r in frames["theme_correlations"]:
        q, t, i, j = r["questionnaire"], r["theme"], r["item1"], r["item2"]
        P = p.count(("P", q, i, j), r["n"], _flag(r, "n"))
        x10, x01, x00 = (p.var(("Px", q, i, j, s)) for s in ("10", "01", "00"))
        p.eq({("T", q, i): 1, P: -1, x10: -1})
        p.eq({("T", q, j): 1, P: -1, x01: -1})
        p.eq({("noscale", q, i): 1, x01: -1, x00: -1})
        p.eq({("noscale", q, j): 1, x10: -1, x00: -1})
        if ("Cc", q, t) in p.index:
            p.ge({P: 1, ("Cc", q, t): -1})
        if _null(r["n"]) and not _null(r["p"]) and not _null(r["rho"]):
            hit = _scan(int(p.ub[p.index[("A", q)]]), lambda n: n > 2 and abs(_spearman_p(r["rho"], n) - r["p"])
                        < 1e-9 * max(r["p"], 1e-300))
            if hit is not None:
                p.fix(P, hit, "Spearman p")


def _test_n(row) -> int | None:
    """N from a test's statistic, p and effect when n itself is withheld."""
    if not _null(row["n"]) or _null(row["effect"]):
        return None
    if row["effect_measure"] == "epsilon2" and not _null(row["statistic"]) and row["effect"] > 0:
        return _integer(row["statistic"] / row["effect"] + 1, 1e-6)
    if row["effect_measure"] == "rho" and not _null(row["p"]) and 1e-300 < row["p"] < 1:
        return _scan(100000, lambda n: n > 2 and abs(_spearman_p(row["effect"], n) - row["p"]) < 1e-9 * row["p"])
    if row["effect_measure"] == "r" and not _null(row["p"]) and 1e-300 < row["p"] < 1 and row["effect"] != 0:
        z = stats.norm.isf(row["p"] / 2)
        return _integer((z / row["effect"]) ** 2, 1e-4)
    return None


def _tests(p, frames, codebook):
    groups = _groupby(frames["comparison_groups"], "comparison", "outcome_kind", "outcome")
    posthoc = _groupby(frames["posthoc"], "comparison", "outcome_kind", "outcome")
    for name in ("comparisons", "item_tests"):
        for r in frames[name]:
            c, kind, o = r["comparison"], r["outcome_kind"], r["outcome"]
            N = p.count(("N", c, kind, o), r["n"], _flag(r, "n"))
            derived = _test_n(r)
            if derived is not None:
                p.fix(N, derived, "effect size and statistic")
            comp = codebook.comparisons[c]
            rows = {str(g["group"]): g for g in groups.get((c, kind, o), [])}
            members, by_group = [], {}
            if comp.between == "questionnaires":
                for q in comp.groups:
                    g = rows.get(q)
                    node = _questionnaire_group(p, codebook, comp, kind, o, q, r["items"])
                    if g is not None:
                        p.count(node, g["n"], _flag(g, "n"))
                    members.append(node)
                    by_group[q] = node
            elif codebook.questionnaires[comp.questionnaire].variables[comp.by].type != "categorical":
                members = None  # correlated with a number: no groups
            else:
                q, var = comp.questionnaire, codebook.questionnaires[comp.questionnaire].variables[comp.by]
                listed = comp.levels if comp.levels is not None else [c2 for c2 in var.codes if c2 not in var.missing_levels]
                zs = []
                small_n = _flag(r, "n") == "small"  # a small test's groups are withheld whole
                for code in listed:
                    node = ("g", c, kind, o, str(code))
                    g = rows.get(str(code))
                    if g is not None:
                        p.count(node, g["n"], _flag(g, "n"), small_n)
                    else:
                        p.var(node)
                    z = p.var(("z", c, kind, o, str(code)))
                    p.eq({("d", q, comp.by, code): 1, node: -1, z: -1})
                    members.append(node)
                    by_group[str(code)] = node
                    zs.append(z)
                miss = ("noscale", q, o) if kind == "item" else ("U", q, o) if kind == "theme" else ("novalue", q, o)
                if miss in p.index:
                    p.eq({miss: 1, **{z: -1 for z in zs}, p.var(("zr", c, kind, o)): -1})
            if members is None:
                continue
            p.eq({N: 1, **{m: -1 for m in members}})
            _ranks(p, r, N, [(node, rows.get(g)) for g, node in by_group.items()])
            for ph in posthoc.get((c, kind, o), []):
                for side in ("1", "2"):
                    node = by_group.get(str(ph[f"group{side}"]))
                    if node is not None:
                        p.count(node, ph[f"n{side}"], _flag(ph, f"n{side}"))


def _questionnaire_group(p, codebook, comp, kind, outcome, q, items):
    if kind == "item":
        return ("T", q, outcome)
    theme_items = [i for i in codebook.themes[outcome].items if i in codebook.questionnaires[q].items]
    if ("S", q, outcome) in p.index and (items or "").split(",") == theme_items:
        return ("S", q, outcome)
    node = p.var(("G", comp.id, outcome, q))
    p.ge({("A", q): 1, node: -1})
    return node


def _ranks(p, row, N, pairs):
    """Mean ranks sum to N(N+1)/2; U with the first group's mean rank gives its size."""
    lo, hi = p.lb[p.index[N]], p.ub[p.index[N]]
    shown = [(m, g) for m, g in pairs if g is not None and g["included"]]
    if lo == hi and shown and all(not _null(g["mean_rank"]) for _, g in shown):
        p.eq({m: float(g["mean_rank"]) for m, g in shown}, lo * (lo + 1) / 2, tol=1e-6)
    if row["test"] == "mann-whitney" and not _null(row["statistic"]) and shown:
        m, g = shown[0]
        if not _null(g["mean_rank"]) and _null(g["n"]):
            # U = n1 r1 - n1(n1+1)/2  ->  n1^2 + (1 - 2 r1) n1 + 2U = 0
            b, c = 1 - 2 * g["mean_rank"], 2 * row["statistic"]
            disc = b * b - 4 * c
            for root in ((-b + math.sqrt(disc)) / 2, (-b - math.sqrt(disc)) / 2) if disc >= 0 else ():
                n1 = _integer(root, 1e-6)
                if n1 is not None and n1 > 0:
                    p.fix(m, n1, "U and mean rank")
                    break


@dataclass
class Finding:
    name: tuple
    low: float
    high: float
    printed_as: str
    how: str = ""


def attack(frames, codebook, k: int) -> tuple[Problem, dict]:
    """The program and the (min, max) of every count it does not know exactly."""
    p = build(frames, codebook, k)
    candidates = [n for n, how in p.printed_as.items() if how in ("small", "withheld", "latent")]
    return p, p.ranges(candidates)


def leaks(frames, codebook, k: int) -> list[Finding]:
    """Every count the published frames pin to one value of 1..K-1, and every statistic printed
    beside the count it would give back (structural)."""
    p, ranges = attack(frames, codebook, k)
    out = [Finding(name, math.nan, math.nan, "structural", how) for name, (_, how) in p.derived.items()
           if how == "structural"]
    for name, (low, high) in ranges.items():
        if low == high and 1 <= low <= k - 1:
            out.append(Finding(name, low, high, p.printed_as[name], p.derived.get(name, (None, ""))[1]))
    return out

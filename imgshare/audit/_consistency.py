"""Consistency of a paper's printed numbers with each other, without any data (GRIM-style).

A percentage of N respondents can only take the values 100 k / N; a printed percentage that no
integer k produces (rounded or truncated to the printed decimals) cannot be right, and a printed
n whose share does not print as the printed percentage contradicts it. Tables whose rows do not
add up, numbers printed twice that disagree, and significance claims the printed R cannot
support are found the same way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction
from itertools import combinations

import pandas as pd
from scipy import special

from ._numbers import BOTH, NEITHER, ROUNDED, TRUNCATED, fit, format_number, interval, rounded, to_decimal, unit
from ._published import COUNT_KINDS, PERCENT_KINDS, Published, PublishedValue

__all__ = ["consistency", "FINDING_COLUMNS"]

FINDING_COLUMNS = ["check", "subject", "source", "printed", "finding", "severity", "note"]
OK, NOTE, PROBLEM = "ok", "note", "problem"
_MEASURE_KEYS = ("kind", "questionnaire", "column", "levels", "where", "denominator", "stage", "exclusion",
                 "of_stage", "theme", "items", "domain")


def _row(check: str, v: PublishedValue | None, finding: str, severity: str, note: str, subject: str = "",
         source: str = "") -> dict:
    return {"check": check, "subject": subject or (v.id if v else ""), "source": source or (v.source if v else ""),
            "printed": v.shown if v else "", "finding": finding, "severity": severity, "note": note}


def _pct(x: Fraction, d: int) -> str:
    return format_number(x, d + 3) + "%"


def _total(v: PublishedValue, by_id) -> int | None:
    """The printed denominator of ``v`` as a whole number, or None."""
    if v.of is None:
        return None
    value = by_id[v.of].value if isinstance(v.of, str) else v.of
    return int(value) if float(value).is_integer() and value > 0 else None


def _count_of(v: PublishedValue, by_id) -> int | None:
    if not v.n:
        return None
    total = sum(by_id[ref].value for ref in v.n)
    return int(total) if float(total).is_integer() else None


def _candidates(value: float, d: int, big_n: int) -> dict[int, str]:
    """Counts k (0..N) whose share prints as ``value`` at ``d`` decimals, and how."""
    centre = int(round(value * big_n / 100))
    span = max(2, int(big_n * float(unit(d)) / 100) + 2)
    out = {}
    for k in range(max(0, centre - span), min(big_n, centre + span) + 1):
        how = fit(Fraction(100 * k, big_n), value, d)
        if how != NEITHER:
            out[k] = how
    return out


def _nearest(value: float, big_n: int, d: int) -> str:
    lo = math.floor(value * big_n / 100)
    ks = [k for k in (lo, lo + 1) if 0 <= k <= big_n]
    return ", ".join(f"{k}/{big_n} = {_pct(Fraction(100 * k, big_n), d)}" for k in ks)


def _grim(v: PublishedValue, big_n: int) -> dict:
    cands = _candidates(v.value, v.decimals, big_n)
    if not cands:
        return _row("grim", v, "impossible", PROBLEM,
                    f"no count out of {big_n} prints as {v.shown} (rounded or truncated); "
                    f"nearest: {_nearest(v.value, big_n, v.decimals)}")
    listed = ", ".join(f"{k} ({how})" for k, how in sorted(cands.items()))
    return _row("grim", v, "possible", OK, f"counts out of {big_n} printing as {v.shown}: {listed}")


def _n_vs_percent(v: PublishedValue, n: int, big_n: int) -> dict:
    x = Fraction(100 * n, big_n)
    share = f"{n}/{big_n} = {_pct(x, v.decimals)}"
    if v.approx == "over":
        ok = x > Fraction(str(v.value)) and fit(x, v.value, v.decimals) in (TRUNCATED, BOTH)
        return _row("n_vs_percent", v, "consistent" if ok else "inconsistent", OK if ok else PROBLEM,
                    f"{share}; printed as just over {v.shown}")
    if v.approx is not None:
        return _row("n_vs_percent", v, "not checked", OK, f"{share}; printed as {v.approx} {v.shown}")
    how = fit(x, v.value, v.decimals)
    if how == NEITHER:
        cands = _candidates(v.value, v.decimals, big_n)
        other = (f"{v.shown} is {', '.join(f'{k}/{big_n}' for k in sorted(cands))}" if cands
                 else f"no count out of {big_n} prints as {v.shown}")
        prints = " or ".join(sorted(f"{r:f}" for r in rounded(x, v.decimals)))
        return _row("n_vs_percent", v, "inconsistent", PROBLEM,
                    f"printed n={n}, but {share}, which prints as {prints}; {other}")
    severity = NOTE if how == TRUNCATED else OK
    detail = {ROUNDED: "rounded", TRUNCATED: f"truncated (rounding gives {format_number(x, v.decimals)})",
              BOTH: "rounded or truncated (the digits do not tell)"}[how]
    return _row("n_vs_percent", v, how, severity, f"{share}: printed {v.shown} is {detail}")


def _blocks(published: Published, by_id) -> list[dict]:
    rows = []
    groups: dict[str, list[PublishedValue]] = defaultdict(list)
    for v in published.values:
        if v.block:
            groups[v.block].append(v)
    for block, members in groups.items():
        source = members[0].source
        counts = [v for v in members if v.kind in COUNT_KINDS]
        pcts = [v for v in members if v.kind in PERCENT_KINDS]
        totals = {_total(v, by_id) for v in counts}
        if counts and len(totals) == 1 and None not in totals:
            total, got = totals.pop(), sum(int(v.value) for v in counts)
            ok = got == total
            rows.append(_row("block_sum", None, "adds up" if ok else "does not add up", OK if ok else PROBLEM,
                             f"{' + '.join(str(int(v.value)) for v in counts)} = {got}; total printed: {total}",
                             subject=block, source=source))
        elif counts:
            rows.append(_row("block_sum", None, "not checked", NOTE,
                             "the block's counts name different totals", subject=block, source=source))
        if pcts:
            got = sum(to_decimal(v.value) for v in pcts)
            half = sum(unit(v.decimals) for v in pcts) / 2
            by_rounding = abs(got - 100) <= half
            by_truncation = 100 - 2 * half <= got <= 100
            finding = ("sums to 100 within rounding" if by_rounding else
                       "sums to 100 within truncation" if by_truncation else "does not sum to 100")
            severity = OK if by_rounding else NOTE if by_truncation else PROBLEM
            rows.append(_row("block_percent_sum", None, finding, severity,
                             f"{' + '.join(v.shown for v in pcts)} = {got:f}", subject=block, source=source))
    return rows


def _convention(rows: list[dict], published: Published) -> list[dict]:
    """Classify each source's percentages: rounded, truncated, mixed or ambiguous."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["check"] == "n_vs_percent" and r["finding"] in (ROUNDED, TRUNCATED, BOTH):
            by_source[r["source"]].append(r)
    out = []
    for source in dict.fromkeys(v.source for v in published.values):
        found = by_source.get(source)
        if not found:
            continue
        r_ids = [r["subject"] for r in found if r["finding"] == ROUNDED]
        t_ids = [r["subject"] for r in found if r["finding"] == TRUNCATED]
        kind = "mixed" if r_ids and t_ids else ROUNDED if r_ids else TRUNCATED if t_ids else "ambiguous"
        parts = [f"{len(found)} percentages with their n"]
        if r_ids:
            parts.append(f"only rounding fits {len(r_ids)} ({', '.join(r_ids)})")
        if t_ids:
            parts.append(f"only truncation fits {len(t_ids)} ({', '.join(t_ids)})")
        out.append(_row("convention", None, kind, NOTE if t_ids else OK, "; ".join(parts),
                        subject=source, source=source))
    return out


def _p_for(r: float, n: int) -> float:
    if abs(r) >= 1:
        return 0.0
    t = abs(r) * math.sqrt((n - 2) / (1 - r * r))
    # = 2 * scipy.stats.t.sf(t, n - 2); scipy.special imports several times faster than scipy.stats.
    return float(2 * special.stdtr(n - 2, -t))


def _significance(published: Published, by_id) -> list[dict]:
    rows = []
    for v in published.values:
        if v.kind != "significant":
            continue
        rs = [w for w in published.values if w.kind in ("spearman", "spearman_min") and w.theme == v.theme
              and w.questionnaire == v.questionnaire and (not v.items or set(w.items) == set(v.items))]
        big_n = _total(v, by_id) or next((t for w in rs if (t := _total(w, by_id))), None)
        if not rs or big_n is None or big_n < 3:
            rows.append(_row("significance", v, "not checked", OK, "no printed R and n for this claim"))
            continue
        weakest = min(rs, key=lambda w: abs(w.value))
        # Most favourable to the claim: the largest |R| that still prints as the printed value.
        best_r = min(abs(weakest.value) + float(unit(weakest.decimals)) / 2, 1.0)
        p = _p_for(best_r, big_n)
        if p >= v.value:
            rows.append(_row("significance", v, "contradicted", PROBLEM,
                             f"R={weakest.shown} ({weakest.id}) with n={big_n} gives p = {p:.3g} even at "
                             f"|R| = {best_r:g}: cannot be significant at the {v.shown} level"))
        else:
            rows.append(_row("significance", v, "supported", OK,
                             f"smallest printed R={weakest.shown} ({weakest.id}) with n={big_n} gives "
                             f"p = {_p_for(weakest.value, big_n):.2g} < {v.shown}"))
    return rows


def _signature(v: PublishedValue, codebook) -> tuple:
    levels = v.levels
    if isinstance(levels, str) and codebook is not None and v.column in codebook.items:
        levels = tuple(sorted(getattr(codebook.scale_of(v.column), levels)))
    sig = {"kind": v.kind, "questionnaire": v.questionnaire, "column": v.column, "levels": levels,
           "where": tuple(sorted(v.where.items())), "denominator": v.denominator, "stage": v.stage,
           "exclusion": v.exclusion, "of_stage": v.of_stage, "theme": v.theme, "items": tuple(sorted(v.items)),
           "domain": v.domain}
    return tuple(sig[k] for k in _MEASURE_KEYS)


def _overlap(a: PublishedValue, b: PublishedValue, how_a: str, how_b: str) -> bool:
    lo_a, hi_a = interval(a.value, a.decimals, how_a)
    lo_b, hi_b = interval(b.value, b.decimals, how_b)
    return max(lo_a, lo_b) <= min(hi_a, hi_b)


def _repeats(published: Published, codebook) -> list[dict]:
    """The same quantity printed more than once (text vs table, paper vs poster) must agree."""
    groups: dict[tuple, list[PublishedValue]] = defaultdict(list)
    for v in published.values:
        if v.kind != "significant" and v.approx is None:
            groups[_signature(v, codebook)].append(v)
    rows = []
    for members in groups.values():
        for a, b in combinations(members, 2):
            subject, source = f"{a.id} vs {b.id}", f"{a.source} / {b.source}"
            if a.kind in COUNT_KINDS:
                same = a.value == b.value
                rows.append(_row("repeat", None, "consistent" if same else "conflict", OK if same else PROBLEM,
                                 f"{a.shown} vs {b.shown}", subject=subject, source=source))
            elif _overlap(a, b, ROUNDED, ROUNDED):
                rows.append(_row("repeat", None, "consistent", OK, f"{a.shown} vs {b.shown}", subject, source))
            elif any(_overlap(a, b, ha, hb) for ha in (ROUNDED, TRUNCATED) for hb in (ROUNDED, TRUNCATED)):
                rows.append(_row("repeat", None, "consistent if truncated", NOTE,
                                 f"{a.shown} vs {b.shown}: one of them must be truncated", subject, source))
            else:
                rows.append(_row("repeat", None, "conflict", PROBLEM, f"{a.shown} vs {b.shown}", subject, source))
    rows += _level_sums(published, codebook)
    return rows


def _level_sums(published: Published, codebook) -> list[dict]:
    """A count over several levels against the sum of the same levels printed one by one."""
    single: dict[tuple, dict[int, PublishedValue]] = defaultdict(dict)
    for v in published.values:
        if v.kind == "count" and isinstance(v.levels, tuple) and len(v.levels) == 1:
            single[(v.questionnaire, v.column, tuple(sorted(v.where.items())))].setdefault(v.levels[0], v)
    rows = []
    for v in published.values:
        if v.kind != "count":
            continue
        levels = _signature(v, codebook)[_MEASURE_KEYS.index("levels")]
        if not isinstance(levels, tuple) or len(levels) < 2:
            continue
        parts = single.get((v.questionnaire, v.column, tuple(sorted(v.where.items()))), {})
        if not all(code in parts for code in levels):
            continue
        got = sum(int(parts[c].value) for c in levels)
        same = got == v.value
        rows.append(_row("repeat", v, "consistent" if same else "conflict", OK if same else PROBLEM,
                         f"{v.shown} vs {' + '.join(str(int(parts[c].value)) for c in levels)} = {got}",
                         subject=f"{v.id} vs {' + '.join(parts[c].id for c in levels)}",
                         source=f"{v.source} / {parts[levels[0]].source}"))
    return rows


def _grim_means(published: Published, by_id, codebook) -> list[dict]:
    """A mean of m item percentages, each k/N, is 100 K / (m N) for a whole K."""
    rows = []
    for v in published.values:
        if not v.kind.startswith("domain_mean") or codebook is None or v.domain not in codebook.domains:
            continue
        big_n = _total(v, by_id)
        qid = v.questionnaire[0] if v.questionnaire else None
        if big_n is None or qid not in codebook.questionnaires:
            continue
        m = sum(1 for i in codebook.domains[v.domain].items if i in codebook.questionnaires[qid].items)
        if m == 0:
            continue
        assumption = f"assuming all {m} items of '{v.domain}' (codebook) were answered by all {big_n}"
        cands = _candidates(v.value, v.decimals, m * big_n)
        if cands:
            listed = ", ".join(f"{k}/{m * big_n} ({how})" for k, how in sorted(cands.items()))
            rows.append(_row("grim_mean", v, "possible", OK, f"{assumption}: {listed}"))
        else:
            rows.append(_row("grim_mean", v, "impossible", PROBLEM,
                             f"{assumption}, no mean prints as {v.shown}; nearest: "
                             f"{_nearest(v.value, m * big_n, v.decimals)}"))
    return rows


def consistency(published: Published, codebook=None) -> pd.DataFrame:
    """Check the printed numbers against each other, using no data.

    Parameters
    ----------
    published : Published
        The paper's printed values with their printed denominators (``of``), counts (``n``)
        and table blocks.
    codebook : Codebook, optional
        When given, Likert categories ('agree') become codes so that a count over a category
        can be compared with its levels printed one by one, domain means get a GRIM check
        (the number of items comes from the codebook) and weighted questionnaires are left
        out of the GRIM checks.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``check`` (grim, n_vs_percent, block_sum, block_percent_sum,
        convention, significance, repeat, grim_mean), ``subject`` (entry id, block, source or
        'id vs id'), ``source``, ``printed``, ``finding``, ``severity`` ('ok', 'note' for a
        truncation or a mixed convention, 'problem' for an impossible or contradicted value)
        and ``note`` with the numbers.

    Notes
    -----
    GRIM (Brown & Heathers 2017): with N respondents a percentage is :math:`100k/N`; the
    printed :math:`p` at :math:`d` decimals is possible iff some integer :math:`0 \\le k \\le N`
    gives :math:`\\mathrm{round}_d(100k/N) = p` (half-up or half-down) or
    :math:`\\mathrm{trunc}_d(100k/N) = p`. A significance claim is contradicted when even
    :math:`|R| + \\tfrac12 10^{-d}` gives :math:`p \\ge \\alpha` with
    :math:`t = R\\sqrt{(n-2)/(1-R^2)}` on :math:`n-2` degrees of freedom.

    References
    ----------
    Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in
    the reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-9.

    Examples
    --------
    >>> from imgshare.audit import parse_published
    >>> pub = parse_published({"values": [
    ...     {"id": "N", "source": "Text", "printed": "121 responses", "value": 121, "kind": "flow",
    ...      "questionnaire": "q", "stage": "analysed"},
    ...     {"id": "p", "source": "Poster", "printed": "27.28", "value": 27.28, "decimals": 2,
    ...      "kind": "percent", "questionnaire": "q", "item": "R2", "levels": "agree", "of": "N"}]})
    >>> consistency(pub).query("check == 'grim'")[["subject", "finding"]].values.tolist()
    [['p', 'impossible']]
    """
    by_id = published.by_id
    weighted = set()
    if codebook is not None:
        weighted = {q for q, spec in codebook.questionnaires.items() if spec.weight}
    rows: list[dict] = []
    for v in published.values:
        if v.kind not in PERCENT_KINDS or set(v.questionnaire) & weighted:
            continue
        big_n = _total(v, by_id)
        if big_n is None:
            continue
        if v.approx is None:
            rows.append(_grim(v, big_n))
        n = _count_of(v, by_id)
        if n is not None:
            rows.append(_n_vs_percent(v, n, big_n))
    rows += _convention(rows, published)
    rows += _blocks(published, by_id)
    rows += _significance(published, by_id)
    rows += _repeats(published, codebook)
    rows += _grim_means(published, by_id, codebook)
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)

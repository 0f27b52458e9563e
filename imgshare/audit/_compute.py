"""Compute, from an analysed cohort, the quantity a published value measures.

Counts, percentages and the participant flow come straight from the cohort (contract:
``Cohort.responses`` / ``Cohort.flow``); domain means and within-theme correlations from the
analysis layer (:func:`imgshare.analysis.domain_agreement`,
:func:`~imgshare.analysis.theme_correlations`, :func:`~imgshare.analysis.theme_correlation_summary`),
so the audit checks the numbers the report prints. Nothing here rounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis import domain_agreement, theme_correlation_summary, theme_correlations
from ._published import PublishedValue

__all__ = ["Computed", "Context", "compute"]


@dataclass(frozen=True)
class Computed:
    """A computed value (NaN with ``reason`` when it cannot be computed) and how it was reached."""

    value: float
    reason: str = ""
    detail: str = ""


def _not(reason: str) -> Computed:
    return Computed(math.nan, reason)


class Context:
    """One cohort plus the derived frames several values share, computed at most once.

    Built per :func:`~imgshare.audit.check` call; it never modifies the cohort.
    """

    def __init__(self, cohort) -> None:
        self.cohort = cohort
        self._frames: dict[str, pd.DataFrame] = {}

    def _frame(self, name: str, make) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = make()
        return self._frames[name]

    def correlations(self) -> pd.DataFrame:
        return self._frame("correlations", lambda: theme_correlations(self.cohort))

    def correlation_summary(self) -> pd.DataFrame:
        return self._frame("summary", lambda: theme_correlation_summary(self.cohort,
                                                                        correlations=self.correlations()))

    def domains(self) -> pd.DataFrame:
        return self._frame("domains", lambda: domain_agreement(self.cohort))


def _codes(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _asked(q, frame: pd.DataFrame, column: str) -> np.ndarray:
    """Respondents asked ``column`` by the codebook's skip logic (``asked_if``)."""
    mask = np.ones(len(frame), dtype=bool)
    var = q.variables.get(column)
    for dep, codes in (var.asked_if.items() if var is not None else ()):
        mask &= np.isin(_codes(frame, dep), np.asarray(codes, dtype=float))
    return mask


def _level_codes(v: PublishedValue, codebook) -> tuple[int, ...]:
    if isinstance(v.levels, str):
        return tuple(sorted(getattr(codebook.scale_of(v.column), v.levels)))
    return tuple(v.levels or ())


def _count(v: PublishedValue, cohort) -> Computed:
    qid = v.questionnaire[0]
    q = cohort.codebook.questionnaires[qid]
    frame = cohort.responses.get(qid)
    if frame is None:
        return _not(f"the cohort has no responses for '{qid}'")
    missing = [c for c in (v.column, *v.where) if c not in frame.columns]
    if missing:
        return _not(f"the responses of '{qid}' have no column {missing[0]!r}")
    rows = np.ones(len(frame), dtype=bool)
    for col, codes in v.where.items():
        rows &= np.isin(_codes(frame, col), np.asarray(codes, dtype=float))
    codes = _codes(frame, v.column)
    weights = np.ones(len(frame))
    weighted = bool(v.weighted and q.weight)
    if weighted:
        if q.weight not in frame.columns:
            return _not(f"the responses of '{qid}' have no weight column '{q.weight}'")
        weights = pd.to_numeric(frame[q.weight]).to_numpy(dtype=float, na_value=np.nan)
    levels = _level_codes(v, cohort.codebook)
    hit = rows & np.isin(codes, np.asarray(levels, dtype=float))
    if isinstance(v.denominator, tuple):
        base = rows & np.isin(codes, np.asarray(v.denominator, dtype=float))
    elif v.denominator == "asked":
        base = rows & _asked(q, frame, v.column)
    elif v.denominator == "analysed":
        base = rows
    else:
        base = rows & ~np.isnan(codes)
    n, total = float(weights[hit].sum()), float(weights[base].sum())
    what = "weighted " if weighted else ""
    if v.kind == "count":
        return Computed(n if weighted else float(int(hit.sum())), detail=f"{what}count of {v.column} in {list(levels)}")
    if total == 0:
        return _not(f"no respondents in the denominator ({v.denominator})")
    n_txt = f"{n:g}" if weighted else str(int(hit.sum()))
    total_txt = f"{total:g}" if weighted else str(int(base.sum()))
    return Computed(100.0 * n / total, detail=f"{what}{n_txt}/{total_txt}")


def _flow_n(v: PublishedValue, flow: pd.DataFrame, codebook, stage: str, exclusion: str | None) -> int:
    part = flow[flow["questionnaire"].isin(v.questionnaire) & (flow["stage"] == stage)]
    if exclusion is not None:
        reasons = {exclusion}
        for qid in v.questionnaire:
            reasons |= {e.reason for e in codebook.questionnaires[qid].exclusions if e.id == exclusion}
        part = part[part["reason"].isin(reasons)]
    return int(part["n"].sum())


def _flow(v: PublishedValue, cohort) -> Computed:
    flow = cohort.flow
    present = set(flow["questionnaire"])
    absent = [q for q in v.questionnaire if q not in present]
    if absent:
        return _not(f"the participant flow has no rows for '{absent[0]}'")
    n = _flow_n(v, flow, cohort.codebook, v.stage, v.exclusion)
    if v.kind == "flow":
        return Computed(float(n), detail=f"participant flow, {v.stage}")
    total = _flow_n(v, flow, cohort.codebook, v.of_stage, None)
    if total == 0:
        return _not(f"no respondents at stage '{v.of_stage}'")
    return Computed(100.0 * n / total, detail=f"{n}/{total} {v.of_stage}")


def _correlation(v: PublishedValue, ctx: Context) -> Computed:
    """Spearman's rho of the theme's items (keyed codes, as the analysis layer correlates them)."""
    qid = v.questionnaire[0]
    if qid not in ctx.cohort.responses:
        return _not(f"the cohort has no responses for '{qid}'")
    pairs = ctx.correlations()
    pairs = pairs[(pairs["questionnaire"] == qid) & (pairs["theme"] == v.theme)]
    if v.items:
        a, b = v.items
        pairs = pairs[((pairs.item1 == a) & (pairs.item2 == b)) | ((pairs.item1 == b) & (pairs.item2 == a))]
    undefined = pairs[pairs["rho"].isna()]
    if pairs.empty:
        return _not(f"no correlation of theme '{v.theme}' in '{qid}'")
    if len(undefined):
        row = undefined.iloc[0]
        return _not(f"rho({row.item1}, {row.item2}) is undefined: {row.reason}")
    n_lo, n_hi = int(pairs["n"].min()), int(pairs["n"].max())
    detail = f"{len(pairs)} pair(s), n={n_lo}" + ("" if n_lo == n_hi else f"-{n_hi}")
    if v.items:
        row = pairs.iloc[0]
        return Computed(float(row.p if v.kind == "significant" else row.rho), detail=detail)
    summary = ctx.correlation_summary()
    row = summary[(summary["questionnaire"] == qid) & (summary["theme"] == v.theme)].iloc[0]
    column = {"significant": "p_max", "spearman_min": "rho_min", "spearman_max": "rho_max"}.get(v.kind, "rho")
    if v.kind == "significant":
        detail = f"largest p over {detail}"
    return Computed(float(row[column]), detail=detail)


def _domain_mean(v: PublishedValue, ctx: Context) -> Computed:
    qid = v.questionnaire[0]
    if qid not in ctx.cohort.responses:
        return _not(f"the cohort has no responses for '{qid}'")
    frame = ctx.domains()
    row = frame[(frame["questionnaire"] == qid) & (frame["domain"] == v.domain)]
    if row.empty:
        return _not(f"nobody in '{qid}' answered an item of domain '{v.domain}'")
    column = "pct_" + v.kind.removeprefix("domain_mean_")
    value = float(row[column].iloc[0])
    if math.isnan(value):
        return _not(f"{column} is undefined for domain '{v.domain}'")
    return Computed(value, detail=f"mean of {int(row['n_items'].iloc[0])} items")


def compute(v: PublishedValue, ctx: Context) -> Computed:
    """The value of ``v`` on the cohort of ``ctx`` (``v`` must resolve against its codebook).

    Parameters
    ----------
    v : PublishedValue
        A published value that :func:`~imgshare.audit.resolve` accepts.
    ctx : Context
        The cohort and its shared derived frames.

    Returns
    -------
    Computed
        Unrounded value; NaN with a reason when the data cannot give it.
    """
    if v.kind in ("count", "percent"):
        return _count(v, ctx.cohort)
    if v.kind in ("flow", "flow_percent"):
        return _flow(v, ctx.cohort)
    if v.kind.startswith("spearman") or v.kind == "significant":
        return _correlation(v, ctx)
    return _domain_mean(v, ctx)

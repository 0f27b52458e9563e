"""Which audited values the appendix may print under disclosure control.

The audit recomputes each value a paper printed (a count, a percentage, a flow count, a
correlation, a domain mean) from the cohort. Under ``--min-cell K`` the appendix prints a
computed value (and its verdict, which would give it back) only when the protected results
(:func:`imgshare.disclosure.protect`) print the same quantity; anything they withhold, and
anything they do not hold at all (cross-tabulations, other denominators), is shown as withheld.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..disclosure import SMALL, WITHHELD

__all__ = ["audit_flags"]

CATEGORIES = ("agree", "neutral", "disagree")


def _flags(frame: pd.DataFrame, mask, *columns: str) -> str:
    rows = frame[mask]
    if rows.empty:
        return WITHHELD
    found = [f for c in columns if f"{c}_withheld" in rows.columns for f in rows[f"{c}_withheld"] if f]
    return SMALL if SMALL in found else WITHHELD if found else ""


def _count_flag(v: Any, results: Any) -> str:
    if v.where or len(v.questionnaire) != 1 or v.column is None:
        return WITHHELD
    qid, col, cb = v.questionnaire[0], v.column, results.codebook
    percent = v.kind == "percent"
    if v.item is not None:
        scale = cb.scale_of(v.item)
        codes = tuple(sorted(getattr(scale, v.levels))) if isinstance(v.levels, str) else tuple(v.levels or ())
        if v.denominator != "answering" and not (not percent and v.denominator in ("asked", "analysed")):
            return WITHHELD
        for cat in CATEGORIES:
            if set(codes) == set(getattr(scale, cat, ())) and len(codes) > 1:
                ag = results.item_agreement
                return _flags(ag, (ag["questionnaire"] == qid) & (ag["item"] == v.item), f"pct_{cat}")
        lv = results.item_levels
        mask = (lv["questionnaire"] == qid) & (lv["item"] == v.item) & lv["level"].isin(codes)
        if mask.sum() != len(codes):
            return WITHHELD
        return _flags(lv, mask, "n", "pct" if percent else "n", "item_n" if percent else "n")
    desc = results.descriptives
    codes = tuple(v.levels or ())
    mask = (desc["questionnaire"] == qid) & (desc["variable"] == col) & desc["level"].isin(codes)
    if mask.sum() != len(codes) or (percent and v.denominator not in ("answering", "asked")):
        return WITHHELD
    return _flags(desc, mask, "n", "pct" if percent else "n", "denominator" if percent else "n")


def _flow_flag(v: Any, results: Any) -> str:
    flow, cb = results.flow, results.codebook

    def stage(name: str, exclusion: str | None) -> str:
        mask = flow["questionnaire"].isin(v.questionnaire) & (flow["stage"] == name)
        if exclusion is not None:
            reasons = {exclusion} | {e.reason for q in v.questionnaire for e in cb.questionnaires[q].exclusions
                                     if e.id == exclusion}
            mask &= flow["reason"].isin(reasons)
        elif name == "excluded":  # the total excluded is received minus analysed
            return _worst(stage("received", None), stage("analysed", None))
        return _flags(flow, mask, "n")

    flag = stage(v.stage, v.exclusion)
    if v.kind == "flow_percent":
        flag = _worst(flag, stage(v.of_stage, None))
    return flag


def _worst(*flags: str) -> str:
    return SMALL if SMALL in flags else WITHHELD if any(flags) else ""


def _theme_flag(v: Any, results: Any) -> str:
    qid = v.questionnaire[0]
    column = "p" if v.kind == "significant" else "rho"
    if v.items:
        a, b = v.items
        cor = results.theme_correlations
        mask = ((cor["questionnaire"] == qid) & (cor["theme"] == v.theme)
                & (((cor["item1"] == a) & (cor["item2"] == b)) | ((cor["item1"] == b) & (cor["item2"] == a))))
        return _flags(cor, mask, column)
    summ = results.theme_correlation_summary
    return _flags(summ, (summ["questionnaire"] == qid) & (summ["theme"] == v.theme),
                  "p_max" if v.kind == "significant" else "rho")


def _domain_flag(v: Any, results: Any) -> str:
    cat = v.kind.removeprefix("domain_mean_")
    dom = results.domain_agreement
    return _flags(dom, (dom["questionnaire"] == v.questionnaire[0]) & (dom["domain"] == v.domain), f"pct_{cat}")


def audit_flags(published: Any, results: Any) -> dict[str, str]:
    """Published value id -> '' (print the computed value), 'small' or 'withheld'."""
    out = {}
    for v in published.values:
        if v.kind in ("count", "percent"):
            out[v.id] = _count_flag(v, results)
        elif v.kind in ("flow", "flow_percent"):
            out[v.id] = _flow_flag(v, results)
        elif v.kind.startswith("spearman") or v.kind == "significant":
            out[v.id] = _theme_flag(v, results)
        elif v.kind.startswith("domain_mean"):
            out[v.id] = _domain_flag(v, results)
        else:
            out[v.id] = WITHHELD
        if out[v.id] == SMALL and v.kind != "count" and v.kind != "flow":
            out[v.id] = WITHHELD  # "<K" is a count: a percentage of a small count prints as withheld
    return out

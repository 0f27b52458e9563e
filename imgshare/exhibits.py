"""Every table and figure a codebook calls for, built from the analysis results and named by label.

This is the one place that decides which exhibits a study has: ``imgshare figures`` writes them
all to disk and the manuscripts show them by label. Labels come from codebook ids
(``tbl-patients-age-group``, ``fig-experts-risks``), so any codebook gets a full set.

Under ``min_cell`` K every exhibit is built from one protected copy of the results
(:func:`imgshare.disclosure.protect`), never from the raw frames, and every builder is told K so
that it prints withheld values as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .codebook import Codebook, common_words, scale_words
from .disclosure import protect

__all__ = ["Exhibit", "build_exhibits", "slug", "table_exhibits", "figure_exhibits"]

DOUBLE_COLUMN_MM = 175.0


@dataclass(frozen=True)
class Exhibit:
    """A table (``obj`` is a TableSpec) or a figure (``obj`` is a plotnine ggplot)."""

    label: str
    kind: str
    caption: str
    obj: Any
    alt: str = ""
    width_mm: float = DOUBLE_COLUMN_MM
    height_mm: float = 100.0


def slug(*parts: str) -> str:
    return "-".join(str(p).replace("_", "-").lower() for p in parts if p)


def table_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> dict[str, Exhibit]:
    """Tables: participant flow, each categorical variable, each questionnaire's items (per scale),
    item agreement, theme correlations, reliability and one table per comparison, with the
    project's :class:`~imgshare.tables.NumberStyle` (``numbers``; default style when None)."""
    from . import tables as T

    results = protect(results, min_cell)
    k = min_cell if min_cell > 1 else None
    style = numbers if numbers is not None else T.NumberStyle()
    pct, stat = style.percent_decimals, style.statistic_decimals
    cb: Codebook = results.codebook
    out: dict[str, Exhibit] = {}

    def add(spec, caption):
        out[spec.label] = Exhibit(spec.label, "table", caption, spec)

    add(T.tbl_participant_flow(results.flow, cb, decimals=pct, min_cell=k),
        "Responses received, excluded and analysed")
    desc = results.descriptives
    nonsub = getattr(results, "nonsubstantive", pd.DataFrame(columns=["questionnaire", "variable", "n"]))
    numeric = getattr(results, "numeric_summary", pd.DataFrame(columns=["questionnaire"]))
    for qid, q in cb.questionnaires.items():
        for vid, var in q.variables.items():
            if var.type != "categorical":
                continue
            frame = desc[(desc["questionnaire"] == qid) & (desc["variable"] == vid)].reset_index(drop=True)
            title = f"{q.label}: {var.question}"
            extra = nonsub[(nonsub["questionnaire"] == qid) & (nonsub["variable"] == vid)]
            add(T.tbl_categorical(frame, vid, cb, slug("tbl", qid, vid), questionnaire=qid, title=title,
                                  decimals=pct, min_cell=k, nonsubstantive=extra), title)
        if (numeric["questionnaire"] == qid).any():
            title = f"{q.label}: numbers"
            add(T.tbl_numeric(numeric, cb, slug("tbl", qid, "numbers"), questionnaire=qid,
                              title=title, style=style, min_cell=k), title)
        levels = results.item_levels[results.item_levels["questionnaire"] == qid].reset_index(drop=True)
        scales = list(dict.fromkeys(cb.items[i].scale for i in q.items))
        for sid in scales:
            items = [i for i in q.items if cb.items[i].scale == sid]
            label = slug("tbl", qid, "items", sid if len(scales) > 1 else "")
            title = f"{q.label}: answers to each statement" + (f" ({cb.scales[sid].label})" if len(scales) > 1 else "")
            add(T.tbl_likert_item(levels, cb, label, questionnaire=qid, items=items, title=title,
                                  decimals=pct, min_cell=k, nonsubstantive=nonsub), title)
    agreement = T.tbl_item_agreement(results.item_agreement, cb, decimals=pct, min_cell=k)
    add(agreement, agreement.title)
    if not results.theme_correlation_summary.empty:
        add(T.tbl_theme_correlations(results.theme_correlation_summary, cb, decimals=stat, min_cell=k),
            "Spearman correlation between the items of each theme")
    if not results.reliability.empty:
        add(T.tbl_reliability(results.reliability, cb, decimals=stat, min_cell=k),
            "Internal consistency of each theme")
    if not results.theme_score_summary.empty:
        add(T.tbl_theme_scores(results.theme_score_summary, cb, style=style, min_cell=k), "Theme scores")
    p_adjust = results.settings.get("p_adjust") if hasattr(results, "settings") else None
    for cid, comp in cb.comparisons.items():
        tests = results.comparisons[results.comparisons["comparison"] == cid]
        if tests.empty:
            continue
        add(T.tbl_comparisons(results.comparisons, results.comparison_groups, cb, slug("tbl", "compare", cid),
                              comparison=cid, p_adjust=p_adjust, decimals=stat, style=style, min_cell=k), comp.label)
        if (results.posthoc["comparison"] == cid).any():
            add(T.tbl_posthoc(results.posthoc, cb, slug("tbl", "posthoc", cid), comparison=cid, decimals=stat,
                              min_cell=k),
                f"{comp.label}: Dunn's pairwise tests")
        groups = results.comparison_groups
        described = groups[(groups["comparison"] == cid) & groups["outcome_kind"].isin(["theme", "variable"])]
        if not described.empty:
            spec = T.tbl_group_summaries(described, cb, slug("tbl", "scores", cid),
                                         comparison=cid, style=style, min_cell=k)
            add(spec, spec.title)
    return out


def _by_scale(cb: Codebook, items: list[str]) -> list[tuple[str, list[str]]]:
    """Items of one chart must share a scale: split a domain's items by scale, in order."""
    scales = list(dict.fromkeys(cb.items[i].scale for i in items))
    return [(sid if len(scales) > 1 else "", [i for i in items if cb.items[i].scale == sid]) for sid in scales]


def _sibling_layouts(levels: pd.DataFrame, cb: Codebook, nonsub: pd.DataFrame | None = None,
                     agreement: pd.DataFrame | None = None) -> dict[tuple[str, str], tuple[tuple[str, ...], float]]:
    """(domain, scale) -> the item order and x half-axis its diverging charts share (one chart per
    questionnaire asking those statements)."""
    from .figures import sibling_layout

    out = {}
    for did, dom in cb.domains.items():
        for scale in dict.fromkeys(cb.items[i].scale for i in dom.items):
            items = [i for i in dom.items if cb.items[i].scale == scale]
            asking = [qid for qid, q in cb.questionnaires.items() if any(i in q.items for i in items)]
            if asking:
                out[(did, scale)] = sibling_layout(levels, cb, asking, items, nonsubstantive=nonsub,
                                                   agreement=agreement)
    return out


def _n_items_height(n: int, per_item: float = 8.5, base: float = 32.0) -> float:
    return base + per_item * n


def figure_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> dict[str, Exhibit]:
    """Figures: a diverging chart per questionnaire and domain, a paired chart per between-
    questionnaire comparison and domain, mean agreement per domain, and the participant flow.
    Percentages printed on the mean-agreement bars follow ``numbers`` (the project's style)."""
    from . import figures as F
    from .tables import NumberStyle

    style = numbers if numbers is not None else NumberStyle()

    results = protect(results, min_cell)
    cb: Codebook = results.codebook
    out: dict[str, Exhibit] = {}
    levels = results.item_levels
    agreement = results.item_agreement
    nonsub = getattr(results, "nonsubstantive", pd.DataFrame(columns=["questionnaire", "variable", "n"]))
    siblings = _sibling_layouts(levels, cb, nonsub, agreement)
    for qid, q in cb.questionnaires.items():
        for did, dom in cb.domains.items():
            for sid, items in _by_scale(cb, [i for i in dom.items if i in q.items]):
                label = slug("fig", qid, did, sid)
                scale_note = f" ({cb.scales[sid].label})" if sid else ""
                words = scale_words(cb.scale_of(items[0]))
                caption = f"{q.label}: {words.about(dom.label.lower())}{scale_note} – {words.deviation}"
                alt = (f"Diverging stacked bar chart of {q.label.lower()}' answers to {len(items)} statements on "
                       f"{dom.label.lower()}, {words.negative_noun} to the left of zero and {words.noun} to the right.")
                # The charts of one domain's statements for each questionnaire share order and axis.
                order, xlim = siblings[(did, cb.items[items[0]].scale)]
                plot = F.diverging_likert(levels, cb, qid, [i for i in order if i in items], order="codebook",
                                          xlim=xlim, min_cell=min_cell, nonsubstantive=nonsub, agreement=agreement)
                if (plot.data["panel"] == "nonsubstantive").any():
                    caption += "; answers not on the scale shown apart, as a percentage of all who responded"
                out[label] = Exhibit(label, "figure", caption, plot, alt, DOUBLE_COLUMN_MM,
                                     _n_items_height(len(items)))
    for cid, comp in cb.comparisons.items():
        if comp.between != "questionnaires" or len(comp.groups) != 2:
            continue
        tests = results.item_tests[results.item_tests["comparison"] == cid]
        for did, dom in cb.domains.items():
            for sid, items in _by_scale(cb, [i for i in dom.items if i in comp.items]):
                label = slug("fig", "paired", cid, did, sid)
                names = " and ".join(cb.questionnaires[g].label.lower() for g in comp.groups)
                caption = (f"{dom.label}: {names} side by side, with each statement's Mann-Whitney p-value and "
                           "effect size r")
                alt = (f"Paired diverging bar charts comparing {names} on {len(items)} statements on "
                       f"{dom.label.lower()}, with test results printed beside each pair of bars.")
                plot = F.paired_likert(levels, tests, cb, cid, items, min_cell=min_cell, agreement=agreement)
                out[label] = Exhibit(label, "figure", caption, plot, alt, DOUBLE_COLUMN_MM,
                                     _n_items_height(len(items), per_item=15.0))
    if cb.domains:
        label = "fig-domain-agreement"
        names = ", ".join(d.label.lower() for d in cb.domains.values())
        words = common_words(cb.scale_of(i) for d in cb.domains.values() for i in d.items)
        out[label] = Exhibit(label, "figure", f"Mean {words.about(names)}, by questionnaire",
                             F.domain_agreement_plot(results.domain_agreement, cb, digits=style.percent_decimals,
                                                     min_cell=min_cell),
                             f"Bar chart of the mean percentage answering {words.positive.lower()} (either level on "
                             f"that side) to the statements on {names}, one bar per questionnaire, values printed on "
                             "the bars.", DOUBLE_COLUMN_MM, 80.0)
    out["fig-participant-flow"] = Exhibit(
        "fig-participant-flow", "figure", "Participant flow: responses received, excluded and analysed",
        F.participant_flow_plot(results.flow, cb, min_cell=min_cell),
        "Flow diagram per questionnaire from responses received, through exclusions by reason, to "
        "responses analysed, with counts in each box.", DOUBLE_COLUMN_MM, 75.0)
    return out


def build_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> Mapping[str, Exhibit]:
    """All tables, then all figures, by label (``numbers``: the project's NumberStyle), from the
    results protected with ``min_cell``."""
    results = protect(results, min_cell)
    return {**table_exhibits(results, min_cell=min_cell, numbers=numbers),
            **figure_exhibits(results, min_cell=min_cell, numbers=numbers)}

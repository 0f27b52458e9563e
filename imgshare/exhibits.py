"""Every table and figure a codebook calls for, built from the analysis results and named by label.

This is the one place that decides which exhibits a study has: ``imgshare figures`` writes them
all to disk and the manuscripts show them by label. Labels come from codebook ids
(``tbl-patients-age-group``, ``fig-experts-risks``), so any codebook gets a full set.

:func:`exhibit_set` knows every label (and whether it is a table or a figure) from the codebook
and the results alone, and builds an exhibit only when it is first asked for: a manuscript that
shows a few exhibits pays for those few. :func:`build_exhibits` builds them all.

Under ``min_cell`` K every exhibit is built from one protected copy of the results
(:func:`imgshare.disclosure.protect`), never from the raw frames, and every builder is told K so
that it prints withheld values as such.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import pandas as pd

from .codebook import Codebook, common_words, scale_words
from .disclosure import protect

__all__ = ["Exhibit", "ExhibitSet", "exhibit_set", "build_exhibits", "slug", "table_exhibits",
           "figure_exhibits"]

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


#: label -> (kind, build): what :class:`ExhibitSet` holds before an exhibit is asked for.
Plan = dict[str, tuple[str, Callable[[], Exhibit]]]


class ExhibitSet(Mapping[str, Exhibit]):
    """Every exhibit of a codebook by label, each built when first looked up (then kept).

    Labels, their order and :meth:`kind` are known without building anything; ``in`` and
    iteration look at labels only. Looking an exhibit up builds it exactly as
    :func:`build_exhibits` would.

    Examples
    --------
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> exhibits = exhibit_set(analyse(example_cohort()))
    >>> "tbl-participant-flow" in exhibits, exhibits.kind("fig-participant-flow"), exhibits.built()
    (True, 'figure', [])
    >>> exhibits["tbl-participant-flow"].kind, exhibits.built()
    ('table', ['tbl-participant-flow'])
    """

    def __init__(self, plan: Plan):
        self._plan = dict(plan)
        self._built: dict[str, Exhibit] = {}

    def __getitem__(self, label: str) -> Exhibit:
        if label not in self._built:
            kind, build = self._plan[label]  # KeyError for an unknown label, as a dict
            exhibit = build()
            if exhibit.label != label or exhibit.kind != kind:  # the plan and its builders disagree
                raise RuntimeError(f"exhibit planned as {kind} {label!r} was built as {exhibit.kind} {exhibit.label!r}")
            self._built[label] = exhibit
        return self._built[label]

    def __contains__(self, label: object) -> bool:
        return label in self._plan

    def __iter__(self) -> Iterator[str]:
        return iter(self._plan)

    def __len__(self) -> int:
        return len(self._plan)

    def kind(self, label: str) -> str:
        """``"table"`` or ``"figure"``, without building the exhibit."""
        return self._plan[label][0]

    def built(self) -> list[str]:
        """Labels built so far, in plan order."""
        return [label for label in self._plan if label in self._built]


def _table(label: str, build: Callable[[], tuple[Any, str]]) -> Exhibit:
    spec, caption = build()
    return Exhibit(spec.label, "table", caption, spec)


def _table_plan(results: Any, *, min_cell: int = 0, numbers: Any = None) -> Plan:
    """Tables: participant flow, each categorical variable, each questionnaire's items (per scale),
    item agreement, theme correlations, reliability and one table per comparison."""
    results = protect(results, min_cell)
    k = min_cell if min_cell > 1 else None
    cb: Codebook = results.codebook
    plan: Plan = {}

    @cache
    def T():  # imported with the first table built, not when labels are listed
        from . import tables

        return tables

    @cache
    def style():
        return numbers if numbers is not None else T().NumberStyle()

    def add(label: str, build: Callable[[], tuple[Any, str]]) -> None:
        plan[label] = ("table", partial(_table, label, build))

    add("tbl-participant-flow", lambda: (
        T().tbl_participant_flow(results.flow, cb, "tbl-participant-flow", decimals=style().percent_decimals,
                                 min_cell=k), "Responses received, excluded and analysed"))
    desc = results.descriptives
    nonsub = getattr(results, "nonsubstantive", pd.DataFrame(columns=["questionnaire", "variable", "n"]))
    numeric = getattr(results, "numeric_summary", pd.DataFrame(columns=["questionnaire"]))

    def categorical(qid, q, vid, var, label):
        frame = desc[(desc["questionnaire"] == qid) & (desc["variable"] == vid)].reset_index(drop=True)
        title = f"{q.label}: {var.question}"
        extra = nonsub[(nonsub["questionnaire"] == qid) & (nonsub["variable"] == vid)]
        return T().tbl_categorical(frame, vid, cb, label, questionnaire=qid, title=title,
                                   decimals=style().percent_decimals, min_cell=k, nonsubstantive=extra), title

    def numbers_table(qid, q, label):
        title = f"{q.label}: numbers"
        return T().tbl_numeric(numeric, cb, label, questionnaire=qid, title=title, style=style(), min_cell=k), title

    def items_table(qid, q, items, title, label):
        levels = results.item_levels[results.item_levels["questionnaire"] == qid].reset_index(drop=True)
        return T().tbl_likert_item(levels, cb, label, questionnaire=qid, items=items, title=title,
                                   decimals=style().percent_decimals, min_cell=k, nonsubstantive=nonsub), title

    for qid, q in cb.questionnaires.items():
        for vid, var in q.variables.items():
            if var.type != "categorical":
                continue
            label = slug("tbl", qid, vid)
            add(label, partial(categorical, qid, q, vid, var, label))
        if (numeric["questionnaire"] == qid).any():
            label = slug("tbl", qid, "numbers")
            add(label, partial(numbers_table, qid, q, label))
        scales = list(dict.fromkeys(cb.items[i].scale for i in q.items))
        for sid in scales:
            items = [i for i in q.items if cb.items[i].scale == sid]
            label = slug("tbl", qid, "items", sid if len(scales) > 1 else "")
            title = f"{q.label}: answers to each statement" + (f" ({cb.scales[sid].label})" if len(scales) > 1 else "")
            add(label, partial(items_table, qid, q, items, title, label))

    def agreement():
        spec = T().tbl_item_agreement(results.item_agreement, cb, "tbl-item-agreement",
                                      decimals=style().percent_decimals, min_cell=k)
        return spec, spec.title

    add("tbl-item-agreement", agreement)
    if not results.theme_correlation_summary.empty:
        add("tbl-theme-correlations", lambda: (
            T().tbl_theme_correlations(results.theme_correlation_summary, cb, "tbl-theme-correlations",
                                       decimals=style().statistic_decimals, min_cell=k),
            "Spearman correlation between the items of each theme"))
    if not results.reliability.empty:
        add("tbl-reliability", lambda: (
            T().tbl_reliability(results.reliability, cb, "tbl-reliability", decimals=style().statistic_decimals,
                                min_cell=k), "Internal consistency of each theme"))
    if not results.theme_score_summary.empty:
        add("tbl-theme-scores", lambda: (
            T().tbl_theme_scores(results.theme_score_summary, cb, "tbl-theme-scores", style=style(), min_cell=k),
            "Theme scores"))
    p_adjust = results.settings.get("p_adjust") if hasattr(results, "settings") else None

    def comparison(cid, comp, label):
        return T().tbl_comparisons(results.comparisons, results.comparison_groups, cb, label, comparison=cid,
                                   p_adjust=p_adjust, decimals=style().statistic_decimals, style=style(),
                                   min_cell=k), comp.label

    def posthoc(cid, comp, label):
        return T().tbl_posthoc(results.posthoc, cb, label, comparison=cid, decimals=style().statistic_decimals,
                               min_cell=k), f"{comp.label}: Dunn's pairwise tests"

    def summaries(cid, described, label):
        spec = T().tbl_group_summaries(described, cb, label, comparison=cid, style=style(), min_cell=k)
        return spec, spec.title

    for cid, comp in cb.comparisons.items():
        tests = results.comparisons[results.comparisons["comparison"] == cid]
        if tests.empty:
            continue
        label = slug("tbl", "compare", cid)
        add(label, partial(comparison, cid, comp, label))
        if (results.posthoc["comparison"] == cid).any():
            label = slug("tbl", "posthoc", cid)
            add(label, partial(posthoc, cid, comp, label))
        groups = results.comparison_groups
        described = groups[(groups["comparison"] == cid) & groups["outcome_kind"].isin(["theme", "variable"])]
        if not described.empty:
            label = slug("tbl", "scores", cid)
            add(label, partial(summaries, cid, described, label))
    return plan


def table_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> dict[str, Exhibit]:
    """Tables: participant flow, each categorical variable, each questionnaire's items (per scale),
    item agreement, theme correlations, reliability and one table per comparison, with the
    project's :class:`~imgshare.tables.NumberStyle` (``numbers``; default style when None)."""
    return dict(ExhibitSet(_table_plan(results, min_cell=min_cell, numbers=numbers)))


def _by_scale(cb: Codebook, items: list[str]) -> list[tuple[str, list[str]]]:
    """Items of one chart must share a scale: split a domain's items by scale, in order."""
    scales = list(dict.fromkeys(cb.items[i].scale for i in items))
    return [(sid if len(scales) > 1 else "", [i for i in items if cb.items[i].scale == sid]) for sid in scales]


def _sibling_layout(levels: pd.DataFrame, cb: Codebook, did: str, scale: str, nonsub: pd.DataFrame | None = None,
                    agreement: pd.DataFrame | None = None, min_cell: int = 0) -> tuple[tuple[str, ...], float]:
    """The item order and x half-axis shared by the diverging charts of one domain's statements on
    one scale (one chart per questionnaire asking those statements)."""
    from .figures import sibling_layout

    items = [i for i in cb.domains[did].items if cb.items[i].scale == scale]
    asking = [qid for qid, q in cb.questionnaires.items() if any(i in q.items for i in items)]
    return sibling_layout(levels, cb, asking, items, nonsubstantive=nonsub, agreement=agreement, min_cell=min_cell)


def _n_items_height(n: int, per_item: float = 8.5, base: float = 32.0) -> float:
    return base + per_item * n


def _figure_plan(results: Any, *, min_cell: int = 0, numbers: Any = None) -> Plan:
    """Figures: a diverging chart per questionnaire and domain, a paired chart per between-
    questionnaire comparison and domain, mean agreement per domain, and the participant flow."""
    results = protect(results, min_cell)
    cb: Codebook = results.codebook
    plan: Plan = {}
    levels = results.item_levels
    agreement = results.item_agreement
    nonsub = getattr(results, "nonsubstantive", pd.DataFrame(columns=["questionnaire", "variable", "n"]))

    @cache
    def siblings(did: str, scale: str) -> tuple[tuple[str, ...], float]:
        # The charts of one domain's statements for each questionnaire share order and axis.
        return _sibling_layout(levels, cb, did, scale, nonsub, agreement, min_cell)

    def diverging(label, q, qid, dom, did, sid, items):
        from . import figures as F

        scale_note = f" ({cb.scales[sid].label})" if sid else ""
        words = scale_words(cb.scale_of(items[0]))
        caption = f"{q.label}: {words.about(dom.label.lower())}{scale_note} – {words.deviation}"
        alt = (f"Diverging stacked bar chart of {q.label.lower()}' answers to {len(items)} statements on "
               f"{dom.label.lower()}, {words.negative_noun} to the left of zero and {words.noun} to the right.")
        order, xlim = siblings(did, cb.items[items[0]].scale)
        plot = F.diverging_likert(levels, cb, qid, [i for i in order if i in items], order="codebook",
                                  xlim=xlim, min_cell=min_cell, nonsubstantive=nonsub, agreement=agreement)
        if (plot.data["panel"] == "nonsubstantive").any():
            caption += "; answers not on the scale shown apart, as a percentage of all who responded"
        return Exhibit(label, "figure", caption, plot, alt, DOUBLE_COLUMN_MM, _n_items_height(len(items)))

    def paired(label, cid, comp, dom, items):
        from . import figures as F

        tests = results.item_tests[results.item_tests["comparison"] == cid]
        names = " and ".join(cb.questionnaires[g].label.lower() for g in comp.groups)
        caption = (f"{dom.label}: {names} side by side, with each statement's Mann-Whitney p-value and "
                   "effect size r")
        alt = (f"Paired diverging bar charts comparing {names} on {len(items)} statements on "
               f"{dom.label.lower()}, with test results printed beside each pair of bars.")
        plot = F.paired_likert(levels, tests, cb, cid, items, min_cell=min_cell, agreement=agreement)
        return Exhibit(label, "figure", caption, plot, alt, DOUBLE_COLUMN_MM,
                       _n_items_height(len(items), per_item=15.0))

    def domain_agreement(label):
        from . import figures as F
        from .tables import NumberStyle

        style = numbers if numbers is not None else NumberStyle()
        names = ", ".join(d.label.lower() for d in cb.domains.values())
        words = common_words(cb.scale_of(i) for d in cb.domains.values() for i in d.items)
        return Exhibit(label, "figure", f"Mean {words.about(names)}, by questionnaire",
                       F.domain_agreement_plot(results.domain_agreement, cb, digits=style.percent_decimals,
                                               min_cell=min_cell),
                       f"Bar chart of the mean percentage answering {words.positive.lower()} (either level on "
                       f"that side) to the statements on {names}, one bar per questionnaire, values printed on "
                       "the bars.", DOUBLE_COLUMN_MM, 80.0)

    def flow(label):
        from . import figures as F

        return Exhibit(label, "figure", "Participant flow: responses received, excluded and analysed",
                       F.participant_flow_plot(results.flow, cb, min_cell=min_cell),
                       "Flow diagram per questionnaire from responses received, through exclusions by reason, to "
                       "responses analysed, with counts in each box.", DOUBLE_COLUMN_MM, 75.0)

    for qid, q in cb.questionnaires.items():
        for did, dom in cb.domains.items():
            for sid, items in _by_scale(cb, [i for i in dom.items if i in q.items]):
                label = slug("fig", qid, did, sid)
                plan[label] = ("figure", partial(diverging, label, q, qid, dom, did, sid, items))
    for cid, comp in cb.comparisons.items():
        if comp.between != "questionnaires" or len(comp.groups) != 2:
            continue
        for did, dom in cb.domains.items():
            for sid, items in _by_scale(cb, [i for i in dom.items if i in comp.items]):
                label = slug("fig", "paired", cid, did, sid)
                plan[label] = ("figure", partial(paired, label, cid, comp, dom, items))
    if cb.domains:
        plan["fig-domain-agreement"] = ("figure", partial(domain_agreement, "fig-domain-agreement"))
    plan["fig-participant-flow"] = ("figure", partial(flow, "fig-participant-flow"))
    return plan


def figure_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> dict[str, Exhibit]:
    """Figures: a diverging chart per questionnaire and domain, a paired chart per between-
    questionnaire comparison and domain, mean agreement per domain, and the participant flow.
    Percentages printed on the mean-agreement bars follow ``numbers`` (the project's style)."""
    return dict(ExhibitSet(_figure_plan(results, min_cell=min_cell, numbers=numbers)))


def exhibit_set(results: Any, *, min_cell: int = 0, numbers: Any = None) -> ExhibitSet:
    """Every table, then every figure, by label, each built on first look-up (see :class:`ExhibitSet`),
    from the results protected with ``min_cell`` and the project's NumberStyle ``numbers``."""
    results = protect(results, min_cell)
    return ExhibitSet({**_table_plan(results, min_cell=min_cell, numbers=numbers),
                       **_figure_plan(results, min_cell=min_cell, numbers=numbers)})


def build_exhibits(results: Any, *, min_cell: int = 0, numbers: Any = None) -> Mapping[str, Exhibit]:
    """All tables, then all figures, by label (``numbers``: the project's NumberStyle), from the
    results protected with ``min_cell``."""
    return dict(exhibit_set(results, min_cell=min_cell, numbers=numbers))

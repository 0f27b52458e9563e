"""Builders for tables of continuous summaries: number variables, theme scores, and both by group.

Cells print as gtsummary prints continuous variables: "Mean (SD)", "Median (Q1, Q3)", a range
and the count behind them, with the numbers of one :class:`NumberStyle`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..codebook import Codebook
from ._build_stats import grouped_by_domain
from ..disclosure import SMALL, WITHHELD
from ._format import DASH, NumberStyle, fmt_count, is_missing
from ._lookup import group_label, questionnaire_label, require_columns, require_numeric
from ._spec import TableError, TableSpec
from ._withheld import Withheld, flag_of


def withheld_count(frame: pd.DataFrame, column: str) -> int:
    name = f"{column}_withheld"
    return int((frame[name].fillna("") != "").sum()) if name in frame.columns else 0

__all__ = ["tbl_numeric", "tbl_theme_scores", "tbl_group_summaries"]

_NUMERIC = ("questionnaire", "variable", "n", "missing", "mean", "sd", "median", "q1", "q3", "min", "max")
_SCORES = ("questionnaire", "theme", "n", "mean", "sd", "median", "q1", "q3")
_GROUPS = ("comparison", "outcome", "outcome_kind", "group", "n", "mean", "sd", "median", "q1", "q3")


def _n_flag(row: pd.Series, k: int | None) -> str:
    """The count's disclosure flag; a legacy boolean ``suppressed`` withholds the whole summary."""
    flag = flag_of(row, "n")
    if flag:
        return flag
    if "suppressed" in row.index and not is_missing(row["suppressed"]) and bool(row["suppressed"]):
        if not k:
            raise TableError("a count is flagged suppressed but no small-cell threshold (min_cell) was given")
        n = row["n"]
        return SMALL if not is_missing(n) and 0 < float(n) < k else WITHHELD
    return ""


def _stats_hidden(row: pd.Series, k: int | None) -> bool:
    """Whether a summary's statistics are withheld (they rest on a small count)."""
    return bool(flag_of(row, "stats")) or _n_flag(row, k) == SMALL or (
        "suppressed" in row.index and not is_missing(row["suppressed"]) and bool(row["suppressed"]))


def _count(row: pd.Series, column: str, marks: Withheld, col: str, r: int) -> str:
    flag = _n_flag(row, marks.k) if column == "n" else flag_of(row, column)
    return marks.text(flag, lambda: fmt_count(row[column]) if not is_missing(row[column]) else DASH, col, r)


def tbl_numeric(summary: pd.DataFrame, codebook: Codebook, label: str, *, questionnaire: str,
                title: str | None = None, style: NumberStyle | None = None,
                min_cell: int | None = None) -> TableSpec:
    """A questionnaire's number variables: a row per variable with n, mean (SD), median (Q1, Q3),
    range and missing, as gtsummary summarises continuous variables.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``imgshare.analysis.numeric_summary``: ``questionnaire, variable, n, missing, mean, sd,
        median, q1, q3, min, max``; optionally ``nonsubstantive`` (a column is added when any
        variable has some) and ``suppressed`` (counts withheld for disclosure control).
    codebook : Codebook
    label : str
    questionnaire : str
    title : str, optional
        Default "<questionnaire label>: numbers".
    style : NumberStyle, optional
        Decimals of the summaries (``summary_decimals``).
    min_cell : int, optional
        The small-cell threshold printed as "<K" for a withheld count.

    Examples
    --------
    >>> import pandas as pd
    >>> from imgshare.analysis import numeric_summary
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> frame = numeric_summary(cohort)
    >>> frame.empty or tbl_numeric(frame, cohort.codebook, "tbl-x", questionnaire="q").label == "tbl-x"
    True
    """
    require_columns(summary, _NUMERIC, "numeric summary")
    require_numeric(summary, _NUMERIC[2:] + ("nonsubstantive",), "numeric summary")
    if questionnaire not in codebook.questionnaires:
        raise TableError(f"unknown questionnaire '{questionnaire}'")
    style = style or NumberStyle()
    q = codebook.questionnaires[questionnaire]
    part = summary[summary["questionnaire"] == questionnaire].reset_index(drop=True)
    if part.empty:
        raise TableError(f"numeric summary: no number variables of questionnaire '{questionnaire}'")
    rows = []
    withheld = False
    marks = Withheld(min_cell)
    for i, (_, r) in enumerate(part.iterrows()):
        var = q.variables.get(str(r["variable"]))
        hidden = _stats_hidden(r, min_cell)
        withheld |= hidden
        stats = [DASH] * 3 if hidden else [style.mean_sd(r["mean"], r["sd"]) or DASH,
                                            style.median_q(r["median"], r["q1"], r["q3"]) or DASH,
                                            style.range(r["min"], r["max"])]
        rows.append([var.question if var is not None else str(r["variable"]), _count(r, "n", marks, "n", i),
                     *stats, _count(r, "missing", marks, "missing", i)])
    data = pd.DataFrame(rows, columns=["variable", "n", "mean_sd", "median_q", "range", "missing"])
    labels = {"n": "n", "mean_sd": "Mean (SD)", "median_q": "Median (Q1, Q3)", "range": "Range", "missing": "Missing"}
    notes = ["n: respondents asked who gave a value; Missing: respondents asked who left it blank.",
             "Q1, Q3: first and third quartiles (linear interpolation, numpy's and R's default)."]
    if "nonsubstantive" in part.columns and ((pd.to_numeric(part["nonsubstantive"]).fillna(0) > 0).any()
                                             or withheld_count(part, "nonsubstantive")):
        data["nonsubstantive"] = [_count(r, "nonsubstantive", marks, "nonsubstantive", i)
                                  for i, (_, r) in enumerate(part.iterrows())]
        names = " / ".join(dict.fromkeys(lv.label for v in part["variable"] if str(v) in q.variables
                                         for lv in q.variables[str(v)].missing)) or "Not a value"
        labels["nonsubstantive"] = names
        notes.append(f"{names}: declared non-substantive answers, never counted as values.")
    if withheld:
        notes.append(f"Summaries resting on fewer than {min_cell} respondents are withheld.")
    notes.extend(marks.notes())
    return TableSpec(label=label, title=title or f"{q.label}: numbers", data=data, stub="variable",
                     stubhead="Question", column_labels=labels, footnotes=notes,
                     is_synthetic=codebook.study.synthetic)


def tbl_theme_scores(summary: pd.DataFrame, codebook: Codebook, label: str = "tbl-theme-scores", *,
                     title: str = "Theme scores", style: NumberStyle | None = None,
                     min_cell: int | None = None) -> TableSpec:
    """Theme scores, questionnaires side by side: n scored, mean (SD) and median (Q1, Q3).

    ``summary`` is ``imgshare.analysis``'s ``theme_score_summary`` (``questionnaire, theme, n,
    mean, sd, median, q1, q3``; optional ``n_unscored`` and ``suppressed``). Themes are grouped
    by their domain. Scores lie on the scale's few points, so they print with one decimal more
    than ``style.summary_decimals`` ("2.93 (0.81)").
    """
    require_columns(summary, _SCORES, "theme score summary")
    require_numeric(summary, _SCORES[2:] + ("n_unscored",), "theme score summary")
    style = _score_style(style)
    themes, groups = grouped_by_domain(codebook, list(summary["theme"]), "theme")
    data: dict[str, list] = {"theme": [codebook.themes[t].label if t in codebook.themes else t for t in themes]}
    labels, spanners = {}, {}
    marks = Withheld(min_cell)
    for k, qid in enumerate(dict.fromkeys(summary["questionnaire"])):
        part = summary[summary["questionnaire"] == qid].drop_duplicates("theme").set_index("theme")
        cols = [f"n_{k}", f"mean_{k}", f"median_{k}"]
        cells: dict[str, list[str]] = {c: [] for c in cols}
        for row, t in enumerate(themes):
            if t not in part.index:
                for c in cols:
                    cells[c].append(DASH)
                continue
            r = part.loc[t]
            hidden = _stats_hidden(r, min_cell)
            cells[cols[0]].append(_count(r, "n", marks, cols[0], row))
            cells[cols[1]].append(DASH if hidden else style.mean_sd(r["mean"], r["sd"]) or DASH)
            cells[cols[2]].append(DASH if hidden else style.median_q(r["median"], r["q1"], r["q3"]) or DASH)
        data.update(cells)
        labels.update(dict(zip(cols, ("n", "Mean (SD)", "Median (Q1, Q3)"))))
        spanners[questionnaire_label(codebook, qid)] = cols
    if groups is not None:
        data["domain"] = groups
    notes = [f"A theme score is the mean of a respondent's answers to the theme's items (codes, reverse-keyed "
             f"items reversed), computed when at least {codebook.analysis.min_answered:.0%} of them were answered; "
             "n counts the respondents scored.",
             "Q1, Q3: first and third quartiles.", *marks.notes()]
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="theme", stubhead="Theme",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=notes, is_synthetic=codebook.study.synthetic)


def tbl_group_summaries(groups: pd.DataFrame, codebook: Codebook, label: str, *, comparison: str,
                        kinds: Sequence[str] = ("theme", "variable"), title: str | None = None,
                        style: NumberStyle | None = None, min_cell: int | None = None) -> TableSpec:
    """Theme scores (and number variables) of one comparison's groups side by side: n, mean (SD),
    median (Q1, Q3) per group, the descriptive companion of the comparison's test table.

    ``groups`` is ``comparison_groups`` (``comparison, outcome, outcome_kind, group, n, mean,
    sd, median, q1, q3``; optional ``group_label`` and ``suppressed``). Theme scores print with
    one decimal more than numbers (as in :func:`tbl_theme_scores`).
    """
    require_columns(groups, _GROUPS, "comparison groups")
    require_numeric(groups, ("n", "mean", "sd", "median", "q1", "q3"), "comparison groups")
    number_style = style or NumberStyle()
    score_style = _score_style(style)
    part = groups[(groups["comparison"] == comparison) & groups["outcome_kind"].isin(kinds)]
    if part.empty:
        raise TableError(f"comparison groups: no {' or '.join(kinds)} rows for comparison '{comparison}'")
    outcomes = list(dict.fromkeys(zip(part["outcome_kind"], part["outcome"])))
    outcomes.sort(key=lambda o: list(kinds).index(o[0]))
    data: dict[str, list] = {"outcome": [_outcome_name(codebook, name, kind) for kind, name in outcomes]}
    labels, spanners = {}, {}
    marks = Withheld(min_cell)
    for j, g in enumerate(dict.fromkeys(part["group"].astype(str))):
        mine = part[part["group"].astype(str) == g]
        cols = [f"n_{j}", f"mean_{j}", f"median_{j}"]
        cells: dict[str, list[str]] = {c: [] for c in cols}
        for row, (kind, name) in enumerate(outcomes):
            rows = mine[(mine["outcome_kind"] == kind) & (mine["outcome"] == name)]
            if rows.empty:
                for c in cols:
                    cells[c].append(DASH)
                continue
            r = rows.iloc[0]
            hidden = _stats_hidden(r, min_cell)
            style = score_style if kind == "theme" else number_style
            cells[cols[0]].append(_count(r, "n", marks, cols[0], row))
            cells[cols[1]].append(DASH if hidden else style.mean_sd(r["mean"], r["sd"]) or DASH)
            cells[cols[2]].append(DASH if hidden else style.median_q(r["median"], r["q1"], r["q3"]) or DASH)
        data.update(cells)
        labels.update(dict(zip(cols, ("n", "Mean (SD)", "Median (Q1, Q3)"))))
        named = mine["group_label"].dropna().astype(str) if "group_label" in mine.columns else pd.Series([], dtype=str)
        spanners[named.iloc[0] if len(named) else group_label(codebook, comparison, g)] = cols
    kinds_present = {k for k, _ in outcomes}
    if len(kinds_present) > 1:
        data["kind"] = ["Theme scores" if k == "theme" else "Numbers" for k, _ in outcomes]
    comp = codebook.comparisons.get(comparison)
    name = comp.label if comp is not None else comparison
    what = "theme scores" if kinds_present == {"theme"} else "numbers" if kinds_present == {"variable"} \
        else "theme scores and numbers"
    return TableSpec(label=label, title=title or f"{name}: {what} by group", data=pd.DataFrame(data),
                     stub="outcome", stubhead="Outcome", groups="kind" if "kind" in data else None,
                     column_labels=labels, spanners=spanners,
                     footnotes=["n: respondents of the group with a value; Q1, Q3: first and third quartiles.",
                                *marks.notes()],
                     is_synthetic=codebook.study.synthetic)


def _score_style(style: NumberStyle | None) -> NumberStyle:
    import dataclasses

    style = style or NumberStyle()
    return dataclasses.replace(style, summary_decimals=min(style.summary_decimals + 1, 6))


def _outcome_name(codebook: Codebook, name: str, kind: str) -> str:
    if kind == "theme" and name in codebook.themes:
        return codebook.themes[name].label
    for q in codebook.questionnaires.values():
        if name in q.variables:
            return q.variables[name].question
    return str(name)

"""Builders for descriptive tables: participant flow, categorical distributions, Likert items.

Each takes the analysis layer's tidy frame and the codebook, and returns a :class:`TableSpec`
holding formatted text; nothing is computed here except a percentage of responses received
in the flow table (a presentation of two printed counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ._format import DASH, fmt_count, fmt_n_pct, fmt_range, fmt_suppressed, is_missing
from ._lookup import (
    asked_if_note,
    find_variable,
    only_value,
    questionnaire_label,
    require_columns,
    require_numeric,
)
from ._spec import Footnote, TableError, TableSpec

__all__ = ["tbl_categorical", "tbl_categorical_grid", "tbl_participant_flow", "tbl_likert_item"]

_CATEGORICAL = ("level", "label", "n", "denominator", "pct")
_FLOW = ("questionnaire", "stage", "reason", "n")
_LEVEL_COUNTS = ("questionnaire", "item", "level", "n", "item_n", "pct")


def _min_cell(frame: pd.DataFrame, min_cell: int | None) -> int | None:
    return min_cell if min_cell is not None else frame.attrs.get("min_cell")


def _n_pct_cells(frame: pd.DataFrame, decimals: int, percent_sign: bool, min_cell: int | None) -> list[str]:
    """n (%) per row; a row flagged ``suppressed`` prints "<K" (its percentage would reveal n)."""
    flags = frame["suppressed"].fillna(False).astype(bool).tolist() if "suppressed" in frame else [False] * len(frame)
    out = []
    for flag, n, pct in zip(flags, frame["n"].tolist(), frame["pct"].tolist()):
        if flag:
            if min_cell is None:
                raise TableError("a count is flagged suppressed but no small-cell threshold (min_cell) was given")
            out.append(fmt_suppressed(int(min_cell)))
        else:
            out.append(fmt_n_pct(n, pct, decimals, percent_sign=percent_sign))
    return out


def _missing_of(frame: pd.DataFrame) -> int:
    if "missing" in frame.columns:
        return int(only_value(frame["missing"], "missing"))
    return int(frame.attrs.get("missing", 0))


def tbl_categorical(frame: pd.DataFrame, variable: str, codebook: Codebook, label: str, *,
                    questionnaire: str | None = None, title: str | None = None, decimals: int = 1,
                    percent_sign: bool = True, show_ci: bool = False, min_cell: int | None = None,
                    nonsubstantive: pd.DataFrame | None = None) -> TableSpec:
    """One categorical question's distribution: a row per level, "n (%)" under the question.

    Parameters
    ----------
    frame : pandas.DataFrame
        From ``imgshare.analysis.categorical_table``: ``level, label, n, denominator, pct``,
        optionally ``questionnaire``, ``missing`` (or ``attrs["missing"]``), ``ci_low, ci_high``
        (percent) and ``suppressed`` (bool, counts withheld for disclosure control).
    variable : str
        The categorical variable's id.
    codebook : Codebook
    label : str
        Cross-reference label, e.g. ``"tbl-patient-age"``.
    questionnaire : str, optional
        Needed only when several questionnaires share the variable id and ``frame`` has no
        ``questionnaire`` column.
    title : str, optional
        Default: "<questionnaire label>: <question>".
    decimals, percent_sign : see :func:`fmt_n_pct`.
    show_ci : bool
        Add a "95% CI" column from ``ci_low``/``ci_high``.
    min_cell : int, optional
        The small-cell threshold K printed as "<K" (default ``frame.attrs["min_cell"]``).
    nonsubstantive : pandas.DataFrame, optional
        This variable's rows of ``imgshare.analysis.nonsubstantive_answers`` (``code, label,
        n``; optional ``suppressed``): each declared non-substantive answer ("Prefer not to
        say") is a row after the levels with its count, outside the percentages.
    """
    require_columns(frame, _CATEGORICAL + (("ci_low", "ci_high") if show_ci else ()), "categorical table")
    require_numeric(frame, ("n", "denominator", "pct", "missing", "ci_low", "ci_high"), "categorical table")
    if questionnaire is None and "questionnaire" in frame.columns:
        questionnaire = str(only_value(frame["questionnaire"], "categorical table questionnaire"))
    q, var = find_variable(codebook, variable, questionnaire)
    frame = frame.reset_index(drop=True)
    data = pd.DataFrame({"level": frame["label"].astype(str).tolist(),
                         "value": _n_pct_cells(frame, decimals, percent_sign, _min_cell(frame, min_cell))})
    labels = {"value": var.question}
    if show_ci:
        data["ci"] = [fmt_range(lo, hi, decimals) for lo, hi in zip(frame["ci_low"], frame["ci_high"])]
        labels["ci"] = "95% CI (%)"
    extra = _nonsubstantive_rows(nonsubstantive, _min_cell(frame, min_cell))
    if extra:
        rows = pd.DataFrame([{"level": lab, "value": text, **({"ci": ""} if show_ci else {})} for lab, text in extra])
        data = pd.concat([data, rows], ignore_index=True)
    denominator = only_value(frame["denominator"], "categorical table denominator")
    notes: list[Footnote | str] = [f"n (%) of {fmt_count(denominator)} respondents who answered."]
    if var.note:
        notes.append(Footnote(var.note, column="value"))
    if asked_if_note(q, var):
        notes.append(asked_if_note(q, var))
    missing = _missing_of(frame)
    if missing:
        notes.append(f"{missing} respondent{'s' if missing != 1 else ''} asked did not answer.")
    if "missing_level" in frame.columns:
        for r, flag in enumerate(frame["missing_level"].tolist()):
            if flag is True or flag == 1:
                notes.append(Footnote("Not an answer to the question: counted in n, left out of group comparisons.",
                                      column="level", row=r))
    if extra:
        notes.append(f"{', '.join(lab for lab, _ in extra)}: not an answer on the question's levels; "
                     "counted apart, outside the percentages.")
    if show_ci:
        notes.append("CI: Wilson score interval for the percentage.")
    return TableSpec(label=label, title=title or f"{q.label}: {var.question}", data=data, stub="level",
                     column_labels=labels, footnotes=notes, is_synthetic=codebook.study.synthetic)


def _nonsubstantive_rows(frame: pd.DataFrame | None, min_cell: int | None) -> list[tuple[str, str]]:
    """(label, count text) of each declared non-substantive answer; withheld counts print "<K"."""
    if frame is None or frame.empty:
        return []
    require_columns(frame, ("label", "n"), "non-substantive answers")
    out = []
    flags = frame["suppressed"].fillna(False).astype(bool).tolist() if "suppressed" in frame else [False] * len(frame)
    for flag, lab, n in zip(flags, frame["label"].astype(str), frame["n"]):
        if flag:
            if min_cell is None:
                raise TableError("a count is flagged suppressed but no small-cell threshold (min_cell) was given")
            out.append((lab, fmt_suppressed(int(min_cell))))
        else:
            out.append((lab, fmt_count(n)))
    return out


def tbl_categorical_grid(frames: Mapping[str, pd.DataFrame], codebook: Codebook, label: str, *,
                         questionnaire: str | None = None, title: str | None = None, decimals: int = 1,
                         percent_sign: bool = False, min_cell: int | None = None) -> TableSpec:
    """Several questions sharing one set of levels (e.g. Yes/No/Unsure): a row per question.

    ``frames`` maps variable id -> its categorical table (as for :func:`tbl_categorical`).
    Columns are the levels under an "n (%)" spanner, then each row's denominator ``n`` and,
    when any question has blanks, a "Missing" count column (respondents asked who did not
    answer). Conditional questions and variable notes are footnoted at their row.
    """
    if not frames:
        raise TableError("categorical grid: no variables given")
    rows, notes, level_labels, missing_counts = [], [], None, []
    for i, (vid, frame) in enumerate(frames.items()):
        require_columns(frame, _CATEGORICAL, f"categorical table of '{vid}'")
        require_numeric(frame, ("n", "denominator", "pct", "missing"), f"categorical table of '{vid}'")
        qid = questionnaire
        if qid is None and "questionnaire" in frame.columns:
            qid = str(only_value(frame["questionnaire"], f"questionnaire of '{vid}'"))
        q, var = find_variable(codebook, vid, qid)
        frame = frame.reset_index(drop=True)
        these = tuple(frame["label"].astype(str))
        if level_labels is None:
            level_labels = these
        elif these != level_labels:
            raise TableError(f"categorical grid: '{vid}' has levels {list(these)}, the first variable {list(level_labels)}")
        cells = _n_pct_cells(frame, decimals, percent_sign, _min_cell(frame, min_cell))
        denominator = only_value(frame["denominator"], f"denominator of '{vid}'")
        rows.append([var.question, *cells, fmt_count(denominator)])
        for text in (var.note, asked_if_note(q, var)):
            if text:
                notes.append(Footnote(text, column="question", row=i))
        missing_counts.append(_missing_of(frame))
    level_cols = [f"level_{j}" for j in range(len(level_labels))]
    data = pd.DataFrame(rows, columns=["question", *level_cols, "n"])
    head = ["n: respondents who answered the question; percentages are of n."]
    labels = dict(zip(level_cols, level_labels))
    if any(missing_counts):
        data["missing"] = [fmt_count(m) for m in missing_counts]
        labels["missing"] = "Missing"
        head.append("Missing: respondents asked who did not answer.")
    return TableSpec(
        label=label, title=title or f"{questionnaire_label(codebook, q.id)}: answers to {len(frames)} questions",
        data=data, stub="question", column_labels=labels,
        spanners={"n (%)" if not percent_sign else "n (% of n)": level_cols},
        footnotes=[*head, *notes],
        is_synthetic=codebook.study.synthetic)


def tbl_participant_flow(flow: pd.DataFrame, codebook: Codebook, label: str = "tbl-participant-flow", *,
                         title: str = "Responses received, excluded and analysed", decimals: int = 1) -> TableSpec:
    """Participant flow per questionnaire: received, each exclusion reason, analysed.

    ``flow`` has ``questionnaire, stage ("received" | "excluded" | "analysed"), reason, n``.
    Exclusions and analysed are shown with their percentage of responses received. Raises
    :class:`TableError` if received minus the exclusions is not the analysed count.
    """
    require_columns(flow, _FLOW, "participant flow")
    require_numeric(flow, ("n",), "participant flow")
    bad = sorted(set(flow["stage"]) - {"received", "excluded", "analysed"})
    if bad:
        raise TableError(f"participant flow: unknown stage(s) {', '.join(map(str, bad))}")
    qids = list(dict.fromkeys(flow["questionnaire"]))
    reasons = list(dict.fromkeys(flow.loc[flow["stage"] == "excluded", "reason"].astype(str)))
    columns: dict[str, list[str]] = {}
    for qid in qids:
        part = flow[flow["questionnaire"] == qid]
        received = _stage_n(part, "received", qid)
        analysed = _stage_n(part, "analysed", qid)
        excluded = {r: float(part.loc[(part["stage"] == "excluded") & (part["reason"].astype(str) == r), "n"].sum())
                    for r in reasons}
        if abs(received - sum(excluded.values()) - analysed) > 1e-9:
            raise TableError(f"participant flow of '{qid}': {fmt_count(received)} received minus "
                             f"{fmt_count(sum(excluded.values()))} excluded is not {fmt_count(analysed)} analysed")

        def pct(n: float) -> float:
            return 100.0 * n / received if received else float("nan")

        columns[qid] = [fmt_count(received), *(fmt_n_pct(excluded[r], pct(excluded[r]), decimals) for r in reasons),
                        fmt_n_pct(analysed, pct(analysed), decimals)]
    stub = ["Responses received", *(f"Excluded: {r}" for r in reasons), "Analysed"]
    data = pd.DataFrame({"stage": stub, **{f"q_{i}": columns[q] for i, q in enumerate(qids)}})
    return TableSpec(label=label, title=title, data=data, stub="stage",
                     column_labels={f"q_{i}": questionnaire_label(codebook, q) for i, q in enumerate(qids)},
                     footnotes=["Percentages are of responses received."], is_synthetic=codebook.study.synthetic)


def _stage_n(part: pd.DataFrame, stage: str, qid: str) -> float:
    rows = part[part["stage"] == stage]
    if len(rows) != 1:
        raise TableError(f"participant flow of '{qid}': expected one '{stage}' row, found {len(rows)}")
    n = rows["n"].iloc[0]
    if is_missing(n):
        raise TableError(f"participant flow of '{qid}': the '{stage}' count is missing")
    return float(n)


def tbl_likert_item(counts: pd.DataFrame, codebook: Codebook, label: str, *, questionnaire: str,
                    items: Sequence[str] | None = None, title: str | None = None, stubhead: str = "",
                    wording: str = "short", decimals: int = 1, percent_sign: bool = True,
                    min_cell: int | None = None, nonsubstantive: pd.DataFrame | None = None) -> TableSpec:
    """Answers to Likert items: a row per item, a column per scale level under the scale's name.

    ``counts`` is ``imgshare.analysis.item_level_counts`` (``questionnaire, item, level, n,
    item_n, pct``; optional ``suppressed``). The items must share one scale. A level absent
    from ``counts`` for an item had no answers and prints as 0. ``wording`` is "short" or
    "text" (the full statement). Items whose wording is not the published one, and
    reverse-keyed items (shown as answered), are footnoted. ``nonsubstantive``
    (``imgshare.analysis.nonsubstantive_answers``: ``questionnaire, variable, code, label, n``;
    optional ``suppressed``) adds a count column per declared non-substantive answer ("Don't
    know") after ``n``, under a "Not on the scale" spanner: as gglikert sets such answers aside.
    """
    require_columns(counts, _LEVEL_COUNTS, "item level counts")
    require_numeric(counts, ("level", "n", "item_n", "pct"), "item level counts")
    if questionnaire not in codebook.questionnaires:
        raise TableError(f"unknown questionnaire '{questionnaire}'")
    if wording not in ("short", "text"):
        raise TableError(f"wording must be 'short' or 'text', found {wording!r}")
    q = codebook.questionnaires[questionnaire]
    part = counts[counts["questionnaire"] == questionnaire]
    present = set(part["item"])
    items = tuple(items) if items is not None else tuple(i for i in q.items if i in present)
    if not items:
        raise TableError(f"item level counts: no items of questionnaire '{questionnaire}'")
    unknown = [i for i in items if i not in q.items or i not in present]
    if unknown:
        raise TableError(f"item level counts: no counts for item(s) {', '.join(unknown)} of '{questionnaire}'")
    scales = {codebook.items[i].scale for i in items}
    if len(scales) > 1:
        raise TableError(f"items use different scales ({', '.join(sorted(scales))}); build one table per scale")
    scale = codebook.scales[scales.pop()]
    level_cols = [f"level_{c}" for c in scale.codes]
    rows, notes = [], []
    threshold = _min_cell(counts, min_cell)
    for r, iid in enumerate(items):
        item = codebook.items[iid]
        rows_i = part[part["item"] == iid].set_index("level")
        item_n = only_value(rows_i["item_n"], f"answers to '{iid}'")
        full = pd.DataFrame({"n": [rows_i["n"].get(c, 0) for c in scale.codes],
                             "pct": [rows_i["pct"].get(c, 0.0 if item_n else float("nan")) for c in scale.codes]})
        if "suppressed" in rows_i:
            full["suppressed"] = [bool(rows_i["suppressed"].get(c, False)) for c in scale.codes]
        rows.append([item.short if wording == "short" else item.text,
                     *_n_pct_cells(full, decimals, percent_sign, threshold), fmt_count(item_n)])
        if item.wording != "published":
            notes.append(Footnote("Wording reconstructed; not quoted from the questionnaire.", column="item", row=r))
        if item.reverse:
            notes.append(Footnote("Reverse-keyed item, shown as answered.", column="item", row=r))
    data = pd.DataFrame(rows, columns=["item", *level_cols, "n"])
    labels = dict(zip(level_cols, scale.labels))
    spanners = {scale.label: level_cols}
    head = ["n (%) of n respondents who answered the item."]
    extra = _nonsubstantive_columns(nonsubstantive, questionnaire, items, threshold)
    if extra:
        for k, (lab, cells) in enumerate(extra.items()):
            data[f"ns_{k}"] = cells
            labels[f"ns_{k}"] = lab
        spanners["Not on the scale (n)"] = [f"ns_{k}" for k in range(len(extra))]
        head.append("Not on the scale: answers outside the scale's levels, counted apart and left out of n "
                    "and the percentages.")
    default_title = (f"{q.label}: {codebook.items[items[0]].text}" if len(items) == 1
                     else f"{q.label}: answers to {len(items)} statements")
    return TableSpec(label=label, title=title or default_title, data=data, stub="item", stubhead=stubhead,
                     column_labels=labels, spanners=spanners, footnotes=[*head, *notes],
                     is_synthetic=codebook.study.synthetic)


def _nonsubstantive_columns(frame: pd.DataFrame | None, questionnaire: str, items: Sequence[str],
                            min_cell: int | None) -> dict[str, list[str]]:
    """Label -> count text per item of each non-substantive answer declared for any of ``items``."""
    if frame is None or frame.empty:
        return {}
    require_columns(frame, ("questionnaire", "variable", "label", "n"), "non-substantive answers")
    part = frame[(frame["questionnaire"] == questionnaire) & frame["variable"].isin(items)]
    out: dict[str, list[str]] = {}
    for lab in dict.fromkeys(part["label"].astype(str)):
        cells = []
        for iid in items:
            rows = part[(part["variable"] == iid) & (part["label"].astype(str) == lab)]
            cells.append(_nonsubstantive_rows(rows, min_cell)[0][1] if len(rows) else DASH)
        out[lab] = cells
    return out

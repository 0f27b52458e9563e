"""Builders for descriptive tables: participant flow, categorical distributions, Likert items.

Each takes the analysis layer's tidy frame and the codebook, and returns a :class:`TableSpec`
holding formatted text; nothing is computed here except a percentage of responses received
in the flow table (a presentation of two printed counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ..disclosure import SMALL, WITHHELD, WITHHELD_MARK
from ._format import DASH, fmt_count, fmt_n_pct, fmt_range, is_missing
from ._lookup import (
    asked_if_note,
    find_variable,
    only_value,
    questionnaire_label,
    require_columns,
    require_numeric,
)
from ._spec import Footnote, TableError, TableSpec
from ._withheld import Withheld, flag_of

__all__ = ["tbl_categorical", "tbl_categorical_grid", "tbl_participant_flow", "tbl_likert_item"]

_CATEGORICAL = ("level", "label", "n", "denominator", "pct")
_FLOW = ("questionnaire", "stage", "reason", "n")
_LEVEL_COUNTS = ("questionnaire", "item", "level", "n", "item_n", "pct")


def _min_cell(frame: pd.DataFrame, min_cell: int | None) -> int | None:
    return min_cell if min_cell is not None else frame.attrs.get("min_cell")


def _n_flag(row, k: int | None) -> str:
    """The count's withheld flag; a legacy boolean ``suppressed`` says small or withheld by the value."""
    flag = flag_of(row, "n")
    if flag or "suppressed" not in row or not bool(row["suppressed"]):
        return flag
    if not k:
        raise TableError("a count is flagged suppressed but no small-cell threshold (min_cell) was given")
    n = row["n"]
    return SMALL if not is_missing(n) and 0 < float(n) < k else WITHHELD


def _n_pct_cells(frame: pd.DataFrame, decimals: int, percent_sign: bool, marks: Withheld, column,
                 rows=None) -> list[str]:
    """n (%) per row: "<K" for a small count, the withheld mark for a withheld one, and "n (–)"
    when only the percentage is withheld (with its denominator). ``column`` names the table
    column (or a function of the row position giving it); ``rows`` the table row of each."""
    out = []
    for i, (_, row) in enumerate(frame.iterrows()):
        col = column(i) if callable(column) else column
        r = rows[i] if rows is not None else i
        n_flag = _n_flag(row, marks.k)
        pct_flag = flag_of(row, "pct")

        def shown(row=row, col=col, r=r, pct_flag=pct_flag):
            if pct_flag:
                marks.text(WITHHELD, str, col, r)
                return f"{fmt_count(row['n'])} ({WITHHELD_MARK})"
            return fmt_n_pct(row["n"], row["pct"], decimals, percent_sign=percent_sign)

        out.append(marks.text(n_flag, shown, col, r))
    return out


def _count_phrase(frame: pd.DataFrame, column: str, marks: Withheld) -> tuple[str, float]:
    """A repeated count (``denominator``, ``missing``) as text for a note, and its value (NaN if withheld)."""
    value = only_value(frame[column], column) if frame[column].notna().any() else float("nan")
    flag = flag_of(frame.iloc[0], column) if len(frame) else ""
    if flag == SMALL:
        return f"fewer than {marks.k}", float("nan")
    if flag:
        return "a withheld number of", float("nan")
    return fmt_count(value), value


def _missing_note(frame: pd.DataFrame, marks: Withheld, short: bool = False) -> str:
    """The "m respondents asked did not answer" note, or "" when none did."""
    if "missing" in frame.columns:
        text, value = _count_phrase(frame, "missing", marks)
    else:
        value = float(frame.attrs.get("missing", 0))
        text = fmt_count(value)
    if value == 0:
        return ""
    plural = "" if value == 1 else "s"
    return f"{text} asked did not answer." if short else f"{text} respondent{plural} asked did not answer."


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
        n``; optional ``n_withheld``): each declared non-substantive answer ("Prefer not to
        say") is a row after the levels with its count, outside the percentages.
    """
    require_columns(frame, _CATEGORICAL + (("ci_low", "ci_high") if show_ci else ()), "categorical table")
    require_numeric(frame, ("n", "denominator", "pct", "missing", "ci_low", "ci_high"), "categorical table")
    if questionnaire is None and "questionnaire" in frame.columns:
        questionnaire = str(only_value(frame["questionnaire"], "categorical table questionnaire"))
    q, var = find_variable(codebook, variable, questionnaire)
    frame = frame.reset_index(drop=True)
    marks = Withheld(_min_cell(frame, min_cell))
    data = pd.DataFrame({"level": frame["label"].astype(str).tolist(),
                         "value": _n_pct_cells(frame, decimals, percent_sign, marks, "value")})
    labels = {"value": var.question}
    if show_ci:
        data["ci"] = [marks.text(WITHHELD if flag_of(row, "pct") else "", lambda row=row: fmt_range(
            row["ci_low"], row["ci_high"], decimals), "ci", r) for r, (_, row) in enumerate(frame.iterrows())]
        labels["ci"] = "95% CI (%)"
    extra = _nonsubstantive_rows(nonsubstantive, marks, "value", len(data))
    if extra:
        rows = pd.DataFrame([{"level": lab, "value": text, **({"ci": ""} if show_ci else {})} for lab, text in extra])
        data = pd.concat([data, rows], ignore_index=True)
    denominator, _ = _count_phrase(frame, "denominator", marks)
    notes: list[Footnote | str] = [f"n (%) of {denominator} respondents who answered."]
    if var.note:
        notes.append(Footnote(var.note, column="value"))
    if asked_if_note(q, var):
        notes.append(asked_if_note(q, var))
    missing = _missing_note(frame, marks)
    if missing:
        notes.append(missing)
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
    notes.extend(marks.notes())
    return TableSpec(label=label, title=title or f"{q.label}: {var.question}", data=data, stub="level",
                     column_labels=labels, footnotes=notes, is_synthetic=codebook.study.synthetic)


def _nonsubstantive_rows(frame: pd.DataFrame | None, marks: Withheld, column, first_row: int) -> list[tuple[str, str]]:
    """(label, count text) of each declared non-substantive answer; a withheld count prints as
    the disclosure flags say ("<K" or the withheld mark)."""
    if frame is None or frame.empty:
        return []
    require_columns(frame, ("label", "n"), "non-substantive answers")
    out = []
    for i, (_, row) in enumerate(frame.iterrows()):
        col = column(i) if callable(column) else column
        out.append((str(row["label"]), marks.text(_n_flag(row, marks.k), lambda row=row: fmt_count(row["n"]), col,
                                                 first_row + i)))
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
    rows, notes, level_labels, missing_cells = [], [], None, []
    marks = None
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
        marks = marks or Withheld(_min_cell(frame, min_cell))
        cells = _n_pct_cells(frame, decimals, percent_sign, marks, lambda j: f"level_{j}", [i] * len(frame))
        first = frame.iloc[0]
        denominator = marks.text(flag_of(first, "denominator"), lambda: fmt_count(
            only_value(frame["denominator"], f"denominator of '{vid}'")), "n", i)
        rows.append([var.question, *cells, denominator])
        for text in (var.note, asked_if_note(q, var)):
            if text:
                notes.append(Footnote(text, column="question", row=i))
        m_flag = flag_of(first, "missing")
        m_value = first["missing"] if "missing" in frame.columns else frame.attrs.get("missing", 0)
        missing_cells.append((m_flag, m_value))
    level_cols = [f"level_{j}" for j in range(len(level_labels))]
    data = pd.DataFrame(rows, columns=["question", *level_cols, "n"])
    head = ["n: respondents who answered the question; percentages are of n."]
    labels = dict(zip(level_cols, level_labels))
    if any(f or (not is_missing(v) and v) for f, v in missing_cells):
        data["missing"] = [marks.text(f, lambda v=v: fmt_count(v), "missing", i) for i, (f, v) in enumerate(missing_cells)]
        labels["missing"] = "Missing"
        head.append("Missing: respondents asked who did not answer.")
    notes.extend(marks.notes())
    return TableSpec(
        label=label, title=title or f"{questionnaire_label(codebook, q.id)}: answers to {len(frames)} questions",
        data=data, stub="question", column_labels=labels,
        spanners={"n (%)" if not percent_sign else "n (% of n)": level_cols},
        footnotes=[*head, *notes],
        is_synthetic=codebook.study.synthetic)


def tbl_participant_flow(flow: pd.DataFrame, codebook: Codebook, label: str = "tbl-participant-flow", *,
                         title: str = "Responses received, excluded and analysed", decimals: int = 1,
                         min_cell: int | None = None) -> TableSpec:
    """Participant flow per questionnaire: received, each exclusion reason, analysed.

    ``flow`` has ``questionnaire, stage ("received" | "excluded" | "analysed"), reason, n`` and,
    from :func:`imgshare.disclosure.protect`, ``n_withheld``. Exclusions and analysed are shown
    with their percentage of responses received. Raises :class:`TableError` if received minus
    the exclusions is not the analysed count (checked when no count is withheld).
    """
    require_columns(flow, _FLOW, "participant flow")
    require_numeric(flow, ("n",), "participant flow")
    bad = sorted(set(flow["stage"]) - {"received", "excluded", "analysed"})
    if bad:
        raise TableError(f"participant flow: unknown stage(s) {', '.join(map(str, bad))}")
    marks = Withheld(min_cell)
    qids = list(dict.fromkeys(flow["questionnaire"]))
    reasons = list(dict.fromkeys(flow.loc[flow["stage"] == "excluded", "reason"].astype(str)))
    columns: dict[str, list[str]] = {}
    for k, qid in enumerate(qids):
        part = flow[flow["questionnaire"] == qid]
        col = f"q_{k}"
        received, received_flag = _stage_n(part, "received", qid)
        analysed, analysed_flag = _stage_n(part, "analysed", qid)
        excluded = {r: part[(part["stage"] == "excluded") & (part["reason"].astype(str) == r)] for r in reasons}
        counts = [float(rows["n"].sum()) for rows in excluded.values()]
        shown = not (received_flag or analysed_flag) and all(not flag_of(rows.iloc[0], "n") if len(rows) else True
                                                              for rows in excluded.values())
        if shown and abs(received - sum(counts) - analysed) > 1e-9:
            raise TableError(f"participant flow of '{qid}': {fmt_count(received)} received minus "
                             f"{fmt_count(sum(counts))} excluded is not {fmt_count(analysed)} analysed")

        def n_pct(n: float, flag: str, row: int) -> str:
            if received_flag and not flag:  # a percentage of a withheld total would give the total back
                return fmt_count(n)
            pct = 100.0 * n / received if received else float("nan")
            return marks.text(flag, lambda: fmt_n_pct(n, pct, decimals), col, row)

        cells = [marks.text(received_flag, lambda: fmt_count(received), col, 0)]
        for i, (r, rows) in enumerate(excluded.items(), start=1):
            flag = flag_of(rows.iloc[0], "n") if len(rows) else ""
            cells.append(n_pct(float(rows["n"].sum()), flag, i))
        cells.append(n_pct(analysed, analysed_flag, len(reasons) + 1))
        columns[qid] = cells
    stub = ["Responses received", *(f"Excluded: {r}" for r in reasons), "Analysed"]
    data = pd.DataFrame({"stage": stub, **{f"q_{i}": columns[q] for i, q in enumerate(qids)}})
    return TableSpec(label=label, title=title, data=data, stub="stage",
                     column_labels={f"q_{i}": questionnaire_label(codebook, q) for i, q in enumerate(qids)},
                     footnotes=["Percentages are of responses received.", *marks.notes()],
                     is_synthetic=codebook.study.synthetic)


def _stage_n(part: pd.DataFrame, stage: str, qid: str) -> tuple[float, str]:
    rows = part[part["stage"] == stage]
    if len(rows) != 1:
        raise TableError(f"participant flow of '{qid}': expected one '{stage}' row, found {len(rows)}")
    n, flag = rows["n"].iloc[0], flag_of(rows.iloc[0], "n")
    if is_missing(n) and not flag:
        raise TableError(f"participant flow of '{qid}': the '{stage}' count is missing")
    return float(n), flag


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
    optional ``n_withheld``) adds a count column per declared non-substantive answer ("Don't
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
    marks = Withheld(_min_cell(counts, min_cell))
    flag_cols = [c for c in ("n_withheld", "pct_withheld", "suppressed") if c in part.columns]
    for r, iid in enumerate(items):
        item = codebook.items[iid]
        rows_i = part[part["item"] == iid].set_index("level")
        first = rows_i.iloc[0]
        item_n = only_value(rows_i["item_n"], f"answers to '{iid}'") if rows_i["item_n"].notna().any() else float("nan")
        answered = not is_missing(item_n) and item_n > 0 or bool(flag_of(first, "item_n"))
        full = pd.DataFrame({"n": [rows_i["n"].get(c, 0) for c in scale.codes],
                             "pct": [rows_i["pct"].get(c, 0.0 if answered else float("nan")) for c in scale.codes]})
        for col in flag_cols:
            default = False if col == "suppressed" else ""
            full[col] = [rows_i[col].get(c, default) for c in scale.codes]
        cells = _n_pct_cells(full, decimals, percent_sign, marks, lambda j: level_cols[j], [r] * len(full))
        n_text = marks.text(flag_of(first, "item_n"), lambda: fmt_count(item_n), "n", r)
        rows.append([item.short if wording == "short" else item.text, *cells, n_text])
        if item.wording != "published":
            notes.append(Footnote("Wording reconstructed; not quoted from the questionnaire.", column="item", row=r))
        if item.reverse:
            notes.append(Footnote("Reverse-keyed item, shown as answered.", column="item", row=r))
    data = pd.DataFrame(rows, columns=["item", *level_cols, "n"])
    labels = dict(zip(level_cols, scale.labels))
    spanners = {scale.label: level_cols}
    head = ["n (%) of n respondents who answered the item."]
    extra = _nonsubstantive_columns(nonsubstantive, questionnaire, items, marks)
    if extra:
        for k, (lab, cells) in enumerate(extra.items()):
            data[f"ns_{k}"] = [cell(f"ns_{k}") for cell in cells]
            labels[f"ns_{k}"] = lab
        spanners["Not on the scale (n)"] = [f"ns_{k}" for k in range(len(extra))]
        head.append("Not on the scale: answers outside the scale's levels, counted apart and left out of n "
                    "and the percentages.")
    notes.extend(marks.notes())
    default_title = (f"{q.label}: {codebook.items[items[0]].text}" if len(items) == 1
                     else f"{q.label}: answers to {len(items)} statements")
    return TableSpec(label=label, title=title or default_title, data=data, stub="item", stubhead=stubhead,
                     column_labels=labels, spanners=spanners, footnotes=[*head, *notes],
                     is_synthetic=codebook.study.synthetic)


def _nonsubstantive_columns(frame: pd.DataFrame | None, questionnaire: str, items: Sequence[str],
                            marks: Withheld) -> dict[str, list]:
    """Label -> per item, a function of the column name giving the count text, for each
    non-substantive answer declared for any of ``items``."""
    if frame is None or frame.empty:
        return {}
    require_columns(frame, ("questionnaire", "variable", "label", "n"), "non-substantive answers")
    part = frame[(frame["questionnaire"] == questionnaire) & frame["variable"].isin(items)]
    out: dict[str, list] = {}
    for lab in dict.fromkeys(part["label"].astype(str)):
        cells = []
        for r, iid in enumerate(items):
            rows = part[(part["variable"] == iid) & (part["label"].astype(str) == lab)]
            if len(rows):
                cells.append(lambda col, rows=rows, r=r: _nonsubstantive_rows(rows, marks, col, r)[0][1])
            else:
                cells.append(lambda col: DASH)
        out[lab] = cells
    return out

"""Codebook look-ups and input checks shared by the table builders."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..codebook import Codebook, Questionnaire, Variable
from ._spec import TableError

__all__ = ["require_columns", "require_numeric", "find_variable", "questionnaire_label", "group_label", "outcome_label",
           "asked_if_note", "only_value"]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`TableError` naming every required column ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise TableError(f"{what}: expected a pandas DataFrame, found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TableError(f"{what}: missing column(s) {', '.join(missing)}")


def require_numeric(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`TableError` at the first value of ``columns`` that is neither a number nor missing."""
    for col in columns:
        if col not in frame.columns:
            continue
        values = frame[col]
        numbers = pd.to_numeric(values.astype(object), errors="coerce")
        bad = values[numbers.isna() & values.notna() | values.map(lambda v: isinstance(v, bool))]
        if len(bad):
            raise TableError(f"{what}: column '{col}' holds {bad.iloc[0]!r}, not a number")


def find_variable(codebook: Codebook, variable: str, questionnaire: str | None = None) -> tuple[Questionnaire, Variable]:
    """The questionnaire and categorical variable (or Likert item, as a variable) called ``variable``."""
    if questionnaire is not None:
        if questionnaire not in codebook.questionnaires:
            raise TableError(f"unknown questionnaire '{questionnaire}'")
        candidates = [codebook.questionnaires[questionnaire]]
    else:
        candidates = list(codebook.questionnaires.values())
    found = [q for q in candidates if variable in q.variables or variable in q.items]
    if not found:
        raise TableError(f"no questionnaire has a variable '{variable}'")
    if len(found) > 1:
        names = ", ".join(q.id for q in found)
        raise TableError(f"variable '{variable}' is in several questionnaires ({names}); name the questionnaire")
    q = found[0]
    if variable in q.items:
        # A Likert item tabulated like a categorical question: its statement is the question.
        item = codebook.items[variable]
        return q, Variable(id=item.id, type="categorical", question=item.text, levels=codebook.scale_of(item.id).levels)
    var = q.variables[variable]
    if var.type != "categorical":
        raise TableError(f"variable '{variable}' is {var.type}, not categorical")
    return q, var


def questionnaire_label(codebook: Codebook, qid: str) -> str:
    q = codebook.questionnaires.get(qid)
    return q.label if q is not None else str(qid)


def _as_code(value) -> int | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def group_label(codebook: Codebook, comparison: str, group) -> str:
    """A compared group's printed name: a questionnaire's label or a level's label."""
    comp = codebook.comparisons.get(comparison)
    if comp is None:
        return str(group)
    if comp.between == "questionnaires":
        return questionnaire_label(codebook, str(group))
    q = codebook.questionnaires.get(comp.questionnaire or "")
    var = q.variables.get(comp.by or "") if q is not None else None
    code = _as_code(group)
    if var is not None and code is not None and code in var.codes:
        return var.label_of(code)
    return str(group)


def outcome_label(codebook: Codebook, outcome: str, kind: str | None = None) -> str:
    """A theme's label, an item's short wording or a number variable's question."""
    if kind not in ("item", "variable") and outcome in codebook.themes:
        return codebook.themes[outcome].label
    if kind != "variable" and outcome in codebook.items:
        return codebook.items[outcome].short
    for q in codebook.questionnaires.values():
        if outcome in q.variables:
            return q.variables[outcome].question
    return str(outcome)


def asked_if_note(q: Questionnaire, var: Variable) -> str:
    """"Asked only of respondents who answered ..." for a conditional question, else ""."""
    parts = []
    for other_id, codes in var.asked_if.items():
        other = q.variables.get(other_id)
        if other is None or not other.levels:
            parts.append(f"{other_id} in {', '.join(str(c) for c in codes)}")
            continue
        labels = " or ".join(f"“{other.label_of(c)}”" for c in codes if c in other.codes)
        parts.append(f"{labels} to “{other.question}”")
    return f"Asked only of respondents who answered {' and '.join(parts)}." if parts else ""


def only_value(series: pd.Series, what: str):
    """The single distinct value of ``series``; a table cannot print several as one."""
    values = pd.unique(series.dropna())
    if len(values) != 1:
        raise TableError(f"{what}: expected one value, found {len(values)} ({', '.join(map(str, values[:5]))})")
    return values[0]

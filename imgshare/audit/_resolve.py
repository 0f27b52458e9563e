"""Does a published value name things the codebook knows? One reason per value that does not."""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook, Questionnaire
from ._published import Published, PublishedValue

__all__ = ["resolve", "unresolved"]


def _codes_of(codebook: Codebook, q: Questionnaire, column: str) -> tuple[int, ...] | None:
    if column in q.items:
        return codebook.scale_of(column).codes
    var = q.variables.get(column)
    if var is not None and var.type == "categorical":
        return var.codes
    return None


def _column_problem(codebook: Codebook, q: Questionnaire, column: str) -> str | None:
    if column in q.items or column in q.variables:
        if column in q.variables and q.variables[column].type != "categorical":
            return f"variable '{column}' is {q.variables[column].type}, not categorical"
        return None
    if column in codebook.items:
        return f"item '{column}' is not asked in questionnaire '{q.id}'"
    return f"'{column}' is not an item or variable of questionnaire '{q.id}'"


def _bad_codes(codes, known, what: str) -> str | None:
    bad = [c for c in codes if c not in known]
    return f"code(s) {bad} are not levels of {what}" if bad else None


def _count_problem(v: PublishedValue, codebook: Codebook, q: Questionnaire) -> str | None:
    column = v.column
    if v.item is not None and v.item not in codebook.items:
        return f"item '{v.item}' is not in the codebook"
    problem = _column_problem(codebook, q, column)
    if problem:
        return problem
    codes = _codes_of(codebook, q, column)
    if isinstance(v.levels, str):
        scale = codebook.scale_of(column)
        if not getattr(scale, v.levels):
            return f"the scale of '{column}' has no {v.levels} level"
    else:
        problem = _bad_codes(v.levels or (), codes, f"'{column}'")
        if problem:
            return problem
    if isinstance(v.denominator, tuple):
        problem = _bad_codes(v.denominator, codes, f"'{column}' (denominator)")
        if problem:
            return problem
    for col, wcodes in v.where.items():
        problem = _column_problem(codebook, q, col) or _bad_codes(wcodes, _codes_of(codebook, q, col), f"'{col}'")
        if problem:
            return f"where: {problem}"
    return None


def _theme_problem(v: PublishedValue, codebook: Codebook, q: Questionnaire) -> str | None:
    if v.theme not in codebook.themes:
        return f"theme '{v.theme}' is not in the codebook"
    asked = codebook.theme_items(v.theme, q.id)
    if len(asked) < 2:
        return f"theme '{v.theme}' has {len(asked)} item(s) asked in '{q.id}'; a correlation needs two"
    if v.items:
        if len(v.items) != 2:
            return f"items: a correlation is between two items, found {list(v.items)}"
        missing = [i for i in v.items if i not in asked]
        if missing:
            return f"items {missing} are not items of theme '{v.theme}' asked in '{q.id}'"
    elif v.kind == "spearman" and len(asked) > 2:
        return (f"theme '{v.theme}' has {len(asked)} items in '{q.id}': name the pair with 'items' "
                f"or use spearman_min / spearman_max")
    return None


def resolve(value: PublishedValue, codebook: Codebook) -> str | None:
    """Why ``value`` cannot be computed from a cohort of ``codebook``, or None when it can.

    Parameters
    ----------
    value : PublishedValue
        One published value.
    codebook : Codebook
        The study's codebook.

    Returns
    -------
    str or None
        A one-line reason (unknown questionnaire, item, variable, level code, theme, domain or
        exclusion), or None.

    Examples
    --------
    >>> from imgshare.audit._published import PublishedValue
    >>> from imgshare.codebook import parse_codebook
    >>> cb = parse_codebook({"scales": {"s": {"levels": {1: "no", 2: "yes"}, "agree": [2], "disagree": [1]}},
    ...     "items": {"A": {"text": "A", "scale": "s"}},
    ...     "questionnaires": {"q": {"file": "q.csv", "id": "rid", "items": ["A"]}}})
    >>> resolve(PublishedValue("x", "Table 1", "3", 3, "count", questionnaire=("q",), item="B", levels=(2,)), cb)
    "item 'B' is not in the codebook"
    """
    if not value.questionnaire:
        return "no questionnaire given"
    for qid in value.questionnaire:
        if qid not in codebook.questionnaires:
            return f"questionnaire '{qid}' is not in the codebook"
    q = codebook.questionnaires[value.questionnaire[0]]
    if value.kind in ("count", "percent"):
        return _count_problem(value, codebook, q)
    if value.kind in ("flow", "flow_percent"):
        if value.exclusion is not None:
            if value.stage != "excluded":
                return f"exclusion '{value.exclusion}' given for stage '{value.stage}' (only 'excluded' has reasons)"
            for qid in value.questionnaire:
                known = {e.id for e in codebook.questionnaires[qid].exclusions}
                known |= {e.reason for e in codebook.questionnaires[qid].exclusions}
                if value.exclusion not in known:
                    return f"exclusion '{value.exclusion}' is not a rule of questionnaire '{qid}'"
        return None
    if value.kind.startswith("spearman") or value.kind == "significant":
        return _theme_problem(value, codebook, q)
    if value.kind.startswith("domain_mean"):
        if value.domain not in codebook.domains:
            return f"domain '{value.domain}' is not in the codebook"
        if not any(i in q.items for i in codebook.domains[value.domain].items):
            return f"no item of domain '{value.domain}' is asked in '{q.id}'"
        if value.kind == "domain_mean_neutral" and not all(
            codebook.scale_of(i).has_neutral for i in codebook.domains[value.domain].items if i in q.items
        ):
            return f"an item of domain '{value.domain}' has no neutral level"
        return None
    return f"kind '{value.kind}' cannot be computed"


def unresolved(published: Published, codebook: Codebook) -> pd.DataFrame:
    """Published values that do not resolve against ``codebook``: columns ``id, problem``."""
    rows = [(v.id, p) for v in published.values if (p := resolve(v, codebook)) is not None]
    return pd.DataFrame(rows, columns=["id", "problem"])

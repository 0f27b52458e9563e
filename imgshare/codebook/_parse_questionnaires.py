"""Parsers of the ``questionnaires`` section: each questionnaire's file settings, items,
variables (types, levels, ``asked_if`` conditions) and exclusion rules, with the checks of
their references within the questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._keypath import describe
from ._model import ANSWER_FORMS, VARIABLE_TYPES, Exclusion, Item, Level, Questionnaire, Variable
from ._reader import CodebookReader

__all__ = ["parse_questionnaire", "parse_variable", "parse_exclusions"]


def parse_variable(r: CodebookReader, path: str, vid: str, node: Any) -> Variable:
    node = r.mapping(node, path)
    r.keys(
        node, path, {"type", "question", "levels", "required", "asked_if", "missing_levels", "note", "missing"}, {"type"}
    )
    vtype = r.string(node, "type", path, "categorical")
    if vtype not in VARIABLE_TYPES:
        r.fail(f"{path}.type", f"unknown type '{vtype}' (expected one of: {', '.join(VARIABLE_TYPES)})")
    levels: tuple[Level, ...] = ()
    if vtype == "categorical":
        if "levels" not in node:
            r.fail(f"{path}.levels", "a categorical variable needs levels")
        else:
            levels = r.levels(node["levels"], f"{path}.levels")
    elif "levels" in node:
        r.fail(f"{path}.levels", f"only categorical variables have levels (this one is {vtype})")
    asked_if = {}
    for k, v in r.mapping(node.get("asked_if"), f"{path}.asked_if", required=False).items():
        asked_if[str(k)] = r.code_list(v, f"{path}.asked_if.{k}")
    missing_levels = r.code_list(node.get("missing_levels"), f"{path}.missing_levels")
    for i, c in enumerate(missing_levels):
        if levels and c not in {lv.code for lv in levels}:
            r.fail(f"{path}.missing_levels[{i}]", f"code {c} is not a level of '{vid}'")
    missing = ()
    if "missing" in node:
        if vtype == "text":
            r.fail(f"{path}.missing", "a text variable has no codes; only categorical and number variables do")
        else:
            missing = r.missing_codes(node["missing"], f"{path}.missing", levels)
    return Variable(
        id=vid,
        type=vtype,
        question=r.string(node, "question", path, vid),
        levels=levels,
        required=r.boolean(node, "required", path, vtype == "categorical"),
        asked_if=asked_if,
        missing_levels=missing_levels,
        note=r.string(node, "note", path, ""),
        missing=missing,
    )


def parse_exclusions(r: CodebookReader, path: str, ex_node: Any, known: set[str],
                     variables: Mapping[str, Variable], items: tuple[str, ...] = ()) -> tuple[Exclusion, ...]:
    """The exclusion rules under ``path`` (a questionnaire); ``known`` are its item and variable ids,
    ``items`` its items (a ``when`` rule may name an item's codes)."""
    exclusions = []
    if not isinstance(ex_node, list):
        r.fail(f"{path}.exclusions", f"expected a list, found {describe(ex_node)}")
        ex_node = []
    for i, e in enumerate(ex_node):
        epath = f"{path}.exclusions[{i}]"
        e = r.mapping(e, epath)
        r.keys(e, epath, {"id", "reason", "missing_any", "when", "codes"}, {"reason"})
        missing = e.get("missing_any")
        missing = ("required",) if missing == "required" else r.id_list(missing, f"{epath}.missing_any")
        for j, col in enumerate(missing):
            if col != "required" and col not in known:
                r.fail(f"{epath}.missing_any[{j}]", f"unknown column '{col}'")
        when = {}
        for k, v in r.mapping(e.get("when"), f"{epath}.when", required=False).items():
            when[str(k)] = r.code_list(v, f"{epath}.when.{k}")
            if str(k) not in variables and str(k) not in items:
                r.fail(f"{epath}.when.{k}", f"unknown variable or item '{k}'")
            elif str(k) in variables and variables[str(k)].type != "categorical" and not variables[str(k)].missing:
                r.fail(f"{epath}.when.{k}", f"'{k}' is a {variables[str(k)].type} variable without codes")
        all_codes = e.get("codes") == "all"
        codes = () if all_codes else r.code_list(e.get("codes"), f"{epath}.codes")
        if "codes" in e and not missing:
            r.fail(f"{epath}.codes", "'codes' says which non-substantive codes count as missing for 'missing_any'")
        if not missing and not when:
            r.fail(epath, "an exclusion needs 'missing_any' or 'when'")
        exclusions.append(Exclusion(r.string(e, "id", epath, f"rule{i + 1}"), r.string(e, "reason", epath), missing,
                                    when, codes, all_codes))
    return tuple(exclusions)


def parse_questionnaire(r: CodebookReader, qid: str, node: Any, items: Mapping[str, Item]) -> Questionnaire:
    path = f"questionnaires.{qid}"
    node = r.mapping(node, path)
    r.keys(
        node,
        path,
        {"label", "file", "id", "items", "variables", "exclusions", "header_rows", "encoding",
         "delimiter", "sheet", "answers", "weight"},
        {"file", "id", "items"},
    )
    q_items = r.id_list(node.get("items"), f"{path}.items")
    for i, iid in enumerate(q_items):
        if iid not in items:
            r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
    variables = {}
    for vid, vnode in r.mapping(node.get("variables"), f"{path}.variables", required=False).items():
        vid = str(vid)
        variables[vid] = parse_variable(r, f"{path}.variables.{vid}", vid, vnode)
        if vid in items:
            r.fail(f"{path}.variables.{vid}", f"'{vid}' is already an item id")
    id_column = r.string(node, "id", path)
    if id_column in variables or id_column in q_items:
        r.fail(f"{path}.id", f"respondent id column '{id_column}' is also declared as an item or variable")
    for vid, var in variables.items():
        for dep, codes in var.asked_if.items():
            vpath = f"{path}.variables.{vid}.asked_if.{dep}"
            if dep not in variables:
                r.fail(vpath, f"unknown variable '{dep}'")
            elif variables[dep].type == "categorical":
                for c in codes:
                    if c not in variables[dep].codes:
                        r.fail(vpath, f"code {c} is not a level of '{dep}'")
    known = set(q_items) | set(variables)
    exclusions = parse_exclusions(r, path, node.get("exclusions", []), known, variables, q_items)
    answers = r.string(node, "answers", path, "auto")
    if answers not in ANSWER_FORMS:
        r.fail(f"{path}.answers", f"expected one of {', '.join(ANSWER_FORMS)}, found '{answers}'")
    sheet = node.get("sheet")
    weight = node.get("weight")
    if weight is not None and not isinstance(weight, str):
        r.fail(f"{path}.weight", f"expected a column name, found {describe(weight)}")
        weight = None
    delimiter = node.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        r.fail(f"{path}.delimiter", f"expected one character, found {describe(delimiter)}")
        delimiter = None
    return Questionnaire(
        id=qid,
        label=r.string(node, "label", path, qid),
        file=r.string(node, "file", path),
        id_column=id_column,
        items=q_items,
        variables=variables,
        exclusions=exclusions,
        header_rows=r.integer(node, "header_rows", path, 1, minimum=1),
        encoding=r.string(node, "encoding", path, "utf-8"),
        delimiter=delimiter,
        sheet=sheet if isinstance(sheet, (str, int)) else None,
        answers=answers,
        weight=weight,
    )

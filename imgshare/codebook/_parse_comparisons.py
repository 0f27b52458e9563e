"""Parser of the ``comparisons`` section: group comparisons between questionnaires or between
levels of a grouping variable, checked against the questionnaires, items and themes they name.
"""

from __future__ import annotations

from typing import Any

from .._keypath import describe
from ._model import TESTS, Comparison
from ._reader import CodebookReader

__all__ = ["parse_comparison"]


def parse_comparison(r: CodebookReader, cid: str, node: Any, cb: dict) -> Comparison:
    path = f"comparisons.{cid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "between", "groups", "questionnaire", "by", "levels", "items", "themes", "test",
                        "variables", "group_names"})
    between = "questionnaires" if node.get("between") == "questionnaires" else "variable"
    if "between" in node and node["between"] != "questionnaires":
        r.fail(f"{path}.between", f"expected 'questionnaires', found {describe(node['between'])} (use 'by' for a variable)")
    groups: tuple[str, ...] = ()
    qid = by = None
    levels = None
    n_levels = 0
    by_number = False
    var = None
    asked: set[str] = set()
    qs = []
    if between == "questionnaires":
        groups = r.id_list(node.get("groups"), f"{path}.groups")
        for i, g in enumerate(groups):
            if g not in cb["questionnaires"]:
                r.fail(f"{path}.groups[{i}]", f"unknown questionnaire '{g}'")
        if len(groups) < 2:
            r.fail(f"{path}.groups", "a comparison needs at least two questionnaires")
        qs = [cb["questionnaires"][g] for g in groups if g in cb["questionnaires"]]
        asked = set.intersection(*(set(q.items) for q in qs)) if qs else set()
        n_levels = len(groups)
    else:
        qid = r.string(node, "questionnaire", path)
        by = r.string(node, "by", path)
        q = cb["questionnaires"].get(qid)
        if not qid:
            r.fail(f"{path}.questionnaire", "required key is missing")
        elif q is None:
            r.fail(f"{path}.questionnaire", f"unknown questionnaire '{qid}'")
        if not by:
            r.fail(f"{path}.by", "required key is missing")
        elif q is not None:
            var = q.variables.get(by)
            if var is None:
                r.fail(f"{path}.by", f"unknown variable '{by}' in questionnaire '{qid}'")
            elif var.type == "number":
                by_number = True
                if "levels" in node:
                    r.fail(f"{path}.levels", f"'{by}' is a number variable: it has no levels to choose")
            elif var.type != "categorical":
                r.fail(f"{path}.by", f"grouping variable '{by}' must be categorical or a number (it is {var.type})")
            elif "levels" in node:
                levels = r.code_list(node.get("levels"), f"{path}.levels")
                for i, c in enumerate(levels):
                    if c not in var.codes:
                        r.fail(f"{path}.levels[{i}]", f"code {c} is not a level of '{by}'")
                if len(levels) < 2:
                    r.fail(f"{path}.levels", "a comparison needs at least two groups")
            if var is not None and var.type == "categorical":
                n_levels = len(levels) if levels is not None else len(
                    [c for c in var.codes if c not in var.missing_levels])
        if q is not None:
            asked = set(q.items)
            qs = [q]
    items = r.id_list(node.get("items"), f"{path}.items") if node.get("items") != "all" else tuple(
        i for i in cb["items"] if i in asked
    )
    for i, iid in enumerate(items):
        if iid not in cb["items"]:
            r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
        elif asked and iid not in asked:
            r.fail(f"{path}.items[{i}]", f"item '{iid}' is not asked of every compared group")
    themes = tuple(cb["themes"]) if node.get("themes") == "all" else r.id_list(node.get("themes"), f"{path}.themes")
    for i, tid in enumerate(themes):
        if tid not in cb["themes"]:
            r.fail(f"{path}.themes[{i}]", f"unknown theme '{tid}'")
    variables = r.id_list(node.get("variables"), f"{path}.variables")
    for i, vid in enumerate(variables):
        found = [q.variables.get(vid) for q in qs]
        if not qs:
            continue
        if any(v is None for v in found):
            r.fail(f"{path}.variables[{i}]", f"'{vid}' is not a variable of every compared questionnaire")
        elif any(v.type != "number" for v in found):
            r.fail(f"{path}.variables[{i}]", f"'{vid}' is {found[0].type}; only number variables are compared as "
                                             "outcomes (items and themes for the rest)")
        elif vid == by:
            r.fail(f"{path}.variables[{i}]", f"'{vid}' is the grouping variable itself")
    if not items and not themes and not variables:
        r.fail(path, "a comparison needs 'items', 'themes' or 'variables'")
    test = r.choice(node, "test", path, TESTS, "auto")
    if by_number:
        if test not in ("auto", "spearman"):
            r.fail(f"{path}.test", f"'{by}' is a number variable: outcomes are correlated with it (spearman), "
                                   f"not compared by {test}")
        test = "spearman"
    elif test == "spearman" and qid is not None:
        r.fail(f"{path}.test", "spearman correlates outcomes with a number variable given as 'by'")
    elif test == "spearman":
        r.fail(f"{path}.test", "spearman needs 'questionnaire' and a number variable as 'by'")
    if test == "mann-whitney" and n_levels > 2:
        what = "questionnaires" if between == "questionnaires" else f"levels of '{by}'"
        r.fail(f"{path}.test", f"Mann-Whitney U compares two groups, this comparison has {n_levels} {what} "
                               "(choose two with 'levels', or use kruskal-wallis or auto)")
    group_names = _group_names(r, node, path, var if qid and by and not by_number else None, levels)
    return Comparison(cid, r.string(node, "label", path, cid), between, groups, qid, by, levels, items, themes, test,
                      variables, group_names)


def _group_names(r: CodebookReader, node: dict, path: str, var: Any, levels: tuple[int, ...] | None) -> tuple:
    """``group_names``: how the prose names each compared level ("patients who had imaging"),
    as ``code: phrase`` pairs; levels left out are named by their answer."""
    if "group_names" not in node:
        return ()
    where = f"{path}.group_names"
    if var is None or var.type != "categorical":
        r.fail(where, "names the levels of a categorical 'by' variable; questionnaires are named by their labels")
        return ()
    names = r.mapping(node["group_names"], where)
    compared = levels if levels is not None else tuple(c for c in var.codes if c not in var.missing_levels)
    out = []
    for key, value in names.items():
        if isinstance(key, bool) or not isinstance(key, int):
            r.fail(f"{where}.{key}", f"expected a level code of '{var.id}' ({', '.join(map(str, compared))}), "
                                     f"found {describe(key)}")
        elif key not in compared:
            r.fail(f"{where}.{key}", f"code {key} is not a compared level of '{var.id}' "
                                     f"(compared: {', '.join(map(str, compared))})")
        elif not isinstance(value, str) or not value.strip():
            r.fail(f"{where}.{key}", f"expected the group's name as text, found {describe(value)}")
        else:
            out.append((key, " ".join(value.split())))
    return tuple(out)

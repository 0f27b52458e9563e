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
    r.keys(node, path, {"label", "between", "groups", "questionnaire", "by", "levels", "items", "themes", "test"})
    between = "questionnaires" if node.get("between") == "questionnaires" else "variable"
    if "between" in node and node["between"] != "questionnaires":
        r.fail(f"{path}.between", f"expected 'questionnaires', found {describe(node['between'])} (use 'by' for a variable)")
    groups: tuple[str, ...] = ()
    qid = by = None
    levels = None
    asked: set[str] = set()
    if between == "questionnaires":
        groups = r.id_list(node.get("groups"), f"{path}.groups")
        for i, g in enumerate(groups):
            if g not in cb["questionnaires"]:
                r.fail(f"{path}.groups[{i}]", f"unknown questionnaire '{g}'")
        if len(groups) < 2:
            r.fail(f"{path}.groups", "a comparison needs at least two questionnaires")
        qs = [cb["questionnaires"][g] for g in groups if g in cb["questionnaires"]]
        asked = set.intersection(*(set(q.items) for q in qs)) if qs else set()
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
            elif var.type != "categorical":
                r.fail(f"{path}.by", f"grouping variable '{by}' must be categorical (it is {var.type})")
            elif "levels" in node:
                levels = r.code_list(node.get("levels"), f"{path}.levels")
                for i, c in enumerate(levels):
                    if c not in var.codes:
                        r.fail(f"{path}.levels[{i}]", f"code {c} is not a level of '{by}'")
                if len(levels) < 2:
                    r.fail(f"{path}.levels", "a comparison needs at least two groups")
        if q is not None:
            asked = set(q.items)
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
    if not items and not themes:
        r.fail(path, "a comparison needs 'items' or 'themes'")
    test = r.string(node, "test", path, "auto")
    if test not in TESTS:
        r.fail(f"{path}.test", f"unknown test '{test}' (expected one of: {', '.join(TESTS)})")
    if test == "mann-whitney":
        n_groups = len(groups) if between == "questionnaires" else len(levels or ())
        if n_groups > 2:
            r.fail(f"{path}.test", f"Mann-Whitney U compares two groups, this comparison has {n_groups}")
    return Comparison(cid, r.string(node, "label", path, cid), between, groups, qid, by, levels, items, themes, test)

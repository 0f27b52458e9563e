"""Rules checked on the raw codebook mapping before the section parsers: the id pattern, and
settings whose text may not be empty.

Ids become file names, table and figure labels, cross-reference keys and CSV values, so they
are restricted to :data:`ID_PATTERN`: an ASCII letter, then ASCII letters, digits or
underscores, at most :data:`ID_MAX_LENGTH` characters. An id outside it (``rôle😀``,
``../../x``, ``yes`` read by YAML as ``true``) is reported here, at its key path, instead of
failing later in a stage that no longer knows which codebook key caused it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._keypath import join, shown
from ._reader import CodebookReader

__all__ = ["ID_PATTERN", "ID_MAX_LENGTH", "ID_RULE", "check_ids", "check_required_texts", "id_problem"]

ID_MAX_LENGTH = 64
ID_PATTERN = re.compile(rf"[A-Za-z][A-Za-z0-9_]{{0,{ID_MAX_LENGTH - 1}}}")
ID_RULE = (f"an id of ASCII letters, digits and underscores that starts with a letter "
           f"(at most {ID_MAX_LENGTH} characters)")
#: Sections whose keys are ids.
ID_SECTIONS = ("scales", "items", "domains", "themes", "questionnaires", "comparisons")


def id_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid id, or None when it is.

    >>> id_problem("age_group") is None
    True
    >>> id_problem("../../x")
    "found '../../x'; expected an id of ASCII letters, digits and underscores that starts with a letter (at most 64 characters)"
    >>> id_problem(True)
    'found true or false (YAML reads unquoted yes, no, on, off as true or false); expected an id of ASCII letters, digits and underscores that starts with a letter (at most 64 characters)'
    """
    if isinstance(value, str):
        if ID_PATTERN.fullmatch(value):
            return None
        found = shown(value)
    elif isinstance(value, bool):
        found = "true or false (YAML reads unquoted yes, no, on, off as true or false)"
    elif isinstance(value, (int, float)):
        found = f"the number {shown(value)}"
    else:
        found = "a list or mapping"
    return f"found {found}; expected {ID_RULE}"


def _keys(node: Any) -> list:
    return list(node) if isinstance(node, Mapping) else []


def check_ids(r: CodebookReader, root: Mapping) -> None:
    """Record a problem for every id outside :data:`ID_PATTERN` (section keys, variables, exclusions)."""
    for section in ID_SECTIONS:
        for key in _keys(root.get(section)):
            reason = id_problem(key)
            if reason:
                r.fail(join(section, str(key)), reason)
    questionnaires = root.get("questionnaires")
    for qid in _keys(questionnaires):
        q = questionnaires[qid]
        if not isinstance(q, Mapping):
            continue
        for vid in _keys(q.get("variables")):
            reason = id_problem(vid)
            if reason:
                r.fail(f"questionnaires.{qid}.variables.{vid}", reason)
        exclusions = q.get("exclusions")
        for i, rule in enumerate(exclusions if isinstance(exclusions, list) else []):
            if isinstance(rule, Mapping) and "id" in rule:
                reason = id_problem(rule["id"])
                if reason:
                    r.fail(f"questionnaires.{qid}.exclusions[{i}].id", reason)


#: Settings whose value, when given, must be non-empty text (an empty one would name nothing).
_REQUIRED_TEXTS = {"items": ("scale",), "questionnaires": ("file", "id")}


def check_required_texts(r: CodebookReader, root: Mapping) -> None:
    """Record a problem for ``scale: ''``, ``file: ''`` or ``id: ''`` (text that names nothing)."""
    for section, keys in _REQUIRED_TEXTS.items():
        entries = root.get(section)
        for eid in _keys(entries):
            node = entries[eid]
            if not isinstance(node, Mapping):
                continue
            for key in keys:
                value = node.get(key)
                if isinstance(value, str) and not value.strip():
                    r.fail(f"{section}.{eid}.{key}", f"found {shown(value)} (empty); expected "
                           + {"scale": "the id of a scale declared under 'scales'",
                              "file": "the name of the questionnaire's data file",
                              "id": "the name of the respondent id column"}[key])

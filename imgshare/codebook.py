"""The codebook: everything imgshare knows about a study, loaded into a typed, immutable model.

The YAML format is documented in ``docs/codebook.md``. :func:`load_codebook` reads a file and
:func:`parse_codebook` a mapping; both reject an invalid codebook with a :class:`CodebookError`
whose lines name the key path and the reason, e.g.
``themes.engagement.items[2]: unknown item 'E9'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._keypath import KeyPathReader, describe, join
from .errors import CodebookError

__all__ = [
    "Level",
    "Scale",
    "Item",
    "Variable",
    "Exclusion",
    "Questionnaire",
    "Domain",
    "Theme",
    "Comparison",
    "Study",
    "Codebook",
    "load_codebook",
    "parse_codebook",
]

VARIABLE_TYPES = ("categorical", "text", "number")
TESTS = ("auto", "mann-whitney", "kruskal-wallis")
ANSWER_FORMS = ("auto", "codes", "labels")


@dataclass(frozen=True)
class Level:
    code: int
    label: str


@dataclass(frozen=True)
class Scale:
    """An ordered response scale; ``agree``/``neutral``/``disagree`` partition its codes."""

    id: str
    label: str
    levels: tuple[Level, ...]
    agree: frozenset[int]
    neutral: frozenset[int]
    disagree: frozenset[int]

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.levels)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(lv.label for lv in self.levels)

    @property
    def n_points(self) -> int:
        return len(self.levels)

    @property
    def has_neutral(self) -> bool:
        return bool(self.neutral)

    def label_of(self, code: int) -> str:
        return {lv.code: lv.label for lv in self.levels}[code]

    def category_of(self, code: int) -> str:
        """'agree', 'neutral' or 'disagree'."""
        if code in self.agree:
            return "agree"
        if code in self.neutral:
            return "neutral"
        return "disagree"

    def reversed_code(self, code: int) -> int:
        """The code an answer takes when the item is reverse-keyed (mirror within the scale)."""
        codes = self.codes
        return codes[len(codes) - 1 - codes.index(code)]


@dataclass(frozen=True)
class Item:
    """A Likert statement. ``wording`` is 'published' or 'reconstructed' (or free text)."""

    id: str
    text: str
    short: str
    scale: str
    reverse: bool = False
    required: bool = True
    wording: str = "published"


@dataclass(frozen=True)
class Variable:
    """A non-Likert column: categorical (ordered coded levels), free text, or number."""

    id: str
    type: str
    question: str
    levels: tuple[Level, ...] = ()
    required: bool = True
    asked_if: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    missing_levels: tuple[int, ...] = ()
    note: str = ""

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.levels)

    def label_of(self, code: int) -> str:
        return {lv.code: lv.label for lv in self.levels}[code]


@dataclass(frozen=True)
class Exclusion:
    """A rule removing respondents from the analysed cohort, applied in order (first match wins).

    ``missing_any`` lists columns (or is ``('required',)``) whose non-response excludes;
    ``when`` maps a categorical variable to the codes that exclude.
    """

    id: str
    reason: str
    missing_any: tuple[str, ...] = ()
    when: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    label: str
    file: str
    id_column: str
    items: tuple[str, ...]
    variables: Mapping[str, Variable]
    exclusions: tuple[Exclusion, ...] = ()
    header_rows: int = 1
    encoding: str = "utf-8"
    delimiter: str | None = None
    sheet: str | int | None = None
    answers: str = "auto"
    weight: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the data file must have, in codebook order."""
        cols = [self.id_column, *self.items, *self.variables]
        if self.weight:
            cols.append(self.weight)
        return tuple(cols)


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    domain: str | None
    items: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """A group comparison. ``between='questionnaires'`` compares whole questionnaires
    (``groups``); otherwise respondents of ``questionnaire`` are grouped by variable ``by``
    (restricted to ``levels`` when given)."""

    id: str
    label: str
    between: str
    groups: tuple[str, ...] = ()
    questionnaire: str | None = None
    by: str | None = None
    levels: tuple[int, ...] | None = None
    items: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    test: str = "auto"


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    citation: str = ""
    data: str = "real"
    data_note: str = ""

    @property
    def synthetic(self) -> bool:
        return self.data == "synthetic"


@dataclass(frozen=True)
class Codebook:
    study: Study
    scales: Mapping[str, Scale]
    items: Mapping[str, Item]
    domains: Mapping[str, Domain]
    themes: Mapping[str, Theme]
    questionnaires: Mapping[str, Questionnaire]
    comparisons: Mapping[str, Comparison]
    source: str = "codebook.yml"
    base_dir: Path = Path(".")

    def scale_of(self, item_id: str) -> Scale:
        return self.scales[self.items[item_id].scale]

    def data_path(self, questionnaire_id: str, data_dir: Path | None = None) -> Path:
        return (data_dir or self.base_dir) / self.questionnaires[questionnaire_id].file

    def theme_items(self, theme_id: str, questionnaire_id: str) -> tuple[str, ...]:
        """The theme's items that this questionnaire asks."""
        asked = set(self.questionnaires[questionnaire_id].items)
        return tuple(i for i in self.themes[theme_id].items if i in asked)


# --------------------------------------------------------------------------------------------
# Parsing. A small recursive-descent reader that records every problem with its key path,
# so that one run reports all of them.


class _Reader(KeyPathReader):
    def string(self, node: Mapping, key: str, path: str, default: str | None = None) -> str:
        value = node.get(key, default)
        if value is None:
            if default is None and key in node:
                self.fail(_join(path, key), "expected text, found nothing")
            return default or ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(_join(path, key), f"expected text, found {_kind(value)}")
            return str(default or "")
        return str(value).strip()

    def boolean(self, node: Mapping, key: str, path: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.fail(_join(path, key), f"expected true or false, found {value!r}")
            return default
        return value

    def integer(self, node: Mapping, key: str, path: str, default: int, minimum: int = 0) -> int:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(_join(path, key), f"expected a whole number >= {minimum}, found {value!r}")
            return default
        return value

    def id_list(self, node: Any, path: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            self.fail(path, f"expected a list, found {_kind(node)}")
            return ()
        out = []
        for i, v in enumerate(node):
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                self.fail(f"{path}[{i}]", f"expected an id, found {_kind(v)}")
            else:
                out.append(str(v))
        seen: set[str] = set()
        for i, v in enumerate(out):
            if v in seen:
                self.fail(f"{path}[{i}]", f"duplicate id '{v}'")
            seen.add(v)
        return tuple(out)

    def code_list(self, node: Any, path: str) -> tuple[int, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            node = [node]
        out = []
        for i, v in enumerate(node):
            if isinstance(v, bool) or not isinstance(v, int):
                self.fail(f"{path}[{i}]", f"expected an integer code, found {v!r}")
            else:
                out.append(v)
        return tuple(out)

    def levels(self, node: Any, path: str) -> tuple[Level, ...]:
        """Levels as a mapping ``code: label`` or a list of ``{code, label}``, in scale order."""
        pairs: list[tuple[Any, Any, str]] = []
        if isinstance(node, Mapping):
            pairs = [(k, v, f"{path}.{k}") for k, v in node.items()]
        elif isinstance(node, list):
            for i, entry in enumerate(node):
                if not isinstance(entry, Mapping) or "code" not in entry or "label" not in entry:
                    self.fail(f"{path}[{i}]", "expected a mapping with 'code' and 'label'")
                    continue
                pairs.append((entry["code"], entry["label"], f"{path}[{i}]"))
        else:
            self.fail(path, f"expected levels as 'code: label' pairs, found {_kind(node)}")
            return ()
        levels: list[Level] = []
        for code, label, p in pairs:
            if isinstance(code, bool) or not isinstance(code, int):
                self.fail(p, f"level code must be an integer, found {code!r}")
                continue
            if label is None or isinstance(label, (Mapping, list)):
                self.fail(p, f"level label must be text, found {_kind(label)}")
                continue
            levels.append(Level(code, str(label).strip()))
        codes = [lv.code for lv in levels]
        labels = [lv.label.casefold() for lv in levels]
        if len(set(codes)) != len(codes):
            self.fail(path, "duplicate level codes")
        if len(set(labels)) != len(labels):
            self.fail(path, "duplicate level labels")
        if not levels:
            self.fail(path, "at least one level is required")
        return tuple(levels)


_join = join
_kind = describe


def _parse_scale(r: _Reader, sid: str, node: Any) -> Scale:
    path = f"scales.{sid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "levels", "agree", "neutral", "disagree"}, {"levels", "agree", "disagree"})
    levels = r.levels(node.get("levels"), f"{path}.levels") if "levels" in node else ()
    codes = {lv.code for lv in levels}
    sets = {}
    for key in ("agree", "neutral", "disagree"):
        sets[key] = frozenset(r.code_list(node.get(key), f"{path}.{key}"))
        for c in sorted(sets[key] - codes):
            r.fail(f"{path}.{key}", f"code {c} is not a level of the scale")
    for a, b in (("agree", "disagree"), ("agree", "neutral"), ("neutral", "disagree")):
        overlap = sets[a] & sets[b]
        if overlap:
            r.fail(path, f"{a} and {b} overlap (codes {sorted(overlap)}); each level belongs to one side")
    if levels and len(levels) % 2 == 0 and sets["neutral"]:
        r.fail(f"{path}.neutral", f"an even ({len(levels)}-point) scale has no neutral level")
    if levels and len(levels) < 2:
        r.fail(f"{path}.levels", "a scale needs at least two levels")
    unassigned = codes - sets["agree"] - sets["neutral"] - sets["disagree"]
    if levels and unassigned:
        r.fail(path, f"codes {sorted(unassigned)} are in none of agree, neutral, disagree")
    if levels and sets["agree"] and sets["disagree"]:
        order = [lv.code for lv in levels]
        pos = {c: order.index(c) for c in codes}
        known_d, known_a = sets["disagree"] & codes, sets["agree"] & codes
        if known_d and known_a and max(pos[c] for c in known_d) > min(pos[c] for c in known_a):
            r.fail(path, "disagree levels must come before agree levels in scale order")
    return Scale(sid, r.string(node, "label", path, sid), levels, sets["agree"], sets["neutral"], sets["disagree"])


def _parse_item(r: _Reader, iid: str, node: Any, scales: Mapping[str, Scale]) -> Item:
    path = f"items.{iid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"text", "short", "scale", "reverse", "required", "wording"}, {"text", "scale"})
    scale = r.string(node, "scale", path)
    if scale and scale not in scales:
        r.fail(f"{path}.scale", f"unknown scale '{scale}'")
    text = r.string(node, "text", path)
    return Item(
        id=iid,
        text=text,
        short=r.string(node, "short", path, text),
        scale=scale,
        reverse=r.boolean(node, "reverse", path, False),
        required=r.boolean(node, "required", path, True),
        wording=r.string(node, "wording", path, "published"),
    )


def _parse_variable(r: _Reader, path: str, vid: str, node: Any) -> Variable:
    node = r.mapping(node, path)
    r.keys(
        node, path, {"type", "question", "levels", "required", "asked_if", "missing_levels", "note"}, {"type"}
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
    return Variable(
        id=vid,
        type=vtype,
        question=r.string(node, "question", path, vid),
        levels=levels,
        required=r.boolean(node, "required", path, vtype == "categorical"),
        asked_if=asked_if,
        missing_levels=missing_levels,
        note=r.string(node, "note", path, ""),
    )


def _parse_questionnaire(r: _Reader, qid: str, node: Any, items: Mapping[str, Item]) -> Questionnaire:
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
        variables[vid] = _parse_variable(r, f"{path}.variables.{vid}", vid, vnode)
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
    exclusions = []
    ex_node = node.get("exclusions", [])
    if not isinstance(ex_node, list):
        r.fail(f"{path}.exclusions", f"expected a list, found {_kind(ex_node)}")
        ex_node = []
    for i, e in enumerate(ex_node):
        epath = f"{path}.exclusions[{i}]"
        e = r.mapping(e, epath)
        r.keys(e, epath, {"id", "reason", "missing_any", "when"}, {"reason"})
        missing = e.get("missing_any")
        missing = ("required",) if missing == "required" else r.id_list(missing, f"{epath}.missing_any")
        for j, col in enumerate(missing):
            if col != "required" and col not in known:
                r.fail(f"{epath}.missing_any[{j}]", f"unknown column '{col}'")
        when = {}
        for k, v in r.mapping(e.get("when"), f"{epath}.when", required=False).items():
            when[str(k)] = r.code_list(v, f"{epath}.when.{k}")
            if str(k) not in variables:
                r.fail(f"{epath}.when.{k}", f"unknown variable '{k}'")
        if not missing and not when:
            r.fail(epath, "an exclusion needs 'missing_any' or 'when'")
        exclusions.append(Exclusion(r.string(e, "id", epath, f"rule{i + 1}"), r.string(e, "reason", epath), missing, when))
    answers = r.string(node, "answers", path, "auto")
    if answers not in ANSWER_FORMS:
        r.fail(f"{path}.answers", f"expected one of {', '.join(ANSWER_FORMS)}, found '{answers}'")
    sheet = node.get("sheet")
    weight = node.get("weight")
    if weight is not None and not isinstance(weight, str):
        r.fail(f"{path}.weight", f"expected a column name, found {_kind(weight)}")
        weight = None
    delimiter = node.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        r.fail(f"{path}.delimiter", f"expected one character, found {delimiter!r}")
        delimiter = None
    return Questionnaire(
        id=qid,
        label=r.string(node, "label", path, qid),
        file=r.string(node, "file", path),
        id_column=id_column,
        items=q_items,
        variables=variables,
        exclusions=tuple(exclusions),
        header_rows=r.integer(node, "header_rows", path, 1, minimum=1),
        encoding=r.string(node, "encoding", path, "utf-8"),
        delimiter=delimiter,
        sheet=sheet if isinstance(sheet, (str, int)) else None,
        answers=answers,
        weight=weight,
    )


def _parse_comparison(r: _Reader, cid: str, node: Any, cb: dict) -> Comparison:
    path = f"comparisons.{cid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "between", "groups", "questionnaire", "by", "levels", "items", "themes", "test"})
    between = "questionnaires" if node.get("between") == "questionnaires" else "variable"
    if "between" in node and node["between"] != "questionnaires":
        r.fail(f"{path}.between", f"expected 'questionnaires', found {node['between']!r} (use 'by' for a variable)")
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


def parse_codebook(data: Any, source: str = "codebook.yml", base_dir: Path | str = ".") -> Codebook:
    """Build a :class:`Codebook` from a parsed YAML mapping, or raise :class:`CodebookError`."""
    r = _Reader()
    root = r.mapping(data, "")
    if r.problems:
        raise CodebookError(source, r.problems)
    r.keys(root, "", {"format", "study", "scales", "items", "domains", "themes", "questionnaires", "comparisons"},
           {"scales", "items", "questionnaires"})
    if root.get("format", 1) != 1:
        r.fail("format", f"unsupported codebook format {root.get('format')!r} (this imgshare reads format 1)")

    snode = r.mapping(root.get("study"), "study", required=False)
    r.keys(snode, "study", {"id", "title", "citation", "data", "data_note"})
    data_kind = r.string(snode, "data", "study", "real")
    if data_kind not in ("real", "synthetic"):
        r.fail("study.data", f"expected 'real' or 'synthetic', found '{data_kind}'")
    study = Study(
        id=r.string(snode, "id", "study", "study"),
        title=r.string(snode, "title", "study", "Untitled study"),
        citation=r.string(snode, "citation", "study", ""),
        data=data_kind,
        data_note=r.string(snode, "data_note", "study", ""),
    )

    scales = {str(k): _parse_scale(r, str(k), v) for k, v in r.mapping(root.get("scales"), "scales").items()}
    items = {str(k): _parse_item(r, str(k), v, scales) for k, v in r.mapping(root.get("items"), "items").items()}

    domains = {}
    for did, dnode in r.mapping(root.get("domains"), "domains", required=False).items():
        path = f"domains.{did}"
        dnode = r.mapping(dnode, path)
        r.keys(dnode, path, {"label", "items"}, {"items"})
        ditems = r.id_list(dnode.get("items"), f"{path}.items")
        for i, iid in enumerate(ditems):
            if iid not in items:
                r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
        domains[str(did)] = Domain(str(did), r.string(dnode, "label", path, str(did)), ditems)

    themes = {}
    for tid, tnode in r.mapping(root.get("themes"), "themes", required=False).items():
        path = f"themes.{tid}"
        tnode = r.mapping(tnode, path)
        r.keys(tnode, path, {"label", "domain", "items"}, {"items"})
        titems = r.id_list(tnode.get("items"), f"{path}.items")
        for i, iid in enumerate(titems):
            if iid not in items:
                r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
        scale_ids = {items[i].scale for i in titems if i in items}
        if len(scale_ids) > 1:
            r.fail(f"{path}.items", f"items of one theme must share a scale (found {', '.join(sorted(scale_ids))})")
        domain = tnode.get("domain")
        if domain is not None and str(domain) not in domains:
            r.fail(f"{path}.domain", f"unknown domain '{domain}'")
        themes[str(tid)] = Theme(str(tid), r.string(tnode, "label", path, str(tid)),
                                 None if domain is None else str(domain), titems)

    questionnaires = {
        str(k): _parse_questionnaire(r, str(k), v, items)
        for k, v in r.mapping(root.get("questionnaires"), "questionnaires").items()
    }
    if not questionnaires and "questionnaires" in root:
        r.fail("questionnaires", "at least one questionnaire is required")
    files = [q.file for q in questionnaires.values()]
    for qid, q in questionnaires.items():
        if q.file and files.count(q.file) > 1:
            r.fail(f"questionnaires.{qid}.file", f"file '{q.file}' is used by more than one questionnaire")

    cb = {"questionnaires": questionnaires, "items": items, "themes": themes}
    comparisons = {
        str(k): _parse_comparison(r, str(k), v, cb)
        for k, v in r.mapping(root.get("comparisons"), "comparisons", required=False).items()
    }
    if r.problems:
        raise CodebookError(source, r.problems)
    return Codebook(study, scales, items, domains, themes, questionnaires, comparisons, source, Path(base_dir))


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's default silently keeps the last of two equal keys; a codebook must not."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (ids must be unique)", mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook YAML file. Data files are resolved relative to it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(str(path), [("", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise CodebookError(str(path), [("", f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise CodebookError(str(path), [("", exc.strerror or str(exc))]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise CodebookError(str(path), [("", f"{where}invalid YAML ({getattr(exc, 'problem', exc)})")]) from None
    return parse_codebook(data, source=str(path), base_dir=path.parent)

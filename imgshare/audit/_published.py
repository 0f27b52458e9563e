"""The published values of a paper (``published.yml``), loaded into a typed, immutable model.

The format is documented in ``docs/published-format.md``. :func:`load_published` reads a file,
:func:`parse_published` a mapping; both reject an invalid file with one :class:`PublishedError`
listing every problem as ``file: values[12] (t1.age.2.pct): reason``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP
from pathlib import Path
from typing import Any

from .._yaml import YamlProblem, load_yaml
from ..errors import ImgshareError, bounded, format_problems
from ._numbers import format_number, to_decimal, unit

__all__ = ["PublishedError", "Document", "PublishedValue", "NotRecorded", "Published", "load_published",
           "parse_published", "KINDS"]

#: Kinds of published value and the measure keys each requires.
KINDS: Mapping[str, tuple[str, ...]] = {
    "count": ("questionnaire",),
    "percent": ("questionnaire",),
    "flow": ("questionnaire", "stage"),
    "flow_percent": ("questionnaire", "stage"),
    "spearman": ("questionnaire", "theme"),
    "spearman_min": ("questionnaire", "theme"),
    "spearman_max": ("questionnaire", "theme"),
    "significant": ("questionnaire", "theme"),
    "domain_mean_agree": ("questionnaire", "domain"),
    "domain_mean_neutral": ("questionnaire", "domain"),
    "domain_mean_disagree": ("questionnaire", "domain"),
}
PERCENT_KINDS = frozenset({"percent", "flow_percent"})
COUNT_KINDS = frozenset({"count", "flow"})
STAGES = ("received", "excluded", "analysed")
DENOMINATORS = ("answering", "asked", "analysed")
CATEGORIES = ("agree", "neutral", "disagree")
APPROX = ("over", "under", "about")
EXPECTATIONS = ("mismatch", "not computable")

_COMMON = {"id", "source", "printed", "value", "decimals", "percent_sign", "kind", "document", "label", "note",
           "expected", "reason", "of", "n", "block", "approx"}
_MEASURE = {"questionnaire", "item", "variable", "levels", "where", "denominator", "weighted", "stage",
            "exclusion", "of_stage", "theme", "items", "domain"}


class PublishedError(ImgshareError):
    """The published-values file is invalid; one line per problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        super().__init__(format_problems([bounded(f"{source}: {p}") for p in self.problems]))


@dataclass(frozen=True)
class Document:
    """A document values are printed in; ``role`` is 'primary' (the paper) or 'secondary'."""

    id: str
    title: str
    role: str = "primary"
    citation: str = ""


@dataclass(frozen=True)
class PublishedValue:
    """One number as printed, what it measures in codebook terms, and what the paper says it is of.

    ``levels`` is a tuple of codes, a category name ('agree', 'neutral', 'disagree') or None;
    ``of`` (the printed denominator) is an entry id or a number; ``n`` the ids of the printed
    count(s) the percentage is of (summed).
    """

    id: str
    source: str
    printed: str
    value: float
    kind: str
    decimals: int = 0
    percent_sign: bool = False
    document: str = ""
    label: str = ""
    note: str = ""
    expected: str | None = None
    reason: str = ""
    questionnaire: tuple[str, ...] = ()
    item: str | None = None
    variable: str | None = None
    levels: tuple[int, ...] | str | None = None
    where: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    denominator: str | tuple[int, ...] = "answering"
    weighted: bool = True
    stage: str | None = None
    exclusion: str | None = None
    of_stage: str = "received"
    theme: str | None = None
    items: tuple[str, ...] = ()
    domain: str | None = None
    of: str | float | None = None
    n: tuple[str, ...] = ()
    block: str | None = None
    approx: str | None = None

    @property
    def column(self) -> str | None:
        """The item or variable the value counts answers to."""
        return self.item or self.variable

    @property
    def shown(self) -> str:
        """The number as printed: value at its decimals, with the % sign when printed."""
        return format_number(self.value, self.decimals) + ("%" if self.percent_sign else "")


@dataclass(frozen=True)
class NotRecorded:
    """A number printed in the paper that is deliberately not audited, and why."""

    source: str
    printed: str
    reason: str


@dataclass(frozen=True)
class Published:
    documents: Mapping[str, Document]
    values: tuple[PublishedValue, ...]
    not_recorded: tuple[NotRecorded, ...] = ()
    study: str = ""
    source: str = "published.yml"

    @property
    def by_id(self) -> Mapping[str, PublishedValue]:
        return {v.id: v for v in self.values}

    def source_kind(self, value: PublishedValue) -> str:
        """'table', 'text', or the id of the secondary document the value comes from."""
        doc = self.documents.get(value.document)
        if doc is not None and doc.role == "secondary":
            return doc.id
        return "table" if re.match(r"table\b", value.source, re.IGNORECASE) else "text"


#: Small counts papers write as words ("one radiographer").
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def _number_pattern(value: PublishedValue) -> re.Pattern:
    digits = re.escape(format_number(abs(value.value), value.decimals))
    sign = r"[-\u2212]" if value.value < 0 else r"(?<![-\u2212])"
    pct = r"\s?%" if value.percent_sign else r"(?!\s?%)"
    pattern = rf"(?<![\d.]){sign}{digits}(?!\d|\.\d){pct}"
    if value.decimals == 0 and value.value in range(len(_WORDS)) and not value.percent_sign:
        pattern += rf"|\b{_WORDS[int(value.value)]}\b"
    return re.compile(pattern, re.IGNORECASE)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, reason: str) -> None:
        self.problems.append(f"{where}: {reason}")

    def ids(self, node: Any, where: str, key: str) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.fail(where, f"{key}: expected an id or a list of ids, found {value!r}")
        return ()

    def codes(self, value: Any, where: str, key: str) -> tuple[int, ...]:
        items = value if isinstance(value, list) else [value]
        if not items or any(isinstance(c, bool) or not isinstance(c, int) for c in items):
            self.fail(where, f"{key}: expected integer codes, found {value!r}")
            return ()
        return tuple(items)


def _parse_value(r: _Reader, i: int, node: Any, default_doc: str) -> PublishedValue | None:
    if not isinstance(node, Mapping):
        r.fail(f"values[{i}]", f"expected a mapping, found {node!r}")
        return None
    where = f"values[{i}] ({node.get('id', '?')})"
    for key in node:
        if key not in _COMMON | _MEASURE:
            r.fail(where, f"unknown key '{key}'")
    for key in ("id", "source", "printed", "value", "kind"):
        if key not in node:
            r.fail(where, f"required key '{key}' is missing")
    if any(k not in node for k in ("id", "source", "printed", "value", "kind")):
        return None
    kind = node["kind"]
    if kind not in KINDS:
        r.fail(where, f"unknown kind '{kind}' (expected one of: {', '.join(KINDS)})")
        return None
    for key in KINDS[kind]:
        if key not in node:
            r.fail(where, f"a {kind} value needs '{key}'")
    value = node["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        r.fail(where, f"value: expected a number, found {value!r}")
        return None
    decimals = node.get("decimals", 0)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        r.fail(where, f"decimals: expected a whole number >= 0, found {decimals!r}")
        decimals = 0
    questionnaire = r.ids(node, where, "questionnaire")
    if len(questionnaire) > 1 and kind not in ("flow", "flow_percent"):
        r.fail(where, f"a {kind} value concerns one questionnaire, found {list(questionnaire)}")
    if kind in ("count", "percent"):
        if ("item" in node) == ("variable" in node):
            r.fail(where, f"a {kind} value needs exactly one of 'item' or 'variable'")
        if "levels" not in node:
            r.fail(where, f"a {kind} value needs 'levels' (codes or agree/neutral/disagree)")
    levels = node.get("levels")
    if isinstance(levels, str):
        if levels not in CATEGORIES:
            r.fail(where, f"levels: expected codes or one of {', '.join(CATEGORIES)}, found '{levels}'")
        elif "variable" in node:
            r.fail(where, f"levels: '{levels}' is a Likert category; a variable needs codes")
    elif levels is not None:
        levels = r.codes(levels, where, "levels")
    denominator = node.get("denominator", "answering")
    if isinstance(denominator, Mapping) and set(denominator) == {"levels"}:
        denominator = r.codes(denominator["levels"], where, "denominator.levels")
    elif denominator not in DENOMINATORS:
        r.fail(where, f"denominator: expected one of {', '.join(DENOMINATORS)} or {{levels: [codes]}}, "
                      f"found {denominator!r}")
    where_filter = {}
    for var, codes in (node.get("where") or {}).items():
        where_filter[str(var)] = r.codes(codes, where, f"where.{var}")
    for key, allowed in (("stage", STAGES), ("of_stage", STAGES), ("approx", APPROX)):
        if key in node and node[key] not in allowed:
            r.fail(where, f"{key}: expected one of {', '.join(allowed)}, found {node[key]!r}")
    expected = node.get("expected")
    if expected is not None and expected not in EXPECTATIONS:
        r.fail(where, f"expected: one of {', '.join(EXPECTATIONS)}, found {expected!r}")
    if expected is not None and not node.get("reason"):
        r.fail(where, f"expected {expected}: give the 'reason'")
    of = node.get("of")
    if of is not None and (isinstance(of, bool) or not isinstance(of, (str, int, float))):
        r.fail(where, f"of: expected an entry id or a number, found {of!r}")
        of = None
    for key in ("percent_sign", "weighted"):
        if key in node and not isinstance(node[key], bool):
            r.fail(where, f"{key}: expected true or false, found {node[key]!r}")
    entry = PublishedValue(
        id=str(node["id"]), source=str(node["source"]), printed=str(node["printed"]), value=value, kind=kind,
        decimals=decimals, percent_sign=node.get("percent_sign") is True,
        document=str(node.get("document", default_doc)), label=str(node.get("label", "")),
        note=str(node.get("note", "")), expected=expected, reason=str(node.get("reason", "")),
        questionnaire=questionnaire, item=node.get("item"), variable=node.get("variable"), levels=levels,
        where=where_filter, denominator=denominator, weighted=node.get("weighted", True) is not False,
        stage=node.get("stage"), exclusion=node.get("exclusion"), of_stage=node.get("of_stage", "received"),
        theme=node.get("theme"), items=r.ids(node, where, "items"), domain=node.get("domain"),
        of=of, n=r.ids(node, where, "n"), block=node.get("block"), approx=node.get("approx"),
    )
    if to_decimal(value) != to_decimal(value).quantize(unit(decimals), rounding=ROUND_HALF_UP):
        r.fail(where, f"value {value!r} has more decimals than the {decimals} printed")
    elif not _number_pattern(entry).search(entry.printed):
        r.fail(where, f"printed text {entry.printed!r} does not contain {entry.shown!r} "
                      f"(check value, decimals and percent_sign)")
    return entry


def _check_references(r: _Reader, values: list[PublishedValue], documents: Mapping[str, Document]) -> None:
    by_id: dict[str, PublishedValue] = {}
    for i, v in enumerate(values):
        if v.id in by_id:
            r.fail(f"values[{i}] ({v.id})", "duplicate id")
        by_id[v.id] = v
    for i, v in enumerate(values):
        where = f"values[{i}] ({v.id})"
        if v.document not in documents:
            r.fail(where, f"unknown document '{v.document}' (known: {', '.join(documents)})")
        refs = [("of", v.of)] if isinstance(v.of, str) else []
        refs += [("n", ref) for ref in v.n]
        for key, ref in refs:
            target = by_id.get(ref)
            if target is None:
                r.fail(where, f"{key}: unknown entry '{ref}'")
            elif target.kind not in COUNT_KINDS:
                r.fail(where, f"{key}: entry '{ref}' is a {target.kind}, not a count")
            elif ref == v.id:
                r.fail(where, f"{key}: an entry cannot refer to itself")


def parse_published(data: Any, source: str = "published.yml") -> Published:
    """Build a :class:`Published` from a parsed YAML mapping, or raise :class:`PublishedError`."""
    r = _Reader()
    if not isinstance(data, Mapping):
        raise PublishedError(source, [f"expected a mapping at the top, found {type(data).__name__}"])
    for key in data:
        if key not in ("format", "study", "documents", "values", "not_recorded"):
            r.fail(str(key), "unknown top-level key (expected format, study, documents, values, not_recorded)")
    if data.get("format", 1) != 1:
        r.fail("format", f"unsupported format {data.get('format')!r} (this imgshare reads format 1)")
    documents: dict[str, Document] = {}
    docs = data.get("documents") or {"paper": {"title": "the paper"}}
    if not isinstance(docs, Mapping):
        r.fail("documents", "expected a mapping of document id to {title, role, citation}")
        docs = {}
    for did, d in docs.items():
        d = d if isinstance(d, Mapping) else {}
        role = d.get("role", "primary")
        if role not in ("primary", "secondary"):
            r.fail(f"documents.{did}.role", f"expected primary or secondary, found {role!r}")
        documents[str(did)] = Document(str(did), str(d.get("title", did)), role, str(d.get("citation", "")))
    primary = [d.id for d in documents.values() if d.role == "primary"]
    if not primary:
        r.fail("documents", "at least one primary document is required")
    raw = data.get("values")
    if not isinstance(raw, list) or not raw:
        r.fail("values", "expected a non-empty list of published values")
        raw = []
    values = [v for i, node in enumerate(raw) if (v := _parse_value(r, i, node, primary[0] if primary else ""))]
    _check_references(r, values, documents)
    skipped = []
    for i, node in enumerate(data.get("not_recorded") or []):
        if not isinstance(node, Mapping) or not {"source", "printed", "reason"} <= set(node):
            r.fail(f"not_recorded[{i}]", "expected a mapping with source, printed and reason")
            continue
        skipped.append(NotRecorded(str(node["source"]), str(node["printed"]), str(node["reason"])))
    if r.problems:
        raise PublishedError(source, r.problems)
    return Published(documents, tuple(values), tuple(skipped), str(data.get("study", "")), source)


def load_published(path: str | Path) -> Published:
    """Read and validate a published-values YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PublishedError(str(path), ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishedError(str(path), [f"cannot read ({exc})"]) from None
    try:
        data = load_yaml(text)
    except YamlProblem as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise PublishedError(str(path), [f"{where}{exc.reason}"]) from None
    return parse_published(data, source=str(path))

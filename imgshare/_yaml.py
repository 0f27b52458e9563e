"""Reading the YAML inputs (codebook, calibration targets) within bounds a hostile file cannot break.

PyYAML's safe loader still lets a small file cost unbounded work or crash: aliases (``*name``)
can expand a 1 KB file into billions of values, so any walk or ``repr`` of it hangs; 5,000
nested brackets exhaust Python's recursion; a 5,000-digit integer or a date such as
``2020-13-45`` raises ``ValueError``. :func:`load_yaml` refuses each of these with a
:class:`YamlProblem` that names the line and column, before anything walks the data:

* nesting deeper than :data:`MAX_DEPTH` levels (a codebook needs about eight);
* aliases whose expansion adds more than :data:`ALIAS_BUDGET` values, and recursive aliases;
* duplicate keys (YAML silently keeps the last one), keys that are lists or mappings;
* scalars Python cannot hold (over-long integers, impossible dates).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

__all__ = ["YamlProblem", "load_yaml", "MAX_DEPTH", "ALIAS_BUDGET"]

#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64
#: Most values that aliases may add to a document by repeating parts of it.
ALIAS_BUDGET = 10_000


class YamlProblem(Exception):
    """Why a YAML text was refused; ``line``/``column`` are 1-based (None when unknown)."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        self.reason, self.line, self.column = reason, line, column
        super().__init__(f"line {line}, column {column}: {reason}" if line is not None else reason)


class _Refused(yaml.YAMLError):
    def __init__(self, reason: str, mark: Any):
        super().__init__(reason)
        self.reason, self.mark = reason, mark


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader with a nesting bound, unique keys and located scalar failures."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"lists and mappings nested deeper than {MAX_DEPTH} levels; expected a "
                               "shallower file", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # e.g. int('9' * 5000), date(2020, 13, 45)
            raise _Refused(_unreadable(node, exc), node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # '<<: *x' merges; its keys may be overridden
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # a list or mapping as a key: the base class reports it
                continue
            if duplicate:
                raise ConstructorError(None, None, f"duplicate key {_short(key)} (ids must be unique)",
                                       key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _unreadable(node: Node, exc: Exception) -> str:
    if node.tag.endswith(":int"):
        return f"found a number of {len(str(node.value)):,} characters; expected at most 4,300 digits"
    if node.tag.endswith(":timestamp"):
        return f"found an impossible date {_short(node.value)} ({exc}); expected a real date, or quotes around text"
    return f"found a value that cannot be read ({exc}); expected quotes around text"


def _short(value: Any) -> str:
    from ._keypath import shown

    return shown(value)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_expansion(root: Node) -> None:
    """Refuse a node graph whose alias expansion is recursive, too deep or too large.

    One pass over the distinct nodes (aliases share nodes), so a bomb costs no more to check
    than to read.
    """
    distinct: set[int] = set()
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            on_path.discard(key)
            if size[key] - len(distinct) > ALIAS_BUDGET:
                raise _Refused(f"aliases (*name) expand this part to {size[key]:,} values; expected at most "
                               f"{ALIAS_BUDGET:,} values added by aliases (an alias bomb?)", node.start_mark)
            if depth[key] > MAX_DEPTH:
                raise _Refused(f"aliases (*name) nest this part deeper than {MAX_DEPTH} levels; expected a "
                               "shallower file", node.start_mark)
            continue
        if key in on_path:
            raise _Refused("an alias (*name) refers to the list or mapping that contains it; expected no "
                           "recursive alias", node.start_mark)
        if key in size:
            continue
        distinct.add(key)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)


def load_yaml(text: str) -> Any:
    """Parse ``text`` as one YAML document within the bounds above; raise :class:`YamlProblem`.

    Examples
    --------
    >>> load_yaml("a: [1, 2]")
    {'a': [1, 2]}
    >>> load_yaml("a: &x [1, 2]\\nb: *x")["b"]
    [1, 2]
    >>> try:
    ...     load_yaml("[" * 100 + "]" * 100)
    ... except YamlProblem as exc:
    ...     print(exc)
    line 1, column 65: lists and mappings nested deeper than 64 levels; expected a shallower file
    """
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return loader.construct_document(node)
    except _Refused as exc:
        raise YamlProblem(exc.reason, exc.mark.line + 1, exc.mark.column + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = f"invalid YAML ({getattr(exc, 'problem', None) or exc})"
        if mark is None:
            raise YamlProblem(reason) from None
        raise YamlProblem(reason, mark.line + 1, mark.column + 1) from None
    finally:
        loader.dispose()

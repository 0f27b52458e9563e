"""The codebook's value reader: typed scalars, id and code lists and levels read from YAML
nodes, every problem recorded with its key path so that one run reports all of them.

The section parsers (``_parse_*.py``) take one :class:`CodebookReader` and share its problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._keypath import KeyPathReader, describe, join, shown
from ._model import Level

__all__ = ["CodebookReader"]


class CodebookReader(KeyPathReader):
    """Reads one typed value per call; an invalid node records a problem and yields a fallback."""

    def string(self, node: Mapping, key: str, path: str, default: str | None = None) -> str:
        value = node.get(key, default)
        if value is None:
            if default is None and key in node:
                self.fail(join(path, key), "expected text, found nothing")
            return default or ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(join(path, key), f"expected text, found {describe(value)}")
            return str(default or "")
        return str(value).strip()

    def boolean(self, node: Mapping, key: str, path: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.fail(join(path, key), f"expected true or false, found {describe(value)}")
            return default
        return value

    def integer(self, node: Mapping, key: str, path: str, default: int, minimum: int = 0) -> int:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(join(path, key), f"expected a whole number >= {minimum}, found {describe(value)}")
            return default
        return value

    def id_list(self, node: Any, path: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            self.fail(path, f"expected a list, found {describe(node)}")
            return ()
        out = []
        for i, v in enumerate(node):
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                self.fail(f"{path}[{i}]", f"expected an id, found {describe(v)}")
            else:
                out.append(str(v))
        seen: set[str] = set()
        for i, v in enumerate(out):
            if v in seen:
                self.fail(f"{path}[{i}]", f"duplicate id {shown(v)}")
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
                self.fail(f"{path}[{i}]", f"expected an integer code, found {describe(v)}")
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
            self.fail(path, f"expected levels as 'code: label' pairs, found {describe(node)}")
            return ()
        levels: list[Level] = []
        for code, label, p in pairs:
            if isinstance(code, bool) or not isinstance(code, int):
                self.fail(p, f"level code must be an integer, found {describe(code)}")
                continue
            if label is None or isinstance(label, (Mapping, list)):
                self.fail(p, f"level label must be text, found {describe(label)}")
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


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

    def levels(self, node: Any, path: str, *, what: str = "levels", allow_empty: bool = False) -> tuple[Level, ...]:
        """Levels as a mapping ``code: label`` or a list of ``{code, label}``, in scale order."""
        pairs: list[tuple[Any, Any, str]] = []
        if isinstance(node, list) and node and not any(isinstance(e, Mapping) for e in node):
            # A list of bare labels (or codes): one message saying which form is expected.
            example = ", ".join(f"{i + 1}: {str(e)!r}" for i, e in enumerate(node[:2]))
            self.fail(path, f"found a list of {len(node)} {'labels' if isinstance(node[0], str) else 'values'}; "
                            f"expected {what} as 'code: label' pairs in order, e.g. {{{example}, ...}}")
            return ()
        if isinstance(node, Mapping):
            pairs = [(k, v, f"{path}.{k}") for k, v in node.items()]
        elif isinstance(node, list):
            for i, entry in enumerate(node):
                if not isinstance(entry, Mapping) or "code" not in entry or "label" not in entry:
                    self.fail(f"{path}[{i}]", "expected a mapping with 'code' and 'label'")
                    continue
                pairs.append((entry["code"], entry["label"], f"{path}[{i}]"))
        else:
            self.fail(path, f"expected {what} as 'code: label' pairs, found {describe(node)}")
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
        if not levels and not allow_empty:
            self.fail(path, "at least one level is required")
        return tuple(levels)

    def choice(self, node: Mapping, key: str, path: str, choices: tuple[str, ...], default: str) -> str:
        """Text that must be one of ``choices``."""
        value = self.string(node, key, path, default)
        if value not in choices:
            self.fail(join(path, key), f"unknown value '{value}' (expected one of: {', '.join(choices)})")
            return default
        return value

    def share(self, node: Mapping, key: str, path: str, default: float, *, zero: bool = False) -> float:
        """A proportion in (0, 1] (``zero=True``: [0, 1])."""
        value = node.get(key, default)
        ok = not isinstance(value, bool) and isinstance(value, (int, float)) and (0 <= value if zero else 0 < value) \
            and value <= 1
        if not ok:
            self.fail(join(path, key), f"expected a share {'from 0' if zero else 'above 0'} to 1 (e.g. 0.5), "
                                       f"found {describe(value)}")
            return default
        return float(value)

    def missing_codes(self, node: Any, path: str, levels: tuple[Level, ...] = ()) -> tuple[Level, ...]:
        """Non-substantive codes as ``code: label`` pairs; none may be a level."""
        if node is None:
            return ()
        missing = self.levels(node, path, what="non-substantive codes", allow_empty=True)
        codes = {lv.code for lv in levels}
        labels = {lv.label.casefold() for lv in levels}
        for lv in missing:
            if lv.code in codes:
                self.fail(f"{path}.{lv.code}", f"code {lv.code} is also a level; a non-substantive code is never a level")
            elif lv.label.casefold() in labels:
                self.fail(f"{path}.{lv.code}", f"label {lv.label!r} is also the label of a level")
        return missing


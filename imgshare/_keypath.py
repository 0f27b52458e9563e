"""Reading nested YAML mappings while recording every problem with its key path.

Shared by the codebook and the other YAML inputs (calibration targets), so that each reports
``key.path: reason`` lines in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["KeyPathReader", "describe", "join"]


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class KeyPathReader:
    """Collects ``(key path, reason)`` problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append((path, reason))

    def mapping(self, node: Any, path: str, required: bool = True) -> dict:
        if node is None and not required:
            return {}
        if not isinstance(node, Mapping):
            self.fail(path, f"expected a mapping, found {describe(node)}")
            return {}
        return dict(node)

    def keys(self, node: Mapping, path: str, allowed: set[str], required: set[str] = frozenset()) -> None:
        for key in node:
            if key not in allowed:
                self.fail(join(path, str(key)), f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        for key in sorted(required):
            if key not in node:
                self.fail(join(path, key), "required key is missing")

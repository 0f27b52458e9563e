"""Reading nested YAML mappings while recording every problem with its key path.

Shared by the codebook and the other YAML inputs (calibration targets), so that each reports
``key.path: reason`` lines in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["KeyPathReader", "describe", "join", "shown"]

#: Longest representation of a found value that a message echoes (the rest is counted, not shown).
SHOWN_LIMIT = 80


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shown(value: Any, limit: int = SHOWN_LIMIT) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters with the length of the rest.

    A message is one line of bounded size whatever the input held (a 2 MB string, a newline).
    Containers are never expanded here: see :func:`describe`.

    >>> shown("x" * 1000, limit=12)
    "'xxxxxxxxxxx… (1,000 characters)"
    >>> print(shown("a" + chr(10) + "b"))
    'a\\nb'
    """
    if isinstance(value, str) and len(value) > limit:
        return repr(value[: limit - 1])[:-1] + f"… ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # an int too long for Python to print (over 4,300 digits)
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: Any) -> str:
    """How a found value is named in a message: containers by kind (never expanded, so a YAML
    alias bomb cannot hang the message), scalars by a bounded :func:`shown`."""
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    return shown(value)


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

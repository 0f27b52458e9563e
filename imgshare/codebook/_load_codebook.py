"""Reading a codebook file: UTF-8 text, YAML that rejects duplicate keys, then
:func:`~imgshare.codebook.parse_codebook`; unreadable files become a :class:`CodebookError`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import CodebookError
from ._model import Codebook
from ._parse_codebook import parse_codebook

__all__ = ["load_codebook"]


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

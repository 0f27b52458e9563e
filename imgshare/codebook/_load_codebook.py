"""Reading a codebook file: UTF-8 text, bounded YAML that rejects duplicate keys (``.._yaml``), then
:func:`~imgshare.codebook.parse_codebook`; unreadable files become a :class:`CodebookError`.
"""

from __future__ import annotations

from pathlib import Path

from .._yaml import YamlProblem, load_yaml
from ..errors import CodebookError
from ._model import Codebook
from ._parse_codebook import parse_codebook

__all__ = ["load_codebook"]


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
        data = load_yaml(text)
    except YamlProblem as exc:
        raise CodebookError(str(path), [("", str(exc))]) from None
    return parse_codebook(data, source=str(path), base_dir=path.parent)

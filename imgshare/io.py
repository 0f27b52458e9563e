"""Output files are written atomically: a temporary file in the target folder, then a rename.

A run that fails or is interrupted leaves the previous file intact and no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_bytes_atomic", "write_text_atomic", "sha256_file", "neutralise_formula"]

_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
#: A spreadsheet evaluates a cell starting with these as a formula (tab and CR variants too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes_atomic(target: Path | str, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text_atomic(target: Path | str, text: str) -> Path:
    return write_bytes_atomic(target, text.encode("utf-8"))


def sha256_file(path: Path | str) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would evaluate; plain numbers stay numbers.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula("-0.12"), neutralise_formula("-1+1")
    ("'=HYPERLINK(1)", '-0.12', "'-1+1")
    """
    if _PLAIN_NUMBER.match(text):
        return text
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START[:4]):
        return "'" + text
    return text

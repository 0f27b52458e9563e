"""Written files by what they were written from: a document whose text did not change is not written again.

After a prose edit in one document of a project (the manuscript), the others (its supplement)
assemble to the same Markdown with the same figures; their HTML, PDF and DOCX are then copied
from ``.imgshare-cache/outputs/`` instead of running pandoc, Typst and the DOCX finishing again.

The key of one output is the SHA-256 of everything its writer reads: the execution key (code,
codebook, data, environment, imgshare's own sources), the assembled Markdown with its metadata,
the figure files, the bibliography and citation style, the format extension's files and
imgshare's packaged resources, and the format. Only the most recent entries are kept.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["output_key", "load_output", "store_output", "KEEP"]

#: Entries kept (a project of two documents in three formats keeps its last two renders).
KEEP = 12
_RESOURCES = Path(__file__).parent / "resources"


def _files(paths: Iterable[Path | None]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p is None or not p.exists():
            continue
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out


def output_key(execution_key: str, markdown: str, fmt: str, fig_dir: Path,
               read_files: Iterable[Path | None]) -> str:
    """The key of one written file (see the module docstring)."""
    h = hashlib.sha256(b"imgshare-output-1\0" + execution_key.encode() + b"\0" + fmt.encode() + b"\0")
    h.update(markdown.encode())
    for path in _files([fig_dir, _RESOURCES, *read_files]):
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def load_output(cache_dir: Path, key: str, target: Path) -> bool:
    """Copy the cached file for ``key`` to ``target``; False when there is none."""
    entry = cache_dir / "outputs" / key
    if not entry.is_file():
        return False
    try:
        shutil.copyfile(entry, target)
        os.utime(entry)  # most recently used
    except OSError:
        return False
    return True


def store_output(cache_dir: Path, key: str, written: Path) -> None:
    """Keep a copy of a written file under ``key`` (atomically), pruning the oldest entries."""
    folder = cache_dir / "outputs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        os.close(fd)
        shutil.copyfile(written, tmp)
        os.replace(tmp, folder / key)
        entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".tmp-")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written costs time, never a render

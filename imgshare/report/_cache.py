"""Whole-document execution cache.

Granularity, honestly: the key is the SHA-256 of the ordered code of every cell (with its
options) and every inline expression, plus the SHA-256 of each input file the caller names
(codebook, data files), of imgshare's own Python sources and the engine's cache format. Editing prose re-renders without
re-running anything; changing any cell, inline expression, the data or the codebook re-runs
the whole document (cells share one namespace, so a later cell cannot safely run alone).
Files that cells read on their own, other than those named, are NOT part of the key.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ._execute import Execution
from ._source import Cell, Document, iter_inline

__all__ = ["cache_key", "load_cached", "store_cached", "file_digest", "package_digest"]

_FORMAT = "imgshare-report-cache-2"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_digest() -> str:
    """SHA-256 of imgshare's own Python sources: cells call the package, so a new or edited
    imgshare must not reuse outputs computed by the old one (hashing them takes milliseconds)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cache_key(doc: Document, inputs: Iterable[Path], env: dict[str, str]) -> str:
    """Hash of what execution depends on: code, inline expressions, input files, environment and
    the imgshare package's own sources."""
    h = hashlib.sha256(_FORMAT.encode())
    h.update(b"\0package\0" + package_digest().encode())
    for seg in doc.segments:
        if isinstance(seg, Cell):
            h.update(b"\0cell\0" + json.dumps(dict(seg.options), sort_keys=True, default=str).encode())
            h.update(b"\0" + seg.code.encode())
        else:
            for _ln, m in iter_inline(seg):
                h.update(b"\0inline\0" + m["expr"].encode())
    execute = doc.meta.get("execute")
    h.update(b"\0execute\0" + json.dumps(execute, sort_keys=True, default=str).encode())
    for key in sorted(env):
        h.update(f"\0env\0{key}={env[key]}".encode())
    for path in sorted(Path(p) for p in inputs):
        h.update(f"\0file\0{path.name}\0".encode())
        h.update(file_digest(path).encode() if path.is_file() else b"missing")
    return h.hexdigest()


def load_cached(cache_dir: Path, key: str, fig_dir: Path) -> Execution | None:
    """The cached execution for ``key`` (copying its figures into ``fig_dir``), or None."""
    entry = cache_dir / key
    manifest = entry / "execution.json"
    if not manifest.is_file():
        return None
    try:
        execution = Execution.from_json(json.loads(manifest.read_text(encoding="utf-8")))
    except (ValueError, KeyError):
        return None
    figs = entry / "figures"
    if figs.is_dir():
        shutil.copytree(figs, fig_dir, dirs_exist_ok=True)
    return execution


def store_cached(cache_dir: Path, key: str, execution: Execution, fig_dir: Path, keep: int = 3) -> None:
    """Store an execution atomically; keep only the ``keep`` most recent entries."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache_dir))
    (tmp / "execution.json").write_text(json.dumps(execution.to_json()), encoding="utf-8")
    if fig_dir.is_dir():
        shutil.copytree(fig_dir, tmp / "figures")
    target = cache_dir / key
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    entries = sorted((p for p in cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)

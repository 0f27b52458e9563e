"""One analysis per render, shared by every output format and both engines.

``quarto render`` starts a fresh Jupyter kernel for each format, and each kernel runs the
manuscript's setup cell; without a cache the codebook is validated, the data loaded and every
statistic computed once per format. :func:`cached_analysis` computes (codebook, cohort,
results) once and stores them under the project's ``.imgshare-cache/`` so the next kernel (the
next format, the next ``imgshare report``) only reads them back.

The key is the SHA-256 of everything the three objects depend on:

* the codebook file's bytes and path, and the bytes and path of every data file it names
  (resolved against the render's data folder);
* the render options: data folder, ``min_cell``, the :func:`~imgshare.analysis.analyse` options;
* imgshare's version and the digest of its own Python sources, and the versions of Python,
  pandas, numpy and scipy (the results record them as provenance).

Entries are pickles (the objects hold pandas frames; pickling keeps them exact), written to a
temporary file and renamed, so a concurrent render never reads half a file. Only the newest
``keep`` entries stay. An entry that cannot be read back (truncated, from another pickle
protocol, not what this module wrote) is recomputed and replaced; a cache folder that cannot
be written is skipped. The cache lives in the project folder and is trusted like the
project's own code (a pickle can run code when loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from ._cache import file_digest, package_digest

__all__ = ["Analysis", "cached_analysis", "analysis_key", "ANALYSIS_CACHE_DIR", "KEEP"]

#: The cache folder inside the project (shared with the built-in engine's document cache).
ANALYSIS_CACHE_DIR = ".imgshare-cache"
#: Entries kept: a few, so switching between two data sets or thresholds stays fast.
KEEP = 4
_PREFIX = "analysis-"
_SUFFIX = ".pickle"
#: Changes whenever what an entry holds changes: old entries then never match.
_FORMAT = b"imgshare-analysis-cache-1"


class Analysis(NamedTuple):
    """The codebook, the analysed cohort and the :class:`~imgshare.analysis.Results` of one render."""

    codebook: Any
    cohort: Any
    results: Any


@dataclass(frozen=True)
class _Entry:
    """What is pickled: the key (checked on load) and the three objects."""

    key: str
    analysis: Analysis


def _software() -> dict[str, str]:
    from .. import __version__

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"imgshare": __version__, "imgshare-sources": package_digest(), "python": platform.python_version(),
            "pandas": version("pandas"), "numpy": version("numpy"), "scipy": version("scipy")}


def analysis_key(ctx: Any, codebook: Any, options: Mapping[str, Any] | None = None) -> str:
    """SHA-256 of what (codebook, cohort, results) depend on, for the render context ``ctx``.

    Parameters
    ----------
    ctx : ReportContext
        The render's project, codebook path, data folder and ``min_cell``.
    codebook : Codebook
        ``ctx``'s codebook, already loaded (it names the data files).
    options : mapping, optional
        Keyword options passed to :func:`~imgshare.analysis.analyse`.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as NS
    >>> cb = NS(questionnaires={}, data_path=lambda qid, data_dir: Path("none"))
    >>> ctx = NS(codebook_path=Path("absent.yml"), data_dir=None, min_cell=5)
    >>> len(analysis_key(ctx, cb)) == 64 and analysis_key(ctx, cb) != analysis_key(ctx, cb, {"ci": False})
    True
    """
    h = hashlib.sha256(_FORMAT)

    def add(label: str, value: str) -> None:
        h.update(f"\0{label}\0{value}".encode())

    def add_file(label: str, path: Path) -> None:
        path = Path(path).resolve()
        add(label, str(path))
        add(label + "-sha256", file_digest(path) if path.is_file() else "missing")

    add_file("codebook", ctx.codebook_path)
    for qid in codebook.questionnaires:
        add_file(f"data:{qid}", codebook.data_path(qid, ctx.data_dir))
    add("data-dir", str(Path(ctx.data_dir).resolve()) if ctx.data_dir is not None else "")
    add("min-cell", str(int(ctx.min_cell)))
    add("options", json.dumps(dict(options or {}), sort_keys=True, default=str))
    for name, version in sorted(_software().items()):
        add(f"software:{name}", version)
    return h.hexdigest()


def _entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{_PREFIX}{key}{_SUFFIX}"


def _load(cache_dir: Path, key: str) -> Analysis | None:
    """The stored analysis for ``key``, or None when absent or unreadable in any way."""
    path = _entry_path(cache_dir, key)
    try:
        with open(path, "rb") as fh:
            entry = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry of any kind is a miss, never an error
        return None
    if not isinstance(entry, _Entry) or entry.key != key or not isinstance(entry.analysis, Analysis):
        return None
    try:
        os.utime(path)  # newest use first when pruning
    except OSError:
        pass
    return entry.analysis


def _store(cache_dir: Path, key: str, analysis: Analysis, keep: int) -> bool:
    """Write the entry atomically and prune to ``keep`` entries; False when the folder is not writable."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-" + _PREFIX, suffix=_SUFFIX, dir=cache_dir)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(_Entry(key, analysis), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, _entry_path(cache_dir, key))
    except Exception:  # noqa: BLE001 - an unpicklable object or a full disk: the render goes on uncached
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    _prune(cache_dir, keep)
    return True


def _prune(cache_dir: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used entries (other renders may prune too)."""
    entries = []
    for path in cache_dir.glob(f"{_PREFIX}*{_SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:
            continue
    entries.sort(reverse=True)
    for _mtime, path in entries[keep:]:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _compute(ctx: Any, codebook: Any, options: Mapping[str, Any]) -> Analysis:
    from ..analysis import analyse

    cohort = ctx.build_cohort(codebook)
    return Analysis(codebook, cohort, analyse(cohort, **options))


def cached_analysis(ctx: Any, *, options: Mapping[str, Any] | None = None, use_cache: bool = True,
                    cache_dir: Path | None = None, keep: int = KEEP,
                    compute: Callable[[Any, Any, Mapping[str, Any]], Analysis] | None = None) -> Analysis:
    """The render's codebook, cohort and analysis results, computed once and then read from disk.

    Parameters
    ----------
    ctx : ReportContext
        The render context (:func:`imgshare.report.context`): project, codebook, data folder,
        ``min_cell``.
    options : mapping, optional
        Keyword options for :func:`~imgshare.analysis.analyse` (``p_adjust``, ``ci``,
        ``min_answered``); part of the key.
    use_cache : bool, default True
        False computes without reading or writing the cache.
    cache_dir : path, optional
        Default ``<project>/.imgshare-cache``.
    keep : int, default 4
        Entries kept after a store (the most recently used).
    compute : callable, optional
        ``compute(ctx, codebook, options) -> Analysis``; default loads the cohort with
        ``ctx.build_cohort`` and runs ``analyse``. For tests.

    Returns
    -------
    Analysis
        ``(codebook, cohort, results)``. A cache hit returns fresh objects read from disk, so
        callers may not share state through them.

    Raises
    ------
    CodebookError, DataError
        As :meth:`ReportContext.load_codebook` and ``build_cohort`` do; failures are never cached.

    Examples
    --------
    A stand-in context and computation (the real ones load data and run ``analyse``):

    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as NS
    >>> project = Path(tempfile.mkdtemp())
    >>> _ = (project / "codebook.yml").write_text("study: {}")
    >>> codebook = NS(questionnaires={})
    >>> ctx = NS(project_dir=project, codebook_path=project / "codebook.yml", data_dir=None, min_cell=0,
    ...          load_codebook=lambda: codebook)
    >>> runs = []
    >>> def compute(ctx, cb, options):
    ...     runs.append(1)
    ...     return Analysis(cb, "cohort", {"n": 3})
    >>> cached_analysis(ctx, compute=compute).results, cached_analysis(ctx, compute=compute).results, len(runs)
    ({'n': 3}, {'n': 3}, 1)
    >>> _ = (project / "codebook.yml").write_text("study: {title: edited}")
    >>> _ = cached_analysis(ctx, compute=compute); len(runs)
    2
    """
    options = dict(options or {})
    compute = compute or _compute
    codebook = ctx.load_codebook()
    if not use_cache:
        return compute(ctx, codebook, options)
    folder = Path(cache_dir) if cache_dir is not None else Path(ctx.project_dir) / ANALYSIS_CACHE_DIR
    key = analysis_key(ctx, codebook, options)
    found = _load(folder, key)
    if found is not None:
        return found
    analysis = compute(ctx, codebook, options)
    if not isinstance(analysis, Analysis):
        analysis = Analysis(*analysis)
    _store(folder, key, analysis, keep)
    return analysis

"""``render_report``: a Quarto project in, ``report.html`` / ``report.pdf`` / ``report.docx`` out."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._forked import ForkedJobs
from ._ast import FORMAT_NAMES
from ._builddir import open_build_folder
from ._builtin import CACHE_DIR, EXTENSION, Executed, Progress, execute_builtin, write_all
from ._context import DEFAULT_CODEBOOK, ReportContext, project_codebook
from ._docx_tables import finish_docx
from ._errors import ReportError
from ._projects import choose_project, instantiate_generic
from ._quarto import check_quarto_python, find_quarto, quarto_render
from ._render_memo import sharing
from ._source import read_document

__all__ = ["render_report", "RenderResult", "EXTENSION", "CACHE_DIR"]


@dataclass(frozen=True)
class RenderResult:
    """What a render produced. ``executed`` is False when cell outputs came from the cache;
    ``generic`` is True when the packaged generic manuscript was rendered."""

    outputs: Mapping[str, Path]
    engine: str
    executed: bool
    cache_key: str = ""
    warnings: tuple[str, ...] = field(default=())
    generic: bool = False
    #: Every rendered document's files, by document stem ("report", "supplement"), then format.
    documents: Mapping[str, Mapping[str, Path]] = field(default_factory=dict)

    def __iter__(self):
        """The written files, document by document in format order (``for path in render_report(...)``)."""
        if not self.documents:
            return iter(self.outputs.values())
        return iter([path for files in self.documents.values() for path in files.values()])


def _console_progress() -> Progress:
    from rich.console import Console

    console = Console(stderr=True, highlight=False)

    def show(stage: str, detail: str) -> None:
        console.print(f"[bold cyan]{stage:>8}[/] {detail}")

    return show


def _parse_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = [f for f in re.split(r"[,\s]+", formats) if f]
    out: list[str] = []
    for f in formats:
        f = f.strip().lower()
        if f not in FORMAT_NAMES:
            raise ReportError(f"unknown output format '{f}' (expected: {', '.join(FORMAT_NAMES)})")
        if f not in out:
            out.append(f)
    if not out:
        raise ReportError("no output format requested")
    return tuple(out)


def render_report(
    project_dir: Path | str | None = ".",
    out_dir: Path | str | None = None,
    formats: Sequence[str] | str = FORMAT_NAMES,
    data_dir: Path | str | None = None,
    codebook_path: Path | str | None = None,
    quiet: bool = False,
    progress: Progress | None = None,
    *,
    min_cell: int = 0,
    engine: str = "auto",
    document: str | Sequence[str] | None = None,
    use_cache: bool = True,
) -> RenderResult:
    """Render the project's manuscript to HTML, PDF and/or DOCX.

    Parameters
    ----------
    project_dir : path or None
        Folder holding ``_quarto.yml``, ``report.qmd`` and ``_extensions/imgshare-manuscript``.
        ``None`` chooses: the project in the working directory when ``codebook_path`` is
        the codebook its ``_quarto.yml`` names (``imgshare: {codebook: ...}``), otherwise
        the packaged generic manuscript, copied to a temporary folder (and said so in the
        progress output).
    out_dir : path, optional
        Where the files go (default ``<project_dir>/_output``; with the generic manuscript,
        ``_output`` in the working directory). Each is ``<document stem>.<ext>``.
    formats : sequence of {"html", "pdf", "docx"} or comma-separated str
        The outputs to produce.
    data_dir : path, optional
        Folder with the data files (default: beside the codebook).
    codebook_path : path, optional
        The codebook (default: the one the project names, else ``<project_dir>/data/codebook.yml``).
    min_cell : int
        Disclosure control: counts from 1 to ``min_cell - 1`` print as "<min_cell" in tables
        and prose (0 = off). Reaches the document as ``IMGSHARE_MIN_CELL``.
    quiet : bool
        No progress output at all.
    progress : callable(stage, detail), optional
        Receives each stage ("include", "execute", "render", "write", ...); default prints
        with rich to stderr. Ignored when ``quiet``.
    engine : {"auto", "quarto", "builtin"}
        ``auto`` uses a Quarto CLI >= 1.5 (``QUARTO_PATH`` or ``PATH``) if present, else the
        built-in engine.
    document : str or sequence of str, optional
        The document(s) to render inside the project; default: the project's
        ``project: render:`` list in ``_quarto.yml`` (e.g. the manuscript and its supplement),
        else ``report.qmd``. The first is the manuscript (``RenderResult.outputs``).
    use_cache : bool
        Reuse cell outputs from ``.imgshare-cache/`` when code, codebook and data are unchanged.
        The generic manuscript keeps its copy and cell cache under ``.imgshare-cache/generic/``
        in the output folder.

    Returns
    -------
    RenderResult
        Paths of the written files per format, the engine used and whether cells ran.

    Notes
    -----
    Everything is rendered in a temporary folder inside ``out_dir`` and moved into place only
    when every requested format succeeded, so a failure leaves earlier outputs untouched.
    The document learns the codebook and data folder from ``IMGSHARE_CODEBOOK`` and
    ``IMGSHARE_DATA_DIR`` (see :func:`imgshare.report.context`).
    """
    fmts = _parse_formats(formats)
    if engine not in ("auto", "quarto", "builtin"):
        raise ReportError(f"unknown engine '{engine}' (expected auto, quarto or builtin)")
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 0:
        raise ReportError(f"min_cell must be a whole number >= 0, found {min_cell!r}")
    say: Progress = (lambda s, d: None) if quiet else (progress or _console_progress())
    choice = choose_project(project_dir, codebook_path)
    if choice.generic:
        cwd = Path.cwd().resolve()
        codebook = Path(codebook_path).resolve() if codebook_path else cwd / DEFAULT_CODEBOOK
        if not codebook.is_file():
            raise ReportError(f"codebook not found: {codebook}")
        say("project", f"{choice.reason}: rendering imgshare's generic manuscript")
        # A fresh copy of the generic project every time, always at the same place for this
        # codebook, with its cell cache beside it: a second render of the same codebook and data
        # reuses the cell outputs, as the study manuscript does (the key holds the cells, the
        # codebook, the data and imgshare's sources, so nothing stale is reused).
        out = Path(out_dir).resolve() if out_dir else cwd / "_output"
        holder = out / CACHE_DIR / "generic" / hashlib.sha256(str(codebook).encode()).hexdigest()[:16]
        shutil.rmtree(holder / "project", ignore_errors=True)
        holder.mkdir(parents=True, exist_ok=True)
        project = instantiate_generic(holder / "project", codebook, _study_title(codebook))
        try:
            result = _render(project, document, codebook, data_dir, min_cell, out, fmts, engine, use_cache, say,
                             cache_dir=holder / "cells")
        finally:
            shutil.rmtree(holder / "project", ignore_errors=True)
        return replace(result, generic=True)
    project = choice.project_dir
    codebook = Path(codebook_path).resolve() if codebook_path else project_codebook(project)
    return _render(project, document, codebook, data_dir, min_cell,
                   Path(out_dir).resolve() if out_dir else project / "_output", fmts, engine, use_cache, say)


def _study_title(codebook: Path) -> str:
    from ..codebook import load_codebook

    return load_codebook(codebook).study.title


def _documents(project: Path, document: str | Sequence[str] | None) -> list[str]:
    """The documents to render: as asked, else the project's ``project.render`` list, else report.qmd."""
    from ._source import read_project_config

    if document is not None:
        return [document] if isinstance(document, str) else list(document)
    listed = (read_project_config(project).get("project") or {}).get("render")
    if isinstance(listed, list) and listed and all(isinstance(d, str) and d.endswith(".qmd") for d in listed):
        return list(listed)
    return ["report.qmd"]


def _render(project: Path, document: str | Sequence[str] | None, codebook: Path, data_dir: Path | str | None,
            min_cell: int, out: Path, fmts: tuple[str, ...], engine: str, use_cache: bool,
            say: Progress, cache_dir: Path | None = None) -> RenderResult:
    names = _documents(project, document)
    for name in names:
        if not (project / name).is_file():
            raise ReportError(f"manuscript not found: {project / name}")
    data = Path(data_dir).resolve() if data_dir else None
    if data is not None and not data.is_dir():
        raise ReportError(f"data folder not found: {data}")
    ctx = ReportContext(project, codebook, data, min_cell)

    quarto = find_quarto() if engine != "builtin" else None
    if engine == "quarto" and quarto is None:
        raise ReportError("no Quarto CLI >= 1.5 found (set QUARTO_PATH or put quarto on PATH)")
    if quarto is not None:
        check_quarto_python({**os.environ, **ctx.env()}, project)  # before anything is written
    out.mkdir(parents=True, exist_ok=True)

    build, release_build = open_build_folder(out)  # also removes folders that killed runs left behind
    try:
        rendered: list[tuple[dict[str, Path], bool, str]] = []
        used = "quarto" if quarto is not None else "builtin"
        executed: list[Executed] = []
        # Built-in engine: every document's cells run first, sharing the study's analysis, exhibits
        # and audit (built once) and one set of figure workers, so the next document's cells run
        # while the figures of the first are drawn; the formats are written side by side, each
        # document's once its figures are drawn.
        with sharing(), ForkedJobs() as jobs:
            for name in names:
                doc_path = project / name
                # Each document in a folder of its own: figure files are named by cell label.
                doc_build = build / doc_path.stem
                doc_build.mkdir()
                if quarto is not None:
                    say("render", f"quarto {'.'.join(map(str, quarto.version))}: {name}: {', '.join(fmts)}")
                    rendered.append((quarto_render(quarto, project, doc_path, doc_build, fmts, ctx.env()), True, ""))
                else:
                    say("include", name)
                    doc = read_document(doc_path, project)
                    executed.append(execute_builtin(doc, ctx, doc_build, use_cache, say, cache_dir, jobs))
            rendered += write_all(executed, jobs, ctx, fmts, use_cache, say)
        for produced, _, _ in rendered:
            for fmt, path in produced.items():
                if not path.is_file():
                    raise ReportError(f"{fmt} output of {path.stem} was not produced")
            if "docx" in produced and quarto is not None:
                # Quarto's DOCX gets the built-in engine's finishing step too.
                finish_docx(produced["docx"])
        documents: dict[str, dict[str, Path]] = {}
        for produced, _, _ in rendered:
            for fmt, path in produced.items():
                dest = out / path.name
                os.replace(path, dest)
                documents.setdefault(path.stem, {})[fmt] = dest
                say("write", str(dest))
        key = rendered[0][2]
        return RenderResult(documents[Path(names[0]).stem], used, any(r[1] for r in rendered), key,
                            documents=documents)
    finally:
        release_build()

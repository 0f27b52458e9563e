"""The built-in engine for one document, in two phases: run its cells, then write its formats.

:func:`execute_builtin` runs a document's cells (or takes their outputs from the cell cache),
handing figures to the render's workers; :func:`write_builtin`, once those figures are drawn,
assembles the Markdown and writes HTML, PDF (Typst) and DOCX with pandoc, side by side.
``render_report`` runs the first phase for every document of a project before the second, so a
document's cells run while the figures of the one before it are drawn.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._forked import ForkedJobs
from ._assemble import assemble, check_references
from ._ast import crossref_words, transform
from ._cache import cache_key, load_cached, store_cached
from ._context import ReportContext
from ._docx_reference import reference_docx
from ._docx_tables import finish_docx
from ._errors import ReportError
from ._execute import Execution, execute_document, wait_for_figures
from ._images import check_images
from ._meta import normalise_metadata
from ._output_cache import load_output, output_key, store_output
from ._pandoc import check_produced, compile_typst, markdown_to_ast, stage_typst_template, write_format
from ._source import Document

__all__ = ["Executed", "Ahead", "execute_builtin", "read_ahead", "write_builtin", "write_all", "EXTENSION",
           "CACHE_DIR", "Progress"]

#: The Typst format extension (Quarto custom format) the PDF is built with.
EXTENSION = Path("_extensions") / "imgshare-manuscript"
CACHE_DIR = ".imgshare-cache"
_BIB_KEY_RE = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,")
_EXT = {"html": "html", "pdf": "pdf", "docx": "docx"}

Progress = Callable[[str, str], None]


def _input_files(ctx: ReportContext) -> list[Path]:
    """The codebook and the data files it names: what cell results depend on."""
    files = [ctx.codebook_path]
    if not ctx.codebook_path.is_file():
        raise ReportError(f"codebook not found: {ctx.codebook_path}")
    codebook = ctx.load_codebook()
    for qid in codebook.questionnaires:
        files.append(codebook.data_path(qid, ctx.data_dir))
    return files


def _bibliography(doc: Document) -> tuple[Path | None, Path | None, set[str] | None]:
    meta = doc.meta
    bib = meta.get("bibliography")
    if isinstance(bib, list):
        if len(bib) != 1:
            raise ReportError("the built-in engine supports one bibliography file", doc.path.name)
        bib = bib[0]
    if not bib:
        return None, None, None
    bib_path = doc.project_dir / str(bib)
    if not bib_path.is_file():
        raise ReportError(f"bibliography not found: {bib}", doc.path.name)
    keys = set(_BIB_KEY_RE.findall(bib_path.read_text(encoding="utf-8")))
    csl = meta.get("csl")
    csl_path = doc.project_dir / str(csl) if csl else None
    if csl_path is not None and not csl_path.is_file():
        raise ReportError(f"citation style not found: {csl}", doc.path.name)
    return bib_path, csl_path, keys


def _docx_front_matter(meta: Mapping) -> str:
    """Affiliations, ORCID iDs and keywords for Word, which has no title-block slots for them."""
    lines = []
    for aff in meta.get("by-affiliation", []):
        parts = [aff.get("department"), aff.get("name"), aff.get("city"), aff.get("country")]
        lines.append(f"^{aff['number']}^ " + ", ".join(p for p in parts if p))
    for a in meta.get("by-author", []):
        if a.get("orcid"):
            lines.append(f"ORCID iD: {a['name']['literal']}, <https://orcid.org/{a['orcid']}>")
    for a in meta.get("by-author", []):
        if a.get("attributes", {}).get("corresponding"):
            lines.append(f"Correspondence to {a['name']['literal']}" + (f"; {a['email']}" if a.get("email") else ""))
    if meta.get("keywords"):
        lines.append("**Keywords:** " + "; ".join(str(k) for k in meta["keywords"]))
    if not lines:
        return ""
    return '::: {.content-visible when-format="docx"}\n' + "\\\n".join(lines) + "\n:::\n\n"


def _compose_markdown(doc: Document, body: str) -> str:
    meta = normalise_metadata(doc.meta, doc.path.name)
    if meta.get("by-author"):
        meta["author"] = [f"{a['name']['literal']}^{a['marks']}^" if a["marks"] else a["name"]["literal"]
                          for a in meta["by-author"]]
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{_docx_front_matter(meta)}{body}"


@dataclass(frozen=True)
class Executed:
    """A document whose cells ran (their figures possibly still being drawn) or came from the cache."""

    doc: Document
    build: Path
    key: str
    execution: Execution
    executed: bool
    bib: Path | None
    csl: Path | None
    cache_dir: Path

    @property
    def drawing(self) -> bool:
        """Whether its cells handed figures to the workers (a cached execution's are on disk)."""
        return self.executed and any(out.get("kind") == "figure" for cell in self.execution.cells for out in cell)


def execute_builtin(doc: Document, ctx: ReportContext, build: Path, use_cache: bool, say: Progress,
                     cache_dir: Path | None, jobs: ForkedJobs) -> Executed:
    """Run the document's cells (or take their outputs from the cache); figures go to ``jobs``."""
    bib, csl, bib_keys = _bibliography(doc)
    check_references(doc, _labels(doc), bib_keys)
    fig_dir = build / "figures"
    env = ctx.env()
    # Documents may print the build date, which only SOURCE_DATE_EPOCH sets: part of the key.
    keyed_env = {**env, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")}
    key = cache_key(doc, _input_files(ctx), keyed_env)
    cache_dir = cache_dir or doc.project_dir / CACHE_DIR
    execution = load_cached(cache_dir, key, fig_dir) if use_cache else None
    executed = execution is None
    if execution is None:
        say("execute", f"running {len(doc.cells)} cells")
        execution = execute_document(doc, fig_dir, env, jobs=jobs)
    else:
        say("execute", f"{len(doc.cells)} cells unchanged: using cached outputs")
    return Executed(doc, build, key, execution, executed, bib, csl, cache_dir)


@dataclass(frozen=True)
class Ahead:
    """What a document's writers need that no figure file does, made while its figures are drawn:
    its Markdown, read by pandoc, and (for the PDF) its Typst source, whose images are checked
    when Typst is about to read them."""

    assembled: Any
    composed: str
    ast: dict
    typst: tuple[dict, Path] | None  # (the Typst tree, the written source)


def read_ahead(done: Executed, formats: tuple[str, ...]) -> Ahead:
    """Assemble the document, have pandoc read it and write its Typst source (see :class:`Ahead`)."""
    doc, build = done.doc, done.build
    assembled = assemble(doc, done.execution)
    composed = _compose_markdown(doc, assembled.markdown)
    ast = _read_markdown(composed, build, formats)
    typst = None
    if "pdf" in formats:
        tree = transform(ast, "pdf", assembled.figures, crossref_words(doc.meta))
        stage_typst_template(build, doc.project_dir / EXTENSION)
        typst = (tree, write_format(tree, "typst", build / f"{doc.path.stem}.typ", build, done.bib, done.csl,
                                    images_checked=False))
    return Ahead(assembled, composed, ast, typst)


def _read_markdown(composed: str, build: Path, formats) -> dict:
    # While pandoc reads the Markdown (another process), import what the writers will need.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_import_writers, tuple(formats))
        return markdown_to_ast(composed, build)


def write_builtin(done: Executed, ctx: ReportContext, formats: tuple[str, ...], use_cache: bool,
                  say: Progress, ahead: Ahead | None = None) -> tuple[dict[str, Path], bool, str]:
    """Every format of an executed document whose figures are all written (``ahead``: what
    :func:`read_ahead` made while they were drawn)."""
    doc, build, key, execution, bib, csl, cache_dir = (done.doc, done.build, done.key, done.execution, done.bib,
                                                       done.csl, done.cache_dir)
    fig_dir = build / "figures"
    if done.executed and use_cache:
        store_cached(cache_dir, key, execution, fig_dir)
    if ahead is not None:
        assembled, composed = ahead.assembled, ahead.composed
    else:
        assembled = assemble(doc, execution)
        composed = _compose_markdown(doc, assembled.markdown)
    toc = bool(doc.meta.get("toc", True))
    targets = {fmt: build / f"{doc.path.stem}.{_EXT[fmt]}" for fmt in formats}
    # A document whose assembled text, figures and templates are unchanged is copied, not written again.
    settings = json.dumps([toc, crossref_words(doc.meta)], sort_keys=True)
    out_keys = {fmt: output_key(key, composed + settings, fmt, fig_dir, [bib, csl, doc.project_dir / EXTENSION])
                for fmt in formats} if use_cache else {}
    reused = [fmt for fmt in out_keys if load_output(cache_dir, out_keys[fmt], targets[fmt])]
    if reused:
        say("render", f"{', '.join(reused)} unchanged: using the cached file{'s' if len(reused) > 1 else ''}")
    todo = [fmt for fmt in formats if fmt not in reused]
    if not todo:
        return targets, done.executed, key
    ast = ahead.ast if ahead is not None else _read_markdown(composed, build, todo)
    check_images(ast, build, doc, ctx.codebook_path)  # only figures this render produced; else say whence

    def write(fmt: str) -> Path:
        target = targets[fmt]
        if fmt == "pdf" and ahead is not None and ahead.typst is not None:
            tree, typ = ahead.typst
            check_produced(tree, build)  # the figures it names are written now
            compile_typst(typ, target, build)
        elif fmt == "pdf":
            tree = transform(ast, fmt, assembled.figures, crossref_words(doc.meta))
            stage_typst_template(build, doc.project_dir / EXTENSION)
            typ = write_format(tree, "typst", build / f"{doc.path.stem}.typ", build, bib, csl)
            compile_typst(typ, target, build)
        elif fmt == "docx":
            tree = transform(ast, fmt, assembled.figures, crossref_words(doc.meta))
            reference = reference_docx(doc.project_dir / EXTENSION, build)
            write_format(tree, fmt, target, build, bib, csl, toc=toc, reference_doc=reference)
            finish_docx(target)  # pandoc cannot size table columns from content or turn pages
        else:
            tree = transform(ast, fmt, assembled.figures, crossref_words(doc.meta))
            write_format(tree, fmt, target, build, bib, csl, toc=toc)
        if use_cache:
            store_output(cache_dir, out_keys[fmt], target)
        return target

    # The formats are independent and mostly wait on pandoc and Typst: write them side by side.
    with ThreadPoolExecutor(max_workers=len(todo)) as pool:
        jobs = {}
        for fmt in todo:
            say("render", fmt)
            jobs[fmt] = pool.submit(write, fmt)
        for fmt, job in jobs.items():
            job.result()
    return targets, done.executed, key


def _labels(doc: Document) -> set[str]:
    from ._assemble import defined_labels

    return defined_labels(doc)


def _import_writers(formats: tuple[str, ...]) -> None:
    """Import python-docx and typst (a few tenths of a second) before the writers ask for them."""
    if "docx" in formats:
        import docx  # noqa: F401 - finish_docx uses it
    if "pdf" in formats:
        import typst  # noqa: F401 - compile_typst uses it


def write_all(executed: list[Executed], jobs: ForkedJobs, ctx: ReportContext, formats: tuple[str, ...],
              use_cache: bool, say: Progress) -> list[tuple[dict[str, Path], bool, str]]:
    """Write every executed document's formats, documents side by side: one whose cells drew no
    figure at once, while the workers finish the others' figures, and of those meanwhile what
    needs no figure (:func:`read_ahead`), the rest once every figure is written. Results in
    document order; the first document's failure is raised."""
    if not executed:
        wait_for_figures(jobs)
        return []
    jobs.start_all()  # every figure forked before any thread starts
    with ThreadPoolExecutor(max_workers=len(executed)) as pool:
        early = [pool.submit(read_ahead, done, formats) if done.drawing else
                 pool.submit(write_builtin, done, ctx, formats, use_cache, say) for done in executed]
        wait_for_figures(jobs)
        futures = [pool.submit(write_builtin, done, ctx, formats, use_cache, say, job.result()) if done.drawing
                   else job for job, done in zip(early, executed)]
        return [job.result() for job in futures]

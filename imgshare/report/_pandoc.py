"""Driving pandoc (the binary shipped in the pypandoc-binary wheel) and Typst (the typst wheel).

Pandoc runs as a subprocess with the JSON AST on stdin; Typst compiles in-process with only
its embedded fonts, so the PDF does not depend on what the machine has installed.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._errors import ReportError
from ._images import check_images, image_urls, produced_image

__all__ = ["pandoc_path", "markdown_to_ast", "write_format", "compile_typst", "embed_images", "check_produced",
           "RESOURCES"]

RESOURCES = Path(__file__).parent / "resources"
#: Timestamp written into PDF and DOCX unless SOURCE_DATE_EPOCH says otherwise, so identical input
#: gives identical files: 1980-01-01, the earliest date a ZIP (DOCX) entry can carry.
_EPOCH_DEFAULT = 315532800


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else _EPOCH_DEFAULT


def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReportError("pandoc is not available: install the 'pypandoc-binary' package") from exc
    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ReportError(f"pandoc is not available ({exc})") from None


def _run_pandoc(args: Sequence[str], stdin: str, what: str, cwd: Path) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch())}
    proc = subprocess.run([pandoc_path(), *args], input=stdin.encode("utf-8"), capture_output=True, cwd=cwd,
                          env=env)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReportError(f"pandoc failed while {what}: {err[0] if err else 'exit status ' + str(proc.returncode)}",
                          details=proc.stderr.decode("utf-8", "replace"))
    return proc.stdout.decode("utf-8")


def markdown_to_ast(markdown: str, cwd: Path) -> dict:
    """Parse pandoc Markdown (with a YAML metadata block) into the pandoc JSON AST."""
    return json.loads(_run_pandoc(["-f", "markdown", "-t", "json"], markdown, "reading the manuscript", cwd))


def write_format(ast: Mapping, fmt: str, out: Path, build: Path, bibliography: Path | None,
                 csl: Path | None, toc: bool = True, reference_doc: Path | None = None,
                 images_checked: bool = True) -> Path:
    """Write one output with pandoc: ``html`` (self-contained), ``docx``, or ``typst`` source.

    ``reference_doc`` is the Word document whose styles, page and footer the DOCX takes.
    ``images_checked=False`` (Typst source only, which names its images without reading them)
    leaves :func:`check_produced` to the caller, before the images are used.
    """
    if images_checked or fmt != "typst":
        check_produced(ast, build)
    args = ["-f", "json", "--resource-path", str(build), "--number-sections"]
    if bibliography is not None:
        args += ["--citeproc", "--bibliography", str(bibliography), "-M", "link-citations=true"]
        if csl is not None:
            args += ["--csl", str(csl)]
    if fmt == "html":
        # Self-contained without pandoc's --embed-resources (which re-reads the whole page and cost
        # a second): the style goes in a <style> element, figures become data: URIs in the AST.
        style = build / "imgshare-style.html"
        style.write_text("<style>\n" + (RESOURCES / "imgshare.css").read_text(encoding="utf-8") + "</style>\n",
                         encoding="utf-8")
        ast = embed_images(ast, build)
        args += ["-t", "html5", "--standalone", "--section-divs", "--mathml",
                 "--template", str(RESOURCES / "template.html"), "--include-in-header", str(style)]
        if toc:
            args += ["--toc", "--toc-depth=2", "-V", "toc"]
    elif fmt == "docx":
        args += ["-t", "docx"]
        if reference_doc is not None:
            args += ["--reference-doc", str(reference_doc)]
    elif fmt == "typst":
        tpl = build / "typst-template"
        args += ["-t", "typst", "--standalone", "--template", str(tpl / "builtin.typst")]
    else:  # pragma: no cover - guarded by the caller
        raise ValueError(fmt)
    args += ["-o", str(out)]
    _run_pandoc(args, json.dumps(ast), f"writing {fmt}", build)
    return out


_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".gif": "image/gif"}


def embed_images(ast: Mapping, base: Path) -> dict:
    """A copy of ``ast`` whose images, each a figure the render produced in ``base``, are ``data:`` URIs.

    Any other image reference raises :class:`ReportError` (see :mod:`._images`).
    """

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Image":
                attr, alt, (url, title) = node["c"]
                path = _produced_or_refused(url, base)
                url = f"data:{_MIME[path.suffix.lower()]};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
                return {"t": "Image", "c": [attr, alt, [url, title]]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(ast)


def check_produced(ast: Mapping, build: Path) -> None:
    """Every image of ``ast`` is a figure the render produced in ``build`` (else ReportError)."""
    for url in image_urls(ast):  # every format: pandoc would copy any other file into a DOCX
        _produced_or_refused(url, build)


def _produced_or_refused(url: str, build: Path) -> Path:
    path = produced_image(url, build)
    if path is None:
        check_images({"t": "Image", "c": [None, None, [url, ""]]}, build)  # raises with the standard message
    return path


def stage_typst_template(build: Path, extension_dir: Path) -> Path:
    """Copy the built-in pandoc template and the extension's Typst partials side by side.

    Pandoc looks for partials next to the main template, so all of them go in one folder.
    """
    dest = build / "typst-template"
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("builtin.typst", "definitions.typ"):
        shutil.copyfile(RESOURCES / name, dest / name)
    for name in ("typst-template.typ", "typst-show.typ"):
        src = extension_dir / name
        if not src.exists():
            raise ReportError(f"the Typst format extension lacks {name}", str(extension_dir))
        shutil.copyfile(src, dest / name)
    return dest


def compile_typst(source: Path, out: Path, root: Path) -> Path:
    """Compile Typst to PDF with the typst wheel's embedded fonts only (no system fonts)."""
    import typst

    stamp = _dt.datetime.fromtimestamp(source_date_epoch(), tz=_dt.timezone.utc)
    try:
        typst.compile(str(source), output=str(out), root=str(root), font_paths=[], ignore_system_fonts=True,
                      timestamp=stamp)
    except typst.TypstError as exc:
        first = (getattr(exc, "message", "") or str(exc)).strip().splitlines()
        raise ReportError(f"typst failed: {first[0] if first else exc}",
                          details=f"{exc}\n{getattr(exc, 'diagnostic', '')}") from None
    return out

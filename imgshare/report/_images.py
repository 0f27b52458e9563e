"""Which images a render may put into its outputs: only the figures it produced itself.

report.html embeds each image as a ``data:`` URI and pandoc copies each image into report.docx,
so an image reference is a request to read a file. Only a file inside the render's own
temporary folder qualifies: a relative path of plain name segments (no ``..``, no absolute path,
no URL scheme, no percent-escapes), with an image suffix, that still lies inside the folder once
symlinks are resolved. Anything else is an error naming where the reference came from: the
codebook key whose text holds it, else the manuscript line, else the cell output.

Codebook and data text is escaped wherever imgshare writes it, so it can never become an image
by itself; a reference found in codebook text means the manuscript passed that text on as
Markdown unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._errors import ReportError

__all__ = ["image_urls", "produced_image", "check_images", "IMAGE_SUFFIXES"]

IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif"})
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_PLAIN_RELATIVE = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
_EXPECTED = ("expected only figures the render produced itself (an image from anywhere else is never "
             "embedded in report.html or copied into report.docx)")


def image_urls(ast: Any) -> Iterator[str]:
    """Every image URL in a pandoc JSON AST, in document order."""
    stack = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("t") == "Image":
                yield node["c"][2][0]
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def produced_image(url: str, build: Path) -> Path | None:
    """The file ``url`` names inside ``build``, or None unless it is a plain relative image path there.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     build = Path(tmp)
    ...     (build / "figures").mkdir()
    ...     _ = (build / "figures" / "a.svg").write_text("<svg/>")
    ...     [produced_image(u, build) is not None for u in
    ...      ("figures/a.svg", "figures/../figures/a.svg", "/etc/a.svg", "figures/b.svg", "x.py")]
    [True, False, False, False, False]
    """
    if not _PLAIN_RELATIVE.fullmatch(url) or Path(url).suffix.lower() not in IMAGE_SUFFIXES:
        return None
    root = build.resolve()
    path = (root / url).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _codebook_strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _codebook_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _codebook_strings(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _codebook_key(url: str, codebook_path: Path | None) -> str | None:
    if codebook_path is None:
        return None
    from .._yaml import YamlProblem, load_yaml

    try:
        data = load_yaml(codebook_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem):
        return None
    return next((key for key, text in _codebook_strings(data, "") if url in text), None)


def _document_line(url: str, doc: Any) -> tuple[str, int] | None:
    for seg in getattr(doc, "segments", ()):
        lines = getattr(seg, "lines", None)
        if lines is None:  # a code cell: the reference may be in its code
            if url in seg.code:
                return seg.origin.file, seg.origin.line
            continue
        for ln in lines:
            if url in ln.text:
                return ln.origin.file, ln.origin.line
    return None


def check_images(ast: Any, build: Path, doc: Any = None, codebook_path: Path | None = None) -> None:
    """Raise :class:`ReportError` at the first image that is not a figure the render produced."""
    from ..errors import bounded

    for url in image_urls(ast):
        if produced_image(url, build) is not None:
            continue
        shown = bounded(repr(url), 120)
        key = _codebook_key(url, codebook_path)
        if key is not None:
            raise ReportError(
                f"{key}: this codebook text holds the image reference {shown}, and the manuscript inserted it as "
                f"Markdown without escaping; {_EXPECTED}. imgshare escapes codebook text, so only the "
                "manuscript's author can have turned it into an image: insert it with imgshare's text functions",
                codebook_path.name)
        place = _document_line(url, doc)
        who = ("codebook and data text is always escaped, so this reference was written by the manuscript's "
               "author")
        if place is not None:
            raise ReportError(f"image {shown} is outside the render's own folder; {_EXPECTED}; {who}", *place)
        raise ReportError(f"image {shown} in the output of a code cell is outside the render's own folder; "
                          f"{_EXPECTED}; {who} (a cell printed it as Markdown)")

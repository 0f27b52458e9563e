"""Splicing execution results into the document: one pandoc-Markdown text for all formats.

Figures and captioned tables become fenced divs with private classes (``imgshare-figure``,
``imgshare-table``) that :mod:`._ast` turns into each format's own figure/table structure.
Cross-references and citations are checked here, where every line still knows its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ._execute import Execution
from ._source import INLINE_RE, Cell, Document, Text, iter_inline

__all__ = ["Assembled", "assemble", "CROSSREF_RE", "check_references"]

#: A cross-reference as pandoc reads it (``@fig-x``, ``[@tbl-y]``): key chars as in citation keys.
CROSSREF_RE = re.compile(r"(?<![\w@.])@(?P<key>(?P<kind>fig|tbl|sec)-\w+(?:[-:.]\w+)*)")
_CITE_RE = re.compile(r"(?<![\w@.])@(?P<key>[A-Za-z_][\w]*(?:[-:.#$%&+?<>~/]\w+)*)")
_HEADING_ID_RE = re.compile(r"^#{1,6}\s.*\{[^}]*#(?P<id>[\w][\w:.-]*)[^}]*\}\s*$")
_DIV_ID_RE = re.compile(r"^:{3,}\s*\{[^}]*#(?P<id>[\w][\w:.-]*)")
_CODE_SPAN_RE = re.compile(r"`+[^`]*`+")


@dataclass(frozen=True)
class Assembled:
    """The spliced Markdown and what the AST stage needs to know about its figures."""

    markdown: str
    figures: Mapping[str, dict]  # stem -> {"alt", "width", "height"}
    labels: frozenset[str]


def _fence_for(text: str) -> str:
    runs = [len(m) for m in re.findall(r"`+", text)]
    return "`" * max(3, max(runs, default=0) + 1)


def _cell_markdown(cell: Cell, outputs: Iterable[dict], figures: dict) -> str:
    opts = cell.options
    label = cell.label or ""
    parts: list[str] = []
    body: list[str] = []
    n_fig = 0
    for out in outputs:
        kind = out["kind"]
        if kind == "code":
            fence = _fence_for(out["text"])
            parts.append(f"{fence} {{.python .cell-code}}\n{out['text']}\n{fence}")
        elif kind == "text":
            fence = _fence_for(out["text"])
            body.append(f"{fence} {{.cell-output}}\n{out['text']}\n{fence}")
        elif kind == "markdown":
            body.append(out["text"].strip("\n"))
        elif kind == "table":
            body.append(f"::::: {{#{out['label']} .imgshare-table}}\n:::: {{.imgshare-caption}}\n{out['caption']}\n"
                        f"::::\n\n{out['text'].strip()}\n:::::")
        elif kind == "figure" and out.get("label"):
            figures[out["stem"]] = {"alt": out.get("alt", ""), "width": out["width"], "height": out["height"],
                                    "phone": bool(out.get("phone"))}
            body.append(f'::::: {{#{out["label"]} .imgshare-figure data-stem="{out["stem"]}"}}\n{out["caption"]}\n:::::')
        elif kind == "figure":
            n_fig += 1
            stem = out["stem"]
            figures[stem] = {"alt": str(opts.get("fig-alt", "")), "width": out["width"], "height": out["height"],
                             "phone": bool(out.get("phone"))}
            captioned = n_fig == 1 and label.startswith("fig-") and "fig-cap" in opts
            ident = f"#{label} " if captioned else ""
            caption = str(opts["fig-cap"]) if captioned else ""
            body.append(f'::::: {{{ident}.imgshare-figure data-stem="{stem}"}}\n{caption}\n:::::')
    if label.startswith("fig-"):
        if "fig-cap" not in opts:
            raise cell.origin.error(f"cell '{label}' has no fig-cap (a cross-referenced figure needs a caption)")
        if n_fig == 0 and opts.get("output", True) is not False and opts.get("include", True) is not False:
            raise cell.origin.error(f"cell '{label}' produced no figure")
        if "fig-alt" not in opts and n_fig:
            raise cell.origin.error(f"cell '{label}' has no fig-alt (every figure needs alternative text)")
    if label.startswith("tbl-"):
        if "tbl-cap" not in opts:
            raise cell.origin.error(f"cell '{label}' has no tbl-cap (a cross-referenced table needs a caption)")
        inner = "\n\n".join(body)
        body = [f"::::: {{#{label} .imgshare-table}}\n:::: {{.imgshare-caption}}\n{opts['tbl-cap']}\n::::\n\n"
                f"{inner}\n:::::"]
    return "\n\n".join(parts + body)


def _strip_code(text: str) -> str:
    return _CODE_SPAN_RE.sub("", text)


def defined_labels(doc: Document) -> set[str]:
    """Cross-reference targets: captioned fig-/tbl- cells, headings and divs with an id."""
    labels: set[str] = set()
    for seg in doc.segments:
        if isinstance(seg, Cell):
            if seg.label and seg.label.startswith(("fig-", "tbl-")):
                labels.add(seg.label)
            continue
        for ln in seg.lines:
            m = _HEADING_ID_RE.match(ln.text) or _DIV_ID_RE.match(ln.text)
            if m:
                labels.add(m["id"])
    return labels


def _text_lines(seg: Text):
    """Lines of a text segment outside fenced blocks."""
    fence: str | None = None
    for ln in seg.lines:
        m = re.match(r"^\s{0,3}(`{3,}|~{3,})\s*(.*?)\s*$", ln.text)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        yield ln


def check_references(doc: Document, labels: set[str], bib_keys: set[str] | None) -> None:
    """Raise at the first cross-reference without a target, or citation key missing from the bibliography."""
    for seg in doc.segments:
        if isinstance(seg, Cell):
            continue
        for ln in _text_lines(seg):
            text = _strip_code(ln.text)
            for m in CROSSREF_RE.finditer(text):
                if m["key"] not in labels:
                    raise ln.origin.error(f"unresolved cross-reference '@{m['key']}' (no figure, table or "
                                          f"section has that label)")
            if bib_keys is None:
                continue
            for m in _CITE_RE.finditer(text):
                key = m["key"]
                if CROSSREF_RE.match("@" + key) or key in bib_keys:
                    continue
                raise ln.origin.error(f"unknown citation key '@{key}' (not in the bibliography)")


def assemble(doc: Document, execution: Execution) -> Assembled:
    """Splice cell outputs and inline values into the document's Markdown (front matter excluded)."""
    inline = iter(execution.inline)
    figures: dict[str, dict] = {}
    chunks: list[str] = []
    labels = set(defined_labels(doc))
    for seg in doc.segments:
        if isinstance(seg, Cell):
            outputs = execution.cells[seg.index]
            for out in outputs:
                if out.get("label"):
                    if out["label"] in labels:
                        raise seg.origin.error(f"cell output labelled '{out['label']}' repeats a label used before")
                    labels.add(out["label"])
            chunks.append("\n" + _cell_markdown(seg, outputs, figures) + "\n")
            continue
        replace: dict[int, list[str]] = {}
        for ln, _m in iter_inline(seg):
            replace.setdefault(id(ln), []).append(next(inline))
        lines = []
        for ln in seg.lines:
            values = replace.get(id(ln))
            if values:
                it = iter(values)
                lines.append(INLINE_RE.sub(lambda _m: next(it), ln.text))
            else:
                lines.append(ln.text)
        chunks.append("\n".join(lines))
    return Assembled("\n".join(chunks) + "\n", figures, frozenset(labels))

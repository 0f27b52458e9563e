"""Per-format rewriting of the pandoc JSON AST: the Quarto features pandoc lacks.

Applied in this order for one output format (``html``, ``pdf`` or ``docx``):

1. ``content-visible`` / ``content-hidden`` divs are kept (unwrapped) or dropped;
2. sections, figures and tables are numbered in document order (what remains in this format);
3. figure / table divs from :mod:`._assemble` and callouts become the format's own structures;
4. cross-references (pandoc reads ``@fig-x`` as a citation) become links reading "Figure 1".

Typst numbers its own figures and tables, so PDF captions carry no "Figure n:" prefix; the
link text is the same number because both count the same elements in the same order.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from .._layout_marks import FLOAT_MARK, LANDSCAPE_MARK
from ._errors import ReportError

__all__ = ["transform", "FORMAT_NAMES", "matches_format"]

FORMAT_NAMES = ("html", "pdf", "docx")
#: Names a ``when-format`` / ``unless-format`` attribute may use, per output format.
_ALIASES = {"html": {"html", "html5", "html4", "revealjs"}, "pdf": {"pdf", "typst"}, "docx": {"docx", "office"}}
_KNOWN = set().union(*_ALIASES.values()) | {"latex", "markdown", "gfm", "commonmark", "pptx", "odt", "epub"}
_BLOCKS = {"Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList",
           "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"}
_CALLOUTS = {"note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important", "caution": "Caution"}
_KIND_WORD = {"fig": "Figure", "tbl": "Table", "sec": "Section"}
#: Widest figure in print and Word: A4 less the template's margins.
MAX_PRINT_WIDTH_IN = 6.3


def matches_format(name: str, fmt: str) -> bool:
    return name in _ALIASES[fmt]


# -- tiny constructors ------------------------------------------------------------------------

def _attr(ident: str = "", classes: list | None = None, kv: list | None = None) -> list:
    return [ident, classes or [], kv or []]


def _text(s: str) -> list:
    out: list = []
    for i, word in enumerate(s.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _stringify(node: Any) -> str:
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Str":
            return node["c"]
        if t in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if t in ("Code", "Math"):
            return node["c"][1]
        return _stringify(node.get("c", []))
    if isinstance(node, list):
        return "".join(_stringify(n) for n in node)
    return ""


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and v.get("t") in _BLOCKS for v in value)


def _map_block_lists(node: Any, fn: Callable[[list], list]) -> Any:
    """Rebuild ``node`` bottom-up, passing every list of blocks through ``fn``."""
    if isinstance(node, dict):
        return {k: _map_block_lists(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        mapped = [_map_block_lists(v, fn) for v in node]
        return fn(mapped) if _is_block_list(mapped) else mapped
    return node


def _walk(node: Any, visit: Callable[[dict], None]) -> None:
    """Pre-order visit of every element (document order)."""
    if isinstance(node, dict):
        if "t" in node:
            visit(node)
        for v in node.values():
            _walk(v, visit)
    elif isinstance(node, list):
        for v in node:
            _walk(v, visit)


def _kv(attr: list) -> dict:
    return dict(attr[2])


# -- 1. conditional content -------------------------------------------------------------------

def _filter_conditional(blocks: list, fmt: str) -> list:
    out = []
    for b in blocks:
        if b["t"] == "Div":
            classes, kv = b["c"][0][1], _kv(b["c"][0])
            visible = "content-visible" in classes
            if visible or "content-hidden" in classes:
                keep = True
                for key in kv:
                    if key not in ("when-format", "unless-format"):
                        raise ReportError(f"unsupported condition '{key}' on a content-{'visible' if visible else 'hidden'}"
                                          f" block (use when-format or unless-format)")
                    names = [n.strip() for n in kv[key].replace(",", " ").split()]
                    for n in names:
                        if n not in _KNOWN:
                            raise ReportError(f"unknown format name '{n}' in {key}")
                    hit = any(matches_format(n, fmt) for n in names)
                    keep = keep and (hit if key == "when-format" else not hit)
                if not visible:
                    keep = not keep if kv else False
                if keep:
                    out.extend(b["c"][1])
                continue
        out.append(b)
    return out


# -- 2. numbering -----------------------------------------------------------------------------

def _number(doc: dict) -> dict[str, str]:
    """Label -> number text ("3.1", "2") for sections, figures and tables, in document order."""
    numbers: dict[str, str] = {}
    counters = [0] * 6
    counts = {"fig": 0, "tbl": 0}

    def visit(el: dict) -> None:
        t = el["t"]
        if t == "Header":
            level, attr = el["c"][0], el["c"][1]
            if "unnumbered" in attr[1] or "-" in attr[1]:
                return
            counters[level - 1] += 1
            for i in range(level, 6):
                counters[i] = 0
            numbers[attr[0]] = ".".join(str(c) for c in counters[:level])
        elif t == "Div":
            attr = el["c"][0]
            kind = "fig" if "imgshare-figure" in attr[1] else "tbl" if "imgshare-table" in attr[1] else None
            if kind and attr[0]:
                counts[kind] += 1
                numbers[attr[0]] = str(counts[kind])

    _walk(doc["blocks"], visit)
    return numbers


# -- 3. figures, tables, callouts -------------------------------------------------------------

def _caption_blocks(blocks: list) -> list:
    """Caption inlines from the blocks of a caption div."""
    inlines: list = []
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            if inlines:
                inlines.append({"t": "Space"})
            inlines.extend(b["c"])
    return inlines


def crossref_words(meta: Mapping) -> dict[str, tuple[str, str]]:
    """Caption title and reference prefix per kind, from the document's ``crossref`` metadata
    (Quarto's ``fig-title``/``tbl-title`` and ``fig-prefix``/``tbl-prefix``; a supplement
    sets "Supplementary Table"). ``meta`` is the document's metadata (front matter over ``_quarto.yml``)."""
    options = meta.get("crossref") if isinstance(meta.get("crossref"), Mapping) else {}
    words = {}
    for kind, default in _KIND_WORD.items():
        title = str(options.get(f"{kind}-title", default))
        prefix = str(options.get(f"{kind}-prefix", title))
        words[kind] = (title.strip(), prefix.strip())
    return words


def _prefix(word: str, number: str, fmt: str) -> list:
    return [] if fmt == "pdf" else [*_text(f"{word} {number}:"), {"t": "Space"}]


def _figure(div: dict, fmt: str, numbers: Mapping[str, str], figures: Mapping[str, dict],
            words: Mapping[str, tuple[str, str]]) -> dict:
    attr, content = div["c"]
    stem = _kv(attr)["data-stem"]
    info = figures[stem]
    ext = "png" if fmt == "docx" else "svg"
    kv = [] if fmt == "html" else [["width", f"{min(float(info['width']), MAX_PRINT_WIDTH_IN):.2f}in"]]
    image = {"t": "Image", "c": [_attr("", [], kv), _text(info["alt"]), [f"figures/{stem}.{ext}", ""]]}
    images = [image]
    if fmt == "html" and not info.get("phone"):
        # No phone drawing (a diagram laid out for its size): on a phone it scrolls sideways at a
        # legible size instead of shrinking.
        images = [{"t": "Span", "c": [_attr("", ["fig-scroll"]), [image]]}]
    if fmt == "html" and info.get("phone"):
        # Both drawings; the style sheet shows the narrow one on phones and the wide one elsewhere.
        image["c"][0] = _attr("", ["fig-wide"], kv)
        images.append({"t": "Image", "c": [_attr("", ["fig-phone"], kv), _text(info["alt"]),
                                           [f"figures/{stem}.phone.svg", ""]]})
    caption = _caption_blocks(content)
    if attr[0]:
        caption = _prefix(words["fig"][0], numbers[attr[0]], fmt) + caption
    cap = [{"t": "Plain", "c": caption}] if caption else []
    return {"t": "Figure", "c": [_attr(attr[0], ["imgshare-figure"]), [None, cap], [{"t": "Plain", "c": images}]]}


def _table(div: dict, fmt: str, numbers: Mapping[str, str], words: Mapping[str, tuple[str, str]],
           may_float: bool = True) -> list:
    attr, content = div["c"]
    caption_div = next((b for b in content if b["t"] == "Div" and "imgshare-caption" in b["c"][0][1]), None)
    body = [b for b in content if b is not caption_div]
    caption = _caption_blocks(caption_div["c"][1]) if caption_div else []
    if fmt == "pdf":
        # Written as raw Typst around pandoc-rendered caption and body: pandoc's own figure would
        # let Typst guess the kind from the body, and a body without a table would become a "Figure".
        marks = _typst_marks(body)
        turned = LANDSCAPE_MARK in marks
        # An unbreakable table floats like a figure; a landscape one gets pages of its own.
        placement = "placement: auto, " if may_float and FLOAT_MARK in marks and not turned else ""
        # A table short enough never to break keeps its caption too (the figure block does not break).
        whole = FLOAT_MARK in marks
        return [
            *([{"t": "RawBlock", "c": ["typst", _LANDSCAPE_OPEN]}] if turned else []),
            *([{"t": "RawBlock", "c": ["typst", "#[#show figure: set block(breakable: false)"]}] if whole else []),
            {"t": "RawBlock", "c": ["typst", f"#figure(kind: table, supplement: {_typst_string(words['tbl'][0])}, "
                                             f"{placement}caption: ["]},
            {"t": "Plain", "c": caption},
            {"t": "RawBlock", "c": ["typst", "], ["]},
            *body,
            {"t": "RawBlock", "c": ["typst", f"]) <{attr[0]}>"]},
            *([{"t": "RawBlock", "c": ["typst", "]"]}] if whole else []),
            *([{"t": "RawBlock", "c": ["typst", _LANDSCAPE_CLOSE]}] if turned else []),
        ]
    full = _prefix(words["tbl"][0], numbers[attr[0]], fmt) + caption
    if fmt == "docx":
        table = next((b for b in body if b["t"] == "Table"), None)
        if table is not None:
            table["c"][1] = [None, [{"t": "Plain", "c": full}]]
            return [{"t": "Div", "c": [_attr(attr[0]), body]}]
        cap = {"t": "Div", "c": [_attr("", [], [["custom-style", "Table Caption"]]), [{"t": "Para", "c": full}]]}
        return [{"t": "Div", "c": [_attr(attr[0]), [cap, *body]]}]
    cap = {"t": "Div", "c": [_attr("", ["table-caption"]), [{"t": "Plain", "c": full}]]}
    return [{"t": "Div", "c": [_attr(attr[0], ["imgshare-table"]), [cap, *body]]}]


_LANDSCAPE_OPEN = "#page(flipped: true)[ // landscape pages for the widest tables"
_LANDSCAPE_CLOSE = "] // end of landscape pages"


def _typst_marks(blocks: list) -> set[str]:
    """The imgshare layout markers (first lines of raw Typst) inside ``blocks``."""
    found: set[str] = set()

    def visit(el: dict) -> None:
        if el["t"] == "RawBlock" and el["c"][0] == "typst":
            found.update(line.strip() for line in el["c"][1].splitlines() if line.startswith("// imgshare-layout:"))

    _walk(blocks, visit)
    return found


def _join_landscape(blocks: list) -> list:
    """Adjacent landscape tables share their pages: drop a close immediately followed by an open."""
    out: list = []
    for b in blocks:
        if (b["t"] == "RawBlock" and b["c"] == ["typst", _LANDSCAPE_OPEN] and out
                and out[-1]["t"] == "RawBlock" and out[-1]["c"] == ["typst", _LANDSCAPE_CLOSE]):
            out.pop()
            continue
        out.append(b)
    return out


def _typst_string(s: str) -> str:
    from ..escape import typst_string

    return typst_string(s)


def _callout(div: dict, kind: str, fmt: str) -> list:
    attr, content = div["c"]
    kv = _kv(attr)
    body = list(content)
    if "title" in kv:
        title: list = _text(kv["title"])
    elif body and body[0]["t"] == "Header":
        title = body.pop(0)["c"][2]
    else:
        title = _text(_CALLOUTS[kind])
    if fmt == "html":
        return [{"t": "Div", "c": [_attr(attr[0], ["callout", f"callout-{kind}"], [["role", "note"]]), [
            {"t": "Div", "c": [_attr("", ["callout-title"]), [{"t": "Plain", "c": title}]]},
            {"t": "Div", "c": [_attr("", ["callout-body"]), body]}]]}]
    if fmt == "pdf":
        opening = f"#imgshare-callout(kind: {_typst_string(kind)}, title: {_typst_string(_stringify(title))})["
        return [{"t": "RawBlock", "c": ["typst", opening]}, *body, {"t": "RawBlock", "c": ["typst", "]"]}]
    heading = {"t": "Para", "c": [{"t": "Strong", "c": title}]}
    return [{"t": "Div", "c": [_attr(attr[0], [], [["custom-style", "Callout"]]), [heading, *body]]}]


def _rewrite_blocks(blocks: list, fmt: str, numbers: Mapping[str, str], figures: Mapping[str, dict],
                    words: Mapping[str, tuple[str, str]]) -> list:
    out: list = []
    # In the PDF an exhibit floats when it follows prose or another floating exhibit (floats keep
    # their order). One right under its heading stays in place, and so does an exhibit after it
    # (an appendix of tables keeps headings and order); so does anything after a long table.
    previous = "other"
    for b in blocks:
        if b["t"] != "Div":
            out.append(b)
            previous = "heading" if b["t"] == "Header" else "other"
            continue
        classes = b["c"][0][1]
        may_float = previous in ("other", "float")
        if "imgshare-figure" in classes:
            figure = _figure(b, fmt, numbers, figures, words)
            if fmt == "pdf" and not may_float:
                out += [{"t": "RawBlock", "c": ["typst", "#[#show figure: set figure(placement: none)"]}, figure,
                        {"t": "RawBlock", "c": ["typst", "]"]}]
            else:
                out.append(figure)
            previous = "float" if may_float else "fixed"
        elif "imgshare-table" in classes:
            blocks_out = _table(b, fmt, numbers, words, may_float)
            out.extend(blocks_out)
            floats = any(x["t"] == "RawBlock" and "placement: auto" in x["c"][1] for x in blocks_out)
            previous = "float" if floats else "fixed"
        else:
            previous = "other"
            kind = next((c[len("callout-"):] for c in classes if c.startswith("callout-")), None)
            if kind is not None and "callout" not in classes:
                if kind not in _CALLOUTS:
                    raise ReportError(f"unknown callout type 'callout-{kind}' (expected one of: "
                                      f"{', '.join('callout-' + k for k in _CALLOUTS)})")
                out.extend(_callout(b, kind, fmt))
            else:
                out.append(b)
    return _join_landscape(out) if fmt == "pdf" else out


# -- 4. cross-references ----------------------------------------------------------------------

def _resolve_refs(node: Any, numbers: Mapping[str, str], fmt: str, words: Mapping[str, tuple[str, str]]) -> Any:
    if isinstance(node, list):
        out = []
        for v in node:
            if isinstance(v, dict) and v.get("t") == "Cite":
                ids = [c["citationId"] for c in v["c"][0]]
                kinds = [i.split("-", 1)[0] for i in ids]
                if any(k in _KIND_WORD for k in kinds):
                    for n, (ident, kind) in enumerate(zip(ids, kinds)):
                        if ident not in numbers or kind not in _KIND_WORD:
                            raise ReportError(f"cross-reference '@{ident}' has no target in the {fmt} output "
                                              f"(is its target inside a content-visible block?)")
                        if n:
                            out.extend([{"t": "Str", "c": ","}, {"t": "Space"}])
                        label = _text(f"{words[kind][1]} {numbers[ident]}")
                        out.append({"t": "Link", "c": [_attr("", ["quarto-xref"]), label, [f"#{ident}", ""]]})
                    continue
            out.append(_resolve_refs(v, numbers, fmt, words))
        return out
    if isinstance(node, dict):
        return {k: _resolve_refs(v, numbers, fmt, words) for k, v in node.items()}
    return node


def transform(doc: Mapping, fmt: str, figures: Mapping[str, dict],
              words: Mapping[str, tuple[str, str]] | None = None) -> dict:
    """Return a rewritten copy of a pandoc JSON document for ``fmt`` (html, pdf or docx).

    Returns a new document; ``doc`` is not modified.
    """
    if fmt not in FORMAT_NAMES:
        raise ValueError(f"unknown format {fmt!r}")
    # No deep copy: _map_block_lists builds new lists and dicts all the way down (leaves are
    # immutable), so later rewrites never touch ``doc``; copying first cost a second per format.
    out = {**doc, "meta": copy.deepcopy(doc.get("meta", {}))}
    out["blocks"] = _map_block_lists(doc["blocks"], lambda bl: _filter_conditional(bl, fmt))
    numbers = _number(out)
    words = words if words is not None else crossref_words({})
    out["blocks"] = _map_block_lists(out["blocks"], lambda bl: _rewrite_blocks(bl, fmt, numbers, figures, words))
    out["blocks"] = _resolve_refs(out["blocks"], numbers, fmt, words)
    if fmt == "pdf" and words["fig"][0] != _KIND_WORD["fig"]:
        # Typst numbers figures itself: give its figures the document's caption title too.
        rule = f"#show figure.where(kind: image): set figure(supplement: {_typst_string(words['fig'][0])})"
        out["blocks"] = [{"t": "RawBlock", "c": ["typst", rule]}, *out["blocks"]]
    return out

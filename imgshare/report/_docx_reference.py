"""The manuscript's Word reference document (pandoc ``--reference-doc``): styles, page, footer.

One committed file, ``_extensions/imgshare-manuscript/reference.docx``, serves both engines:
Quarto reads it through ``format: docx: reference-doc:`` in ``_quarto.yml`` (Quarto runs no
project code before pandoc writes the DOCX, so the file must exist), the built-in engine passes
the project's copy to pandoc, and a user may restyle their copy in Word. This module is how the
file is made: pandoc's own default reference document, edited with python-docx. Regenerate both
committed copies (the study project's and the generic manuscript's) with ``make reference-docx``
(:func:`write_reference_copies`); a test checks the committed copies match what this module
builds.

What it sets: A4 portrait with the PDF's margins; a centred "page / pages" footer built from
``PAGE`` and ``NUMPAGES`` fields; British English; Times New Roman body text and Arial headings
(fonts every co-author has; LibreOffice substitutes the metric-compatible Liberation fonts);
captions kept with their table or figure; a smaller "Table Note" style for table notes; and
booktabs-like table rules.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from lxml import etree

from ._docx_io import W_NS, order_section, w, write_docx

__all__ = ["build_reference_docx", "reference_docx", "write_reference_copies", "REFERENCE_NAME", "PAGE", "BODY_FONT", "HEAD_FONT", "TABLE_PT", "NOTE_STYLE"]

#: A4 in twips (1/20 pt), and the PDF template's margins (2.2 cm sides, 2.5 cm top and bottom).
PAGE = {"width": 11906, "height": 16838, "left": 1247, "right": 1247, "top": 1418, "bottom": 1418,
        "header": 709, "footer": 709}
BODY_FONT = "Times New Roman"
HEAD_FONT = "Arial"
BODY_PT = 11
#: Table text size in points (9-10 pt is the journal norm; notes are a little smaller).
TABLE_PT = 9
NOTE_PT = 8.5
#: The custom style table notes carry (``::: {custom-style="Table Note"}`` in the Markdown).
NOTE_STYLE = "Table Note"
BLUE = "1F4E79"
_EPOCH = 315532800  # 1980-01-01: the committed file does not change with the day it was built
#: The file's name inside the format extension folder.
REFERENCE_NAME = "reference.docx"


def _pandoc_default_reference() -> bytes:
    from ._pandoc import pandoc_path

    return subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"], check=True,
                          capture_output=True).stdout


def _el(tag: str, **attrs: str) -> etree._Element:
    node = etree.Element(w(tag))
    for key, value in attrs.items():
        node.set(w(key), str(value))
    return node


def _child(parent, tag: str, successors: tuple[str, ...] = (), **attrs: str):
    """``parent``'s ``tag`` child, replaced by a fresh one with ``attrs`` (kept in schema order:
    inserted before the first existing child named in ``successors``)."""
    for old in parent.findall(w(tag)):
        parent.remove(old)
    node = _el(tag, **attrs)
    for name in successors:
        anchor = parent.find(w(name))
        if anchor is not None:
            anchor.addprevious(node)
            return node
    parent.append(node)
    return node


# Child order inside w:rPr and w:pPr that Word insists on (subset used here).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "color", "sz", "szCs", "u", "lang")
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "spacing", "ind", "jc", "outlineLvl", "rPr")


def _after(order: tuple[str, ...], tag: str) -> tuple[str, ...]:
    return order[order.index(tag) + 1:]


def _rpr(parent, *, font: str | None = None, size: float | None = None, bold: bool | None = None,
         italic: bool | None = None, color: str | None = None, lang: str | None = None) -> None:
    rpr = parent.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(parent, w("rPr"))
    if font is not None:
        _child(rpr, "rFonts", _after(_RPR_ORDER, "rFonts"), ascii=font, hAnsi=font, cs=font, eastAsia=font)
    for tag, on in (("b", bold), ("bCs", bold), ("i", italic), ("iCs", italic)):
        if on is not None:
            _child(rpr, tag, _after(_RPR_ORDER, tag), val="1" if on else "0")
    if color is not None:
        _child(rpr, "color", _after(_RPR_ORDER, "color"), val=color)
    if size is not None:
        half_points = str(round(size * 2))
        _child(rpr, "sz", _after(_RPR_ORDER, "sz"), val=half_points)
        _child(rpr, "szCs", _after(_RPR_ORDER, "szCs"), val=half_points)
    if lang is not None:
        _child(rpr, "lang", (), val=lang, eastAsia=lang, bidi=lang)


def _ppr(style, *, keep_next: bool = False, keep_lines: bool = False, before: int | None = None,
         after: int | None = None, line: int | None = None, jc: str | None = None) -> None:
    ppr = style.find(w("pPr"))
    if ppr is None:
        ppr = _el("pPr")
        rpr = style.find(w("rPr"))
        (rpr.addprevious(ppr) if rpr is not None else style.append(ppr))
    if keep_next:
        _child(ppr, "keepNext", _after(_PPR_ORDER, "keepNext"))
    if keep_lines:
        _child(ppr, "keepLines", _after(_PPR_ORDER, "keepLines"))
    if before is not None or after is not None or line is not None:
        spacing = {"before": before, "after": after, "line": line}
        attrs = {k: str(v) for k, v in spacing.items() if v is not None}
        if line is not None:
            attrs["lineRule"] = "auto"
        _child(ppr, "spacing", _after(_PPR_ORDER, "spacing"), **attrs)
    if jc is not None:
        _child(ppr, "jc", _after(_PPR_ORDER, "jc"), val=jc)


def _style(styles, style_id: str):
    node = styles.find(f"{{{W_NS}}}style[@{{{W_NS}}}styleId='{style_id}']")
    if node is None:
        raise ValueError(f"pandoc's reference document lacks the style {style_id}")
    return node


def _new_paragraph_style(styles, style_id: str, name: str, based_on: str):
    node = _el("style", type="paragraph", customStyle="1", styleId=style_id)
    etree.SubElement(node, w("name")).set(w("val"), name)
    etree.SubElement(node, w("basedOn")).set(w("val"), based_on)
    etree.SubElement(node, w("qFormat"))
    styles.append(node)
    return node


def _border(tag: str, size_eighths: int) -> etree._Element:
    return _el(tag, val="single", sz=str(size_eighths), space="0", color="000000")


def _table_style(styles) -> None:
    """Booktabs: a heavy rule above the header and below the body, a light one under the header."""
    table = _style(styles, "Table")
    tblpr = table.find(w("tblPr"))
    for old in tblpr.findall(w("tblBorders")):
        tblpr.remove(old)
    borders = _el("tblBorders")
    borders.append(_border("top", 8))
    borders.append(_border("bottom", 8))
    tblpr.find(w("tblCellMar")).addprevious(borders)
    margins = tblpr.find(w("tblCellMar"))
    for side in ("left", "right"):
        margins.find(w(side)).set(w("w"), "85")
    _rpr(table, font=BODY_FONT, size=TABLE_PT)
    first = table.find(w("tblStylePr"))
    tcborders = first.find(f"{w('tcPr')}/{w('tcBorders')}")
    for old in list(tcborders):
        tcborders.remove(old)
    tcborders.append(_border("bottom", 4))


def _styles(styles) -> None:
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}")
    _rpr(defaults, font=BODY_FONT, size=BODY_PT, lang="en-GB")
    _ppr(_style(styles, "BodyText"), before=0, after=120, line=264)
    _ppr(_style(styles, "FirstParagraph"), before=0, after=120, line=264)
    _ppr(_style(styles, "Compact"), before=0, after=0, line=240)
    for level, size in ((1, 14), (2, 12), (3, 11)):
        head = _style(styles, f"Heading{level}")
        _rpr(head, font=HEAD_FONT, size=size, bold=True, italic=level == 3, color=BLUE)
        _ppr(head, keep_next=True, before=240 if level == 1 else 200, after=80)
    _rpr(_style(styles, "Title"), font=HEAD_FONT, size=17, bold=True, color=BLUE)
    _ppr(_style(styles, "Title"), jc="left", after=160)
    _rpr(_style(styles, "Subtitle"), font=HEAD_FONT, size=12, color=BLUE)
    caption = _style(styles, "Caption")
    _rpr(caption, font=HEAD_FONT, size=9.5, italic=False)
    _ppr(caption, before=0, after=120)
    table_caption = _style(styles, "TableCaption")
    _ppr(table_caption, keep_next=True, keep_lines=True, before=240, after=80)
    _ppr(_style(styles, "ImageCaption"), keep_lines=True, before=60, after=240)
    # The image paragraph stays with the caption after it.
    _ppr(_style(styles, "CaptionedFigure"), keep_next=True, jc="center", before=240, after=0)
    _ppr(_style(styles, "Figure"), jc="center")
    note = _new_paragraph_style(styles, "TableNote", NOTE_STYLE, "Normal")
    _ppr(note, before=0, after=0, line=240)
    _rpr(note, size=NOTE_PT)
    callout = _new_paragraph_style(styles, "Callout", "Callout", "BodyText")
    ppr = _el("pPr")
    shading = _el("shd", val="clear", color="auto", fill="EEF3F8")
    ppr.append(shading)
    ppr.append(_el("ind", left="170", right="170"))
    callout.append(ppr)
    _table_style(styles)


def _field(paragraph, instruction: str) -> None:
    """A complex field (``PAGE``, ``NUMPAGES``) with a placeholder result Word recomputes."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = etree.SubElement(paragraph, w("r"))
        if kind == "instr":
            node = etree.SubElement(run, w("instrText"))
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            node.text = f" {text} "
        elif kind == "text":
            etree.SubElement(run, w("t")).text = text
        else:
            etree.SubElement(run, w("fldChar")).set(w("fldCharType"), kind)


def _footer(section) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]._p
    ppr = etree.SubElement(paragraph, w("pPr"))
    etree.SubElement(ppr, w("jc")).set(w("val"), "center")
    rpr = etree.SubElement(ppr, w("rPr"))
    etree.SubElement(rpr, w("sz")).set(w("val"), "18")
    _field(paragraph, "PAGE")
    run = etree.SubElement(paragraph, w("r"))
    text = etree.SubElement(run, w("t"))
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = " / "
    _field(paragraph, "NUMPAGES")


def _page(section) -> None:
    sect = section._sectPr
    size = sect.find(w("pgSz"))
    if size is None:
        size = _el("pgSz")
        sect.insert(0, size)
    size.set(w("w"), str(PAGE["width"]))
    size.set(w("h"), str(PAGE["height"]))
    size.set(w("orient"), "portrait")
    margins = sect.find(w("pgMar"))
    if margins is None:
        margins = _el("pgMar")
        size.addnext(margins)
    for key in ("top", "right", "bottom", "left", "header", "footer"):
        margins.set(w(key), str(PAGE[key]))
    margins.set(w("gutter"), "0")


def _core_properties(document) -> None:
    import datetime as dt

    props = document.core_properties
    props.title = ""
    props.author = ""
    props.last_modified_by = ""
    stamp = dt.datetime(1980, 1, 1)
    props.created = stamp
    props.modified = stamp


def build_reference_docx(out: Path | str, source: bytes | None = None) -> Path:
    """Write the manuscript's reference document to ``out``.

    Parameters
    ----------
    out : path
        Where to write the ``.docx``.
    source : bytes, optional
        The document to start from (default: pandoc's own reference document, from the
        pandoc binary imgshare uses).

    Returns
    -------
    Path
        ``out``. The same pandoc version gives the same bytes.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> path = build_reference_docx(Path(tempfile.mkdtemp()) / "reference.docx")
    >>> 'w:w="11906"' in zipfile.ZipFile(path).read("word/document.xml").decode()
    True
    """
    import docx

    document = docx.Document(io.BytesIO(source if source is not None else _pandoc_default_reference()))
    _styles(document.styles.element)
    section = document.sections[-1]
    _page(section)
    _footer(section)
    order_section(section._sectPr)
    settings = document.settings.element
    lang = settings.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("val"), "en-GB")
    _core_properties(document)
    return write_docx(document, Path(out), _EPOCH)


def reference_docx(extension_dir: Path, build: Path) -> Path:
    """The reference document a render uses: the project's own (``<extension>/reference.docx``,
    which a user may have restyled), else one built into ``build`` (a project made before the
    file existed)."""
    own = Path(extension_dir) / REFERENCE_NAME
    if own.is_file():
        return own
    return build_reference_docx(Path(build) / REFERENCE_NAME)


def write_reference_copies(repo: Path | str = ".") -> list[Path]:
    """(Re)write the committed reference documents of a repository checkout: the study project's
    extension and the packaged generic manuscript's. Returns the written paths."""
    repo = Path(repo)
    first = build_reference_docx(repo / "_extensions" / "imgshare-manuscript" / REFERENCE_NAME)
    generic = Path(__file__).parent / "templates" / "generic" / "_extensions" / "imgshare-manuscript" / REFERENCE_NAME
    generic.write_bytes(first.read_bytes())
    return [first, generic]

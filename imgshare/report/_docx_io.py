"""Reading and writing DOCX packages with python-docx, byte-for-byte reproducibly.

python-docx stamps every ZIP entry with the current time; a manuscript built twice from the same
sources must give the same file, so the package is re-zipped with the timestamp pandoc uses
(``SOURCE_DATE_EPOCH``, default 1980-01-01) in the same entry order.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

__all__ = ["docx_bytes", "write_docx", "order_section", "W_NS", "w"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute: ``w("tbl")`` -> ``{ns}tbl``."""
    return f"{{{W_NS}}}{tag}"


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    stamp = _dt.datetime.fromtimestamp(max(epoch, 315532800), tz=_dt.timezone.utc)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def docx_bytes(document, epoch: int) -> bytes:
    """The package of a python-docx ``Document`` as bytes, every entry dated ``epoch``."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    when = _zip_time(epoch)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx(document, path: Path, epoch: int) -> Path:
    """Write ``document`` to ``path`` reproducibly (see :func:`docx_bytes`)."""
    path = Path(path)
    path.write_bytes(docx_bytes(document, epoch))
    return path


# Schema order of a section's properties (CT_SectPr); Word rejects a file whose order differs.
_SECTION_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                  "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                  "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def order_section(sect) -> None:
    """Sort the children of a ``w:sectPr`` element into schema order, in place."""
    rank = {w(tag): i for i, tag in enumerate(_SECTION_ORDER)}
    children = sorted(sect, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        sect.append(child)

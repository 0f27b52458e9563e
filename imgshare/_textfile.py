"""Reading a CSV file's bytes and lines with every oddity named instead of crashing or guessing.

* Binary data, UTF-16 and UTF-32 show in the first block: they are refused before the rest of
  the file is read (a sparse 2 GB file of NUL bytes costs one 64 KB read), and a NUL byte
  further on is refused at the block that holds it, with its row.
* UTF-16/32 text is named as such, with how to declare it, rather than called binary.
* Line endings of CR alone (classic Mac OS) and malformed quoting become located errors.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from .errors import DataError, Problem

__all__ = ["read_text_bytes", "check_line_endings", "csv_rows", "HEAD_BYTES"]

#: The first block, examined before anything else is read.
HEAD_BYTES = 1 << 16
_BLOCK = 1 << 24
_BINARY_FOUND = "binary data (NUL bytes), not a text file"
_BINARY_EXPECTED = "a CSV text file (or .xlsx / .sav with the right extension)"
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _wide(encoding: str | None) -> bool:
    """Whether a declared encoding writes NUL bytes in ordinary text (UTF-16, UTF-32)."""
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False  # reported as an unknown encoding when the text is decoded
    return name.startswith(("utf-16", "utf-32"))


def _declare_hint(kind: str) -> str:
    enc = kind.lower()
    return (f"UTF-8 text; declare the file's encoding (questionnaires.<id>.encoding: {enc} in the codebook, "
            f"or --encoding {enc}) or save the file as CSV UTF-8")


def _utf16_without_bom(head: bytes) -> str | None:
    """'UTF-16-LE'/'UTF-16-BE' when every other byte is NUL, as in UTF-16 text of Latin letters."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16-LE"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16-BE"
    return None


def _check_head(name: str, head: bytes) -> None:
    for bom, kind in _BOMS:
        if head.startswith(bom):
            raise DataError(Problem(name, None, None, f"{kind} text (the file starts with a {kind} byte order mark)",
                                    _declare_hint(kind)))
    if b"\x00" in head:
        kind = _utf16_without_bom(head)
        if kind:
            raise DataError(Problem(name, None, None, f"{kind} text without a byte order mark (every other byte "
                                    "is NUL)", _declare_hint(kind)))
        raise DataError(Problem(name, None, None, _BINARY_FOUND, _BINARY_EXPECTED))


def read_text_bytes(path: Path, encoding: str | None) -> bytearray:
    """The file's bytes, block by block; binary data or undeclared UTF-16/32 raise :class:`DataError`."""
    name = path.name
    wide = _wide(encoding)
    data = bytearray()
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        if not wide:
            _check_head(name, head)
        data += head
        while block := fh.read(_BLOCK):
            if not wide and b"\x00" in block:
                at = block.index(b"\x00")
                raise DataError(Problem(name, data.count(b"\n") + block.count(b"\n", 0, at) + 1, None,
                                        f"a NUL byte at file offset {len(data) + at:,} ({_BINARY_FOUND})",
                                        _BINARY_EXPECTED))
            data += block
    return data


def check_line_endings(name: str, text: str) -> None:
    """Refuse lines ended by CR alone: read as one line, every row would be lost in the header."""
    if "\r" in text and "\n" not in text:
        raise DataError(Problem(name, None, None, "lines end with CR alone (classic Mac OS line endings)",
                                "lines ended by LF or CRLF; save the file again as CSV (Windows or UTF-8)"))


def csv_rows(name: str, text: str, sep: str) -> list[list[str]]:
    """All records of ``text``; a record the csv module cannot read becomes a located error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    rows: list[list[str]] = []
    try:
        for rec in reader:
            rows.append(rec)
    except csv.Error as exc:
        raise DataError(Problem(name, reader.line_num, None, f"a record the CSV reader cannot read ({exc})",
                                "one record per line, fields separated by the delimiter, quotes around "
                                "fields that hold the delimiter, a quote or a line break")) from None
    return rows

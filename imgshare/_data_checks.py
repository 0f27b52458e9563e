"""Checks of a data file against the codebook that look at the file as a whole: its own value
labels and missing-value declarations (SPSS, Stata) and the header rows of a survey export.

The codebook is the source of truth for labels: a file label that differs from the codebook's
is a warning naming both, unless the file gives a level's label to another code (the file's
codes then run the other way, and reading them would silently reverse the answers: an error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._readers import RawTable
from .codebook import Level

__all__ = ["declared_missing", "label_findings", "grouped_warnings", "qualtrics_rows", "norm"]

# Cells of a Qualtrics export's third row: {"ImportId":"QID1"}.
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')


def norm(text: str) -> str:
    """Labels compare case- and whitespace-insensitively."""
    return re.sub(r"\s+", " ", text.strip()).casefold()


def declared_missing(raw: RawTable, column: str) -> dict[int, str]:
    """Whole-number codes the file declares missing for ``column`` (with their value labels, if any)."""
    ranges = raw.declared_missing.get(column, ())
    labels = raw.value_labels.get(column, {})
    out: dict[int, str] = {}
    for lo, hi in ranges:
        if hi - lo <= 1000:  # a discrete range of codes (a wide one is only looked up by its labels)
            for code in range(int(-(-lo // 1)), int(hi // 1) + 1):
                out[code] = labels.get(code, "")
        for code, label in labels.items():
            if lo <= code <= hi:
                out[code] = label
    return dict(sorted(out.items()))


def label_findings(raw: RawTable, column: str, levels: tuple[Level, ...], missing: tuple[Level, ...],
                   what: str, where: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The file's value labels of ``column`` against the codebook's levels and non-substantive codes.

    Returns (problems as (found, expected), warnings as (column, text)). ``what`` names the
    scale or variable, ``where`` the codebook key under which a non-substantive code would be
    declared.
    """
    file_labels = raw.value_labels.get(column)
    if not file_labels:
        return [], []
    book = {lv.code: lv.label for lv in levels + missing}
    code_of = {norm(lv.label): lv.code for lv in levels}
    problems, warnings = [], []
    flagged = declared_missing(raw, column)
    for code, label in sorted(file_labels.items()):
        if code in book:
            if norm(label) == norm(book[code]):
                continue
            other = code_of.get(norm(label))
            if other is not None and other != code:
                problems.append((f"value label {code} = {label!r} in the file is the codebook's label of code {other}",
                                 f"expected {code} = {book[code]!r} as in the codebook ({what}); the file's codes "
                                 "seem to run the other way: recode the file or fix the codebook's levels"))
            else:
                warnings.append((column, f"value label {code} = {label!r} in the file differs from the codebook's "
                                         f"{code} = {book[code]!r} ({what}); the codebook's label is used"))
        elif code in flagged:
            warnings.append((column, f"code {code} = {label!r} is declared missing in the file but not in the "
                                     f"codebook; declare it under {where} to count it as a non-substantive answer"))
        else:
            warnings.append((column, f"value label {code} = {label!r} in the file is not a code of {what}; "
                                     f"answers with this code are errors unless it is declared under {where}"))
    return problems, warnings


def grouped_warnings(file: str, found: Iterable[tuple[str, str]]) -> list[str]:
    """One line per distinct warning, naming every column it applies to (a scale's 30 items
    with the same label difference are one line, not 30)."""
    columns: dict[str, list[str]] = {}
    for column, text in found:
        columns.setdefault(text, []).append(column)
    return [f"{file}:{', '.join(cols)}: {text}" for text, cols in columns.items()]


def qualtrics_rows(raw: RawTable, checked: Iterable[str]) -> bool:
    """Whether rows 2-3 of a file read with one header row are a Qualtrics export's extra header
    rows (question texts, then ``{"ImportId": ...}`` cells)."""
    frame = raw.frame
    if len(frame) < 2 or raw.first_row != 2:
        return False
    columns = [c for c in checked if c in frame.columns]
    if not columns:
        return False
    third = [str(frame[c].iloc[1]) for c in columns]
    return sum(bool(_IMPORT_ID.match(v.strip())) for v in third) >= max(1, len(columns) // 2)

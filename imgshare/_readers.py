"""Read a questionnaire data file (CSV, Excel .xlsx, SPSS .sav, Stata .dta) into a table of raw text cells.

Everything is read as text so that validation can report exactly what was in the file; nothing
is coerced here. Fast path: pyarrow's CSV reader; on any parse problem the slow path re-reads the
file with the csv module to name the row that broke it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._arrow_text import read_csv_columns
from ._textfile import HEAD_BYTES, check_line_endings, csv_rows, read_text_bytes
from ._xlsx import read_sheet
from .errors import DataError, Problem

__all__ = ["RawTable", "read_raw"]

DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class RawTable:
    """Raw text cells of one data file.

    ``frame`` has the file's header names as columns and text cells ('' for blank); its
    positional row ``i`` is spreadsheet row ``first_row + i``.
    """

    file: str
    frame: pd.DataFrame
    first_row: int
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    #: spreadsheet row of each data row when they are not consecutive (blank lines skipped)
    rows: tuple[int, ...] | None = None
    #: missing-value declarations of an SPSS/Stata file: column -> (low, high) ranges of codes
    declared_missing: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    #: what the reader had to say about the file (read as warnings by validation)
    notes: tuple[str, ...] = ()

    def row_of(self, position: int) -> int:
        return self.rows[position] if self.rows is not None else self.first_row + position


def read_raw(path: Path, *, header_rows: int = 1, encoding: str | None = None,
             delimiter: str | None = None, sheet: str | int | None = None) -> RawTable:
    """Read ``path`` by its extension. ``header_rows``: row 1 holds the names, rows 2..N are skipped."""
    name = path.name
    if not path.exists():
        raise DataError(Problem(str(path), None, None, "file not found", "a data file named in the codebook"))
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        raise DataError(Problem(str(path), None, None, f"{what}, not a data file",
                                "a data file named in the codebook (questionnaires.<id>.file)"))
    if path.stat().st_size == 0:
        raise DataError(Problem(name, None, None, "the file is empty", "a header row and at least one data row"))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, header_rows, sheet)
    if suffix in (".sav", ".zsav"):
        return _read_sav(path)
    if suffix == ".dta":
        return _read_dta(path)
    return _read_csv(path, header_rows, encoding, delimiter)


# ---------------------------------------------------------------------------------------- CSV


def _decode(name: str, data: bytes | bytearray, encoding: str | None) -> tuple[str, str]:
    """Decode the whole file; return (text, encoding used). Errors name the row of the bad byte."""
    enc = encoding or ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    try:
        return data.decode(enc), enc
    except LookupError:
        raise DataError(Problem(name, None, None, f"unknown encoding '{encoding}'",
                                "a Python codec name such as utf-8, latin-1, cp1252")) from None
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 4]
        raise DataError(Problem(name, row, None, f"byte {bytes(bad[:1])!r} is not valid {enc} (at file offset {exc.start})",
                                "UTF-8 text; declare the file's encoding in the codebook (questionnaires.<id>.encoding) "
                                "or with --encoding, e.g. latin-1")) from None


def _sniff_delimiter(header: str, declared: str | None) -> str:
    if declared:
        return declared
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, header_rows: int, encoding: str | None, delimiter: str | None) -> RawTable:
    name = path.name
    fast, parsed = _read_utf8_file(name, path, encoding, delimiter, header_rows)
    if fast is not None:
        return fast
    data = read_text_bytes(path, encoding)  # refuses binary data and undeclared UTF-16 from the first block
    text, _ = _decode(name, data, encoding)
    del data
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DataError(Problem(name, None, None, "the file has no content (only whitespace)",
                                "a header row and at least one data row"))
    check_line_endings(name, text)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    sep = _sniff_delimiter(first_line, delimiter)
    # A file pyarrow parsed above would fail the same way again: straight to the precise path.
    fast = None if parsed else _read_csv_arrow(name, text.encode("utf-8"), first_line, sep, header_rows)
    if fast is not None:
        return fast
    rows = csv_rows(name, text, sep)
    # csv yields [] for blank lines; keep positions so row numbers stay true to the file.
    header = rows[0] if rows else []
    if not any(h.strip() for h in header):
        raise DataError(Problem(name, 1, None, "the header row is blank", "column names in row 1"))
    _check_header(name, [h.strip() for h in header])
    body = rows[header_rows:]
    width = len(header)
    records = []
    row_numbers = []
    problems = []
    for i, rec in enumerate(body):
        rownum = header_rows + 1 + i
        if not rec or (len(rec) == 1 and not rec[0].strip()):
            continue  # a blank line is not a respondent; it is reported in the flow as nothing
        if len(rec) != width:
            problems.append(Problem(name, rownum, None, f"{len(rec)} fields",
                                    f"{width} fields as in the header (delimiter {sep!r}; truncated or malformed row?)"))
            continue
        records.append(rec)
        row_numbers.append(rownum)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(records, columns=[h.strip() for h in header], dtype=object)
    return RawTable(name, frame, header_rows + 1, rows=tuple(row_numbers))


def _read_utf8_file(name: str, path: Path, encoding: str | None, delimiter: str | None,
                    header_rows: int) -> tuple[RawTable | None, bool]:
    """A UTF-8 file parsed by pyarrow block by block from the file, never held whole in memory;
    and whether pyarrow parsed it (None, False: it was not tried).

    Only a file the decoding path would accept unchanged is read here (UTF-8, at most one byte
    order mark, a first line ended by LF or CRLF and not blank, no NUL byte); pyarrow checks that
    every cell is valid UTF-8. Anything else gives None, and the decoding path reads the file
    and names the problem.
    """
    if encoding is not None and _codec_name(encoding) not in ("utf-8", "utf-8-sig"):
        return None, False
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    end = head.find(b"\n", start)
    if head.startswith(b"\xef\xbb\xbf", start) or end < 0 or b"\x00" in head:
        return None, False
    try:
        first_line = head[start:end].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None, False
    if not first_line.strip():
        return None, False
    sep = _sniff_delimiter(first_line, delimiter)
    return _read_csv_arrow(name, (path, start), first_line, sep, header_rows), True


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _read_csv_arrow(name: str, source, first_line: str, sep: str, header_rows: int) -> RawTable | None:
    """Fast path for well-formed files (UTF-8 bytes, or a UTF-8 file read block by block); None
    sends the caller to the slow, precise path."""
    read = read_csv_columns(source, first_line, sep, header_rows)
    if read is None:
        return None
    columns, n = read
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), columns=list(columns), copy=False)
    return RawTable(name, frame, header_rows + 1)


# -------------------------------------------------------------------------------------- Excel


def _read_excel(path: Path, header_rows: int, sheet: str | int | None) -> RawTable:
    name = path.name
    raw = read_sheet(path, sheet)  # bounded, and refuses formulas without values and error cells
    if raw.empty:
        raise DataError(Problem(name, None, None, "the sheet is empty", "a header row and at least one data row"))
    header = [_cell_text(v).strip() for v in raw.iloc[0].tolist()]
    _check_header(name, header, excel=True)
    body = raw.iloc[header_rows:]
    cells = body.map(_cell_text)
    keep = ~(cells == "").all(axis=1)
    rows = [int(i) + 1 for i in body.index[keep]]
    frame = pd.DataFrame(cells[keep].to_numpy(), columns=header, dtype=object)
    return RawTable(name, frame, header_rows + 1, rows=tuple(rows))


def _check_header(name: str, header: list[str], excel: bool = False) -> None:
    problems = []
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        col = _excel_col(j) if excel else f"column {j + 1}"
        if not h:
            problems.append(Problem(name, 1, col, "an empty column name" + (" (merged header cells?)" if excel else ""),
                                    "one name per column in row 1; set header_rows for extra header rows"))
        elif h in seen:
            problems.append(Problem(name, 1, h, f"duplicate column name (also column {seen[h] + 1})",
                                    "each column name once"))
        else:
            seen[h] = j
    if problems:
        raise DataError(problems)


def _excel_col(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ------------------------------------------------------------------------------- SPSS, Stata


def _integer_labels(meta) -> dict[str, dict[int, str]]:
    return {var: {int(k): str(v) for k, v in labels.items() if isinstance(k, (int, float)) and float(k).is_integer()}
            for var, labels in (meta.variable_value_labels or {}).items()}


def _read_sav(path: Path) -> RawTable:
    """An SPSS file with its user-missing codes kept as values (they are declared in the codebook as
    non-substantive answers; the declarations are kept so that validation can point to them)."""
    import pyreadstat

    name = path.name
    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise DataError(Problem(name, None, None, f"not a readable SPSS file ({exc})", "an SPSS .sav file")) from None
    cells = df.astype(object).map(_cell_text)
    frame = pd.DataFrame(cells.to_numpy(), columns=list(df.columns), dtype=object)
    declared = {var: tuple((float(r["lo"]), float(r["hi"])) for r in ranges)
                for var, ranges in (meta.missing_ranges or {}).items() if ranges}
    return RawTable(name, frame, 1, _integer_labels(meta), declared_missing=declared)


def _read_dta(path: Path) -> RawTable:
    """A Stata file. Numeric codes (e.g. -99 "Refused") are kept as values; Stata's extended missing
    values .a-.z have no number, so they are read as blank and counted in a note."""
    import pyreadstat

    name = path.name
    try:
        df, meta = pyreadstat.read_dta(str(path), apply_value_formats=False, user_missing=True)
    except Exception as exc:
        raise DataError(Problem(name, None, None, f"not a readable Stata file ({exc})", "a Stata .dta file")) from None
    notes = []
    for var, letters in (meta.missing_user_values or {}).items():
        if var not in df.columns:
            continue
        column = df[var]
        found = {f".{x}": int((column == x).sum()) for x in letters}
        found = {k: v for k, v in found.items() if v}
        if found:
            df[var] = column.where(~column.isin(letters))
            notes.append(f"{name}: column {var}: Stata extended missing value(s) "
                         + ", ".join(f"{k} ({v} rows)" for k, v in found.items())
                         + " read as blank; recode them to numbers declared under 'missing' to report them")
    cells = df.astype(object).map(_cell_text)
    frame = pd.DataFrame(cells.to_numpy(), columns=list(df.columns), dtype=object)
    return RawTable(name, frame, 1, _integer_labels(meta), notes=tuple(notes))

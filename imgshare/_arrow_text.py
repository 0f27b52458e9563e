"""CSV text read by pyarrow into compact columns, without a Python object per cell.

The fast path of :mod:`imgshare._readers` for well-formed UTF-8 files: pyarrow parses the bytes
into string columns; a column of few distinct cells (Likert answers, codes, groups) becomes a
pandas Categorical (small integer codes plus its distinct texts), so that validation and coding
look at each distinct text once however many rows there are; other columns (ids, free text)
stay Arrow strings. A column whose cells are at most one byte long (one-digit codes and blanks,
the usual export) is coded straight from its bytes, without hashing. Anything unusual returns
None, and the caller's precise path reads the file again to name the problem.

:func:`short_text_keys` packs short texts into integers, so that a million respondent ids are
checked for repeats by a sort instead of a hash table of Python strings.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

__all__ = ["read_csv_columns", "short_text_keys"]

#: pyarrow's parse block: a few blocks for a large file, one for a small one.
_BLOCK_SIZE = 1 << 24
#: Rows looked at to tell a column of many distinct cells (ids, free text) before encoding it all.
_SAMPLE = 4096


def read_csv_columns(data, first_line: str, sep: str, header_rows: int) -> tuple[dict[str, pd.Series], int] | None:
    """Columns (stripped header name -> cells) and the row count of UTF-8 CSV ``data`` (bytes-like,
    without a byte order mark; ``first_line`` its first line, decoded); None when the file needs
    the precise path (parse problem, invalid UTF-8, duplicate or empty names, a blank line)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    try:
        header = next(csv.reader([first_line], delimiter=sep))
    except (csv.Error, StopIteration):
        return None
    pool = pa.system_memory_pool()
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(skip_rows_after_names=header_rows - 1, block_size=_BLOCK_SIZE,
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=False, null_values=[],
                quoted_strings_can_be_null=False, auto_dict_encode=False, check_utf8=True,
            ),
            memory_pool=pool,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
        return None
    names = [n.strip() for n in table.column_names]
    if len(set(names)) != len(names) or any(not n for n in names):
        return None
    n = table.num_rows
    columns: dict[str, pd.Series] = {}
    narrowing = []
    for name, column in zip(names, table.columns):
        columns[name], coded, blank_at = _column(column, n, pool)
        narrowing.append((not coded, blank_at))
    rows: np.ndarray | None = None  # rows blank in every column so far: coded columns first (cheap)
    for _, blank_at in sorted(narrowing, key=lambda pair: pair[0]):
        rows = blank_at(rows)
        if not rows.size:
            return columns, n
    return None  # blank lines: the precise path skips them and keeps true row numbers


def _column(column, n: int, pool):
    """One column's cells as a Series, whether it is coded (Categorical), and a function
    narrowing candidate blank rows to those blank in this column too (all rows for None)."""
    coded = _byte_codes(column, n)
    if coded is None and _few_distinct(column, n):
        coded = _dictionary_codes(column, pool)
    if coded is not None and 2 * len(coded[1]) <= n:
        codes, texts = coded
        blank = _blank_texts(texts)
        categories = pd.Index(texts, dtype=str)
        values = pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False), copy=False)

        def blank_at(rows):
            return np.flatnonzero(blank[codes]) if rows is None else rows[blank[codes[rows]]]

        return values, True, blank_at
    values = pd.Series(pd.arrays.ArrowExtensionArray(column), copy=False)

    def blank_text_at(rows):
        import pyarrow.compute as pc

        taken = column if rows is None else column.take(rows)
        is_blank = pc.equal(pc.utf8_trim_whitespace(taken), "").to_numpy().astype(bool)
        return np.flatnonzero(is_blank) if rows is None else rows[is_blank]

    return values, False, blank_text_at


def _blank_texts(texts) -> np.ndarray:
    """Whether each text is blank (whitespace only), as pyarrow's trim sees it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(pa.array(list(texts), type=pa.string()))
    return pc.equal(trimmed, "").to_numpy(zero_copy_only=False).astype(bool)


def _offsets(chunk) -> np.ndarray:
    """Cell boundaries of an Arrow string chunk: cell i is data[offsets[i]:offsets[i + 1]]."""
    import pyarrow as pa

    dtype = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    return np.frombuffer(chunk.buffers()[1], dtype=dtype, count=len(chunk) + 1, offset=chunk.offset * np.dtype(dtype).itemsize)


def _data(chunk) -> np.ndarray:
    buffer = chunk.buffers()[2]
    return np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)


def _byte_codes(column, n: int) -> tuple[np.ndarray, list[str]] | None:
    """Codes and distinct texts of a column whose cells are all blank or one byte long (one-digit
    codes): each cell's byte read directly (no hashing); None for any other column."""
    cells = np.zeros(n, dtype=np.int16)  # 0 = empty cell, else 1 + the cell's byte
    start = 0
    for chunk in column.chunks:
        offsets = _offsets(chunk)
        lengths = np.diff(offsets)
        if lengths.size and int(lengths.max()) > 1:
            return None
        stop = start + len(chunk)
        cells[start:stop][lengths == 1] = _data(chunk)[offsets[0]:offsets[-1]].astype(np.int16) + 1
        start = stop
    present = np.flatnonzero(np.bincount(cells, minlength=257))
    small = np.int8 if len(present) <= np.iinfo(np.int8).max else np.int16  # '' and up to 128 ASCII bytes
    lookup = np.zeros(257, dtype=small)
    lookup[present] = np.arange(len(present), dtype=small)
    texts = ["" if v == 0 else chr(v - 1) for v in present.tolist()]
    return lookup[cells], texts


def _few_distinct(column, n: int) -> bool:
    """Whether a column may have at most n / 2 distinct cells, judged on its first rows."""
    if n <= _SAMPLE:
        return True
    sample = column.slice(0, _SAMPLE).combine_chunks()
    return 2 * len(sample.dictionary_encode().dictionary) <= _SAMPLE


def _dictionary_codes(column, pool) -> tuple[np.ndarray, list[str]]:
    encoded = column.combine_chunks(memory_pool=pool).dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    small = np.int8 if len(texts) <= np.iinfo(np.int8).max else (np.int16 if len(texts) <= np.iinfo(np.int16).max
                                                                    else np.int32)
    return codes.astype(small, copy=False), texts


def short_text_keys(values: pd.Series) -> np.ndarray | None:
    """One integer per cell that is equal exactly when the texts are equal, for Arrow-backed text
    of at most 8 bytes per cell (NUL bytes excluded); None for anything else."""
    import pyarrow as pa

    if not _arrow_backed(values):
        return None
    column = pa.array(values.array)
    if not isinstance(column, pa.ChunkedArray):
        column = pa.chunked_array([column])
    if column.null_count or not (pa.types.is_string(column.type)
                                                   or pa.types.is_large_string(column.type)):
        return None
    keys = np.zeros(len(column), dtype=np.uint64)
    start = 0
    for chunk in column.chunks:
        offsets = _offsets(chunk)
        lengths = np.diff(offsets)
        if lengths.size and int(lengths.max()) > 8:
            return None
        data = np.concatenate([_data(chunk), np.zeros(8, dtype=np.uint8)])
        if np.any(data[offsets[0]:offsets[-1]] == 0):
            return None  # a NUL byte would pack like the padding after a shorter text
        part = keys[start:start + len(chunk)]
        for k in range(8):
            byte = data[offsets[:-1] + k].astype(np.uint64)
            byte[lengths <= k] = 0
            part |= byte << np.uint64(8 * k)
        start += len(chunk)
    return keys


def _arrow_backed(values: pd.Series) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return True
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"

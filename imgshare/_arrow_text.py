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

#: pyarrow's parse block: record batches of about this many bytes of the file are coded one by one,
#: so that the parsed text of the whole file is never held at once.
_BLOCK_SIZE = 1 << 21
#: Rows looked at to tell a column of many distinct cells (ids, free text) before encoding it all.
_SAMPLE = 4096


def read_csv_columns(source, first_line: str, sep: str, header_rows: int
                     ) -> tuple[dict[str, pd.Series], int] | None:
    """Columns (stripped header name -> cells) and the row count of a UTF-8 CSV; None when the
    file needs the precise path (parse problem, invalid UTF-8, a NUL byte in a file, duplicate
    or empty names, a blank line).

    ``source``: the text as bytes-like (without a byte order mark), or ``(path, offset)`` of a file
    read block by block from ``offset`` (past its byte order mark); ``first_line``: its first line,
    decoded.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    try:
        header = next(csv.reader([first_line], delimiter=sep))
    except (csv.Error, StopIteration):
        return None
    from_file = isinstance(source, tuple)
    pool = pa.system_memory_pool()
    stream = None
    try:
        if from_file:
            stream = pa.OSFile(str(source[0]), memory_pool=pool)
            stream.seek(source[1])
        else:
            stream = pa.BufferReader(pa.py_buffer(source))
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(skip_rows_after_names=header_rows - 1, block_size=_BLOCK_SIZE,
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=False, null_values=[],
                quoted_strings_can_be_null=False, auto_dict_encode=False, check_utf8=True,
            ),
            memory_pool=pool,
        )
        names = [n.strip() for n in reader.schema.names]
        if len(set(names)) != len(names) or any(not n for n in names):
            return None
        parts: list[list] = [[] for _ in names]  # per column: one-byte cells (uint8) or Arrow strings per batch
        for batch in reader:
            for column_parts, array in zip(parts, batch.columns):
                part = _one_byte_cells(array)
                if from_file and not isinstance(part, np.ndarray) and not _data(array).all():
                    return None  # a NUL byte: binary data, which the precise path names
                column_parts.append(part)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError, OSError):
        return None
    finally:
        if stream is not None:
            stream.close()
    n = sum(len(part) for part in parts[0]) if parts else 0
    columns: dict[str, pd.Series] = {}
    narrowing = []
    for name, column_parts in zip(names, parts):
        columns[name], coded, blank_at = _column(column_parts, n, pool)
        narrowing.append((not coded, blank_at))
    rows: np.ndarray | None = None  # rows blank in every column so far: coded columns first (cheap)
    for _, blank_at in sorted(narrowing, key=lambda pair: pair[0]):
        rows = blank_at(rows)
        if not rows.size:
            return columns, n
    return None  # blank lines: the precise path skips them and keeps true row numbers


def _one_byte_cells(array):
    """A batch's cells as one byte each (0 = empty) when every cell is empty or one non-NUL byte
    long (one-digit codes and blanks: no hashing, an eighth of the memory); else the Arrow strings."""
    offsets = _offsets(array)
    lengths = np.diff(offsets)
    if lengths.size and int(lengths.max()) > 1:
        return array
    cells = np.zeros(len(array), dtype=np.uint8)
    filled = _data(array)[offsets[0]:offsets[-1]]
    if filled.size and not filled.all():
        return array  # a NUL byte would read as an empty cell
    cells[lengths == 1] = filled
    return cells


def _as_strings(part):
    """Arrow strings of a batch kept as one-byte cells."""
    import pyarrow as pa

    if not isinstance(part, np.ndarray):
        return part
    filled = part != 0
    offsets = np.zeros(len(part) + 1, dtype=np.int32)
    np.cumsum(filled, out=offsets[1:])
    return pa.StringArray.from_buffers(len(part), pa.py_buffer(offsets), pa.py_buffer(part[filled].tobytes()))


def _column(parts: list, n: int, pool):
    """One column's cells as a Series, whether it is coded (Categorical), and a function
    narrowing candidate blank rows to those blank in this column too (all rows for None)."""
    import pyarrow as pa

    column = None
    if all(isinstance(part, np.ndarray) for part in parts):
        coded = _byte_codes(parts, n)
    else:
        column = pa.chunked_array([_as_strings(part) for part in parts], type=pa.string())
        coded = _dictionary_codes(column, pool) if _few_distinct(column, n) else None
    if coded is not None and 2 * len(coded[1]) <= n:
        codes, texts = coded
        blank = _blank_texts(texts)
        categories = pd.Index(texts, dtype=str)
        values = pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False), copy=False)

        def blank_at(rows):
            return np.flatnonzero(blank[codes]) if rows is None else rows[blank[codes[rows]]]

        return values, True, blank_at
    if column is None:
        column = pa.chunked_array([_as_strings(part) for part in parts], type=pa.string())
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


def _byte_codes(parts: list[np.ndarray], n: int) -> tuple[np.ndarray, list[str]]:
    """Codes and distinct texts of one-byte cells (0 = empty): each byte is its own key."""
    counts = np.zeros(256, dtype=np.int64)
    for part in parts:
        counts += np.bincount(part, minlength=256)
    present = np.flatnonzero(counts)
    small = np.int8 if len(present) <= np.iinfo(np.int8).max else np.int16  # '' and up to 127 ASCII bytes
    lookup = np.zeros(256, dtype=small)
    lookup[present] = np.arange(len(present), dtype=small)
    codes = np.empty(n, dtype=small)
    start = 0
    for part in parts:
        np.take(lookup, part, out=codes[start:start + len(part)])
        start += len(part)
    texts = [chr(v) if v else "" for v in present.tolist()]
    return codes, texts


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
        if not data[offsets[0]:offsets[-1]].all():
            return None  # a NUL byte would pack like the padding after a shorter text
        # The 8 bytes from each text's start, read as one little-endian integer; the bytes past
        # the text's end (the next texts, or padding) masked to zero.
        windows = np.lib.stride_tricks.sliding_window_view(data, 8)[offsets[:-1]]
        part = np.ascontiguousarray(windows).view("<u8").ravel() & _LOW_BYTES[lengths]
        keys[start:start + len(chunk)] = part
        start += len(chunk)
    return keys


#: _LOW_BYTES[k]: the k lowest bytes of a 64-bit integer set.
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _arrow_backed(values: pd.Series) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return True
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"

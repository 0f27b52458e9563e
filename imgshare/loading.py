"""Load and validate questionnaire data against the codebook.

:func:`load_questionnaire` turns one data file into a typed frame (integer codes for Likert items
and categorical variables, text, numbers) or raises :class:`~imgshare.errors.DataError` listing
*every* problem as ``file:row:column: what was found; what was expected``. Rows are numbered as a
spreadsheet user sees them (the header is row 1). Nothing is coerced silently: a value is either a
code of its scale, one of its labels (case- and whitespace-insensitive), blank, or an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._readers import RawTable, read_raw
from .codebook import Codebook, Level, Questionnaire
from .errors import DataError, Problem

__all__ = ["LoadedQuestionnaire", "load_questionnaire", "validate_data"]

#: Problems gathered per column before the rest of that column is only counted.
PER_COLUMN_LIMIT = 20


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """One questionnaire's received rows, typed. ``frame`` is indexed by respondent id."""

    questionnaire: Questionnaire
    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    warnings: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _code_lookup(levels: tuple[Level, ...], answers: str) -> dict[str, int]:
    lookup: dict[str, int] = {}
    if answers in ("auto", "labels"):
        lookup.update({_norm(lv.label): lv.code for lv in levels})
    if answers in ("auto", "codes"):
        lookup.update({str(lv.code): lv.code for lv in levels})
    return lookup


def _expected_levels(levels: tuple[Level, ...], answers: str, what: str) -> str:
    codes = [lv.code for lv in levels]
    contiguous = codes == list(range(min(codes), max(codes) + 1))
    code_text = f"{min(codes)}-{max(codes)}" if contiguous and len(codes) > 2 else ", ".join(map(str, codes))
    labels = "; ".join(f"{lv.code} = {lv.label}" for lv in levels)
    if answers == "codes":
        return f"a code of {what} ({code_text}) or blank"
    if answers == "labels":
        return f"a label of {what} ({labels}) or blank"
    return f"a code or label of {what} ({labels}) or blank"


class _Collector:
    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.omitted = 0

    def rows(self, column: str, positions: np.ndarray, found: list[str], expected: str) -> None:
        for pos, f in zip(positions[:PER_COLUMN_LIMIT], found[:PER_COLUMN_LIMIT]):
            self.problems.append(Problem(self.raw.file, self.raw.row_of(int(pos)), column, f, expected))
        self.omitted += max(0, len(positions) - PER_COLUMN_LIMIT)

    def whole(self, column: str | None, found: str, expected: str) -> None:
        self.problems.append(Problem(self.raw.file, None, column, found, expected))


def _coded(values: pd.Series, lookup: dict[str, int], column: str, expected: str,
           out: _Collector) -> pd.Series:
    """Map text cells to integer codes through their unique values (fast for large files)."""
    codes_of_unique, uniques = pd.factorize(values, sort=False)
    mapped = np.full(len(uniques), -1, dtype=np.int64)
    missing = np.zeros(len(uniques), dtype=bool)
    bad = []
    for k, u in enumerate(uniques):
        key = _norm(str(u))
        if key == "":
            missing[k] = True
        elif key in lookup:
            mapped[k] = lookup[key]
        else:
            as_num = _integer_text(key)
            if as_num is not None and str(as_num) in lookup:
                mapped[k] = lookup[str(as_num)]
            else:
                bad.append(k)
    result = mapped[codes_of_unique]
    mask = missing[codes_of_unique]
    if bad:
        is_bad = np.isin(codes_of_unique, bad)
        positions = np.flatnonzero(is_bad)
        found = [f"found {str(uniques[codes_of_unique[p]])!r}" for p in positions[:PER_COLUMN_LIMIT]]
        out.rows(column, positions, found, f"expected {expected}")
        mask = mask | is_bad
    return pd.Series(pd.arrays.IntegerArray(result, mask), index=values.index, name=column, dtype="Int64")


#: A code written as a number: ASCII digits, optionally signed, optionally with a zero fraction
#: ("4", "04", "4.0" as spreadsheets export it). Not "1e0", "4_0", "inf" or non-ASCII digits
#: ("٤"), which Python's float() would quietly accept.
_CODE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0*)?", re.ASCII)


def _integer_text(key: str) -> int | None:
    if not _CODE_NUMBER.fullmatch(key):
        return None
    return int(float(key)) if "." in key else int(key)


def _numbers(values: pd.Series, column: str, out: _Collector, minimum: float | None = None) -> pd.Series:
    stripped = values.astype(str).str.strip()
    parsed = pd.to_numeric(stripped.where(stripped != "", None), errors="coerce")
    bad = (stripped != "") & parsed.isna()
    if minimum is not None:
        bad |= parsed < minimum
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        found = [f"found {stripped.iloc[p]!r}" for p in positions[:PER_COLUMN_LIMIT]]
        expected = "expected a number" + (f" >= {minimum:g}" if minimum is not None else "") + " or blank"
        out.rows(column, positions, found, expected)
    return pd.Series(parsed.where(~bad), index=values.index, name=column).astype("Float64")


def _text(values: pd.Series) -> pd.Series:
    s = values.astype(str)
    return s.where(s.str.strip() != "", None).astype("string")


def _check_value_labels(raw: RawTable, column: str, levels: tuple[Level, ...], what: str, out: _Collector) -> None:
    """An SPSS file's own value labels must agree with the codebook's levels."""
    file_labels = raw.value_labels.get(column)
    if not file_labels:
        return
    book = {lv.code: lv.label for lv in levels}
    for code, label in sorted(file_labels.items()):
        if code in book and _norm(label) != _norm(book[code]):
            out.whole(column, f"value label {code} = {label!r} in the file",
                      f"expected {code} = {book[code]!r} as in the codebook ({what})")
        elif code not in book:
            out.whole(column, f"value label {code} = {label!r} in the file is not a level of {what}",
                      f"expected codes {', '.join(str(c) for c in book)}")


#: Undeclared column names listed in the warning before the rest are counted.
EXTRA_LISTED = 10


def _extra_columns_warning(file: str, extra: list) -> str:
    """One short line however many columns a file carries beyond the codebook."""
    names = [_short_name(str(c)) for c in extra[:EXTRA_LISTED]]
    more = f" and {len(extra) - EXTRA_LISTED:,} more" if len(extra) > EXTRA_LISTED else ""
    return f"{file}: {len(extra)} column(s) not in the codebook were ignored: {', '.join(names)}{more}"


def _short_name(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def parse_raw(codebook: Codebook, qid: str, raw: RawTable, path: Path) -> LoadedQuestionnaire:
    """Type and validate the raw cells of questionnaire ``qid``; raise DataError on any problem."""
    q = codebook.questionnaires[qid]
    out = _Collector(raw)
    frame = raw.frame
    warnings: list[str] = []
    present = set(frame.columns)
    if len(frame.columns) == 1 and len(q.columns) > 1:
        only = str(frame.columns[0])
        seps = [d for d in ",;\t|" if d in only]
        if seps:
            out.whole(None, f"the header has a single column {only[:40]!r}",
                      f"columns separated by {q.delimiter or ','!r}; the file seems to use {seps[0]!r} "
                      "(set questionnaires.<id>.delimiter)")
            raise DataError(out.problems)
    for col in q.columns:
        if col not in present:
            out.whole(col, "column is missing",
                      f"expected column '{col}' (declared in {codebook.source}: questionnaires.{qid})")
    extra = [c for c in frame.columns if c not in set(q.columns)]
    if extra:
        warnings.append(_extra_columns_warning(raw.file, extra))
    if len(frame) == 0:
        out.whole(None, "no data rows (header only)", "at least one respondent row after the header")
    if out.problems:
        raise DataError(out.problems)

    columns: dict[str, pd.Series] = {}
    for iid in q.items:
        scale = codebook.scale_of(iid)
        what = f"scale {scale.id}"
        _check_value_labels(raw, iid, scale.levels, what, out)
        columns[iid] = _coded(frame[iid], _code_lookup(scale.levels, q.answers), iid,
                              _expected_levels(scale.levels, q.answers, what), out)
    for vid, var in q.variables.items():
        if var.type == "categorical":
            what = f"variable {vid}"
            _check_value_labels(raw, vid, var.levels, what, out)
            columns[vid] = _coded(frame[vid], _code_lookup(var.levels, q.answers), vid,
                                  _expected_levels(var.levels, q.answers, what), out)
        elif var.type == "number":
            columns[vid] = _numbers(frame[vid], vid, out)
        else:
            columns[vid] = _text(frame[vid])
    if q.weight:
        w = _numbers(frame[q.weight], q.weight, out, minimum=0)
        blank = np.flatnonzero(w.isna().to_numpy())
        out.rows(q.weight, blank, ["found a blank weight"] * min(len(blank), PER_COLUMN_LIMIT), "expected a weight >= 0")
        columns[q.weight] = w

    ids = frame[q.id_column].astype(str).str.strip()
    blank_ids = np.flatnonzero((ids == "").to_numpy())
    out.rows(q.id_column, blank_ids, ["found a blank respondent id"] * min(len(blank_ids), PER_COLUMN_LIMIT),
             "expected a unique id on every row")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first_pos = {v: i for i, v in reversed(list(enumerate(ids.to_numpy())))}
        positions = np.flatnonzero(dup.to_numpy())
        found = [f"duplicate respondent id {ids.iloc[p]!r} (first on row {raw.row_of(first_pos[ids.iloc[p]])})"
                 for p in positions[:PER_COLUMN_LIMIT]]
        out.rows(q.id_column, positions, found, "expected each respondent once")

    typed = pd.DataFrame(columns)
    _check_asked_if(q, typed, out)
    if out.problems:
        raise DataError(out.problems, omitted=out.omitted)
    typed.index = pd.Index(ids.to_numpy(dtype=object), name=q.id_column)
    rows = np.array([raw.row_of(i) for i in range(len(frame))], dtype=np.int64)
    return LoadedQuestionnaire(q, path, typed, rows, tuple(warnings))


def _check_asked_if(q: Questionnaire, typed: pd.DataFrame, out: _Collector) -> None:
    """An answer to a question the respondent was never asked is a data error, not an answer."""
    for vid, var in q.variables.items():
        for dep, codes in var.asked_if.items():
            asked = typed[dep].isin(codes).fillna(False).to_numpy(dtype=bool)
            answered = typed[vid].notna().to_numpy(dtype=bool)
            positions = np.flatnonzero(answered & ~asked)
            if len(positions):
                found = [f"found an answer although {dep} is {typed[dep].iloc[p]} (not asked)"
                         for p in positions[:PER_COLUMN_LIMIT]]
                out.rows(vid, positions, found,
                         f"expected blank unless {dep} is {' or '.join(map(str, codes))}")


def load_questionnaire(codebook: Codebook, qid: str, data_dir: Path | None = None,
                       encoding: str | None = None) -> LoadedQuestionnaire:
    """Read, type and validate the data file of questionnaire ``qid``."""
    q = codebook.questionnaires[qid]
    path = codebook.data_path(qid, data_dir)
    raw = read_raw(path, header_rows=q.header_rows, encoding=encoding or q.encoding,
                   delimiter=q.delimiter, sheet=q.sheet)
    return parse_raw(codebook, qid, raw, path)


def validate_data(codebook: Codebook, data_dir: Path | None = None,
                  encoding: str | None = None) -> tuple[list[Problem], list[str], int]:
    """Check every questionnaire's file. Returns (problems, warnings, omitted problem count)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    omitted = 0
    for qid in codebook.questionnaires:
        try:
            loaded = load_questionnaire(codebook, qid, data_dir, encoding)
        except DataError as exc:
            problems.extend(exc.problems)
            omitted += exc.omitted
        else:
            warnings.extend(loaded.warnings)
    return problems, warnings, omitted

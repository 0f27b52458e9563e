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

from ._data_checks import declared_missing, grouped_warnings, label_findings, qualtrics_rows
from ._arrow_text import short_text_keys
from ._readers import RawTable, read_raw
from .codebook import Codebook, Level, Questionnaire
from .errors import DataError, Problem

__all__ = ["LoadedQuestionnaire", "load_questionnaire", "validate_data"]

#: Problems gathered per column before the rest of that column is only counted.
PER_COLUMN_LIMIT = 20


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """One questionnaire's received rows, typed. ``frame`` is indexed by respondent id.

    A non-substantive answer (a code declared under ``missing``) is missing in ``frame`` and
    recorded in ``nonsubstantive``: same index, one nullable Int64 column per column that has
    declared codes, holding the code given (missing elsewhere).
    """

    questionnaire: Questionnaire
    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    warnings: tuple[str, ...]
    nonsubstantive: pd.DataFrame | None = None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _code_lookup(levels: tuple[Level, ...], answers: str) -> dict[str, int]:
    lookup: dict[str, int] = {}
    if answers in ("auto", "labels"):
        lookup.update({_norm(lv.label): lv.code for lv in levels})
    if answers in ("auto", "codes"):
        lookup.update({str(lv.code): lv.code for lv in levels})
    return lookup


def _expected_levels(levels: tuple[Level, ...], answers: str, what: str, missing: tuple[Level, ...] = ()) -> str:
    codes = [lv.code for lv in levels]
    contiguous = codes == list(range(min(codes), max(codes) + 1))
    code_text = f"{min(codes)}-{max(codes)}" if contiguous and len(codes) > 2 else ", ".join(map(str, codes))
    labels = "; ".join(f"{lv.code} = {lv.label}" for lv in levels)
    extra = ""
    if missing:
        extra = ", a non-substantive " + ("code" if answers == "codes" else "answer") + " (" + "; ".join(
            f"{lv.code} = {lv.label}" for lv in missing) + ")"
    if answers == "codes":
        return f"a code of {what} ({code_text}){extra} or blank"
    if answers == "labels":
        return f"a label of {what} ({labels}){extra} or blank"
    return f"a code or label of {what} ({labels}){extra} or blank"


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
           out: _Collector, nonsubstantive: tuple[int, ...] = (), declared: dict[int, str] | None = None,
           where: str = "") -> tuple[pd.Series, pd.Series | None]:
    """Map text cells to integer codes through their unique values (fast for large files).

    Returns (codes, non-substantive codes): a cell holding one of the ``nonsubstantive`` codes is
    missing in the first and kept in the second (None when no ``nonsubstantive`` code is declared).
    ``declared``: codes the file itself declares missing, named in the message when they are
    found but not declared in the codebook (under ``where``).
    """
    codes_of_unique, uniques = _distinct(values)
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
        flagged = [k for k in bad if declared and _integer_text(_norm(str(uniques[k]))) in declared]
        if flagged:  # the file says these are missing values: one line saying where to declare them
            hit = np.isin(codes_of_unique, flagged)
            shown = sorted({_integer_text(_norm(str(uniques[k]))) for k in flagged})
            out.whole(column, f"code(s) {', '.join(f'{c} ({declared[c]!r})' if declared[c] else str(c) for c in shown)}"
                              f" in {int(hit.sum())} row(s), declared missing in the file, are not in the codebook",
                      f"expected them declared under {where} (e.g. missing: {{{shown[0]}: "
                      f"{declared[shown[0]] or 'No answer'}}}), or {expected}")
            is_bad_cells = is_bad & ~hit
        else:
            is_bad_cells = is_bad
        positions = np.flatnonzero(is_bad_cells)
        found = [f"found {str(uniques[codes_of_unique[p]])!r}" for p in positions[:PER_COLUMN_LIMIT]]
        out.rows(column, positions, found, f"expected {expected}")
        mask = mask | is_bad
    nonsub = None
    if nonsubstantive:
        is_code = np.isin(result, np.asarray(nonsubstantive, dtype=np.int64)) & ~mask
        nonsub = pd.Series(pd.arrays.IntegerArray(result.copy(), ~is_code), index=values.index, name=column,
                           copy=False)
        mask = mask | is_code
    return pd.Series(pd.arrays.IntegerArray(result, mask), index=values.index, name=column, copy=False), nonsub


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Index | np.ndarray]:
    """Each cell's index into the column's distinct cells, and those cells. A Categorical column
    (as the CSV reader gives columns of few distinct cells) has them already: no hashing."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if not len(codes) or codes.min() >= 0:  # -1 would be a missing cell: the readers give none
            return codes, values.cat.categories
    return pd.factorize(values, sort=False)


#: A code written as a number: ASCII digits, optionally signed, optionally with a zero fraction
#: ("4", "04", "4.0" as spreadsheets export it). Not "1e0", "4_0", "inf" or non-ASCII digits
#: ("٤"), which Python's float() would quietly accept.
_CODE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0*)?", re.ASCII)


def _integer_text(key: str) -> int | None:
    if not _CODE_NUMBER.fullmatch(key):
        return None
    return int(float(key)) if "." in key else int(key)


def _numbers(values: pd.Series, column: str, out: _Collector, minimum: float | None = None,
             missing: tuple[Level, ...] = ()) -> tuple[pd.Series, pd.Series | None]:
    """Numbers (missing where blank), and the non-substantive codes among them (a value equal
    to a ``missing`` code, or its label) when any are declared."""
    stripped = values.astype(str).str.strip()
    nonsub = None
    if missing:
        lookup = {**{_norm(lv.label): lv.code for lv in missing}, **{str(lv.code): lv.code for lv in missing}}
        keys = stripped.map(_norm)
        as_code = keys.map(lambda k: lookup.get(k, lookup.get(str(_integer_text(k)), None)))
        nonsub = pd.Series(pd.array(as_code.tolist(), dtype="Int64"), index=values.index, name=column)
        stripped = stripped.where(nonsub.isna().to_numpy(), "")
    parsed = pd.to_numeric(stripped.where(stripped != "", None), errors="coerce")
    bad = (stripped != "") & parsed.isna()
    if minimum is not None:
        bad |= parsed < minimum
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        found = [f"found {stripped.iloc[p]!r}" for p in positions[:PER_COLUMN_LIMIT]]
        codes = "; ".join(f"{lv.code} = {lv.label}" for lv in missing)
        expected = ("expected a number" + (f" >= {minimum:g}" if minimum is not None else "")
                    + (f", a non-substantive code ({codes})" if missing else "") + " or blank")
        out.rows(column, positions, found, expected)
    return pd.Series(parsed.where(~bad), index=values.index, name=column).astype("Float64"), nonsub


def _text(values: pd.Series) -> pd.Series:
    s = values.astype(str)
    return s.where(s.str.strip() != "", None).astype("string")


def _check_value_labels(raw: RawTable, column: str, levels: tuple[Level, ...], missing: tuple[Level, ...],
                        what: str, where: str, out: _Collector, found: list[tuple[str, str]]) -> None:
    """An SPSS or Stata file's own value labels against the codebook's (the codebook's win; codes
    that run the other way are an error)."""
    problems, warnings = label_findings(raw, column, levels, missing, what, where)
    for text, expected in problems:
        out.whole(column, text, expected)
    found.extend(warnings)


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
    if q.header_rows == 1 and qualtrics_rows(raw, q.items or q.columns):
        out.whole(None, "rows 2 and 3 look like a Qualtrics export's extra header rows (question texts, "
                        "then ImportId cells)",
                  f"expected header_rows: 3 under questionnaires.{qid} in {codebook.source}, so that they are skipped")
    if out.problems:
        raise DataError(out.problems)

    columns: dict[str, pd.Series] = {}
    nonsub: dict[str, pd.Series] = {}
    label_warnings: list[tuple[str, str]] = []
    for iid in q.items:
        scale = codebook.scale_of(iid)
        what = f"scale {scale.id}"
        missing = codebook.missing_of(qid, iid)
        where = f"scales.{scale.id}.missing (or items.{iid}.missing)"
        _check_value_labels(raw, iid, scale.levels, missing, what, where, out, label_warnings)
        columns[iid], nonsub[iid] = _coded(
            frame[iid], _code_lookup(scale.levels + missing, q.answers), iid,
            _expected_levels(scale.levels, q.answers, what, missing), out, tuple(lv.code for lv in missing),
            declared_missing(raw, iid), where)
    for vid, var in q.variables.items():
        where = f"questionnaires.{qid}.variables.{vid}.missing"
        if var.type == "categorical":
            what = f"variable {vid}"
            _check_value_labels(raw, vid, var.levels, var.missing, what, where, out, label_warnings)
            columns[vid], nonsub[vid] = _coded(
                frame[vid], _code_lookup(var.levels + var.missing, q.answers), vid,
                _expected_levels(var.levels, q.answers, what, var.missing), out, var.missing_codes,
                declared_missing(raw, vid), where)
        elif var.type == "number":
            columns[vid], nonsub[vid] = _numbers(frame[vid], vid, out, missing=var.missing)
        else:
            columns[vid] = _text(frame[vid])
    warnings.extend(raw.notes)
    warnings.extend(grouped_warnings(raw.file, label_warnings))
    if q.weight:
        w, _ = _numbers(frame[q.weight], q.weight, out, minimum=0)
        blank = np.flatnonzero(w.isna().to_numpy())
        out.rows(q.weight, blank, ["found a blank weight"] * min(len(blank), PER_COLUMN_LIMIT), "expected a weight >= 0")
        columns[q.weight] = w

    ids = frame[q.id_column].astype(str).str.strip()
    blank = (ids == "").to_numpy(dtype=bool)
    blank_ids = np.flatnonzero(blank)
    out.rows(q.id_column, blank_ids, ["found a blank respondent id"] * min(len(blank_ids), PER_COLUMN_LIMIT),
             "expected a unique id on every row")
    # One pass says whether any id repeats; positions are looked for only when one does.
    dup = None if _all_distinct(ids) else ids.duplicated(keep="first") & ~blank
    if dup is not None and dup.any():
        first_pos = {v: i for i, v in reversed(list(enumerate(ids.to_numpy())))}
        positions = np.flatnonzero(dup.to_numpy())
        found = [f"duplicate respondent id {ids.iloc[p]!r} (first on row {raw.row_of(first_pos[ids.iloc[p]])})"
                 for p in positions[:PER_COLUMN_LIMIT]]
        out.rows(q.id_column, positions, found, "expected each respondent once")

    typed = pd.DataFrame(columns, copy=False)  # fresh columns: no need for the defensive copy
    _check_asked_if(q, typed, out)
    if out.problems:
        raise DataError(out.problems, omitted=out.omitted)
    typed.index = pd.Index(ids.array, name=q.id_column)
    codes = pd.DataFrame({c: s for c, s in nonsub.items() if s is not None}, index=frame.index)
    codes.index = typed.index
    rows = (np.asarray(raw.rows, dtype=np.int64) if raw.rows is not None
            else np.arange(raw.first_row, raw.first_row + len(frame), dtype=np.int64))  # = raw.row_of(i) for each i
    return LoadedQuestionnaire(q, path, typed, rows, tuple(warnings), codes)


def _all_distinct(ids: pd.Series) -> bool:
    """Whether no text occurs twice: a sort of packed integers for short Arrow texts (a million
    ids in a few hundredths of a second), a hash of the texts otherwise."""
    keys = short_text_keys(ids)
    if keys is None:
        return ids.nunique(dropna=False) == len(ids)
    keys.sort()
    return not bool(np.any(keys[1:] == keys[:-1]))


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

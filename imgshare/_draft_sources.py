"""What survey files say about their columns, read for :func:`imgshare.draft.draft_codebook`:
SPSS and Stata metadata (labels, value labels, missing-value declarations) and REDCap data
dictionaries (field types, choices, labels, branching logic)."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from .draft import DraftField, split_missing
from .errors import DataError, Problem

__all__ = ["fields_from_labelled", "fields_from_redcap", "redcap_condition"]


def fields_from_labelled(path: Path) -> list[DraftField]:
    """Columns of an SPSS or Stata file from its metadata (no data rows are read)."""
    import pyreadstat

    stata = path.suffix.lower() == ".dta"
    try:
        reader = pyreadstat.read_dta if stata else pyreadstat.read_sav
        # user_missing=True: without it pyreadstat leaves out the SPSS missing-value declarations
        _, meta = reader(str(path), metadataonly=True, user_missing=True)
    except Exception as exc:
        what = "Stata .dta" if stata else "SPSS .sav"
        raise DataError(Problem(str(path), None, None, f"not a readable {what} file ({exc})", f"an {what} file")) \
            from None
    labels = meta.column_names_to_labels or {}
    value_labels = meta.variable_value_labels or {}
    types = meta.readstat_variable_types or {}
    ranges = meta.missing_ranges or {}
    out = []
    for var in meta.column_names:
        pairs = sorted((int(k), str(v)) for k, v in value_labels.get(var, {}).items()
                       if isinstance(k, (int, float)) and float(k).is_integer())
        declared = {c for c, _ in pairs for r in ranges.get(var, []) if r["lo"] <= c <= r["hi"]}
        declared |= {int(r["lo"]) for r in ranges.get(var, []) if r["lo"] == r["hi"] and float(r["lo"]).is_integer()}
        levels, missing = split_missing(pairs, declared)
        labelled = {c for c, _ in missing}
        missing += [(c, "Missing") for c in sorted(declared - labelled)]
        if types.get(var) == "string":
            kind = "text"
        elif levels:
            kind = "labelled"
        else:
            kind = "number"
        out.append(DraftField(var, str(labels.get(var) or ""), kind, levels, sorted(missing)))
    return out


# ------------------------------------------------------------------------------------ REDCap

_COLUMNS = {"field": "variable / field name", "form": "form name", "type": "field type", "label": "field label",
            "choices": "choices, calculations, or slider labels", "validation": "text validation type or show slider number",
            "logic": "branching logic (show field only if...)"}
_NUMERIC_VALIDATION = re.compile(r"^(integer|number|number_\d+dp(_comma_decimal)?|number_comma_decimal)$")
_CLAUSE = re.compile(r"""^\[(?P<var>[A-Za-z0-9_]+)(?:\((?P<opt>[^)]+)\))?\]\s*(?P<op>=|<>|!=)\s*
                         (?P<q>['"]?)(?P<value>-?\d+)(?P=q)$""", re.X)


def _strip_html(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _choices(text: str, where: str) -> list[tuple[str, str]]:
    """REDCap's "1, Never | 2, Sometimes" choices as (code text, label)."""
    out = []
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        if "," not in part:
            raise DataError(Problem(where, None, None, f"choice {part!r} has no code",
                                    "choices written as 'code, label | code, label'"))
        code, label = part.split(",", 1)
        out.append((code.strip(), _strip_html(label)))
    return out


def redcap_condition(logic: str) -> dict[str, list[int]] | None:
    """``asked_if`` from REDCap branching logic, or None when it cannot be said as one.

    Clauses ``[var] = 'code'`` joined by ``or`` on one variable give its codes; clauses joined
    by ``and`` on different variables give one condition each. A checkbox option
    ``[var(2)] = '1'`` is the column ``var___2``.

    Examples
    --------
    >>> redcap_condition("[smoker] = '1' or [smoker] = '2'")
    {'smoker': [1, 2]}
    >>> redcap_condition("[age] > 18") is None
    True
    """
    logic = " ".join(logic.split())
    if not logic:
        return {}
    ors = re.split(r"\s+or\s+", logic, flags=re.I)
    ands = re.split(r"\s+and\s+", logic, flags=re.I)
    if len(ors) > 1 and len(ands) > 1:
        return None
    clauses = []
    for part in (ors if len(ors) > 1 else ands):
        m = _CLAUSE.match(part.strip().strip("()").strip())
        if m is None or m.group("op") != "=":
            return None
        var = m.group("var") + (f"___{m.group('opt')}" if m.group("opt") else "")
        clauses.append((var, int(m.group("value"))))
    if len(ors) > 1:
        names = {v for v, _ in clauses}
        return {names.pop(): [c for _, c in clauses]} if len(names) == 1 else None
    out: dict[str, list[int]] = {}
    for var, code in clauses:
        if var in out:
            return None
        out[var] = [code]
    return out


def fields_from_redcap(path: Path) -> tuple[list[DraftField], str]:
    """Columns of a REDCap project from its data dictionary, and the likely name of its data export."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataError(Problem(name, None, None, "the file is empty", "a REDCap data dictionary"))
    header = [h.strip().lower() for h in rows[0]]
    index = {key: header.index(col) for key, col in _COLUMNS.items() if col in header}
    absent = [_COLUMNS[k] for k in ("field", "type", "label") if k not in index]
    if absent:
        raise DataError(Problem(name, 1, None, f"no column(s) {', '.join(repr(a) for a in absent)}",
                                "a REDCap data dictionary (Project Setup > Data Dictionary > download)"))
    out = []
    for r, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))

        def get(key: str) -> str:
            return row[index[key]].strip() if key in index else ""

        field, ftype, label = get("field"), get("type").lower(), _strip_html(get("label"))
        if not field or ftype in ("descriptive", "file"):
            continue
        where = f"{name}:{r}"
        logic = get("logic")
        asked_if = redcap_condition(logic)
        note = "" if asked_if is not None else f"REDCap branching logic not drafted: {logic}"
        asked_if = asked_if or {}
        if ftype in ("radio", "dropdown", "yesno", "truefalse"):
            if ftype == "yesno":
                choices = [("1", "Yes"), ("0", "No")]
            elif ftype == "truefalse":
                choices = [("1", "True"), ("0", "False")]
            else:
                choices = _choices(get("choices"), where)
            if not all(re.fullmatch(r"-?\d+", c) for c, _ in choices):
                out.append(DraftField(field, label, "text", asked_if=asked_if,
                                      note=(note + " Choices have non-numeric codes: drafted as text.").strip()))
                continue
            pairs = [(int(c), lab) for c, lab in choices]
            pairs = pairs if ftype in ("yesno", "truefalse") else sorted(pairs)
            levels, missing = split_missing(pairs) if ftype not in ("yesno", "truefalse") else (pairs, [])
            out.append(DraftField(field, label, "labelled", levels, missing, asked_if, note))
        elif ftype == "checkbox":
            for code, option in _choices(get("choices"), where):
                out.append(DraftField(f"{field}___{code}", f"{label}: {option}", "labelled",
                                      [(0, "Unchecked"), (1, "Checked")], [], dict(asked_if), note))
        elif ftype in ("calc", "slider") or (ftype == "text" and _NUMERIC_VALIDATION.match(get("validation"))):
            out.append(DraftField(field, label, "number", asked_if=asked_if, note=note))
        else:  # text (dates, e-mails, free text), notes, sql
            out.append(DraftField(field, label, "text", asked_if=asked_if, note=note))
    if not out:
        raise DataError(Problem(name, None, None, "no fields", "a REDCap data dictionary with at least one field"))
    stem = path.stem
    data_name = (re.sub(r"(?i)data_?dictionary.*$", "DATA", stem) if re.search(r"(?i)data_?dictionary", stem)
                 else f"{stem}_DATA") + ".csv"
    return out, data_name

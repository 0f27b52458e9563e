"""The reproduction-audit appendix: every printed value against the value computed here.

:func:`audit_report` runs :mod:`imgshare.audit` (the check against the cohort and the
data-free consistency checks) and lays its frames out as tables, one per kind of source
(the paper's tables, its text, then secondary documents such as a poster), plus the
flagged consistency findings. Presentation only: the verdicts are the audit's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the callers that pass frames; the engine's warm path needs none
    import pandas as pd


from ._exhibit import LabelledTable, table_formats

__all__ = ["AuditReport", "AuditCheck", "audit_report", "audit_check", "audit_layout"]

_KIND_CAPTIONS = {"table": "values printed in the paper's tables", "text": "values printed in the paper's text"}
_COUNT_KINDS = ("count", "flow")


@dataclass(frozen=True, eq=False)
class AuditCheck:
    """The audit's verdicts before any table is laid out: enough for the summary sentence.

    ``summary`` is the one-paragraph statement (:func:`imgshare.audit.audit_tables`); ``checked``
    the verdict per printed value; ``grouped`` what :func:`imgshare.audit.audit_tables` returned;
    ``flags`` the values withheld under ``min_cell`` (None when off).
    """

    summary: str
    n_values: int
    checked: Any
    grouped: Any
    flags: dict[str, str] | None
    codebook: Any
    min_cell: int


@dataclass(frozen=True)
class AuditReport:
    """The summary paragraph (plain text) and the appendix tables (label -> LabelledTable)."""

    summary: str
    tables: tuple[LabelledTable, ...]
    n_values: int


def _fmt(value: float, decimals: int) -> str:
    from ..tables import fmt_number

    return fmt_number(value, max(0, decimals))


def _published_text(row: Any) -> str:
    if row.kind == "significant":
        return f"p < {row.published:g}"
    text = _fmt(row.published, int(row.decimals))
    return text + ("%" if row.percent_sign else "")


def _computed_text(row: Any, min_cell: int, flag: str = "") -> str:
    from ..disclosure import SMALL, small_text
    from ..tables import fmt_p

    if flag:
        return small_text(min_cell) if flag == SMALL else "withheld"
    value = row.computed
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if row.kind == "significant":
        return "p " + (fmt_p(value) if fmt_p(value).startswith("<") else "= " + fmt_p(value))
    if float(value).is_integer() and row.kind in _COUNT_KINDS:
        if min_cell > 1 and 0 < value < min_cell:
            return f"<{min_cell}"
        return str(int(value))
    # One place more than printed, so the reader sees how the computed value rounds.
    return _fmt(value, int(row.decimals) + 1) + ("%" if row.percent_sign else "")


def _verdict_text(row: Any, flag: str = "") -> str:
    if flag:  # a verdict against a printed value would give the computed one back
        return "not shown (small counts)"
    if row.verdict == "mismatch":
        return "mismatch (expected)" if bool(row.expected) else "MISMATCH"
    return str(row.verdict)


def _check_table(label: str, caption: str, part: pd.DataFrame, codebook: Any, min_cell: int,
                 flags: dict[str, str] | None = None) -> LabelledTable:
    import pandas as pd

    from ..tables import Footnote, TableSpec

    # Row groups (sources) must be contiguous; keep each source where it first appears.
    order = {s: i for i, s in enumerate(dict.fromkeys(part["source"]))}
    part = part.assign(_o=part["source"].map(order)).sort_values("_o", kind="stable").reset_index(drop=True)
    data = pd.DataFrame({
        "source": part["source"].astype(str),
        "printed": part["printed"].astype(str),
        "published": [_published_text(r) for r in part.itertuples(index=False)],
        "computed": [_computed_text(r, min_cell, (flags or {}).get(r.id, "")) for r in part.itertuples(index=False)],
        "verdict": [_verdict_text(r, (flags or {}).get(r.id, "")) for r in part.itertuples(index=False)],
    })
    notes: list = ["Computed values are shown to one decimal place more than printed. 'match (truncated)': "
                   "the printed value is the computed one cut off, not rounded."]
    if flags and any(flags.get(r.id) for r in part.itertuples(index=False)):
        notes.append(f"Values the report withholds to protect counts of fewer than {min_cell} respondents are not "
                     "shown, nor are their verdicts.")
    for i, r in enumerate(part.itertuples(index=False)):
        if flags and flags.get(r.id):
            continue
        if str(r.note).strip() and r.verdict != "match":
            notes.append(Footnote(str(r.note).strip(), column="verdict", row=i))
    spec = TableSpec(label=label, title=caption, data=data, stub="printed", stubhead="As printed", groups="source",
                     column_labels={"published": "Published", "computed": "Computed", "verdict": "Verdict"},
                     align={"verdict": "left"}, footnotes=notes, is_synthetic=codebook.study.synthetic)
    return LabelledTable(label, caption, table_formats(spec))


def _findings_table(flagged: pd.DataFrame, codebook: Any) -> LabelledTable | None:
    import pandas as pd

    from ..tables import TableSpec

    if flagged.empty:
        return None
    label = "tbl-audit-consistency"
    caption = "Reproduction audit: printed numbers checked against each other, without data"
    data = pd.DataFrame({
        "source": flagged["source"].astype(str),
        "printed": flagged["printed"].astype(str),
        "finding": [f"{c.replace('_', ' ')}: {f} ({s})" for c, f, s in
                    zip(flagged["check"].astype(str), flagged["finding"].astype(str), flagged["severity"].astype(str))],
        "note": flagged["note"].astype(str),
    })
    spec = TableSpec(label=label, title=caption, data=data, stub="source", stubhead="Source",
                     column_labels={"printed": "Printed", "finding": "Check: finding", "note": "Detail"},
                     align={"printed": "right"},
                     footnotes=["Only findings that are notes or problems are listed; 'problem' marks a "
                                "contradiction among the printed numbers themselves."])
    return LabelledTable(label, caption, table_formats(spec))


def audit_check(cohort: Any, published_path: Path | str, *, min_cell: int = 0, results: Any = None) -> AuditCheck:
    """Check every value in ``published_path`` against ``cohort`` (no table laid out yet).

    Under ``min_cell`` K a computed value (and its verdict) is printed only when the protected
    results (``results``, else computed here) print the same quantity (see
    :mod:`imgshare.report._audit_withheld`); ``results`` may be raw or already protected with K.
    """
    from ..audit import audit_tables, check, consistency, load_published

    published = load_published(published_path)
    checked = check(cohort, published)
    flags = None
    if min_cell > 1:
        from ..analysis import analyse
        from ..disclosure import protect
        from ._audit_withheld import audit_flags

        flags = audit_flags(published, protect(results if results is not None else analyse(cohort), min_cell))
    findings = consistency(published, cohort.codebook)
    grouped = audit_tables(checked, findings)
    return AuditCheck(grouped.summary, len(checked), checked, grouped, flags, cohort.codebook, min_cell)


def audit_layout(checked: AuditCheck) -> AuditReport:
    """The summary and one table per kind of source (labels ``tbl-audit-<kind>``), then the flagged
    consistency findings (``tbl-audit-consistency``)."""
    tables = []
    for kind in checked.grouped.groups:
        part = checked.checked[checked.checked["source_kind"] == kind]
        if kind in _KIND_CAPTIONS:
            caption = f"Reproduction audit: {_KIND_CAPTIONS[kind]}"
        else:
            caption = f"Reproduction audit: values printed in the {kind} (secondary source)"
        label = "tbl-audit-" + "".join(c if c.isalnum() else "-" for c in str(kind).lower())
        tables.append(_check_table(label, caption, part, checked.codebook, checked.min_cell, checked.flags))
    findings_table = _findings_table(checked.grouped.flagged, checked.codebook)
    if findings_table is not None:
        tables.append(findings_table)
    return AuditReport(checked.summary, tuple(tables), checked.n_values)


def audit_report(cohort: Any, published_path: Path | str, *, min_cell: int = 0, results: Any = None) -> AuditReport:
    """Check every value in ``published_path`` against ``cohort`` and lay the results out.

    Under ``min_cell`` K a computed value (and its verdict) is printed only when the protected
    results (``results``, else computed here) print the same quantity (see
    :mod:`imgshare.report._audit_withheld`).

    Returns
    -------
    AuditReport
        ``summary``: the audit's one-paragraph statement (:func:`imgshare.audit.audit_tables`);
        ``tables``: one table per kind of source (labels ``tbl-audit-<kind>``) and the flagged
        consistency findings (``tbl-audit-consistency``).
    """
    return audit_layout(audit_check(cohort, published_path, min_cell=min_cell, results=results))

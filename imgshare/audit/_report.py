"""The audit prepared for the manuscript: tidy frames per kind of source and a summary paragraph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["AuditTables", "audit_tables"]

_COLUMNS = ["id", "source", "printed", "published", "decimals", "percent_sign", "computed", "verdict",
            "expected", "note"]
_KIND_ORDER = ("table", "text")
_KIND_NAMES = {"table": "tables", "text": "text"}
#: (singular, plural) names of the consistency problems, for the summary.
_PROBLEM_NAMES = {
    "grim": ("percentage impossible for its denominator", "percentages impossible for their denominator"),
    "n_vs_percent": ("percentage contradicting its printed n", "percentages contradicting their printed n"),
    "block_sum": ("block of counts not adding up to its total", "blocks of counts not adding up to their total"),
    "block_percent_sum": ("block of percentages not summing to 100", "blocks of percentages not summing to 100"),
    "significance": ("significance claim the printed R cannot support",
                     "significance claims the printed R cannot support"),
    "repeat": ("number printed twice with different values", "numbers printed twice with different values"),
    "grim_mean": ("mean impossible for its item count and denominator",
                  "means impossible for their item count and denominator"),
}


@dataclass(frozen=True)
class AuditTables:
    """``groups``: the check rows per source kind ('table', 'text', secondary document ids);
    ``flagged``: consistency findings that are notes or problems; ``conventions``: each
    source's rounding convention; ``summary``: one paragraph stating the results."""

    groups: Mapping[str, pd.DataFrame]
    flagged: pd.DataFrame
    conventions: pd.DataFrame
    summary: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _check_sentences(check_frame: pd.DataFrame, kinds: list[str]) -> list[str]:
    verdicts = check_frame["verdict"]
    n_match = int((verdicts == "match").sum())
    n_trunc = int((verdicts == "match (truncated)").sum())
    mismatch = check_frame[verdicts == "mismatch"]
    n_expected = int(mismatch["expected"].sum())
    n_not = int((verdicts == "not computable").sum())
    synthetic = check_frame.attrs.get("study_data") == "synthetic"
    cohort = "the SYNTHETIC cohort" if synthetic else "the study data"
    out = [f"Of {len(check_frame)} published values, {n_match + n_trunc} were reproduced from {cohort} "
           f"({n_match} as printed, {n_trunc} only when the printed value is read as truncated), "
           f"{len(mismatch)} did not match ({n_expected} of them expected and explained in the published-values "
           f"file) and {n_not} could not be computed."]
    per_kind = []
    for kind in kinds:
        part = check_frame[check_frame["source_kind"] == kind]
        ok = int(part["verdict"].isin(["match", "match (truncated)"]).sum())
        per_kind.append(f"{ok} of {len(part)} from the {_KIND_NAMES.get(kind, kind)}")
    if len(per_kind) > 1:
        out.append(f"By source: {_join(per_kind)}.")
    unexpected = mismatch[~mismatch["expected"].astype(bool)]
    if len(unexpected):
        by_kind = unexpected.groupby("kind", sort=True).size()
        out.append("Unexpected mismatches by kind of value: "
                   + _join([f"{n} {k}" for k, n in by_kind.items()]) + ".")
    if synthetic:
        out.append("The cohort is synthetic, not the study's data: agreement shows that the pipeline computes "
                   "what the paper printed, not that the study's data were re-analysed.")
    return out


def _finding_sentences(findings: pd.DataFrame) -> list[str]:
    problems = findings[findings["severity"] == "problem"]
    out = []
    if len(problems):
        by_check = problems.groupby("check", sort=False).size()
        parts = [f"{n} {_PROBLEM_NAMES.get(c, (c, c))[n != 1]}" for c, n in by_check.items()]
        out.append(f"Checked against each other without data, the printed numbers show "
                   f"{_plural(len(problems), 'problem')}: {_join(parts)}.")
    else:
        out.append("Checked against each other without data, the printed numbers show no contradiction.")
    trunc = findings[(findings["check"] == "n_vs_percent") & (findings["finding"] == "truncated")]
    conv = findings[findings["check"] == "convention"]
    if len(conv):
        groups = conv.groupby("finding", sort=False)["subject"].apply(list)
        described = [f"{kind} in {_join(list(subjects))}" for kind, subjects in groups.items()]
        verb = "fits its" if len(trunc) == 1 else "fit their"
        out.append(f"{_plural(len(trunc), 'printed percentage')} {verb} printed n only when read as "
                   f"truncated rather than rounded; the percentages are {'; '.join(described)}.")
    return out


def audit_tables(check_frame: pd.DataFrame, findings: pd.DataFrame) -> AuditTables:
    """Group the audit for the report and state its results in one paragraph.

    Parameters
    ----------
    check_frame : pandas.DataFrame
        The result of :func:`~imgshare.audit.check` (its ``attrs['study_data']`` says whether
        the cohort is synthetic).
    findings : pandas.DataFrame
        The result of :func:`~imgshare.audit.consistency`.

    Returns
    -------
    AuditTables
        Frames per source kind (tables first, then text, then secondary documents such as a
        poster), the flagged findings, the conventions per source and the summary paragraph;
        every number in the paragraph is counted from the two frames.

    Examples
    --------
    >>> from imgshare.audit import check, consistency
    >>> from imgshare.audit._examples import example_cohort, example_published
    >>> pub = example_published()
    >>> tables = audit_tables(check(example_cohort(), pub), consistency(pub))
    >>> list(tables.groups)
    ['table', 'text']
    >>> tables.summary.split(",")[0]
    'Of 4 published values'
    """
    present = list(dict.fromkeys(check_frame["source_kind"]))
    kinds = [k for k in _KIND_ORDER if k in present] + [k for k in present if k not in _KIND_ORDER]
    groups = {k: check_frame.loc[check_frame["source_kind"] == k, _COLUMNS].reset_index(drop=True) for k in kinds}
    flagged = findings[findings["severity"] != "ok"].reset_index(drop=True)
    conventions = findings.loc[findings["check"] == "convention", ["subject", "finding", "note"]].rename(
        columns={"subject": "source", "finding": "convention"}).reset_index(drop=True)
    summary = " ".join(_check_sentences(check_frame, kinds) + _finding_sentences(findings))
    return AuditTables(groups, flagged, conventions, summary)

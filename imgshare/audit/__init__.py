"""The reproduction audit: a paper's printed numbers against the numbers computed from the data.

``data/published.yml`` (format: ``docs/published-format.md``) records every number the paper
prints and what it measures in codebook terms. :func:`check` computes each from a cohort and
gives a verdict; :func:`consistency` checks the printed numbers against each other without any
data (GRIM-style: can a count out of the printed denominator print as the printed percentage?);
:func:`audit_tables` prepares both for the report.
"""

from ._check import CHECK_COLUMNS, VERDICTS, check, exit_status, reproduced, summary_line
from ._consistency import FINDING_COLUMNS, consistency
from ._published import (
    Document,
    NotRecorded,
    Published,
    PublishedError,
    PublishedValue,
    load_published,
    parse_published,
)
from ._render import render, to_json, to_markdown, to_text
from ._report import AuditTables, audit_tables
from ._resolve import resolve, unresolved
from ._run_check import run_check

__all__ = [
    "AuditTables",
    "CHECK_COLUMNS",
    "FINDING_COLUMNS",
    "VERDICTS",
    "Document",
    "NotRecorded",
    "Published",
    "PublishedError",
    "PublishedValue",
    "audit_tables",
    "check",
    "consistency",
    "exit_status",
    "load_published",
    "parse_published",
    "render",
    "reproduced",
    "resolve",
    "run_check",
    "summary_line",
    "to_json",
    "to_markdown",
    "to_text",
    "unresolved",
]

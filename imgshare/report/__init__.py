"""The manuscript engine: a Quarto project rendered to HTML, PDF and DOCX, with Quarto or without.

:func:`render_report` uses a Quarto CLI (>= 1.5) when one is installed, otherwise the built-in
engine: it runs the document's python cells, splices their outputs, numbers and links
cross-references, and drives pandoc (HTML, DOCX, Typst) and the typst wheel (PDF).
Cells reach the render's codebook, data and small-cell threshold through :func:`context`;
:func:`show` and :func:`labelled` put :mod:`imgshare.exhibits` tables and figures in a
document, and the prose helpers (:func:`flow_summary`, :func:`comparison_summary`, ...)
write short computed text for any codebook. A codebook other than the one a project was
written for is rendered with the packaged generic manuscript (:data:`GENERIC_PROJECT`).
"""

from ._audit import AuditReport, audit_report
from ._context import (ENV_CODEBOOK, ENV_DATA_DIR, ENV_MIN_CELL, ENV_PROJECT_DIR, ReportContext, context,
                       project_codebook, synthetic_notice)
from ._errors import ReportError
from ._exhibit import LabelledFigure, LabelledTable, bare_table, draw_figure, labelled, show, table_formats
from ._formats import MultiFormat, formats_of, multiformat_markdown
from ._narrative import (comparison_summary, correlation_summary, data_notes, domain_summary, flow_summary,
                         join_words, lower_first, outcome_name, p_text, questionnaire_name, quotes)
from ._projects import GENERIC_PROJECT, ProjectChoice, choose_project
from ._prose import fmt_int, fmt_n_pct, fmt_pct, fmt_r, is_small, md_escape
from ._provenance import build_date, provenance_markdown, report_software
from ._quarto import QuartoInfo, find_quarto
from ._render import RenderResult, render_report

__all__ = [
    "render_report",
    "RenderResult",
    "context",
    "ReportContext",
    "project_codebook",
    "ENV_CODEBOOK",
    "ENV_DATA_DIR",
    "ENV_PROJECT_DIR",
    "ENV_MIN_CELL",
    "GENERIC_PROJECT",
    "ProjectChoice",
    "choose_project",
    "synthetic_notice",
    "ReportError",
    "MultiFormat",
    "multiformat_markdown",
    "formats_of",
    "find_quarto",
    "QuartoInfo",
    "show",
    "labelled",
    "bare_table",
    "table_formats",
    "draw_figure",
    "LabelledTable",
    "LabelledFigure",
    "audit_report",
    "AuditReport",
    "flow_summary",
    "domain_summary",
    "correlation_summary",
    "comparison_summary",
    "data_notes",
    "quotes",
    "provenance_markdown",
    "report_software",
    "build_date",
    "join_words",
    "lower_first",
    "questionnaire_name",
    "outcome_name",
    "p_text",
    "fmt_int",
    "fmt_pct",
    "fmt_n_pct",
    "fmt_r",
    "is_small",
    "md_escape",
]

"""The manuscript engine: a Quarto project rendered to HTML, PDF and DOCX, with Quarto or without.

:func:`render_report` uses a Quarto CLI (>= 1.5) when one is installed, otherwise the built-in
engine: it runs the document's python cells, splices their outputs, numbers and links
cross-references, and drives pandoc (HTML, DOCX, Typst) and the typst wheel (PDF).
Cells reach the render's codebook and data through :func:`context`.
"""

from ._context import ENV_CODEBOOK, ENV_DATA_DIR, ENV_PROJECT_DIR, ReportContext, context, synthetic_notice
from ._errors import ReportError
from ._formats import MultiFormat, formats_of, multiformat_markdown
from ._prose import fmt_int, fmt_n_pct, fmt_pct, fmt_r
from ._quarto import QuartoInfo, find_quarto
from ._render import RenderResult, render_report

__all__ = [
    "render_report",
    "RenderResult",
    "context",
    "ReportContext",
    "ENV_CODEBOOK",
    "ENV_DATA_DIR",
    "ENV_PROJECT_DIR",
    "synthetic_notice",
    "ReportError",
    "MultiFormat",
    "multiformat_markdown",
    "formats_of",
    "find_quarto",
    "QuartoInfo",
    "fmt_int",
    "fmt_pct",
    "fmt_n_pct",
    "fmt_r",
]

"""Journal tables: one :class:`TableSpec`, rendered as HTML (great-tables), Typst (PDF),
pandoc Markdown (DOCX) and CSV.

Builders (``tbl_*``) turn the analysis layer's tidy frames into specs; they only format::

    spec = tbl_categorical(results.descriptives.query("variable == 'age_group'"), "age_group",
                           codebook, "tbl-patient-age", title="Patient age")
    to_html(spec)        # great-tables HTML, id "tbl-patient-age", no external resources
    to_typst(spec)       # #figure(table(...), kind: table) <tbl-patient-age>
    to_markdown(spec)    # pandoc pipe table + ": Patient age {#tbl-patient-age}" (DOCX)
    to_csv(spec)         # spreadsheet-safe CSV

Inside a Quarto chunk that has its own ``label``/``tbl-cap``, use ``to_html(spec, title=False,
table_id=...)``, ``to_typst(spec, figure=False)`` or ``to_markdown(spec, caption=False)``.
A codebook with ``study.data: synthetic`` makes every table carry a "Synthetic data" note.
"""

from ._format import (
    DASH,
    MINUS,
    NumberStyle,
    fmt_count,
    fmt_estimate_ci,
    fmt_n_pct,
    fmt_number,
    fmt_p,
    fmt_range,
    fmt_suppressed,
    is_missing,
)
from ._build_cohort import tbl_categorical, tbl_categorical_grid, tbl_likert_item, tbl_participant_flow
from ._build_compare import tbl_comparisons
from ._build_posthoc import tbl_posthoc
from ._build_stats import tbl_item_agreement, tbl_reliability, tbl_theme_correlations
from ._build_summaries import tbl_group_summaries, tbl_numeric, tbl_theme_scores
from ._html import to_gt, to_html
from ._spec import SYNTHETIC_NOTE, Footnote, TableError, TableSpec
from ._text import markdown_escape, neutralise_formula, to_csv, to_markdown
from ._typst import to_typst, typst_escape, typst_string

__all__ = [
    "TableSpec",
    "Footnote",
    "TableError",
    "SYNTHETIC_NOTE",
    "DASH",
    "MINUS",
    "NumberStyle",
    "to_gt",
    "to_html",
    "to_typst",
    "to_markdown",
    "to_csv",
    "typst_string",
    "typst_escape",
    "markdown_escape",
    "neutralise_formula",
    "is_missing",
    "fmt_number",
    "fmt_count",
    "fmt_n_pct",
    "fmt_p",
    "fmt_estimate_ci",
    "fmt_range",
    "fmt_suppressed",
    "tbl_categorical",
    "tbl_categorical_grid",
    "tbl_participant_flow",
    "tbl_likert_item",
    "tbl_theme_correlations",
    "tbl_comparisons",
    "tbl_posthoc",
    "tbl_item_agreement",
    "tbl_reliability",
    "tbl_numeric",
    "tbl_theme_scores",
    "tbl_group_summaries",
]
